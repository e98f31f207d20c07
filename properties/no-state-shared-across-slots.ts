import { always, lacksStateIds, lacksTwoPatches, stateless, type Invariant } from './invariant.ts';
import { sharedAcrossSlots } from './settled.ts';

/**
 * No state id shared across slots. A state id stands for callbacks and
 * shadow variables; if two slots used one, replacing either would run or
 * skip the other's callbacks and free its shadow variables. Petr Mladek's
 * review of the replace tag draft (seed 000_2d55233d1d974b9b.txt,
 * 2026-04-07) and the replace_set v2 rules (facts F.3): "no state id is
 * shared across sets".
 */
export const noStateSharedAcrossSlots: Invariant = {
  id: 'no-state-shared-across-slots',
  title: 'no state id shared across slots',
  meaning: 'Enabled patches of different slots never declare the same state id.',
  source: 'seed 000_2d55233d1d974b9b.txt (Petr Mladek, 2026-04-07); facts F.3, F.4.5',
  appliesTo: always,
  lacks: (b) => {
    const patches = lacksTwoPatches(b);
    const ids = lacksStateIds(b);
    return patches && ids ? 'two patches and a state id' : (patches ?? ids);
  },
  checker: () =>
    stateless((obs) =>
      sharedAcrossSlots(
        obs,
        (p) => (p.states ?? []).map((s) => s.id),
        (id) => `state ${id}`,
      ),
    ),
};
