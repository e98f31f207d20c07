/**
 * The last shrinking pass takes out what a counterexample's ops never name
 * (harness/unused-parts.ts, minimize.ts): patches, target modules, tasks and
 * kernel threads, the later tasks renamed down, the last task kept; then
 * objects without functions and callbacks; each part kept whenever the
 * property no longer fails without it. explore's saved counterexamples get
 * the pass too, and every corpus file is already a fixpoint of it.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveViolations } from '../cli/commands/explore.ts';
import { opsOf, readCounterexample } from '../harness/counterexample.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { summarize } from '../harness/explore/summary.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { universeFuncs } from '../model/spec/universe-view.ts';
import { INVARIANTS } from '../properties/catalog.ts';
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
  // Made in each test, not when the file is read: a mutant is switched on for the tests alone (Stryker).
  const candidates = () => [...withoutUnusedParts(universe, ops)];

  it('offers an unused patch, an untargeted module, each unused kernel thread and task, in that order', () => {
    const cases = candidates();
    expect(
      cases.map((c) => [c.universe.patches.map((p) => p.name).join(), c.universe.modules.map((m) => m.name).join(), c.universe.kernel]),
    ).toEqual([
      ['p1,p3', 'mod,other', { tasks: 3, kthreads: 1 }],
      ['p1,p2,p3', 'mod', { tasks: 3, kthreads: 1 }],
      ['p1,p2,p3', 'mod,other', { tasks: 3 }],
      ['p1,p2,p3', 'mod,other', { tasks: 2, kthreads: 1 }],
      ['p1,p2,p3', 'mod,other', { tasks: 2, kthreads: 1 }],
    ]);
  });

  it('keeps a module a patch has an object in, though no op names it', () => {
    const cases = candidates();
    expect(cases.every((c) => c.universe.modules.some((m) => m.name === 'mod'))).toBe(true);
  });

  it('renames the tasks after a removed one down, forked children too, and nothing else', () => {
    const cases = candidates();
    const renamed = [
      { op: 'insmod', module: 'p1' },
      { op: 'block_task', task: 'task1', func: 'vmlinux:f1,0' },
      { op: 'fork', task: 'task1', child: 'task1.1' },
      { op: 'insmod', module: 'p3' },
    ];
    expect(cases[3]!.ops).toEqual(renamed);
    expect(cases[4]!.ops).toEqual(renamed);
    // A patch, module or the one kernel thread taken out renames nothing.
    for (const i of [0, 1]) expect(cases[i]!.ops).toBe(ops);
    expect(cases[2]!.ops).toEqual(ops);
  });

  it('renames only the kind of task taken out, and only those after it', () => {
    const u: Universe = { patches: [], modules: [], kernel: { tasks: 2, kthreads: 3 } };
    const kops: Op[] = [
      { op: 'cond_resched', task: 'kthread2' },
      { op: 'task_return', task: 'task1' },
      { op: 'cond_resched', task: 'kthread0' },
    ];
    expect([...withoutUnusedParts(u, kops)].map((c) => [c.universe.kernel, c.ops])).toEqual([
      [
        { tasks: 2, kthreads: 2 },
        [
          { op: 'cond_resched', task: 'kthread1' },
          { op: 'task_return', task: 'task1' },
          { op: 'cond_resched', task: 'kthread0' },
        ],
      ],
      [
        { tasks: 1, kthreads: 3 },
        [
          { op: 'cond_resched', task: 'kthread2' },
          { op: 'task_return', task: 'task0' },
          { op: 'cond_resched', task: 'kthread0' },
        ],
      ],
    ]);
  });

  it('counts a patch as named by any op that writes to it, and a task by a child forked under its name', () => {
    const u: Universe = { patches: [patch('p1', 'vmlinux', 'f1', 'vendor')], modules: [], kernel: { tasks: 3 } };
    for (const op of [
      { op: 'disable', patch: 'p1' },
      { op: 'set_attr', patch: 'p1', attr: 'replace', value: '1' },
      { op: 'shadow_alloc', patch: 'p1', obj: 1, id: 1 },
    ] as const)
      expect([...withoutUnusedParts(u, [op])].map((c) => c.universe.patches.length)).toEqual([1, 1, 1]);
    // A hand-made fork whose child is named after another task: that task is used too (p1 goes first, unnamed here).
    const forked = [...withoutUnusedParts(u, [{ op: 'fork', task: 'task0', child: 'task2.1' }])];
    expect(forked.map((c) => [c.universe.kernel, c.ops])).toEqual([
      [{ tasks: 3 }, [{ op: 'fork', task: 'task0', child: 'task2.1' }]],
      [{ tasks: 2 }, [{ op: 'fork', task: 'task0', child: 'task1.1' }]],
    ]);
  });

  it('renames a task of two digits, and never a kernel thread for a task or a task for a kernel thread', () => {
    const u: Universe = { patches: [], modules: [], kernel: { tasks: 12, kthreads: 2 } };
    const named: Op[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => ({ op: 'task_return', task: `task${i}` }));
    const kops: Op[] = [...named, { op: 'cond_resched', task: 'kthread1' }];
    // kthread0 goes first (kthread1 becomes kthread0, the tasks stay), then task0 (task11 becomes task10, kthread1 stays).
    const [kthread, task] = [...withoutUnusedParts(u, kops)];
    const names = (c: typeof kthread) => c!.ops.map((op) => ('task' in op ? op.task : ''));
    expect(kthread!.universe.kernel).toEqual({ tasks: 12, kthreads: 1 });
    expect(names(kthread)).toEqual([...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => `task${i}`), 'kthread0']);
    expect(task!.universe.kernel).toEqual({ tasks: 11, kthreads: 2 });
    expect(names(task)).toEqual([...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `task${i}`), 'kthread1']);
  });

  it('keeps a user task over a kernel thread when no step names either (helper-74: a reason said kthread0 for task0)', () => {
    expect(
      [...withoutUnusedParts({ patches: [], modules: [], kernel: { tasks: 1, kthreads: 1 } }, [])].map((c) => c.universe.kernel),
    ).toEqual([{ tasks: 1 }, { tasks: 0, kthreads: 1 }]);
  });

  it("takes a patch out of the others' replaces lists with it", () => {
    const listed: Universe = {
      patches: [
        { ...patch('p1', 'vmlinux', 'f1', 'vendor'), attrs: { replaceable: true, replaces: ['p2', 'p3'] } },
        patch('p2', 'vmlinux', 'f1', 'vendor'),
        { ...patch('p3', 'vmlinux', 'f1', 'vendor'), attrs: { replaces: ['p2'] } },
        { name: 'p4', objects: [] },
      ],
      modules: [],
      kernel: { tasks: 1 },
    };
    // p4 has no attributes at all, and names nothing.
    const named: Op[] = [
      { op: 'insmod', module: 'p1' },
      { op: 'insmod', module: 'p3' },
      { op: 'insmod', module: 'p4' },
    ];
    const [without2] = [...withoutUnusedParts(listed, named)];
    expect(without2!.universe.patches.map((p) => [p.name, p.attrs])).toEqual([
      ['p1', { replaceable: true, replaces: ['p3'] }],
      ['p3', { replaces: [] }],
      ['p4', undefined],
    ]);
  });

  it('never takes the last task out', () => {
    expect([...withoutUnusedParts({ patches: [], modules: [], kernel: { tasks: 1 } }, [])]).toEqual([]);
    expect([...withoutUnusedParts({ patches: [], modules: [], kernel: { tasks: 0, kthreads: 1 } }, [])]).toEqual([]);
    // Two tasks of which neither is named: either may go, never both at once.
    expect([...withoutUnusedParts({ patches: [], modules: [] }, [])].map((c) => c.universe.kernel)).toEqual([{ tasks: 1 }, { tasks: 1 }]);
  });
});

describe("explore's saved counterexamples", () => {
  it('hold one task of the two in scope, found again with their property alone (replace-tag-draft, where conformance breaks along the way)', () => {
    const sem = semanticsByName('replace-tag-draft')!;
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-unused-'));
    const s = summarize(explore({ semantics: sem, scope: parseScope('patches=2,functions=1,states=0,tasks=2,depth=3') }), 0);
    const notes = saveViolations(s, sem, dir);
    expect(notes.length).toBeGreaterThan(3);
    for (const n of notes) {
      const c = readCounterexample(n.file!);
      expect(c.universe.kernel, n.file).toEqual({ tasks: 1 });
      expect(c.steps.length, n.file).toBe(s.violations.find((v) => v.property === c.invariant)!.depth);
    }
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

  it('takes out an object without functions where its patch keeps another, and callbacks that play no part', () => {
    const noisy: Universe = {
      ...overlap,
      patches: overlap.patches.map((p) => ({
        ...p,
        objects: [
          ...(p.objects ?? []).map((o) => ({ ...o, callbacks: 'demo' as const })),
          { name: 'mod', funcs: [], callbacks: 'demo' as const },
        ],
      })),
      modules: [{ name: 'mod' }],
    };
    const m = minimize(noisy, overlapOps, 'no-foreign-overlap', replay);
    expect(m.universe.patches.map((p) => p.objects)).toEqual([
      [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }],
      [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }],
    ]);
  });

  it("keeps a patch's one object, though it has no function and the property fails without it", () => {
    const bare: Universe = { patches: [{ name: 'p1', objects: [{ name: 'vmlinux', funcs: [] }] }], modules: [], kernel: { tasks: 1 } };
    // A property that fails whenever a step runs: only the guard keeps a patch from losing its last object.
    const removal = (u: Universe, o: readonly Op[]) => {
      const r = runSequence(u, upstream, o, { invariants: [], conformance: false });
      return o.length ? { ...r, violation: { step: 0, invariant: 'x', reason: 'kept' } } : r;
    };
    expect(minimize(bare, [{ op: 'insmod', module: 'p1' }], 'x', removal).universe).toEqual(bare);
  });

  it('takes out an object whose funcs are NULL as one without functions, and leaves callbacks: none as written', () => {
    const u: Universe = {
      patches: [
        {
          name: 'p1',
          objects: [
            { name: 'mod', funcs: null },
            { name: 'vmlinux', funcs: [], callbacks: 'none' },
          ],
        },
      ],
      modules: [{ name: 'mod' }],
      kernel: { tasks: 1 },
    };
    const always = (uu: Universe, o: readonly Op[]) => {
      const r = runSequence(uu, upstream, o, { invariants: [], conformance: false });
      return o.length ? { ...r, violation: { step: 0, invariant: 'x', reason: 'kept' } } : r;
    };
    expect(minimize(u, [{ op: 'insmod', module: 'p1' }], 'x', always).universe.patches[0]!.objects).toEqual([
      { name: 'vmlinux', funcs: [], callbacks: 'none' },
    ]);
  });

  it('takes out a step the finding does not need, and refuses a sequence that does not fail', () => {
    // An rmmod of a module never loaded changes nothing: the first step goes, whichever property is asked.
    const padded: Op[] = [{ op: 'rmmod', module: 'p2' }, ...overlapOps];
    const m = minimize(overlap, padded, 'no-foreign-overlap', replay);
    expect(m.result.steps.map((s) => s.op)).toEqual(overlapOps);
    expect(() => minimize(overlap, [overlapOps[0]!], 'no-foreign-overlap', replay)).toThrow('minimize: the sequence does not fail');
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

describe('the corpus', () => {
  it('is minimal as README says: the last pass finds nothing more to take out of any saved counterexample', () => {
    const files = readdirSync('counterexamples', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(100);
    const bigger: string[] = [];
    for (const f of files) {
      const c = readCounterexample(join('counterexamples', f));
      const sem = semanticsByName(c.semantics)!;
      const inv = INVARIANTS.find((i) => i.id === c.invariant);
      // Every file's functions are its universe's own (random runs', and explore's since stop 46).
      expect(Object.keys(c.initial.running), f).toEqual(universeFuncs(c.universe));
      const again = (u: Universe, o: readonly Op[]) => runSequence(u, sem, o, { invariants: inv ? [inv] : [], conformance: !inv });
      const m = minimize(c.universe, opsOf(c), c.invariant, again);
      if (m.universe !== c.universe || m.result.steps.length !== c.steps.length) bigger.push(f);
    }
    expect(bigger).toEqual([]);
  });
});
