/** The exit codes, in one place so the help texts and README cannot drift from the code. */
import { ERROR_CODES } from '../harness/errors.ts';
import type { Io } from './io.ts';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** EX_SOFTWARE from sysexits.h: klpcheck itself is broken. */
  internal: 70,
  /** 128 + SIGINT, the shell's convention: stopped by Ctrl-C before anything was violated, so nothing holds yet. */
  interrupted: 130,
} as const;

export const EXIT_HELP: readonly string[] = [
  `${EXIT.ok}   everything checked passed or holds (a pending scenario counts as passed; it is reported)`,
  `${EXIT.failed}   an expectation failed, or an invariant or conformance is violated`,
  `${EXIT.usage}   bad input or usage: one line 'klpcheck: FILE:/json/pointer: message [CODE]' on stderr; or work begun that could not be finished (a file not written, a worker out of memory), that line last, after the report`,
  `${EXIT.internal}  internal error: a bug in klpcheck (KLPCHECK_DEBUG=1 prints the stack)`,
  `${EXIT.interrupted} explore or simulate interrupted (Ctrl-C or SIGTERM; SIGHUP once the search runs), or a merge of a shard that was stopped (interrupted, or a worker out of memory), with no violation found so far: the result is INCOMPLETE; any other command ends at once, 130 on Ctrl-C and 143 on SIGTERM (128 + the signal)`,
];

/** The [CODE] that ends an exit-2 line, for the main help. */
export const ERROR_CODE_HELP: readonly string[] = Object.entries(ERROR_CODES).map(
  ([code, meaning], _, all) => `${code.padEnd(Math.max(...all.map(([c]) => c.length)) + 2)}${meaning}`,
);

/**
 * The words a finding's summary line ends with, ", so exit 1 (a finding, not
 * an error)", or nothing when the command will exit 2 instead: a late error
 * (`late`: a file not written, a worker out of memory), or a standard output
 * that could not be written (io.ts Io.outputFailure), whose E_IO line comes
 * after the summary (helper-110: it contradicted the line before it).
 */
export function soExit1(io: Io, late = false): string {
  return late || io.outputFailure?.() !== undefined ? '' : ', so exit 1 (a finding, not an error)';
}
