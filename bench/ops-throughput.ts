/**
 * Operations per second of the bare reference implementation and of a full
 * checked run (reference implementation + spec model + conformance + every
 * invariant), on the same pre-generated sequences: each the fastest of
 * ROUNDS interleaved measures.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { commandsArb, DEFAULT_SCOPE, OpCommand, universeArb } from '../harness/generators.ts';
import { applyToKernel, type Op } from '../harness/ops.ts';
import { Lockstep, runSequence } from '../harness/run-sequence.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { INVARIANTS } from '../properties/catalog.ts';

export interface Throughput {
  readonly semantics: string;
  readonly sequences: number;
  readonly operations: number;
  readonly bare_ops_per_second: number;
  readonly checked_ops_per_second: number;
  readonly checked_over_bare: number;
}

/** Sequences as applied: inapplicable ops already dropped, so the bare run needs no spec model. */
function workload(sem: Semantics, n: number, seed: number): { universe: Universe; ops: Op[] }[] {
  const arb = fc.tuple(universeArb(sem, DEFAULT_SCOPE), commandsArb(sem, DEFAULT_SCOPE, 30));
  return fc.sample(arb, { numRuns: n, seed }).map(([universe, cmds]) => {
    const all = [...cmds].map((c) => ((c as { cmd?: OpCommand }).cmd ?? (c as OpCommand)).op);
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

/**
 * Rounds of the bare and the checked measure, interleaved, each side's fastest
 * kept: one bare measure moved by up to a quarter from run to run (stop 38),
 * and the ratio with it.
 */
const ROUNDS = 5;

export function measureThroughput(sem: Semantics, sequences = 400, seed = 1): Throughput {
  const work = workload(sem, sequences, seed);
  const operations = work.reduce((n, w) => n + w.ops.length, 0);
  const bare = () => {
    for (const w of work) {
      const k = new Kernel(w.universe, sem.hooks);
      for (const op of w.ops) applyToKernel(op, k);
    }
  };
  const checked = () => {
    for (const w of work) {
      const run = new Lockstep(w.universe, sem, { invariants: INVARIANTS, conformance: true });
      // Violations are expected for some semantics; the step cost is the same either way.
      for (const op of w.ops) {
        run.step(op);
        run.violation = null;
      }
    }
  };
  let bareMs = Infinity;
  let checkedMs = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    bareMs = Math.min(bareMs, timeIt(bare));
    checkedMs = Math.min(checkedMs, timeIt(checked));
  }
  const perSecond = (ms: number) => Math.round((operations / ms) * 1000);
  return {
    semantics: sem.name,
    sequences,
    operations,
    bare_ops_per_second: perSecond(bareMs),
    checked_ops_per_second: perSecond(checkedMs),
    checked_over_bare: Math.round((checkedMs / bareMs) * 100) / 100,
  };
}

const CHILD = fileURLToPath(new URL('./throughput-child.ts', import.meta.url));

/**
 * measureThroughput in a child process of its own (throughput-child.ts):
 * measured one after another in one process, the bare kernel's code met
 * every semantics' hooks, and its bare measure fell from about 2.0 million
 * steps a second for the first semantics to 0.44 million for the last (stop
 * 40), so each ratio depended on its place in the list. Throws with the
 * child's last stderr line when the child fails.
 */
export function measureThroughputApart(sem: Semantics): Throughput {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, sem.name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`throughput of ${sem.name}: exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout) as Throughput;
}
