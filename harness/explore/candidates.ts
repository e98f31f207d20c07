/**
 * What the explorer may do next. Patch definitions are chosen lazily, when a
 * patch is loaded for the first time, and patches are named in the order
 * they first load (p1, p2, ...): two universes that differ only in patches
 * not loaded yet are the same state. Functions and state ids are used in
 * order too (restricted growth): a new patch may use the ones already used
 * and the next unused ones, never skip one, so renamings of the same
 * universe are generated once. This is the symmetry reduction over patches,
 * functions and state ids; tasks are reduced in key.ts.
 */
import type { PatchDef, StateDef, Universe } from '../../model/kernel/definitions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import type { Op } from '../ops.ts';
import { generatedOwners, generatedRelease, patchFromFuncs, TARGET_MODULE } from '../patch-def.ts';
import type { ExploreScope } from './scope.ts';

export { TARGET_MODULE };
export const MODULE_FUNC = `${TARGET_MODULE}:m1,0`;
export const vmlinuxFunc = (i: number) => `vmlinux:f${i},0`;
export const patchName = (i: number) => `p${i}`;

/** Every function key of the scope, in a fixed order (the abstract states report all of them). */
export function scopeFuncs(scope: ExploreScope): string[] {
  return [...Array.from({ length: scope.functions }, (_, i) => vmlinuxFunc(i + 1)), MODULE_FUNC];
}

/**
 * The largest vmlinux function index and state id `known` uses, 0 when none:
 * a new patch may use those and the next unused ones (restricted growth).
 * promela/model.ts folds its definition tree by the same two numbers.
 */
export function usedSoFar(known: readonly PatchDef[]): { readonly funcs: number; readonly states: number } {
  let funcs = 0;
  let states = 0;
  for (const d of known) {
    for (const o of d.objects ?? [])
      if (o.name === 'vmlinux') for (const f of o.funcs ?? []) funcs = Math.max(funcs, Number(f.old_name!.slice(1)));
    for (const s of d.states ?? []) states = Math.max(states, s.id);
  }
  return { funcs, states };
}

const defStates = (d: PatchDef) => (d.states ?? []).map((s) => s.id);

/** Subsets of 1..limit with size <= max, in which a fresh index (> used) appears only if all fresh ones below it do. */
function restrictedSubsets(used: number, limit: number, max: number, min: number): number[][] {
  const top = Math.min(limit, used + max);
  const out: number[][] = [];
  const rec = (i: number, acc: number[]) => {
    if (i > top) {
      const fresh = acc.filter((x) => x > used);
      const ok = fresh.every((x, j) => x === used + 1 + j);
      if (ok && acc.length >= min && acc.length <= max) out.push(acc);
      return;
    }
    rec(i + 1, acc);
    if (acc.length < max) rec(i + 1, [...acc, i]);
  };
  rec(1, []);
  return out;
}

function stateVariants(sem: Semantics, ids: readonly number[], shadowIds: ReadonlySet<number>): StateDef[][] {
  let out: StateDef[][] = [[]];
  for (const id of ids) {
    const options: StateDef[] = sem.spec.perState
      ? [false, true].map((block_disable) => ({ id, block_disable, is_shadow: shadowIds.has(id), callbacks: 'trace' as const }))
      : [1, 2].map((version) => ({ id, version }));
    out = out.flatMap((prefix) => options.map((o) => [...prefix, o]));
  }
  return out;
}

