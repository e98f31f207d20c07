/**
 * The last shrinking pass takes out what a counterexample's ops never name
 * (harness/unused-parts.ts, minimize.ts): patches, target modules, tasks and
 * kernel threads, the later tasks renamed down, the last task kept, and a
 * part kept whenever the property no longer fails without it.
 */
import { describe, expect, it } from 'vitest';
import type { Universe } from '../model/kernel/definitions.ts';
import { minimize } from '../harness/minimize.ts';
import type { Op } from '../harness/ops.ts';
import { runSequence } from '../harness/run-sequence.ts';
import { withoutUnusedParts } from '../harness/unused-parts.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { noForeignOverlap } from '../properties/no-foreign-overlap.ts';

const patch = (name: string, obj: string, func: string, owner: string) => ({
  name,
  objects: [{ name: obj, funcs: [{ old_name: func }] }],
  attrs: { replace: false },
  owners: [owner],
});

const universe: Universe = {
  patches: [patch('p1', 'vmlinux', 'f1', 'vendor'), patch('p2', 'mod', 'm1', 'vendor'), patch('p3', 'vmlinux', 'f1', 'user')],
  modules: [{ name: 'mod' }, { name: 'other' }],
  kernel: { tasks: 3, kthreads: 1 },
};
const ops: Op[] = [
  { op: 'insmod', module: 'p1' },
  { op: 'block_task', task: 'task2', func: 'vmlinux:f1,0' },
  { op: 'fork', task: 'task2', child: 'task2.1' },
  { op: 'insmod', module: 'p3' },
];

describe('withoutUnusedParts', () => {
  const cases = [...withoutUnusedParts(universe, ops)];

  it('offers an unused patch, an untargeted module, each unused task and kernel thread, in that order', () => {
    expect(
      cases.map((c) => [c.universe.patches.map((p) => p.name).join(), c.universe.modules.map((m) => m.name).join(), c.universe.kernel]),
    ).toEqual([
      ['p1,p3', 'mod,other', { tasks: 3, kthreads: 1 }],
      ['p1,p2,p3', 'mod', { tasks: 3, kthreads: 1 }],
      ['p1,p2,p3', 'mod,other', { tasks: 2, kthreads: 1 }],
      ['p1,p2,p3', 'mod,other', { tasks: 2, kthreads: 1 }],
      ['p1,p2,p3', 'mod,other', { tasks: 3 }],
    ]);
  });

  it('keeps a module a patch has an object in, though no op names it', () => {
    expect(cases.every((c) => c.universe.modules.some((m) => m.name === 'mod'))).toBe(true);
  });

  it('renames the tasks after a removed one down, forked children too, and nothing else', () => {
    const renamed = [
      { op: 'insmod', module: 'p1' },
      { op: 'block_task', task: 'task1', func: 'vmlinux:f1,0' },
      { op: 'fork', task: 'task1', child: 'task1.1' },
      { op: 'insmod', module: 'p3' },
    ];
    expect(cases[2]!.ops).toEqual(renamed);
    expect(cases[3]!.ops).toEqual(renamed);
    // A patch, module or the one kernel thread taken out renames nothing.
    for (const i of [0, 1]) expect(cases[i]!.ops).toBe(ops);
    expect(cases[4]!.ops).toEqual(ops);
  });

  it('renames only the kind of task taken out, and only those after it', () => {
    const u: Universe = { patches: [], modules: [], kernel: { tasks: 2, kthreads: 3 } };
    const kops: Op[] = [
      { op: 'cond_resched', task: 'kthread2' },
      { op: 'task_return', task: 'task1' },
      { op: 'cond_resched', task: 'kthread0' },
    ];
    const [first, ...rest] = [...withoutUnusedParts(u, kops)];
    expect(first!.universe.kernel).toEqual({ tasks: 1, kthreads: 3 });
    expect(first!.ops).toEqual([
      { op: 'cond_resched', task: 'kthread2' },
      { op: 'task_return', task: 'task0' },
      { op: 'cond_resched', task: 'kthread0' },
    ]);
    expect(rest.map((c) => [c.universe.kernel, c.ops])).toEqual([
      [
        { tasks: 2, kthreads: 2 },
        [
          { op: 'cond_resched', task: 'kthread1' },
          { op: 'task_return', task: 'task1' },
          { op: 'cond_resched', task: 'kthread0' },
        ],
      ],
    ]);
  });

  it('never takes the last task out', () => {
    expect([...withoutUnusedParts({ patches: [], modules: [], kernel: { tasks: 1 } }, [])]).toEqual([]);
    expect([...withoutUnusedParts({ patches: [], modules: [], kernel: { tasks: 0, kthreads: 1 } }, [])]).toEqual([]);
    // Two tasks of which neither is named: either may go, never both at once.
    expect([...withoutUnusedParts({ patches: [], modules: [] }, [])].map((c) => c.universe.kernel)).toEqual([{ tasks: 1 }, { tasks: 1 }]);
  });
});

describe('minimize over unused parts', () => {
  const overlap: Universe = {
    patches: [patch('p1', 'vmlinux', 'f1', 'vendor'), patch('p2', 'vmlinux', 'f2', 'vendor'), patch('p3', 'vmlinux', 'f1', 'user')],
    modules: [],
    kernel: { tasks: 2 },
  };
  const overlapOps: Op[] = [
    { op: 'insmod', module: 'p1' },
    { op: 'insmod', module: 'p3' },
  ];
  const replay = (u: Universe, o: readonly Op[]) => runSequence(u, upstream, o, { invariants: [noForeignOverlap], conformance: false });

  it('takes out the patch and the task no op needs, and keeps the finding', () => {
    const m = minimize(overlap, overlapOps, 'no-foreign-overlap', replay);
    expect(m.universe.patches.map((p) => p.name)).toEqual(['p1', 'p3']);
    expect(m.universe.kernel).toEqual({ tasks: 1 });
    expect(m.result.violation?.reason).toBe(replay(overlap, overlapOps).violation?.reason);
    expect(m.result.steps.map((s) => s.op)).toEqual(overlapOps);
  });

  it('keeps a part the property fails only with', () => {
    // The same finding, as a replay that no longer fails with fewer than two tasks or without p2 would see it.
    const needs = (u: Universe, o: readonly Op[]) => {
      const r = replay(u, o);
      return u.kernel?.tasks === 2 && u.patches.some((p) => p.name === 'p2') ? r : { ...r, violation: null };
    };
    const m = minimize(overlap, overlapOps, 'no-foreign-overlap', needs);
    expect(m.universe.patches.map((p) => p.name)).toEqual(['p1', 'p2', 'p3']);
    expect(m.universe.kernel).toEqual({ tasks: 2 });
  });
});
