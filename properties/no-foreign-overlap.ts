import { stateIds } from '../model/spec/rule.ts';
import { always, stateless, type Invariant } from './invariant.ts';
import { foreign, lacksForeignPair, ownerLabel } from './owners.ts';
import { patchFuncs, settled } from './settled.ts';

/**
 * No foreign overlap. Settled patches of different owners (sharing no owner)
 * never patch the same function nor use the same state id: which fix runs,
 * and whose callbacks own a state, would depend on load order between
 * parties who do not know of each other. Only the admin may resolve such a
 * conflict, by letting one replace the other (no-foreign-removal). Source:
 * seed 001_3e784c1c435e3259.txt, Petr Mladek, 2026-06-17: "the hotfix should
 * not be allowed to modify a function or livepatch state which is modified by
 * another livepatch. It would be dangerous." (Joe Lawrence: "Agreed.") and
 * "We should just refuse to install two conflicting livepatches."
 */
export const noForeignOverlap: Invariant = {
  id: 'no-foreign-overlap',
  title: 'no foreign overlap',
  meaning: 'Enabled patches that share no owner never patch the same function nor use the same state id.',
  source: 'seed 001_3e784c1c435e3259.txt (Petr Mladek, 2026-06-17; Joe Lawrence: "Agreed.")',
  appliesTo: always,
  lacks: lacksForeignPair,
  readsOwners: true,
  checker: () =>
    stateless((obs) => {
      const enabled = settled(obs.after);
      // One settled patch overlaps with none (most steps).
      if (enabled.length < 2) return null;
      const done = enabled.map((p) => obs.def(p.name));
      for (const [i, a] of done.entries()) {
        for (const b of done.slice(i + 1)) {
          if (!foreign(a, b)) continue;
          const f = patchFuncs(a).find((x) => patchFuncs(b).includes(x));
          if (f) return `${ownerLabel(a)} and ${ownerLabel(b)} both patch ${f}`;
          const s = stateIds(a).find((x) => stateIds(b).includes(x));
          if (s !== undefined) return `${ownerLabel(a)} and ${ownerLabel(b)} both use state ${s}`;
        }
      }
      return null;
    }),
};
