/**
 * Downgrades (issue 12, §3): which mechanisms stop an older release from
 * taking back a newer one's fixes, per semantics. Petr Mladek's klp-5a then
 * klp-3a (seed 001_3e784c1c435e3259.txt, 2026-06-17/18) is run in four
 * variants, scenarios/threads/petr-downgrade-5a-3a*.json, all opting in to
 * no-silent-downgrade:
 * - no states: only the replace rule itself can refuse klp-3a;
 * - versions: klp-5a raised state 1 to version 2 (facts C.2);
 * - new-state: klp-5a introduced state 1, which klp-3a lacks;
 * - block-disable: the same state with block_disable (facts C.4).
 * A mechanism stops the downgrade for a semantics when its variant refuses
 * klp-3a's load (or the load leaves klp-5a's fixes in place).
 */
import type { Semantics } from '../model/semantics/semantics.ts';
import { loadThreadScenario, semanticsOutcome, THREADS_DIR } from './thread-outcomes.ts';

export const DOWNGRADE_VARIANTS = [
  { file: 'petr-downgrade-5a-3a', label: 'no states', mechanism: 'the replace rule' },
  { file: 'petr-downgrade-5a-3a-versions', label: 'state version 2 > 1', mechanism: 'state versions' },
  { file: 'petr-downgrade-5a-3a-new-state', label: 'new state', mechanism: 'a state klp-3a lacks' },
  { file: 'petr-downgrade-5a-3a-block-disable', label: 'new block_disable state', mechanism: 'block_disable' },
] as const;

export type DowngradeMechanism = (typeof DOWNGRADE_VARIANTS)[number]['mechanism'];

export interface DowngradeRow {
  readonly semantics: string;
  /** Per variant: klp-3a's outcome (ok or an errno) and whether no-silent-downgrade broke. */
  readonly outcomes: readonly { readonly mechanism: DowngradeMechanism; readonly outcome: string; readonly downgraded: boolean }[];
  /** The mechanisms that stop it: a variant that does not downgrade where a weaker one does. Empty: nothing stops it. */
  readonly stoppers: readonly DowngradeMechanism[];
}

/** The downgrade step of every variant: the second op, insmod klp-3a. */
const STEP = 1;

export function downgradeRow(sem: Semantics, dir: string = THREADS_DIR): DowngradeRow {
  const outcomes = DOWNGRADE_VARIANTS.map(({ file, mechanism }) => {
    const step = semanticsOutcome(loadThreadScenario(`${dir}/${file}.json`), sem).steps[STEP]!;
    return { mechanism, outcome: step.outcome, downgraded: step.violated.some((v) => v.property === 'no-silent-downgrade') };
  });
  const plain = outcomes[0]!;
  // Without states, the rule alone decides; with them, a mechanism counts only where the plain variant downgrades.
  const stoppers = plain.downgraded
    ? outcomes
        .slice(1)
        .filter((o) => !o.downgraded && (o.mechanism !== 'block_disable' || outcomes[2]!.downgraded))
        .map((o) => o.mechanism)
    : [plain.mechanism];
  return { semantics: sem.name, outcomes, stoppers };
}
