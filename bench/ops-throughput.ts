/**
 * Operations per second of the bare reference implementation, of a run
 * checked for conformance alone (reference implementation + spec model +
 * conformance), and of a full checked run (the same + every invariant), on
 * the same pre-generated sequences, each side measured alone in processes
 * of its own (measureThroughputApart). Issue 11 gave the full ratio (16x for
 * upstream) and the conformance-alone one (10.6x) as today's, and 3x as the
 * goal.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { commandsArb, DEFAULT_SCOPE, opOf, universeArb } from '../harness/generators.ts';
import { applyToKernel, type Op } from '../harness/ops.ts';
import { Lockstep, runSequence } from '../harness/run-sequence.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { fastestApart } from './child-process.ts';

export interface Throughput {
  readonly semantics: string;
  readonly sequences: number;
  readonly operations: number;
  readonly bare_ops_per_second: number;
  /** The kernel, the spec model and conformance, no invariant. */
  readonly conformance_ops_per_second: number;
  readonly conformance_over_bare: number;
  /** The kernel, the spec model, conformance and every invariant. */
  readonly checked_ops_per_second: number;
  readonly checked_over_bare: number;
}

/** Sequences as applied: inapplicable ops already dropped, so the bare run needs no spec model. */
function workload(sem: Semantics, n: number, seed: number): { universe: Universe; ops: Op[] }[] {
  const arb = fc.tuple(universeArb(sem, DEFAULT_SCOPE), commandsArb(sem, DEFAULT_SCOPE, 30));
  return fc.sample(arb, { numRuns: n, seed }).map(([universe, cmds]) => {
    const all = [...cmds].map(opOf);
    const r = runSequence(universe, sem, all, { invariants: [], conformance: false });
    return { universe, ops: r.steps.map((s) => s.op) };
  });
}

/** Mean milliseconds per call after a warm-up of the same length (JIT), over at least minMs. */
function timeIt(f: () => void, minMs = 500): number {
  for (const t0 = performance.now(); performance.now() - t0 < minMs;) f();
  let reps = 0;
  const t0 = performance.now();
  do {
    f();
    reps++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / reps;
}

/** The workload: this many sequences of seed 1. */
const SEQUENCES = 400;

/** Measures of one side in one process, the fastest kept: one measure moved by up to a quarter from run to run (stop 38). */
const ROUNDS = 3;

/** The fastest of ROUNDS timeIt measures of `f`, in milliseconds per call: one side's time in its process (this file's and packed-walks.ts's). */
export function fastestTime(f: () => void): number {
  let ms = Infinity;
  for (let r = 0; r < ROUNDS; r++) ms = Math.min(ms, timeIt(f));
  return ms;
}

/** Which side a measure times: the bare kernel, the kernel with the spec model and conformance alone, or with every property. */
export type ThroughputSide = 'bare' | 'conformance' | 'checked';

/** The sides, in the order each round measures them. */
export const THROUGHPUT_SIDES: readonly ThroughputSide[] = ['bare', 'conformance', 'checked'];

/** One side's fastest time over the workload, in milliseconds, and the workload's number of operations. */
export interface SideTime {
  readonly ms: number;
  readonly operations: number;
}

/**
 * Times one side (fastestTime: the fastest of ROUNDS measures) in this process. The
 * checked side stops following the spec model at a conformance break
 * (RunOptions.specUntilDivergence), as a run does: a random run or a replay
 * ends at its first violation, and the explorer follows the kernel alone
 * past a break. Following it on compared every later step's two whole
 * states as text: a third of replace-tag-draft's checked time (stop 49).
 */
export function measureSide(sem: Semantics, side: ThroughputSide): SideTime {
  const work = workload(sem, SEQUENCES, 1);
  const operations = work.reduce((n, w) => n + w.ops.length, 0);
  const bare = () => {
    for (const w of work) {
      const k = new Kernel(w.universe, sem.hooks);
      for (const op of w.ops) applyToKernel(op, k);
    }
  };
  const invariants = side === 'checked' ? INVARIANTS : [];
  const checked = () => {
    for (const w of work) {
      const run = new Lockstep(w.universe, sem, { invariants, conformance: true, specUntilDivergence: true });
      // Violations are expected for some semantics: every property is still checked on every later step.
      for (const op of w.ops) {
        run.step(op);
        run.violation = null;
      }
    }
  };
  return { ms: fastestTime(side === 'bare' ? bare : checked), operations };
}

const CHILD = fileURLToPath(new URL('./throughput-child.ts', import.meta.url));

/**
 * One semantics' throughput, each side measured alone in processes of its
 * own (throughput-child.ts, child-process.ts fastestApart), alternating. One process that timed
 * both sides in turn moved the bare side's figure by up to a factor of two
 * from run to run (upstream: 1.14 to 2.22 million steps a second, stop 48;
 * 1.48 to 1.64 million on 2026-12-05), as the kernel's code met the checked
 * side's calls; alone, four processes measured 2.35 to 2.42 ms for
 * upstream's workload (stop 49). Before stop 40 every semantics was
 * measured in one process, and the bare figure fell from about 2.0 million
 * steps a second for the first semantics to 0.44 million for the last.
 */
export function measureThroughputApart(sem: Semantics): Throughput {
  const fastest = fastestApart<ThroughputSide, SideTime>(CHILD, [sem.name], THROUGHPUT_SIDES, `throughput of ${sem.name}`);
  const [bare, conformance, checked] = THROUGHPUT_SIDES.map((side) => fastest.get(side)!);
  const { operations } = bare!;
  const perSecond = (ms: number) => Math.round((operations / ms) * 1000);
  const overBare = (t: SideTime) => Math.round((t.ms / bare!.ms) * 100) / 100;
  return {
    semantics: sem.name,
    sequences: SEQUENCES,
    operations,
    bare_ops_per_second: perSecond(bare!.ms),
    conformance_ops_per_second: perSecond(conformance!.ms),
    conformance_over_bare: overBare(conformance!),
    checked_ops_per_second: perSecond(checked!.ms),
    checked_over_bare: overBare(checked!),
  };
}
