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

const memo = new WeakMap<StepObservation, Removal[]>();

/** The removals at one step; computed once per step, however many invariants ask. */
export function removals(obs: StepObservation): Removal[] {
  let found = memo.get(obs);
  if (!found) memo.set(obs, (found = computeRemovals(obs)));
  return found;
}

/** Whether the step is the patch's own disable or enable (sysfs write to its own file). */
function ownWrite(obs: StepObservation, name: string): boolean {
  return (obs.op.op === 'disable' || obs.op.op === 'enable') && obs.op.patch === name;
}

function computeRemovals(obs: StepObservation): Removal[] {
  const before = new Map<string, StepObservation['before']['patches'][number]>();
  for (const p of obs.before.patches) before.set(p.name, p);
  const after = new Map<string, StepObservation['after']['patches'][number]>();
  for (const p of obs.after.patches) after.set(p.name, p);
  const op = obs.op;
  let completed: StepObservation['after']['patches'][number] | undefined;
  let patching: StepObservation['after']['patches'][number] | undefined;
  for (const p of obs.after.patches) {
    const fresh = op.op === 'insmod' && op.module === p.name && !before.has(p.name);
    if (!completed && p.status === 'enabled' && p.order > 0 && (before.get(p.name)?.status === 'patching' || fresh)) completed = p;
    if (!patching && p.status === 'patching') patching = p;
  }
  const found: Removal[] = [];
  for (const p of obs.before.patches) {
    if (p.status !== 'enabled' || p.order === 0 || ownWrite(obs, p.name)) continue;
    const now = after.get(p.name);
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
