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
  // `klpcheck ... | head` closes the pipe early; that is not an error worth a trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Any other failure to write the output (a full disk, /dev/full) is one line, exit 2 (E_IO).
    process.stderr.write(`klpcheck: standard output: cannot write: ${e.code ?? e.message} [E_IO]\n`);
    process.exit(2);
  });
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    now: () => Date.now(),
  };
}
