/**
 * The spec model (model/spec/spec-model.ts) at the places where random runs
 * rarely go and where per-state's conformance cell, recorded as violated,
 * is not re-run by test/verdicts.test.ts: its shadow-variable freeing
 * (facts C.3), the block_disable refusal of a reversal (facts C.4) and the
 * stack check of a reversed replace, whose nops forbid the original code
 * (facts B.2 klp_check_stack_func). Each sequence is checked for conformance
 * against the reference implementation and, where the spec's own state is
 * the point, on the spec's abstract state directly.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../harness/ops.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { StateDef, Universe } from '../model/kernel/definitions.ts';
import { perState } from '../model/semantics/per-state.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { lp, ops, universe } from './support/universe.ts';

/** Stacked patches may share functions and states under these semantics (the slot invariants say so). */
const CHECKED = INVARIANTS.filter((i) => !i.id.endsWith('-shared-across-slots'));

/** Runs every op (all must apply) with conformance and the other invariants; returns the run. */
function lockstep(u: Universe, sem: Semantics, seq: readonly Op[]): Lockstep {
  const run = new Lockstep(u, sem, { invariants: CHECKED, conformance: true });
  for (const op of seq) {
    expect(run.applicable(op), JSON.stringify(op)).toBe(true);
    const v = run.step(op);
    expect(v, `${JSON.stringify(op)}: ${v?.invariant} ${v?.reason}`).toBeNull();
  }
  return run;
}

const state = (id: number, extra: Partial<StateDef> = {}): StateDef => ({ id, is_shadow: true, callbacks: 'trace', ...extra });

describe("the spec model's shadow freeing (facts C.3)", () => {
  it('frees the variables of an is_shadow state when its last patch goes, and only those of that id', () => {
    const u = universe(lp('p1', ['f1'], {}, [state(1)]), lp('p2', ['f2'], {}, [state(2)]));
    const run = lockstep(u, perState, ops('insmod p1', 'insmod p2', 'alloc p1 2 1', 'alloc p2 1 2', 'alloc p1 12 1', 'disable p1'));
    expect(run.spec.abstract().shadows).toEqual(['1/2']);
  });

  it('keeps them while another patch still declares the state', () => {
    const u = universe(lp('p1', ['f1'], {}, [state(1)]), lp('p2', ['f2'], {}, [state(1)]));
    const run = lockstep(u, perState, ops('insmod p1', 'insmod p2', 'alloc p1 5 1', 'disable p1'));
    expect(run.spec.abstract().shadows).toEqual(['5/1']);
    lockstep(u, perState, ops('insmod p1', 'insmod p2', 'alloc p1 5 1', 'disable p1', 'disable p2'));
  });

  it('keeps the variables of a state without is_shadow', () => {
    const u = universe(lp('p1', ['f1'], {}, [state(1, { is_shadow: false })]));
    const run = lockstep(u, perState, ops('insmod p1', 'alloc p1 5 1', 'disable p1'));
    expect(run.spec.abstract().shadows).toEqual(['5/1']);
  });

  it('frees nothing under a semantics without per-state rules', () => {
    const u = universe(lp('p1', ['f1'], {}, [{ id: 1, version: 1 }]));
    const run = new Lockstep(u, upstream, { invariants: [], conformance: true });
    for (const op of ops('insmod p1', 'disable p1')) expect(run.step(op)).toBeNull();
    run.spec.shadowAlloc(5, 1);
    expect(run.spec.abstract().shadows).toEqual(['5/1']);
  });

  it('a reversed enable removes the state it introduced, and its variables with it', () => {
    const u = universe(lp('p1', ['f1'], {}, [state(1)]));
    const run = lockstep(u, perState, ops('block task0 f1', 'insmod p1', 'alloc p1 5 1', 'disable p1', 'unblock task0', 'step'));
    expect(run.spec.abstract().shadows).toEqual([]);
  });

  it('a replace that takes the state over keeps its variables; one that drops it frees them', () => {
    const keeps = universe(lp('p1', ['f1'], {}, [state(1)]), lp('p2', ['f2'], { replace: true }, [state(1)]));
    expect(lockstep(keeps, perState, ops('insmod p1', 'alloc p1 5 1', 'insmod p2')).spec.abstract().shadows).toEqual(['5/1']);
    const drops = universe(lp('p1', ['f1'], {}, [state(1)]), lp('p2', ['f2'], { replace: true }));
    expect(lockstep(drops, perState, ops('insmod p1', 'alloc p1 5 1', 'insmod p2')).spec.abstract().shadows).toEqual([]);
  });
});

