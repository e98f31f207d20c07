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

export function processIo(): Io {
  /** Set once the reader closed the pipe: nothing more is written to it. */
  let cut = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // `klpcheck ... | head` closes the pipe early; that is not an error worth a trace. The command goes on and ends
    // with its own exit status: exiting at once had ended `compare | head -c 10` with 0, as if nothing was violated,
    // since a command's status is set only when it returns (stop 62's note).
    if (e.code === 'EPIPE') {
      cut = true;
      return;
    }
    // Any other failure to write the output (a full disk, /dev/full) is one line, exit 2 (E_IO).
    process.stderr.write(`klpcheck: standard output: cannot write: ${e.code ?? e.message} [E_IO]\n`);
    process.exit(2);
  });
  return {
    stdout: (t) => void (cut || process.stdout.write(t)),
    stderr: (t) => void process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => Date.now(),
  };
}
