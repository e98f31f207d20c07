/** Helpers the slot invariants share. */
import type { PatchDef } from '../model/kernel/definitions.ts';
import type { AbstractPatch, AbstractState } from '../model/spec/abstract-state.ts';
import type { StepObservation } from './invariant.ts';
import { patchFuncs } from '../model/spec/universe-view.ts';

/**
 * The settled patches: on klp_patches and not in transition. A transition
 * patch and the patches it is replacing legitimately overlap until the
 * transition completes or is reversed.
 */
export function settled(s: AbstractState): readonly AbstractPatch[] {
  return s.patches.filter((p) => p.order > 0 && p.status === 'enabled');
}

/**
 * The first pair of settled patches in different slots that share an item (a
 * function, a state id), as `A (slot X) and B (slot Y) both use ITEM`;
 * `named` spells an item for that line (a bare state id read "both use 1").
 */
export function sharedAcrossSlots(
  obs: StepObservation,
  items: (p: PatchDef) => readonly (string | number)[],
  named: (item: string | number) => string = String,
): string | null {
  const done = settled(obs.after);
  // One settled patch shares with none (most steps: stop 42's profile of a random run).
  if (done.length < 2) return null;
  const owner = new Map<string | number, AbstractPatch>();
  for (const p of done) {
    for (const item of items(obs.def(p.name))) {
      const other = owner.get(item);
      if (other && other.slot !== p.slot)
        return `${other.name} (slot ${other.slot}) and ${p.name} (slot ${p.slot}) both use ${named(item)}`;
      owner.set(item, p);
    }
  }
  return null;
}

export { patchFuncs };