describe('block_disable and the reverse (facts C.4: the check precedes the reversal)', () => {
  const u = universe(lp('p1', ['f1'], {}, [state(1, { block_disable: true })]), lp('p2', ['f2'], { replace: true }, [state(1)]));

  it("the spec refuses to reverse a block_disable patch's enable, and the transition goes on", () => {
    const run = lockstep(u, perState, ops('block task0 f1', 'insmod p1', 'disable p1'));
    expect(run.steps.at(-1)!.outcome).toBe('EINVAL');
    expect(run.spec.inTransition()).toBe(true);
    expect(run.spec.abstract().patches[0]!.status).toBe('patching');
    lockstep(u, perState, ops('block task0 f1', 'insmod p1', 'disable p1', 'unblock task0', 'step', 'disable p1'));
  });

  it('a replace that takes the state over without the flag may be reversed, and the old patch stays', () => {
    const run = lockstep(u, perState, ops('insmod p1', 'block task0 f2', 'insmod p2', 'disable p2', 'unblock task0', 'step'));
    expect(run.steps.at(-3)!.outcome).toBe('ok');
    expect(run.spec.abstract().patches.map((p) => p.status)).toEqual(['enabled', 'freed']);
    expect(run.spec.abstract().states).toEqual([1]);
  });
});

describe('the stack check of a reversed replace (facts B.2)', () => {
  // p2 replaces p1: f1 gets a nop. task0 switches, runs the nop (the original f1) and sleeps there.
  const u = universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true }));
  const start = ops('insmod p1', 'block task1 f2', 'insmod p2', 'block task0 f1', 'disable p2');

  it('a task sleeping in the original code of a nop holds the reversal', () => {
    const run = lockstep(u, upstream, [...start, ...ops('unblock task1', 'step', 'step')]);
    expect(run.spec.abstract().tasks[0]!.blocked).toBe('vmlinux:f1,0@original');
    expect(run.spec.inTransition()).toBe(true);
    expect(run.spec.abstract().tasks.map((t) => t.state)).toEqual(['patched', 'unpatched']);
  });

  it('once it wakes, the reversal completes and p1 runs again', () => {
    const run = lockstep(u, upstream, [...start, ...ops('unblock task1', 'unblock task0', 'step')]);
    expect(run.spec.inTransition()).toBe(false);
    expect(run.spec.abstract().running['vmlinux:f1,0']).toEqual(['p1', 'p1']);
  });

  it("a task sleeping in the replace's own new code holds the reversal too", () => {
    const run = lockstep(
      u,
      upstream,
      ops('insmod p1', 'block task1 f2', 'insmod p2', 'block task0 f2', 'disable p2', 'unblock task1', 'step'),
    );
    expect(run.spec.abstract().tasks[0]!.blocked).toBe('vmlinux:f2,0@p2');
    expect(run.spec.inTransition()).toBe(true);
  });

  it("a task sleeping in the code it would switch to does not: p1's f1 under the reversal", () => {
    const run = lockstep(
      u,
      upstream,
      ops('insmod p1', 'block task1 f1', 'block task0 f2', 'insmod p2', 'disable p2', 'unblock task0', 'step'),
    );
    expect(run.spec.abstract().tasks[1]!.blocked).toBe('vmlinux:f1,0@p1');
    expect(run.spec.inTransition()).toBe(false);
  });
});
