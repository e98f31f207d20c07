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
}

/** How a failed write to standard output is said, before its code. */
const STDOUT_FAILED = 'standard output: cannot write';

export function processIo(): Io {
  /** Set once the reader of standard output, or of standard error, closed its pipe: nothing more is written to it. */
  let cut = false;
  let errCut = false;
  /** Set once a failed write to standard output was raised where it happened (stdout below): said once. */
  let raised = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // `klpcheck ... | head` closes the pipe early; that is not an error worth a trace. The command goes on and ends
    // with its own exit status: exiting at once ended it with the status set so far, 0 while a command runs, so a
    // selftest that failed after `selftests | head -1` read as success.
    if (e.code === 'EPIPE') {
      cut = true;
      return;
    }
    if (raised) return;
    // Any other failure to write the output (a full disk, /dev/full) is one line, exit 2 (E_IO).
    process.stderr.write(`klpcheck: ${STDOUT_FAILED} (${e.code ?? e.message}) [E_IO]\n`);
    process.exit(2);
  });
  // The same for standard error (`klpcheck ... 2>&1 | head -1`): unheard, an error there was an uncaught 'error'
  // event, whose stack trace went to the closed pipe and whose exit 1 replaced the command's own (helper-110). Any
  // other failure there has nowhere to be said: what follows is dropped, and the exit status still tells.
  process.stderr.on('error', () => {
    errCut = true;
  });
  const stdout = (t: string) => {
    if (cut) return;
    process.stdout.write(t);
    // The stream knows at once (its 'error' event comes later): raised here, the command stops where it wrote, and
    // its report's last line ("..., so exit 1") no longer came before the E_IO line and its exit 2 (helper-110).
    const failed = process.stdout.errored as NodeJS.ErrnoException | null;
    if (!failed) return;
    if (failed.code === 'EPIPE') cut = true;
    else {
      raised = true;
      throw new KlpcheckError('E_IO', `${STDOUT_FAILED} (${failed.code ?? failed.message})`);
    }
  };
  return {
    stdout,
    stderr: (t) => void (errCut || process.stderr.write(t)),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => Date.now(),
  };
}
