/**
 * Random walks on the packed lockstep (harness/explore/packed/spec.ts walk):
 * each walk's path, decoded for the object implementation (decodePath), is
 * a sequence the object Lockstep applies op for op, and it finds the same
 * properties violated as the walk does. The owner properties are left out
 * of that comparison: the packed lockstep checks them under every order in
 * which the patches may first load (harness/explore/load-order-labels.ts),
 * the object run under the names decodePath gives.
 */
import { describe, expect, it } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import type { PackedWalk } from '../harness/explore/packed/spec.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { INVARIANTS } from '../properties/catalog.ts';

/** A choice of position for walk(), from a seeded xoroshiro128+. */
function seeded(seed: number): (n: number) => number {
  const rng = xoroshiro128plus(seed);
  return (n) => uniformInt(rng, 0, n - 1);
}

const OWNERS = new Set(INVARIANTS.filter((i) => i.readsOwners).map((i) => i.id));

/** The union of a walk's steps' violation bits. */
const violatedBy = (walk: PackedWalk) => walk.stepViolations.reduce((a, b) => a | b, 0);

/** The properties (but the owner ones) a walk's bits name, sorted. */
function named(model: PackedLockstep, walk: PackedWalk): string[] {
  return model.properties.filter((p, bit) => violatedBy(walk) & (1 << bit) && !OWNERS.has(p)).sort();
}

/** The properties (but the owner ones) the object Lockstep finds violated on the walk's decoded ops, sorted; throws at an op it would not apply. */
function objectFinds(model: PackedLockstep, sem: Semantics, walk: PackedWalk, root: number): string[] {
  const { universe, ops } = model.decodePath(walk.path, root);
  const run = new Lockstep(universe, sem, {
    invariants: INVARIANTS.filter((i) => i.appliesTo(sem)),
    conformance: true,
    specUntilDivergence: true,
  });
  const found = new Set<string>();
  for (const op of ops) {
    if (!run.applicable(op)) throw new Error(`the object implementation would not apply ${JSON.stringify(op)}`);
    for (const v of run.stepAll(op)) if (!OWNERS.has(v.invariant)) found.add(v.invariant);
  }
  return [...found].sort();
}

/** `walks` walks of `depth` steps from seed 1, from the roots in turn: each one's packed and object findings, and how many disagree. */
function compare(model: PackedLockstep, sem: Semantics, walks: number, depth: number) {
  const choose = seeded(1);
  // From each root in turn: per-state's differ in which state ids have shadow variables (helper-96).
  const roots = model.roots().length;
  const rows = Array.from({ length: walks }, (_, i) => {
    const walk = model.walk(depth, choose, i % roots);
    return { walk, packed: named(model, walk), object: objectFinds(model, sem, walk, i % roots) };
  });
  return { rows, disagree: rows.filter((r) => r.packed.join() !== r.object.join()).length };
}

const CASES = [
  ['upstream', 'patches=2,functions=2,states=1,tasks=2'],
  ['hybrid', 'patches=3,functions=1,states=0,tasks=1'],
  ['per-state', 'patches=2,functions=2,states=2,tasks=2'],
  ['replace-set-unfiltered-nops', 'patches=2,functions=2,states=0,tasks=1'],
] as const;

describe('random walks on the packed lockstep', () => {
  it.each(CASES)('%s at %s: the object implementation applies every step and finds the same properties violated', (name, scope) => {
    const sem = semanticsByName(name)!;
    const model = new PackedLockstep(parseScope(scope), { semantics: sem });
    const { rows, disagree } = compare(model, sem, 60, 20);
    expect(disagree).toBe(0);
    // The walks see violations, or agreeing would say little: every semantics here breaks some property in 20 steps.
    expect(rows.filter((r) => r.packed.length > 0).length).toBeGreaterThan(0);
    expect(rows.every((r) => r.walk.path.length === 20)).toBe(true);
  });

  it("finds hybrid mode's conformance break (explore's of 4 steps: a forced flag the spec model does not set) on some walk of 10 steps", () => {
    const sem = semanticsByName('hybrid')!;
    const model = new PackedLockstep(parseScope('patches=3,functions=1,states=0,tasks=1'), { semantics: sem });
    const choose = seeded(1);
    const walks = Array.from({ length: 300 }, () => model.walk(10, choose));
    expect(walks.some((w) => named(model, w).includes('conformance'))).toBe(true);
  });

  it('walks alike on a model that has just searched, whose expansions deferred the comparison of states to the search', () => {
    const sem = semanticsByName('hybrid')!;
    const scope = parseScope('patches=3,functions=1,states=0,tasks=1');
    const fresh = new PackedLockstep(scope, { semantics: sem });
    const searched = new PackedLockstep(scope, { semantics: sem });
    packedSearch(searched, { depth: 4 });
    const walks = (model: PackedLockstep) => {
      const choose = seeded(3);
      return Array.from({ length: 300 }, () => violatedBy(model.walk(10, choose)));
    };
    const found = walks(fresh);
    expect(found.some((v) => v & (1 << fresh.properties.indexOf('conformance')))).toBe(true);
    expect(walks(searched)).toEqual(found);
  });

  it('is the same walk for the same seed, and another for another seed', () => {
    const model = new PackedLockstep(parseScope('patches=2,functions=2,states=1,tasks=2'));
    const paths = (seed: number) => {
      const choose = seeded(seed);
      return Array.from({ length: 20 }, () => model.walk(15, choose).path);
    };
    expect(paths(7)).toEqual(paths(7));
    expect(paths(8)).not.toEqual(paths(7));
  });

  it('steps on from a drawn position the explorer does not try there, to the next one it tries', () => {
    // Position 0 loads the first patch: once it is loaded, every draw of 0 is refused, and the walk goes on.
    const model = new PackedLockstep(parseScope('patches=2,functions=1,states=0,tasks=1'));
    const walk = model.walk(25, () => 0);
    expect(walk.path.length).toBe(25);
    expect(new Set(walk.path).size).toBeGreaterThan(1);
    expect(() => model.decodePath(walk.path)).not.toThrow();
  });

  describe('deliberately broken walks are caught', () => {
    /** A lockstep whose walk drops one part of what a step violates. */
    class Forgetting extends PackedLockstep {
      constructor(
        scope: string,
        sem: Semantics,
        private readonly part: 'step' | 'state',
      ) {
        super(parseScope(scope), { semantics: sem });
      }
      protected override walkedStep(): number {
        const all = super.walkedStep();
        // What the step alone violates is the model's `violated` (lockstep.ts); the state's part is the rest.
        const step = (this as unknown as { violated: number }).violated;
        return this.part === 'step' ? all & ~step : step;
      }
    }

    it.each(['step', 'state'] as const)('one that forgets what the %s violates disagrees with the object implementation', (part) => {
      const [name, scope] = CASES[0];
      const sem = semanticsByName(name)!;
      expect(compare(new Forgetting(scope, sem, part), sem, 60, 20).disagree).toBeGreaterThan(0);
    });
  });
});
