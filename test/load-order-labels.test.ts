/**
 * Owners and releases in the explorer (harness/explore/load-order-labels.ts):
 * the search names patches in load order and checks the three properties
 * that read owners and releases under every way those names may stand for
 * the generated ones. That rests on nothing else reading them, which the
 * first test holds every semantics to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandsArb, DEFAULT_SCOPE, opOf, universeArb } from '../harness/generators.ts';
import {
  everyLoadOrder,
  forEveryLoadOrder,
  loadOrderLabelings,
  relabeledDef,
  relabeledUniverse,
} from '../harness/explore/load-order-labels.ts';
import { replayViolation, witnessUniverse } from '../harness/explore/summary.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { Op } from '../harness/ops.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type { Invariant } from '../properties/invariant.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { readCounterexample } from '../harness/counterexample.ts';

describe('owners and releases by load order', () => {
  /** Every step's outcome and state and every violation it shows, going on past violations. */
  const everything = (universe: Universe, sem: Semantics, ops: readonly Op[], invariants: readonly Invariant[]) => {
    const run = new Lockstep(universe, sem, { invariants, conformance: true });
    const found = ops.filter((op) => run.applicable(op)).map((op) => run.stepAll(op));
    return JSON.stringify([run.steps, found]);
  };
  /** A load order that gives p1 a user's owners (the generated p2's): owners and releases both move. */
  const moved = everyLoadOrder(3).find((o) => o.owners[0]![0] === 'user')!;
  const samples = (sem: Semantics) =>
    fc
      .sample(fc.tuple(universeArb(sem, DEFAULT_SCOPE), commandsArb(sem, DEFAULT_SCOPE, 20)), { numRuns: 40, seed: 36 })
      .map(([u, cmds]) => [u, [...cmds].map(opOf)] as const);

  it('change nothing but the properties that say they read them, under every semantics', () => {
    const others = INVARIANTS.filter((i) => !i.readsOwners);
    for (const sem of SEMANTICS)
      for (const [u, ops] of samples(sem))
        expect(everything(relabeledUniverse(u, moved), sem, ops, others), sem.name).toBe(everything(u, sem, ops, others));
  });

  it('do change what those properties find (the test above can fail)', () => {
    const owners = INVARIANTS.filter((i) => i.readsOwners);
    const differ = SEMANTICS.flatMap((sem) =>
      samples(sem).filter(([u, ops]) => everything(relabeledUniverse(u, moved), sem, ops, owners) !== everything(u, sem, ops, owners)),
    );
    expect(differ.length).toBeGreaterThan(20);
  });

  it('relabel only the patches the explorer names, each as the generated name it stands for', () => {
    const orders = everyLoadOrder(3);
    expect(orders).toHaveLength(6);
    expect(orders[0]).toEqual({ owners: [['vendor'], ['user'], ['vendor']], releases: [1, 2, 3] });
    const u = { patches: ['p1', 'p2', 'custom'].map((name) => ({ name, objects: [] })), modules: [] };
    expect(relabeledUniverse(u, orders.at(-1)!).patches).toEqual([
      { name: 'p1', objects: [], owners: ['vendor'], release: 3 },
      { name: 'p2', objects: [], owners: ['user'], release: 2 },
      { name: 'custom', objects: [] },
    ]);
    // Only the explorer's names exactly: nothing around pk, no leading zero, no k past the order's patches (mutation testing).
    for (const name of ['xp1', 'p1x', 'p01', 'p0', 'p4'])
      expect(relabeledDef({ name, objects: [] }, orders.at(-1)!), name).toEqual({ name, objects: [] });
    expect(relabeledDef({ name: 'p3', objects: [] }, orders.at(-1)!)).toEqual({ name: 'p3', objects: [], owners: ['vendor'], release: 1 });
    // Orders that give every pair the same relation are one: patches=2's two patches are always of two owners.
    expect(loadOrderLabelings(2)).toHaveLength(1);
    expect(loadOrderLabelings(3)).toHaveLength(6);
  });

  it('are asked of a checker without memory only: one with memory would see each step once per order', () => {
    const pairing = INVARIANTS.find((i) => i.id === 'callback-pairing')!;
    expect(() => forEveryLoadOrder(pairing, 3)).toThrow('callback-pairing: a checker with memory cannot be asked once per load order');
    expect(() =>
      forEveryLoadOrder(
        INVARIANTS.find((i) => i.id === 'no-silent-downgrade')!,
        3,
      ),
    ).not.toThrow();
  });

  it('give a found violation the universe of the order it breaks under, and leave any other property its own', () => {
    const scope = parseScope('patches=3,functions=1,states=0,tasks=2,depth=2');
    const [found] = explore({ semantics: stacking, scope, properties: ['no-silent-downgrade'] }).violations;
    // Its ops in the generated owners (p1 the vendor's release 1, p2 a user's): they break it only in another order.
    const generated = relabeledUniverse(found!.universe, everyLoadOrder(3)[0]!);
    const ops = found!.result.steps.map((s) => s.op);
    const v = { property: 'no-silent-downgrade', depth: 2, universe: generated, ops, reason: '' };
    expect(replayViolation(v, stacking, scope).violation).toBeNull();
    const witness = witnessUniverse(v, stacking, scope);
    expect(replayViolation({ ...v, universe: witness }, stacking, scope).violation?.invariant).toBe('no-silent-downgrade');
    expect(witness).toEqual(found!.universe);
    for (const property of ['conformance', 'no-function-shared-across-slots'])
      expect(witnessUniverse({ ...v, property }, stacking, scope), property).toBe(generated);
  });

  it("let explore find a saved counterexample's downgrade at its own length, in its own scope", () => {
    // The hostile user's case (stop 36): explore said "holds up to depth 4" beside this 2-step file of the scope.
    const saved = readCounterexample('counterexamples/stacking/no-silent-downgrade-827de8d99427.json');
    expect(saved.steps.map((s) => s.op)).toEqual([
      { op: 'insmod', module: 'p3' },
      { op: 'insmod', module: 'p1' },
    ]);
    const r = explore({
      semantics: stacking,
      scope: parseScope('patches=3,functions=1,states=0,tasks=2,depth=2'),
      properties: ['no-silent-downgrade'],
    });
    expect(r.violations.map((v) => [v.property, v.depth])).toEqual([['no-silent-downgrade', 2]]);
    const v = r.violations[0]!;
    expect(v.result.violation?.reason).toMatch(/\(release 1\) .* \(release 3\)/);
  });
});
