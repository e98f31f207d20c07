/**
 * Which patch takes which other patch's fixes away at a step, as the
 * reference implementation did it (the owner and downgrade invariants share
 * it). Two moments count:
 * - replaced and freed: a patch enabled before the step has left klp_patches
 *   when another patch's transition to patched completes at this step;
 * - nops away: while another patch is in transition, a task that ran the
 *   patch's fix of a function runs the original code instead (a nop of the
 *   transition patch; facts B.1 klp_add_nops).
 * A patch's own disable, or the reversal of its own load, is not a removal.
 */
import type { StepObservation } from './invariant.ts';

export interface Removal {
  /** The patch that takes the fixes away. */
  readonly by: string;
  /** The patch whose fixes go. */
  readonly of: string;
  /** `replaced and freed`, or `nops away <func> of`. */
  readonly how: string;
}

/** The last step's removals: every invariant that asks at one step asks for the same observation, one after another. */
let memo: { readonly obs: StepObservation; readonly found: readonly Removal[] } | null = null;

/** The removals at one step; computed once per step, however many invariants ask. */
export function removals(obs: StepObservation): readonly Removal[] {
  if (memo?.obs !== obs) memo = { obs, found: computeRemovals(obs) };
  return memo.found;
}

/** Whether the step is the patch's own disable or enable (sysfs write to its own file); the invariants that excuse it share this. */
export function ownWrite(obs: StepObservation, name: string): boolean {
  return (obs.op.op === 'disable' || obs.op.op === 'enable') && obs.op.patch === name;
}

type Patch = StepObservation['after']['patches'][number];

/** A state's patch of that name (a handful of patches: a scan beats building a map). */
function named(patches: readonly Patch[], name: string): Patch | undefined {
  for (const p of patches) if (p.name === name) return p;
  return undefined;
}

const NONE: readonly Removal[] = [];

function computeRemovals(obs: StepObservation): readonly Removal[] {
  const op = obs.op;
  let completed: Patch | undefined;
  let patching: Patch | undefined;
  for (const p of obs.after.patches) {
    if (!completed && p.status === 'enabled' && p.order > 0) {
      const was = named(obs.before.patches, p.name);
      const fresh = op.op === 'insmod' && op.module === p.name && !was;
      if (was?.status === 'patching' || fresh) completed = p;
    }
    if (!patching && p.status === 'patching') patching = p;
  }
  // Both kinds of removal need another patch's transition: completed now, or under way.
  if (!completed && !patching) return NONE;
  const found: Removal[] = [];
  for (const p of obs.before.patches) {
    if (p.status !== 'enabled' || p.order === 0 || ownWrite(obs, p.name)) continue;
    const now = named(obs.after.patches, p.name);
    const gone = !now || now.order === 0 || (now.status !== 'enabled' && now.status !== 'unpatching');
    if (gone && completed) found.push({ by: completed.name, of: p.name, how: 'replaced and freed' });
    if (gone || !patching || patching.name === p.name) continue;
    for (const func in obs.after.running) {
      const versions = obs.after.running[func]!;
      const was = obs.before.running[func] ?? [];
      for (let i = 0; i < versions.length; i++)
        if (was[i] === p.name && versions[i] === 'original') {
          found.push({ by: patching.name, of: p.name, how: `nops away ${func} of` });
          break;
        }
    }
  }
  return found;
}
