/** Small universes for hand-written sequences in tests. */
import type { PatchAttrs, PatchDef, StateDef, Universe } from '../../model/kernel/definitions.ts';
import type { Op } from '../../harness/ops.ts';
import { patchFromFuncs } from '../../harness/patch-def.ts';

export function lp(name: string, funcs: readonly string[], attrs: PatchAttrs = {}, states: readonly StateDef[] = []): PatchDef {
  return patchFromFuncs(
    name,
    funcs.map((f) => (f.includes(':') ? f : `vmlinux:${f}`)),
    states,
    attrs,
  );
}

export function universe(...patches: PatchDef[]): Universe {
  return { patches, modules: [{ name: 'mod' }], kernel: { tasks: 2 } };
}

/** Terse ops: 'insmod p1', 'disable p1', 'block task1 f2', 'step', 'force p1', 'rmmod p1', 'alloc p1 1 1'. */
export function ops(...lines: string[]): Op[] {
  return lines.map((l): Op => {
    const [verb, a, b, c] = l.split(' ') as [string, string, string, string];
    switch (verb) {
      case 'insmod':
      case 'rmmod':
        return { op: verb, module: a };
      case 'disable':
      case 'enable':
      case 'force':
        return { op: verb, patch: a };
      case 'step':
        return { op: 'transition_step' };
      case 'block':
        return { op: 'block_task', task: a, func: `${b.includes(':') ? b : `vmlinux:${b}`},0` };
      case 'unblock':
        return { op: 'unblock_task', task: a };
      case 'return':
        return { op: 'task_return', task: a };
      case 'alloc':
        return { op: 'shadow_alloc', patch: a, obj: Number(b), id: Number(c) };
      case 'free':
        return { op: 'shadow_free', patch: a, obj: Number(b), id: Number(c) };
      default:
        throw new Error(`unknown op line '${l}'`);
    }
  });
}
