/**
 * `klpcheck simulate`: random walks on the packed lockstep (lockstep.ts,
 * PackedSpec.walk), TLC's simulation mode (`tlc -simulate -depth N`) for
 * klpcheck. Each walk starts at a root (the roots in turn), and at every step
 * takes an op the explorer would try, drawn by a seeded xoroshiro128+
 * (pure-rand), with conformance and every invariant checked on the step as
 * the exhaustive search checks them. Where breadth first search stops at a
 * depth or a state budget, a walk goes on: a few hundred steps deep in a
 * scope whose whole space no machine holds. Each patch's definition is fixed
 * when it first loads, as in explore's states (definition-tree.ts): more
 * walks meet more universes, a longer walk goes deeper in its own. What it
 * finds is no proof of absence: a property not violated held on the walks
 * taken, and the summary says how many, how long, and from which seed.
 *
 * A property's counterexample is the walk's prefix that ends at its first
 * violation, the shortest such prefix over all walks (the first walk's on a
 * tie). As explore's are, it is decoded to ops and replayed on the object
 * implementation for its reason (confirmed-violation.ts): a prefix that does
 * not violate there is a bug of the packed engine, and throws.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { semanticsByName } from '../../../model/semantics/registry.ts';
import { applicableProperties } from '../../../properties/catalog.ts';
import type { Milestone } from '../coverage.ts';
import { formatScope, type ExploreScope } from '../scope.ts';
import type { ViolationSummary } from '../summary.ts';
import { confirmedViolation } from './confirmed-violation.ts';
import { COVERAGE_SLOTS, packedCoverageData } from './coverage.ts';
import type { DefinitionNode } from './definition-tree.ts';
import { PackedLockstep } from './lockstep.ts';

/** What to walk: `walks` walks of up to `length` steps, in `scope` (its depth unread), from `seed`. */
export interface SimulateOptions {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly walks: number;
  readonly length: number;
  /** xoroshiro128+'s seed: a 32-bit integer, as `run --seed` takes. */
  readonly seed: number;
  /** The properties to check (applicableProperties' ids); absent: every one that applies. */
  readonly properties?: readonly string[];
  /** Called after every 256th walk and the last: the walks taken, the steps and the properties violated so far (progress). */
  readonly onProgress?: (walks: number, steps: number, violated: number) => void;
}

/** A property's counterexample: the ops of a walk's prefix that ends at its first violation. */
export interface WalkViolation extends ViolationSummary {
  /** The walk that found it, counted from 1: `walks` of that many with the same seed find it again. */
  readonly walk: number;
}

/** What the walks checked and found. */
export interface SimulationSummary {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly seed: number;
  /** The walks taken: those asked for, unless the walks were stopped (`stopped`). */
  readonly walks: number;
  readonly length: number;
  /** Present when the walks were stopped (Ctrl-C: simulateUntil) before all those asked for were taken: how many were asked. */
  readonly stopped?: { readonly asked: number };
  /** Steps taken, over every walk: each one checked (a walk would end early only at a state with no successor: PackedSpec.walk). */
  readonly steps: number;
  /**
   * The distinct universes the walks ended in: each patch's definition is
   * fixed as it first loads (definition-tree.ts), so a walk stays in the one
   * it has made, and this says how many different ones the walks met.
   */
  readonly universes: number;
  readonly properties: readonly string[];
  /** One per violated property, in the order of `properties`. */
  readonly violations: readonly WalkViolation[];
  /** Coverage, as explore counts it (coverage.ts): every op's outcomes, and the milestones reached. */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly reached: readonly Milestone[];
}

/** Where a property was first violated: walk `walk` (from 0), from root `root`, the walk's steps up to that one. */
interface FirstFound {
  readonly walk: number;
  readonly root: number;
  readonly path: readonly number[];
}

/** Milliseconds of walks between two turns of the event loop (simulateUntil), in which a signal's handler runs. */
const TURN_MS = 50;

