/**
 * Ctrl-C (SIGINT) for a command that stops cleanly on it: explore's search.
 * The first Ctrl-C asks the search to stop after the chunks in flight; the
 * report, the result file and the counterexamples found so far then follow as
 * after a finished search (INCOMPLETE, exit 130 unless something was
 * violated). Every later Ctrl-C is ignored, with a one-line note, until the
 * command ends: ending the process then would lose what was found and leave a
 * temporary (*.tmp) file behind. SIGTERM and SIGHUP are taken as a Ctrl-C.
 * Every other command keeps Node's default: a signal ends it at once.
 *
 * A Ctrl-C pressed before any command listened (bin/klpcheck.mjs loads the
 * modules for a second or more first) is counted there, by a listener that
 * stays until the command's own is in place, and handed over then: a command
 * that stops cleanly takes it as pressed when it starts listening; any other
 * ends as Ctrl-C always ended it. Removing the counting listener any earlier
 * lost a Ctrl-C that came in between, or one Node had received but not yet
 * dispatched: the search then ran to its end (hostile-user test, 2026-12-03).
 */

/** What main() was given: bin/klpcheck.mjs's count, which also stops its listener when taken, or a plain count (tests). */
let early: () => number = () => 0;
/** Which of the counted signals came first (bin/klpcheck.mjs), or undefined when none did or it is not known. */
let firstSignal: () => EarlySignal | undefined = () => undefined;

/** The signals bin/klpcheck.mjs counts while the modules load. */
export type EarlySignal = 'SIGINT' | 'SIGTERM';

/**
 * main(): the Ctrl-Cs bin/klpcheck.mjs counts before any command listens
 * (taken once, by takeEarlyInterrupts), and which signal came first
 * (earlySignal).
 */
export function setEarlyInterrupts(count: number | (() => number), first: () => EarlySignal | undefined = () => undefined): void {
  early = typeof count === 'number' ? () => count : count;
  firstSignal = first;
}

/**
 * The first signal counted before any command listened: a command that does
 * not stop cleanly ends by it, as it would have ended had it come later
 * (SIGINT when not known).
 */
export function earlySignal(): EarlySignal {
  return firstSignal() ?? 'SIGINT';
}

/** The Ctrl-Cs counted before any command listened, taken once (later calls give 0); bin's counting stops here. */
export function takeEarlyInterrupts(): number {
  const take = early;
  early = () => 0;
  return take();
}

/** What a command does on Ctrl-C: `first` on the first, `again` on each later one. */
export interface InterruptHandlers {
  readonly first: () => void;
  readonly again: () => void;
}

/**
 * Listens for Ctrl-C in place of Node's default (ending the process) until the
 * returned function is called. Ctrl-Cs that came before any command listened
 * are handled at once, in order.
 */
export function onInterrupt(h: InterruptHandlers): () => void {
  let seen = 0;
  const handler = () => (seen++ === 0 ? h.first() : h.again());
  // Listening before the early count is taken (which stops its listener): no moment without one.
  process.on('SIGINT', handler);
  // SIGTERM too, as a Ctrl-C: timeout(1), a CI's cancel and systemd send it, and it ended a search with no report
  // and no result file, where Ctrl-C at the same point wrote both (hostile-user finding, stop 35).
  process.on('SIGTERM', handler);
  // SIGHUP too: a closed terminal or a dropped ssh session ended a search with no report, no result file and no
  // counterexample saved (helper-124). The report then goes to a terminal that is gone (processIo: a failed write ends
  // in E_IO, after the files), but the counterexamples and --out are written.
  process.on('SIGHUP', handler);
  for (let n = takeEarlyInterrupts(); n > 0; n--) handler();
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    process.off('SIGHUP', handler);
  };
}
