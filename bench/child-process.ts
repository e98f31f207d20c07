/**
 * The main of a bench child (one measurement in a process of its own): its
 * error is one line on stderr, `NAME: message`, and exit 1, not an uncaught
 * exception's stack, whose last line (Node's version) was all the parent
 * reported (found by a hostile-user test, 2026-12-02). The parent reports
 * the child's last stderr line.
 */
export async function childMain(name: string, main: () => unknown): Promise<void> {
  try {
    await main();
  } catch (e) {
    process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
