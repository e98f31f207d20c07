import { KlpcheckError } from '../harness/errors.ts';

/**
 * Everything a command may touch outside itself. main() gets the process's
 * by default; tests pass their own, so they capture output without spying
 * and can say whether "stdout" is a terminal.
 */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds; only the progress line reads it. */
  readonly now: () => number;
  /**
   * The error of a standard output that could not be written (a full disk; not
   * a reader that closed it), asked when the command has ended: main() then
   * says it last and exits 2. Absent or undefined: none.
   */
  readonly outputFailure?: () => KlpcheckError | undefined;
}

/**
 * The process's own Io: its standard output and error, with a reader that
 * closes either (EPIPE) cutting that stream, not the command, and a standard
 * output that fails otherwise (a full disk) said last (outputFailure).
 */
export function processIo(): Io {
  /** Set once the reader of standard output, or of standard error, closed its pipe: nothing more is written to it. */
  let cut = false;
  let errCut = false;
  /** The code of the first failed write to standard output other than a closed pipe (a full disk): said last. */
  let failed: string | undefined;
  const fail = (e: NodeJS.ErrnoException) => {
    // `klpcheck ... | head` closes the pipe early; that is not an error worth a trace. The command goes on and ends
    // with its own exit status: exiting at once ended it with the status set so far, 0 while a command runs, so a
    // selftest that failed after `selftests | head -1` read as success.
    if (e.code !== 'EPIPE') failed ??= e.code ?? e.message;
    cut = true;
  };
  process.stdout.on('error', fail);
  // The same for standard error (`klpcheck ... 2>&1 | head -1`): unheard, an error there was an uncaught 'error'
  // event, whose stack trace went to the closed pipe and whose exit 1 replaced the command's own (helper-110). Any
  // other failure there has nowhere to be said: what follows is dropped, and the exit status still tells.
  process.stderr.on('error', () => {
    errCut = true;
  });
  const stdout = (t: string) => {
    if (cut) return;
    process.stdout.write(t);
    // The stream knows at once; its 'error' event comes a tick later, when the command has written on.
    const e = process.stdout.errored as NodeJS.ErrnoException | null;
    if (e) fail(e);
  };
  return {
    stdout,
    stderr: (t) => void (errCut || process.stderr.write(t)),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => Date.now(),
    // A failed standard output is a late error (README, exit 2: work begun that could not be finished): the command
    // finishes its files first. Raised at the failed write (for a day), it cost explore --out, compare --html and
    // protocols --out, which write after printing, their files (helper-111).
    outputFailure: () => (failed === undefined ? undefined : new KlpcheckError('E_IO', `standard output: cannot write (${failed})`)),
  };
}
