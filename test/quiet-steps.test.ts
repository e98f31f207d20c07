/**
 * Quiet steps (harness/run-sequence.ts Lockstep.stepAll): a step after which
 * the kernel's and the spec model's packed states, every task in place, are
 * as before and the kernel logged no event. The explorer skips the
 * invariants there, unless they ask to see such steps
 * (properties/invariant.ts Invariant.seesUnchangedSteps), and takes the next
 * op from the same objects. Here every quiet step of three scopes (one a
 * whole space, one with the task model's ops), for every semantics, is checked in full on a fresh branch: a skipped invariant may
 * fire only if it fired on the step into the state, conformance never, and
 * no checker's memory may change.
 */
import { describe, expect, it } from 'vitest';
import { Expander } from '../harness/explore/expand.ts';
import { applicableProperties } from '../harness/explore/explorer.ts';
import { scopeFuncs } from '../harness/explore/candidates.ts';
import { parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import type { Op } from '../harness/ops.ts';
import { patchFromFuncs } from '../harness/patch-def.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { keyBuilderFor } from '../harness/explore/state-key.ts';
import { fail, type Outcome } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { CONFORMANCE, INVARIANTS } from '../properties/catalog.ts';
import { always, stateless, type Invariant } from '../properties/invariant.ts';
import { transitionSanity } from '../properties/transition-sanity.ts';

/** What checking a quiet step in full shows that the skipped checks would have changed. */
function quietProblems(state: Lockstep, op: Op, invariants: readonly Invariant[], incoming: ReadonlySet<string>): string[] {
  const skipped = new Set(invariants.filter((i) => !i.seesUnchangedSteps).map((i) => i.id));
  const full = state.branch();
  const problems: string[] = [];
  // In full: no step is quiet when `unchanged` says no (without it, a refusal at the door would be).
  for (const v of full.stepAll(op, undefined, () => false)) {
    if (v.invariant === CONFORMANCE) problems.push(`conformance fired: ${v.reason}`);
    else if (skipped.has(v.invariant) && !incoming.has(v.invariant)) problems.push(`${v.invariant} fired: ${v.reason}`);
  }
  if (full.memory() !== state.memory()) problems.push(`a checker's memory changed: ${state.memory()} -> ${full.memory()}`);
  return problems;
}

/** Breadth first to the scope's depth, every quiet step checked in full. */
function verifyQuietSteps(sem: Semantics, scope: ExploreScope) {
  const invariants = INVARIANTS.filter((i) => i.appliesTo(sem));
  let incoming: ReadonlySet<string> = new Set();
  let quiet = 0;
  let transitions = 0;
  const problems: string[] = [];
  const ex = new Expander(sem, scope, applicableProperties(sem), (state, op) => {
    quiet++;
    for (const p of quietProblems(state, op, invariants, incoming)) problems.push(`${JSON.stringify(op)}: ${p}`);
  });
  const seen = new Set<string>();
  const identity = (root: number, full: Uint8Array, memory: string) => `${root}:${Buffer.from(full).toString('hex')}#${memory}`;
  let level: { root: number; path: number[]; incoming: ReadonlySet<string> }[] = [];
  for (let root = 0; root < ex.rootCount; root++) {
    const { keys, memory } = ex.rootKeys(root);
    seen.add(identity(root, keys.full, memory));
    level.push({ root, path: [], incoming: new Set() });
  }
  for (let depth = 0; depth < (scope.depth ?? Infinity) && level.length; depth++) {
    const next: typeof level = [];
    for (const item of level) {
      incoming = item.incoming;
      ex.expand(item.root, item.path, (s, memory) => {
        transitions++;
        const key = identity(item.root, s.keys.full, memory);
        if (seen.has(key)) return;
        seen.add(key);
        next.push({ root: item.root, path: [...item.path, s.pos], incoming: new Set(s.found.map((v) => v.invariant)) });
      });
    }
    level = next;
  }
  return { quiet, transitions, states: seen.size, problems };
}

const SCOPES = [
  'patches=2,functions=1,states=1,tasks=1,depth=4',
  'patches=1,functions=1,states=1,tasks=1,depth=any',
  'patches=1,functions=1,states=0,tasks=1,taskModel=1,depth=5',
];

describe('quiet steps', () => {
  it.each(SEMANTICS.map((s) => [s.name, s] as const))(
    '%s: every quiet step, checked in full, shows nothing the skipped checks would have seen',
    (_, sem) => {
      for (const text of SCOPES) {
        const r = verifyQuietSteps(sem, parseScope(text));
        expect(r.problems.slice(0, 5), text).toEqual([]);
        // Quiet steps are common (refused ops, transition steps that cannot complete), or the check proves little.
        expect(r.quiet, text).toBeGreaterThan(r.transitions / 10);
      }
    },
    60_000,
  );

  /** A planted invariant that judges an op by its outcome alone: every refusal is a violation. */
  const refusals = (sees: boolean): Invariant => ({
    id: 'planted-refusal',
    title: 'planted',
    meaning: 'every refused op is a violation',
    source: 'test',
    appliesTo: always,
    checker: () => stateless((obs) => (obs.outcome.ok ? null : `refused: ${obs.outcome.errno}`)),
    ...(sees ? { seesUnchangedSteps: true } : {}),
  });
  const enabledP1 = (invariants: readonly Invariant[]) => {
    const universe = { patches: [patchFromFuncs('p1', ['vmlinux:f1'], [], {})], modules: [{ name: 'mod' }], kernel: { tasks: 1 } };
    const scope = parseScope('patches=1,functions=1,states=0,tasks=1');
    const run = new Lockstep(universe, upstream, { invariants, conformance: true, funcs: scopeFuncs(scope), specUntilDivergence: true });
    expect(run.stepAll({ op: 'insmod', module: 'p1' })).toEqual([]);
    return run;
  };
  // Enabling an enabled patch is refused (-EINVAL) and changes nothing: a quiet step.
  const enable: Op = { op: 'enable', patch: 'p1' };

  it('catches an invariant that judges refusals but does not ask to see unchanged steps', () => {
    const planted = refusals(false);
    const state = enabledP1([planted]);
    expect(state.branch().stepAll(enable, undefined, () => true)).toEqual([]);
    expect(quietProblems(state, enable, [planted], new Set())).toEqual(['planted-refusal fired: refused: EINVAL']);
  });

  it('checks an invariant that asks to see unchanged steps on a quiet step, and only the step before it is quiet', () => {
    const planted = refusals(true);
    const state = enabledP1([planted]);
    const quiet = state.branch();
    expect(quiet.stepAll(enable, undefined, () => true).map((v) => v.invariant)).toEqual(['planted-refusal']);
    expect(quiet.steps[0]!.state).toBe(state.current);
    quiet.forgetQuietStep();
    expect(quiet.steps).toEqual([]);
    // A step that changed the state is not quiet, whatever the explorer's answer: forgetting it is a bug.
    const loud = state.branch();
    loud.stepAll({ op: 'disable', patch: 'p1' }, undefined, () => true);
    expect(() => loud.forgetQuietStep()).toThrow(/not quiet/);
  });

  it('never takes a step whose outcomes differ, or that starts from a state that does not conform, as quiet', () => {
    // Enabling an enabled patch: the spec model says -EINVAL, this kernel -EBUSY, and neither changes anything.
    class EnableSaysBusy extends Kernel {
      override writeEnabled(patch: string, value: string): Outcome {
        const r = super.writeEnabled(patch, value);
        return r.ok ? r : fail('EBUSY');
      }
    }
    const universe = { patches: [patchFromFuncs('p1', ['vmlinux:f1'], [], {})], modules: [{ name: 'mod' }], kernel: { tasks: 1 } };
    const funcs = scopeFuncs(parseScope('patches=1,functions=1,states=0,tasks=1'));
    const opts = { invariants: [], conformance: true, funcs, specUntilDivergence: true };
    const busy = new Lockstep(universe, upstream, { ...opts, kernel: (u, s) => new EnableSaysBusy(u, s.hooks) });
    expect(busy.stepAll({ op: 'insmod', module: 'p1' })).toEqual([]);
    expect(busy.stepAll(enable, undefined, () => true).map((v) => v.reason)).toEqual([
      'the spec says EINVAL, the implementation returned EBUSY',
    ]);
    // A kernel that boots with the target module loaded does not conform from the start: no step of it is quiet.
    const early = new Lockstep(universe, upstream, {
      ...opts,
      kernel: (u, s) => {
        const k = new Kernel(u, s.hooks);
        k.insmod('mod');
        return k;
      },
    });
    expect(early.stepAll(enable, undefined, () => true).map((v) => v.invariant)).toEqual([CONFORMANCE]);
    // A step that logs an event is never quiet, even when nothing else changed: the checkers read events.
    class WarnsOnRefusal extends Kernel {
      override writeEnabled(patch: string, value: string): Outcome {
        const r = super.writeEnabled(patch, value);
        if (!r.ok) this.core.log.event({ kind: 'warn', message: 'planted' });
        return r;
      }
    }
    const warns = new Lockstep(universe, upstream, {
      ...opts,
      invariants: [transitionSanity],
      kernel: (u, s) => new WarnsOnRefusal(u, s.hooks),
    });
    expect(warns.stepAll({ op: 'insmod', module: 'p1' })).toEqual([]);
    expect(warns.stepAll(enable, undefined, () => true).map((v) => v.reason)).toEqual(['WARN: planted']);
  });

  it('tells a state from the same state with its tasks swapped (keys sort tasks; identities keep them in place)', () => {
    const scope = parseScope('patches=1,functions=1,states=0,tasks=2');
    const universe = { patches: [patchFromFuncs('p1', ['vmlinux:f1'], [], {})], modules: [{ name: 'mod' }], kernel: { tasks: 2 } };
    const run = new Lockstep(universe, upstream, {
      invariants: [],
      conformance: true,
      funcs: scopeFuncs(scope),
      specUntilDivergence: true,
    });
    run.stepAll({ op: 'block_task', task: 'task0', func: 'vmlinux:f1,0' });
    const keys = keyBuilderFor(upstream, scope);
    const before = Buffer.from(keys.build(run, 0, []).full);
    const was = keys.placed();
    expect(keys.isUnchanged(was)).toBe(true);
    // The same tasks in the other order, on both sides: the key is the same, the identity is not.
    run.kernel.core.tasks.reverse();
    (run.spec as unknown as { tasks: unknown[] }).tasks.reverse();
    expect(Buffer.from(keys.build(run, 0, []).full)).toEqual(before);
    expect(keys.isUnchanged(was)).toBe(false);
    run.kernel.core.tasks.reverse();
    (run.spec as unknown as { tasks: unknown[] }).tasks.reverse();
    keys.build(run, 0, []);
    expect(keys.isUnchanged(was)).toBe(true);
    // An identity one byte longer, or with one more task column, is another state.
    expect(keys.isUnchanged({ full: Uint8Array.from([...was.full, 0]), columns: was.columns })).toBe(false);
    expect(keys.isUnchanged({ full: was.full, columns: [...was.columns, []] })).toBe(false);
    expect(keys.isUnchanged({ full: was.full, columns: [was.columns[0]!, [...was.columns[1]!, 0]] })).toBe(false);
  });

  it('takes the fast path on more than a third of the transitions (upstream, p2 f1 s0 t1, depth 8)', () => {
    const r = verifyQuietSteps(upstream, parseScope('patches=2,functions=1,states=0,tasks=1,depth=8'));
    expect(r.problems).toEqual([]);
    expect(r.quiet).toBeGreaterThan(r.transitions / 3);
  });
});
