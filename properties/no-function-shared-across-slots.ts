import { always, lacksTwoPatches, stateless, type Invariant } from './invariant.ts';
import { patchFuncs, sharedAcrossSlots } from './settled.ts';

/**
 * No function shared across slots. Two enabled patches in different slots
 * never patch the same function; otherwise which fix runs depends on load
 * order (the "jungle" Petr Mladek objects to in seed 003_3f95dad9b56cb0c5.txt)
 * and replacing one slot can switch the other's function. Petr Mladek's
 * review of the replace tag draft (seed 000_2d55233d1d974b9b.txt,
 * 2026-04-07): "two livepatches conflict when they have a different
 * @replace_set number and have at least one livepatched version in common";
 * replace_set v2 cover letter (facts F.3).
 */
export const noFunctionSharedAcrossSlots: Invariant = {
  id: 'no-function-shared-across-slots',
  title: 'no function shared across slots',
  meaning: 'Enabled patches of different slots never patch the same function (object, name, sympos).',
  source: 'seed 000_2d55233d1d974b9b.txt (Petr Mladek, 2026-04-07); facts F.3',
  appliesTo: always,
  lacks: lacksTwoPatches,
  checker: () => stateless((obs) => sharedAcrossSlots(obs, patchFuncs)),
};
