/** One exploration shard in a worker thread; see parallel.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { explore, type Shard } from './explorer.ts';
import type { ExploreScope } from './scope.ts';
import { summarize } from './summary.ts';

export interface WorkerJob {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly properties?: readonly string[];
  readonly shard: Shard;
  readonly splitDepth: number;
  /** Int32Array over a SharedArrayBuffer: non-zero asks every worker to stop. */
  readonly stop: SharedArrayBuffer;
}

const job = workerData as WorkerJob;
const stop = new Int32Array(job.stop);
const t0 = performance.now();
let last = 0;
const result = explore({
  semantics: semanticsByName(job.semantics)!,
  scope: job.scope,
  properties: job.properties,
  shard: job.shard,
  splitDepth: job.splitDepth,
  shouldStop: () => Atomics.load(stop, 0) !== 0,
  onProgress: (p) => {
    const now = performance.now();
    if (now - last < 200) return;
    last = now;
    parentPort!.postMessage({ type: 'progress', ...p });
  },
});
const summary = summarize(result, (performance.now() - t0) / 1000);
parentPort!.postMessage({ type: 'result', summary }, [summary.fingerprints.buffer as ArrayBuffer]);
