/**
 * Random walks checked on the packed lockstep against the bare reference
 * implementation (issue 11's "random runs at 3x bare"): the same walks, as
 * ops, on three sides, each measured alone in processes of its own
 * (walk-child.ts), alternating, the fastest of each kept:
 * - bare: the object kernel alone applying the walks' ops;
 * - packed: the packed lockstep taking the walks (PackedSpec.walk): its
 *   kernel, the spec model, conformance and every invariant on every step;
 * - object: the object Lockstep (harness/run-sequence.ts) on the same ops,
 *   with conformance and every invariant, as a random run checks a step.
 * The walks are the packed engine's (explore's default scope, no task
 * model), not fast-check's sequences of the random runs (ops-throughput.ts),
 * whose universes and ops the packed engine does not all have: kernel
 * threads, stacks that are not reliable, the task model's ops.
 * test/packed-walk.test.ts holds the packed walks to the object
 * implementation's findings on their decoded ops.
 */
import { fileURLToPath } from 'node:url';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { DEFAULT_EXPLORE_SCOPE, formatScope } from '../harness/explore/scope.ts';
import { applyToKernel } from '../harness/ops.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { fastestApart } from './child-process.ts';
import { fastestTime } from './ops-throughput.ts';

/** The workload: this many walks of this many steps, positions drawn from xoroshiro128+ seeded with SEED. */
const WALKS = 400;
const DEPTH = 30;
const SEED = 1;

/** Which side a measure times (see the module's comment). */
export type WalkSide = 'bare' | 'packed' | 'object';
export const WALK_SIDES: readonly WalkSide[] = ['bare', 'packed', 'object'];

/** One side's fastest time over the workload, in milliseconds, and the workload's steps. */
export interface WalkSideTime {
  readonly ms: number;
  readonly steps: number;
}

/** One semantics' row of bench/results.json packed_walks: microseconds per step of each side, and the two ratios to bare. */
export interface WalkThroughput {
  readonly semantics: string;
  readonly scope: string;
  readonly walks: number;
  readonly depth: number;
  readonly steps: number;
  readonly bare_us_per_step: number;
  readonly packed_us_per_step: number;
  readonly object_us_per_step: number;
  readonly packed_over_bare: number;
  readonly object_over_bare: number;
}

/** The workload's walks, from seed SEED, on `model`, from its roots in turn (per-state's differ in which state ids have shadow variables). */
function walks(model: PackedLockstep) {
  const rng = xoroshiro128plus(SEED);
  const choose = (n: number) => uniformInt(rng, 0, n - 1);
  const roots = model.roots().length;
  return Array.from({ length: WALKS }, (_, i) => ({ root: i % roots, walk: model.walk(DEPTH, choose, i % roots) }));
}

/** Times one side in this process (ops-throughput.ts fastestTime). */
export function measureWalkSide(sem: Semantics, side: WalkSide): WalkSideTime {
  const model = new PackedLockstep(DEFAULT_EXPLORE_SCOPE, { semantics: sem });
  const sequences = walks(model).map((w) => model.decodePath(w.walk.path, w.root));
  const steps = sequences.reduce((n, s) => n + s.ops.length, 0);
  const invariants = INVARIANTS.filter((i) => i.appliesTo(sem));
  const run = {
    bare: () => {
      for (const s of sequences) {
        const k = new Kernel(s.universe, sem.hooks);
        for (const op of s.ops) applyToKernel(op, k);
      }
    },
    packed: () => void walks(model),
    object: () => {
      for (const s of sequences) {
        const lockstep = new Lockstep(s.universe, sem, { invariants, conformance: true, specUntilDivergence: true });
        for (const op of s.ops) lockstep.stepAll(op);
      }
    },
  }[side];
  return { ms: fastestTime(run), steps };
}

const CHILD = fileURLToPath(new URL('./walk-child.ts', import.meta.url));

/** One semantics' row: each side measured alone in processes of its own (walk-child.ts, child-process.ts fastestApart), alternating. */
export function measureWalksApart(sem: Semantics): WalkThroughput {
  const fastest = fastestApart<WalkSide, WalkSideTime>(CHILD, [sem.name], WALK_SIDES, `walks of ${sem.name}`);
  const [bare, packed, object] = WALK_SIDES.map((side) => fastest.get(side)!);
  const { steps } = bare!;
  const perStep = (t: WalkSideTime) => Math.round(((t.ms * 1000) / steps) * 1000) / 1000;
  const overBare = (t: WalkSideTime) => Math.round((t.ms / bare!.ms) * 100) / 100;
  return {
    semantics: sem.name,
    scope: formatScope(DEFAULT_EXPLORE_SCOPE),
    walks: WALKS,
    depth: DEPTH,
    steps,
    bare_us_per_step: perStep(bare!),
    packed_us_per_step: perStep(packed!),
    object_us_per_step: perStep(object!),
    packed_over_bare: overBare(packed!),
    object_over_bare: overBare(object!),
  };
}
