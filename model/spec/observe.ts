/**
 * The abstraction function: the reference implementation's state mapped to
 * the abstract state (model/spec/abstract-state.ts). It reads the kernel's
 * own structures and asks the ftrace handler what each task runs.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { runningNames } from '../kernel/func-stack.ts';
import { KLP_TRANSITION_PATCHED, versionName, type KPatch } from '../kernel/runtime.ts';
import type { Semantics } from '../semantics/semantics.ts';
import { addAscending, blockedPlace, type AbstractPatch, type AbstractState, type PatchStatus, type TaskState } from './abstract-state.ts';
import { universeFuncs } from './universe-view.ts';

/**
 * A task's patch_state (KLP_TRANSITION_IDLE -1, UNPATCHED 0, PATCHED 1) at index patch_state + 1. An array, not a
 * record keyed by -1: that key is the string "-1", and looking it up turned each number into a string, an eighth of
 * a random run's observe (stop 42).
 */
const TASK_STATE: readonly TaskState[] = ['idle', 'unpatched', 'patched'];

function statusOf(k: Kernel, p: KPatch): PatchStatus {
  if (!p.registered) return 'freed';
  if (k.core.transition === p) return k.core.target === KLP_TRANSITION_PATCHED ? 'patching' : 'unpatching';
  return p.enabled && k.core.klp_patches.includes(p) ? 'enabled' : 'stale';
}

export function observe(k: Kernel, semantics: Semantics, funcs: readonly string[] = universeFuncs(k.core.universe)): AbstractState {
  const core = k.core;
  const patches: AbstractPatch[] = [];
  const modules: string[] = [];
  for (const m of core.modules.values()) {
    if (m.kind === 'target') {
      modules.push(m.def.name);
      continue;
    }
    const p = m.patch!;
    patches.push({
      name: p.name,
      slot: semantics.slotOf(p.name, p.attrs),
      status: statusOf(k, p),
      order: core.klp_patches.indexOf(p) + 1,
      forced: p.forced,
    });
  }
  const running: Record<string, string[]> = {};
  for (const key of funcs) running[key] = runningNames(core, core.tasks, key);
  const states: number[] = [];
  for (const p of core.klp_patches) for (const s of p.states) addAscending(states, s.id);
  return {
    patches,
    modules: modules.sort(),
    tasks: core.tasks.map((t) => ({
      name: t.name,
      state: TASK_STATE[t.patch_state + 1]!,
      blocked: t.blocked ? blockedPlace(t.blocked.key, versionName(t.blocked.code)) : null,
    })),
    running,
    states,
    shadows: core.shadow
      .live()
      .map((v) => `${v.obj}/${v.id}`)
      .sort(),
  };
}
