/**
 * The parts of a universe a counterexample's ops never name, for the last
 * shrinking pass (minimize.ts): a livepatch or a target module that no op
 * loads, unloads or writes to, and a user task or kernel thread that no op
 * names. fast-check's universes keep such parts: it shrinks the universe and
 * the command list apart, and a universe of the default scope has three
 * patches and two tasks however few the shrunk ops use; 84 of the corpus's
 * 104 files had a patch their ops never name, and 99 a task (stop 46). A
 * reader of the review thread then reads, and a selftest builds, modules
 * that play no part.
 *
 * A part no op names can still play one: a task that is never blocked still
 * has to switch before a transition completes, and another patch's
 * `replaces` list may name the patch. So each smaller universe is only a
 * candidate; minimize keeps it only when the same property still fails.
 */
import { taskNames, type Universe } from '../model/kernel/definitions.ts';
import type { Op } from './ops.ts';

/** A smaller universe, and the ops renamed to fit it (the same ops when nothing was renamed). */
export interface SmallerCase {
  readonly universe: Universe;
  readonly ops: readonly Op[];
}

/**
 * Every universe one unused part smaller than `u`, in this order: without
 * one patch (and its name in the others' `replaces` lists), then one target
 * module, then one kernel thread, then one user task, each in the order `u`
 * lists them. A target module goes only when no op names it and no patch
 * has an object in it. A task goes with the tasks after it renamed one down
 * (task2 becomes task1, and its forked child task2.1 becomes task1.1), since
 * a universe's tasks are task0 to taskN-1 (definitions.ts taskNames); a task
 * is used when an op names it or a child forked from it. The last task
 * never goes: a kernel without one is no kernel, and its trace would show no
 * task running any code.
 */
export function* withoutUnusedParts(u: Universe, ops: readonly Op[]): Generator<SmallerCase> {
  const named = namedModules(ops);
  for (const p of u.patches) if (!named.has(p.name)) yield { universe: { ...u, patches: withoutPatch(u.patches, p) }, ops };
  const targeted = new Set(u.patches.flatMap((p) => (p.objects ?? []).map((o) => o.name)));
  for (const m of u.modules)
    if (!named.has(m.name) && !targeted.has(m.name)) yield { universe: { ...u, modules: u.modules.filter((n) => n !== m) }, ops };
  const used = usedTasks(ops);
  const tasks = taskNames(u);
  const userTasks = u.kernel?.tasks ?? 2;
  // One task stays: a kernel runs at least one, and a trace with none shows no code running (stop 46). The kernel
  // threads go first, so that the one kept is a user task unless a step names a kernel thread: taking task0 first
  // left kthread0 alone, and a reason said "kthread0 runs" where it had said "task0 runs" (helper-74).
  if (tasks.length === 1) return;
  for (const i of kthreadsFirst(tasks.length, userTasks)) {
    if (used.has(tasks[i]!)) continue;
    const kthread = i >= userTasks;
    const kind = kthread ? 'kthread' : 'task';
    const index = kthread ? i - userTasks : i;
    const count = kthread ? u.kernel!.kthreads! : userTasks;
    const kernel = kthread ? withKthreads(u, count - 1) : { ...u.kernel, tasks: count - 1 };
    const renamed = ops.map((op) => renameTasksAbove(op, kind, index, count));
    yield { universe: { ...u, kernel }, ops: renamed };
  }
}

/**
 * `patches` without `p`, and without its name in another patch's `replaces`
 * list (hybrid-listed's attribute): left there, the mail text and the
 * selftest named a patch the universe no longer declares (helper-74).
 */
function withoutPatch(patches: Universe['patches'], p: Universe['patches'][number]): Universe['patches'] {
  return patches
    .filter((q) => q !== p)
    .map((q) =>
      q.attrs?.replaces?.includes(p.name) ? { ...q, attrs: { ...q.attrs, replaces: q.attrs.replaces.filter((n) => n !== p.name) } } : q,
    );
}

/** The positions in taskNames of the kernel threads (after the `userTasks` user tasks), then of the user tasks. */
function kthreadsFirst(count: number, userTasks: number): number[] {
  const order: number[] = [];
  for (let i = userTasks; i < count; i++) order.push(i);
  for (let i = 0; i < userTasks; i++) order.push(i);
  return order;
}

/** The modules and patches the ops name: insmod and rmmod's module, and every other op's patch. */
function namedModules(ops: readonly Op[]): ReadonlySet<string> {
  const named = new Set<string>();
  for (const op of ops) {
    if ('module' in op) named.add(op.module);
    if ('patch' in op) named.add(op.patch);
  }
  return named;
}

/** The tasks the ops name, and those a named task was forked from (task0 for task0.1). */
function usedTasks(ops: readonly Op[]): ReadonlySet<string> {
  const used = new Set<string>();
  for (const op of ops)
    for (const name of [taskOf(op), op.op === 'fork' ? op.child : undefined]) if (name !== undefined) used.add(name.split('.')[0]!);
  return used;
}

function taskOf(op: Op): string | undefined {
  return 'task' in op ? op.task : undefined;
}

/** The kernel config with `n` kernel threads; the key is left out at 0, its default. */
function withKthreads(u: Universe, n: number): Universe['kernel'] {
  const { kthreads: _dropped, ...rest } = u.kernel!;
  return n ? { ...rest, kthreads: n } : rest;
}

/** `op` with each `${kind}j` (j in (index, count)) and its forked children renamed to `${kind}(j-1)`. */
function renameTasksAbove(op: Op, kind: 'task' | 'kthread', index: number, count: number): Op {
  const rename = (name: string): string => {
    const dot = name.indexOf('.');
    const base = dot < 0 ? name : name.slice(0, dot);
    const m = /^(task|kthread)(\d+)$/.exec(base);
    if (!m || m[1] !== kind) return name;
    const j = Number(m[2]);
    return j > index && j < count ? `${kind}${j - 1}${dot < 0 ? '' : name.slice(dot)}` : name;
  };
  if (op.op === 'fork') return { ...op, task: rename(op.task), child: rename(op.child) };
  if ('task' in op) return { ...op, task: rename(op.task) };
  return op;
}
