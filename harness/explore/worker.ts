/** A worker thread that expands chunks of frontier states for the search in the main thread; see parallel.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { Expander } from './expand.ts';
import { expandChunk, type ChunkItem } from './explorer.ts';
import type { ExploreScope } from './scope.ts';
import { OOM_DEPTH_VARIABLE, outOfMemoryDepth, runOutOfMemory } from './worker-failure.ts';

export interface WorkerJob {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly properties: readonly string[];
  /** A shard's search: report each state's expansion (shard-ledger.ts). */
  readonly perState: boolean;
}

const job = workerData as WorkerJob;
const ex = new Expander(semanticsByName(job.semantics)!, job.scope, job.properties);
const oomDepth = outOfMemoryDepth(process.env[OOM_DEPTH_VARIABLE], job.semantics);
parentPort!.on('message', (m: { id: number; items: ChunkItem[] }) => {
  // A chunk is of one level: depth d expands states at d - 1, whose paths have d - 1 steps.
  if (m.items[0] && m.items[0].path.length + 1 >= oomDepth) runOutOfMemory();
  const r = expandChunk(ex, m.items, job.perState);
  parentPort!.postMessage({ id: m.id, result: r }, [r.keys.buffer as ArrayBuffer, r.positions.buffer as ArrayBuffer]);
});