/**
 * Takes the walks and decodes each property's shortest prefix. Errors: an
 * unknown semantics or property (Error: the command line checks both
 * first), or a prefix the object implementation does not find violated.
 */
export function simulate(o: SimulateOptions): SimulationSummary {
  const walking = walks(o);
  let r = walking.next();
  while (!r.done) r = walking.next(false);
  return r.value;
}

/**
 * simulate(), asking `shouldStop` before each walk and stopping there when it
 * says so: the summary is then that of the walks taken, which the same seed
 * and that many walks give again, with `stopped`. The event loop gets a turn
 * when TURN_MS went by since the last, so that a signal's handler runs
 * during the walks; once they are taken, the decoding of the violations
 * runs to its end. A turn only before every 256th walk lost a signal sent
 * after the last of them: the walks ran on, and so did `timeout`'s target
 * (helper-126).
 */
export async function simulateUntil(o: SimulateOptions, shouldStop: () => boolean): Promise<SimulationSummary> {
  const walking = walks(o);
  let r = walking.next();
  let turn = performance.now();
  while (!r.done) {
    if (performance.now() - turn >= TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
    r = walking.next(shouldStop());
  }
  return r.value;
}

/** The walks of simulate(): before each walk it yields, and is told whether to stop there; it returns the summary of the walks taken. */
function* walks(o: SimulateOptions): Generator<void, SimulationSummary, boolean> {
  const sem = semanticsByName(o.semantics);
  if (!sem) throw new Error(`simulate: no semantics ${o.semantics}`);
  const properties = o.properties ? applicableProperties(sem, o.properties) : undefined;
  const model = new PackedLockstep(o.scope, { semantics: sem, properties, coverage: true });
  const rng = xoroshiro128plus(o.seed);
  const choose = (n: number) => uniformInt(rng, 0, n - 1);
  // From each root in turn: per-state's roots differ in which state ids have shadow variables.
  const roots = model.roots().length;
  const firsts = new Map<number, FirstFound>();
  let steps = 0;
  const universes = new Set<DefinitionNode>();
  // Outside the loop: where it stopped is the number of walks taken.
  let walk = 0;
  for (; walk < o.walks; walk++) {
    if (yield) break;
    const root = walk % roots;
    const w = model.walk(o.length, choose, root);
    steps += w.path.length;
    universes.add(w.end);
    // One pass over the walk's steps: each property's first violation in it, kept if shorter than any before.
    let seen = 0;
    w.stepViolations.forEach((bits, at) => {
      const fresh = bits & ~seen;
      seen |= bits;
      for (let bit = 0; fresh >>> bit; bit++) {
        if (!(fresh & (1 << bit)) || (firsts.get(bit)?.path.length ?? Infinity) <= at + 1) continue;
        firsts.set(bit, { walk, root, path: w.path.slice(0, at + 1) });
      }
    });
    if ((walk & 255) === 255 || walk === o.walks - 1) o.onProgress?.(walk + 1, steps, firsts.size);
  }
  // Before decodePath, whose steps would count too.
  const coverage = packedCoverageData(model.takeCoverage() ?? new Float64Array(COVERAGE_SLOTS));
  const violations = [...firsts]
    .sort(([a], [b]) => a - b)
    .map(([bit, f]): WalkViolation => {
      const property = model.properties[bit]!;
      const unconfirmed = () =>
        `simulate: walk ${f.walk + 1} (seed ${o.seed}) at ${formatScope(o.scope, false)} does not violate ${property} on the object implementation`;
      return { ...confirmedViolation(model, sem, o.scope, property, f.path, f.root, unconfirmed), walk: f.walk + 1 };
    });
  return {
    semantics: sem.name,
    scope: o.scope,
    seed: o.seed,
    walks: walk,
    length: o.length,
    ...(walk < o.walks ? { stopped: { asked: o.walks } } : {}),
    steps,
    universes: universes.size,
    properties: [...model.properties],
    violations,
    outcomes: coverage.outcomes,
    reached: coverage.reached,
  };
}
