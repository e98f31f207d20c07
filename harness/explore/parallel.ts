/**
 * Exploration on every core: worker i explores shard i of n (the subtrees
 * below the states at the split depth, by position), and the results are
 * merged. The same sharding, with --shard i/n and a merge of the written
 * files, lets several machines share one exploration.
 */
import { availableParallelism, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExploreScope } from './scope.ts';
import { merge, type ExploreSummary } from './summary.ts';
import type { WorkerJob } from './worker.ts';
import type { Shard } from './explorer.ts';

export interface ParallelOptions {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly properties?: readonly string[];
  readonly workers?: number;
  /** This machine's part of a multi-machine exploration: its shards are subdivided among the workers. */
  readonly shard?: Shard;
  readonly splitDepth?: number;
  readonly onProgress?: (p: { depth: number; states: number; transitions: number }) => void;
}

export interface Running {
  readonly done: Promise<ExploreSummary>;
  /** Asks every worker to stop after the state it is on; done then resolves with a partial result. */
  stop(): void;
}

export function exploreInParallel(o: ParallelOptions): Running {
  const n = Math.max(1, o.workers ?? availableParallelism());
  const outer = o.shard ?? { index: 0, count: 1 };
  const stop = new SharedArrayBuffer(4);
  const progress = new Map<number, { depth: number; states: number; transitions: number }>();
  const jobs = Array.from({ length: n }, (_, i): WorkerJob => ({
    semantics: o.semantics,
    scope: o.scope,
    properties: o.properties,
    // Machine shard s of c, worker i of n: global shard s + c*i of c*n.
    shard: { index: outer.index + outer.count * i, count: outer.count * n },
    splitDepth: o.splitDepth ?? 2,
    stop,
  }));
  const done = Promise.all(
    jobs.map(
      (job, i) =>
        new Promise<ExploreSummary>((resolve, reject) => {
          // The frontier holds full kernel copies: give each worker most of its share of memory.
          const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
            workerData: job,
            resourceLimits: { maxOldGenerationSizeMb: Math.floor((totalmem() / 2 ** 20) * 0.7 / n) },
          });
          w.on('message', (m: { type: string } & Record<string, unknown>) => {
            if (m.type === 'progress') {
              progress.set(i, m as unknown as { depth: number; states: number; transitions: number });
              const all = [...progress.values()];
              o.onProgress?.({
                depth: Math.min(...all.map((p) => p.depth)),
                states: all.reduce((s, p) => s + p.states, 0),
                transitions: all.reduce((s, p) => s + p.transitions, 0),
              });
            } else if (m.type === 'result') resolve(m.summary as ExploreSummary);
          });
          w.on('error', reject);
          w.on('exit', (code) => code !== 0 && reject(new Error(`exploration worker ${i} exited with ${code}`)));
        }),
    ),
  ).then((parts) => ({ ...merge(parts), shards: o.shard ? [o.shard] : [] }));
  return { done, stop: () => Atomics.store(new Int32Array(stop), 0, 1) };
}