/** Every definition the next new patch may have, up to renaming. */
export function newPatchDefs(sem: Semantics, scope: ExploreScope, known: readonly PatchDef[], shadowIds: ReadonlySet<number>): PatchDef[] {
  const name = patchName(known.length + 1);
  const { funcs: usedF, states: usedS } = usedSoFar(known);
  const funcSets: string[][] = [];
  for (const v of restrictedSubsets(usedF, scope.functions, 2, 0)) {
    const names = v.map((i) => `f${i}`);
    if (names.length >= 1) funcSets.push(names.map((f) => `vmlinux:${f}`));
    if (names.length <= 1) funcSets.push([...names.map((f) => `vmlinux:${f}`), 'mod:m1']);
  }
  const defs: PatchDef[] = [];
  for (const funcs of funcSets) {
    for (const ids of restrictedSubsets(usedS, scope.states, scope.states, 0)) {
      for (const states of stateVariants(sem, ids, shadowIds)) {
        for (const attrs of sem.attrChoices) {
          defs.push(patchFromFuncs(name, funcs, states, attrs, generatedOwners(known.length), generatedRelease(known.length)));
        }
      }
    }
  }
  return defs;
}

/** The tasks the ops name: the universe's boot tasks (explore's universes have no kernel threads). */
export function bootTasks(scope: ExploreScope): string[] {
  return Array.from({ length: scope.tasks }, (_, i) => `task${i}`);
}

/** The child a task's fork makes: one name per task, so each boot task forks at most once (ops.ts: a child's name is new). */
export function forkChild(task: string): string {
  return `${task}.1`;
}

/**
 * What the search can do with a task, which its place in a state's key must
 * keep (state-key.ts sorts tasks as interchangeable): 0 for a forked child,
 * which no op names; 1 for a boot task, named by every task op; 2 for a boot
 * task that has forked, which cannot fork again. Without it a state where
 * task0 forked and one where task1 forked were one state (each sleeping in the
 * same place), and the search kept the successors of only the first it met:
 * the shards of one search disagreed on a state's successors, and the whole
 * search missed states (found by a hostile-user test, taskModel=1 tasks=2).
 */
export function taskRole(name: string, boot: ReadonlySet<string>, exists: (task: string) => boolean): number {
  if (!boot.has(name)) return 0;
  return exists(forkChild(name)) ? 2 : 1;
}

/** The ops to try from a state, given the patches defined so far (their definitions are known). */
export function candidateOps(sem: Semantics, scope: ExploreScope, known: readonly PatchDef[]): Op[] {
  const patches = known.map((d) => d.name);
  const tasks = bootTasks(scope);
  const usedF = usedSoFar(known).funcs;
  // Sleeping in an unused function: one of them stands for all.
  const blockable = [...Array.from({ length: Math.min(scope.functions, usedF + 1) }, (_, i) => vmlinuxFunc(i + 1)), MODULE_FUNC];
  const ops: Op[] = [];
  for (const p of patches) ops.push({ op: 'insmod', module: p });
  ops.push({ op: 'insmod', module: TARGET_MODULE }, { op: 'rmmod', module: TARGET_MODULE });
  for (const p of patches) {
    ops.push({ op: 'rmmod', module: p }, { op: 'disable', patch: p }, { op: 'enable', patch: p }, { op: 'force', patch: p });
    for (const attr of sem.spec.writableAttrs ?? []) for (const value of ['0', '1']) ops.push({ op: 'set_attr', patch: p, attr, value });
  }
  ops.push({ op: 'transition_step' });
  for (const task of tasks) {
    for (const func of blockable) ops.push({ op: 'block_task', task, func });
    ops.push({ op: 'unblock_task', task }, { op: 'task_return', task });
    // The task model of issue 9, on request: interruptible sleeps, a CPU, cond_resched, a fork during a transition.
    if (scope.taskModel) {
      for (const func of blockable) ops.push({ op: 'block_task', task, func, sleep: 'interruptible' });
      ops.push(
        { op: 'run_task', task },
        { op: 'sleep_task', task },
        { op: 'cond_resched', task },
        { op: 'fork', task, child: forkChild(task) },
      );
    }
  }
  if (sem.spec.perState) {
    for (const d of known)
      for (const id of defStates(d))
        ops.push({ op: 'shadow_alloc', patch: d.name, obj: 1, id }, { op: 'shadow_free', patch: d.name, obj: 1, id });
  }
  return ops;
}

export function withPatch(u: Universe, def: PatchDef): Universe {
  return { ...u, patches: [...u.patches, def] };
}
