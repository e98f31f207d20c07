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

export function removals(obs: StepObservation): Removal[] {
  const before = new Map(obs.before.patches.map((p) => [p.name, p]));
  const after = new Map(obs.after.patches.map((p) => [p.name, p]));
  const own = (name: string) => (obs.op.op === 'disable' || obs.op.op === 'enable') && obs.op.patch === name;
  const fresh = (name: string) => obs.op.op === 'insmod' && obs.op.module === name && !before.has(name);
  const completed = obs.after.patches.find(
    (p) => p.status === 'enabled' && p.order > 0 && (before.get(p.name)?.status === 'patching' || fresh(p.name)),
  );
  const patching = obs.after.patches.find((p) => p.status === 'patching');
  const found: Removal[] = [];
  for (const p of obs.before.patches) {
    if (p.status !== 'enabled' || p.order === 0 || own(p.name)) continue;
    const now = after.get(p.name);
    const gone = !now || now.order === 0 || (now.status !== 'enabled' && now.status !== 'unpatching');
    if (gone && completed) found.push({ by: completed.name, of: p.name, how: 'replaced and freed' });
    if (gone || !patching || patching.name === p.name) continue;
    for (const [func, versions] of Object.entries(obs.after.running)) {
      const was = obs.before.running[func] ?? [];
      if (versions.some((v, i) => was[i] === p.name && v === 'original'))
        found.push({ by: patching.name, of: p.name, how: `nops away ${func} of` });
    }
  }
  return found;
}
