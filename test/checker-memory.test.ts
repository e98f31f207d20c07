/**
 * A checker's memory is part of an explored state's identity
 * (harness/explore/state-key.ts), so a cached memory string must follow
 * every change of what the checker remembers: after every step it must
 * equal the memory of a run that took the same steps and never asked before.
 * A copy shares what its original remembers until either changes it (copy
 * on write), so each must change alone.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { patchFromFuncs } from '../harness/patch-def.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { Op } from '../harness/ops.ts';
import { perState } from '../model/semantics/per-state.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { INVARIANTS } from '../properties/catalog.ts';

describe("the checkers' memory", () => {
  it('follows every callback phase change: the cached string equals a fresh copy after every step', () => {
    const universe = {
      patches: [patchFromFuncs('p1', ['vmlinux:f1', 'mod:m1'], [], {}), patchFromFuncs('p2', ['vmlinux:f1'], [], { replace: true })],
      modules: [{ name: 'mod' }],
      kernel: { tasks: 1 },
    };
    const run = new Lockstep(universe, upstream, { invariants: INVARIANTS, conformance: true });
    const ops: Op[] = [
      { op: 'insmod', module: 'mod' },
      { op: 'insmod', module: 'p1' },
      { op: 'rmmod', module: 'mod' },
      { op: 'insmod', module: 'mod' },
      { op: 'disable', patch: 'p1' },
      { op: 'rmmod', module: 'p1' },
      // A replaced patch is freed without its unpatch callbacks (callbacks.rst): its open phases are dropped.
      { op: 'insmod', module: 'p1' },
      { op: 'insmod', module: 'p2' },
      { op: 'disable', patch: 'p2' },
    ];
    const seen = new Set<string>();
    for (const [i, op] of ops.entries()) {
      expect(run.stepAll(op), JSON.stringify(op)).toEqual([]);
      const fresh = new Lockstep(universe, upstream, { invariants: INVARIANTS, conformance: true });
      for (const earlier of ops.slice(0, i + 1)) fresh.stepAll(earlier);
      expect(run.memory(), JSON.stringify(op)).toBe(fresh.memory());
      seen.add(run.memory());
    }
    // The sequence moves the phases: open after the load, closed again after the disable.
    expect(seen.size).toBeGreaterThan(2);
    expect(run.memory()).toBe(new Lockstep(universe, upstream, { invariants: INVARIANTS, conformance: true }).memory());
  });

  it('a copy and its original each change alone (copy on write), whichever changes first', () => {
    const universe = {
      patches: [
        patchFromFuncs('p1', ['vmlinux:f1'], [{ id: 1, is_shadow: true, callbacks: 'trace' }], {}),
        patchFromFuncs('p2', ['vmlinux:f2'], [{ id: 2, is_shadow: true, callbacks: 'trace' }], {}),
      ],
      modules: [],
      kernel: { tasks: 1 },
    };
    const opts = { invariants: INVARIANTS.filter((i) => i.appliesTo(perState)), conformance: true };
    /** A run that took `ops` and asks its memory only at the end, so nothing of it was cached. */
    const fresh = (ops: readonly Op[]) => {
      const r = new Lockstep(universe, perState, opts);
      for (const op of ops) expect(r.stepAll(op), JSON.stringify(op)).toEqual([]);
      return r.memory();
    };
    /** A run with the ops it took. */
    const runs = new Map<Lockstep, Op[]>();
    const step = (r: Lockstep, op: Op) => {
      expect(r.stepAll(op), JSON.stringify(op)).toEqual([]);
      runs.get(r)!.push(op);
      r.memory();
    };
    const branch = (r: Lockstep) => {
      const c = r.branch();
      runs.set(c, [...runs.get(r)!]);
      return c;
    };
    const expectAllFresh = () => {
      for (const [r, ops] of runs) expect(r.memory(), JSON.stringify(ops)).toBe(fresh(ops));
    };
    const run = new Lockstep(universe, perState, opts);
    runs.set(run, []);
    step(run, { op: 'insmod', module: 'p1' });
    step(run, { op: 'shadow_alloc', patch: 'p1', obj: 1, id: 1 });
    // Both checkers that remember (callback-pairing, shadow-lifetime) have something to share.
    expect(run.memory().split('|').filter(Boolean).length).toBe(2);
    const copy = branch(run);
    // The copy changes first: a new patch's callbacks and shadow variable; then the original.
    step(copy, { op: 'insmod', module: 'p2' });
    step(copy, { op: 'shadow_alloc', patch: 'p2', obj: 1, id: 2 });
    expectAllFresh();
    step(run, { op: 'disable', patch: 'p1' });
    expectAllFresh();
    // A copy whose original changes first; then the copy changes too, and computes its memory anew.
    const second = branch(copy);
    step(copy, { op: 'disable', patch: 'p1' });
    expectAllFresh();
    step(second, { op: 'shadow_free', patch: 'p2', obj: 1, id: 2 });
    step(second, { op: 'disable', patch: 'p2' });
    expectAllFresh();
    expect(new Set([...runs.keys()].map((r) => r.memory())).size).toBe(3);
  });

  it('adds no explored state where the kernel pairs its callbacks: upstream, whole spaces', () => {
    // A state's key is the kernel's and the spec model's bytes, then the checkers' memory id (two bytes). Under
    // upstream every callback phase follows from the kernel's state, so two states that differ only in memory
    // tell apart what no later step can: the callback-pairing phases after pre_patch and after pre_unpatch
    // accept the same callbacks, and kept apart (properties/callback-pairing.ts) they were 4,349 states here
    // for 2,573 kernels.
    for (const scope of ['patches=1,functions=2,states=1,tasks=1,depth=any', 'patches=2,functions=1,states=0,tasks=1,depth=8']) {
      const r = explore({ semantics: upstream, scope: parseScope(scope) });
      const kernels = new Set<string>();
      for (let i = 0; i < r.visited.size; i++) {
        const key = r.visited.get(i);
        kernels.add(Buffer.from(key.subarray(0, key.length - 2)).toString('latin1'));
      }
      expect(r.memories.length, scope).toBeGreaterThan(1);
      expect(r.distinctStates, scope).toBe(kernels.size);
    }
    expect(explore({ semantics: upstream, scope: parseScope('patches=1,functions=2,states=1,tasks=1,depth=any') }).distinctStates).toBe(
      2573,
    );
  });
});
