/**
 * A checker's memory is part of an explored state's identity
 * (harness/explore/state-key.ts), so a cached memory string must follow
 * every change of what the checker remembers. A copy (clone) computes its
 * memory afresh: after every step the two must agree.
 */
import { describe, expect, it } from 'vitest';
import { patchFromFuncs } from '../harness/patch-def.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { Op } from '../harness/ops.ts';
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
    for (const op of ops) {
      expect(run.stepAll(op), JSON.stringify(op)).toEqual([]);
      expect(run.memory(), JSON.stringify(op)).toBe(run.branch().memory());
      seen.add(run.memory());
    }
    // The sequence moves the phases: open after the load, closed again after the disable.
    expect(seen.size).toBeGreaterThan(2);
    expect(run.memory()).toBe(new Lockstep(universe, upstream, { invariants: INVARIANTS, conformance: true }).memory());
  });
});
