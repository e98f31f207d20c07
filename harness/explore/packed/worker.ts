/**
 * A worker thread of the packed engine's parallel search (parallel.ts): it
 * expands chunks of a level's frontier and sends back the successors it did
 * not find in the shared visited set, with the state and position each
 * came from, in frontier order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExploreScope } from '../scope.ts';
import { VisitedSet, type VisitedHandles, type VisitedReader } from '../visited.ts';
import { packedModel, type PackedModelName } from './models.ts';
import { OOM_DEPTH_VARIABLE, outOfMemoryDepth, runOutOfMemory } from '../worker-failure.ts';

/** What a worker is started with: its module (for worker-entry.mjs), the model and the scope of the search. */
export interface PackedJob {
  readonly module: string;
  readonly model: PackedModelName;
  readonly scope: ExploreScope;
  /** Whether the model counts coverage (models.ts). */
  readonly coverage?: boolean;
  /** The semantics' name (models.ts; default upstream). */
  readonly semantics?: string;
  /** The lockstep model's properties (models.ts; default all). */
  readonly properties?: readonly string[];
}

/** A chunk to expand: state numbers in frontier order, and the visited set's buffers as they are now. */
export interface PackedChunk {
  readonly id: number;
  /** The depth under way: the chunk's successors' (for OOM_DEPTH_VARIABLE alone). */
  readonly depth: number;
  readonly items: Int32Array;
  readonly handles: VisitedHandles;
}

/**
 * What a chunk gives: every successor counted (transitions), and as records
 * those not found visited and those whose transition violates a property,
 * each [item u32][pos u16][violated u16][length u8][key bytes], `item` the
 * state's place in the chunk, `violated` the property bits
 * (PackedSpace.properties), and length 0 (no key) for a visited successor.
 */
export interface PackedChunkResult {
  readonly id: number;
  readonly transitions: number;
  readonly records: Uint8Array;
  /** Milliseconds of wall time the worker spent on the chunk, from its message to its answer (the bench's busy share). */
  readonly busyMs: number;
  /** The chunk's coverage counts, when the model counts any. */
  readonly coverage?: Float64Array;
}

const job = workerData as PackedJob;
const model = packedModel(job.model, job.scope, { coverage: job.coverage, semantics: job.semantics, properties: job.properties });
let reader: VisitedReader | null = null;
/** The table a reader was made for: a table that grew is a new buffer, twice as long. */
let tableBytes = -1;
let records = new Uint8Array(1 << 20);

const oomDepth = outOfMemoryDepth(process.env[OOM_DEPTH_VARIABLE], job.semantics ?? 'upstream');

parentPort!.on('message', (m: PackedChunk) => {
  const t0 = performance.now();
  if (m.depth >= oomDepth) runOutOfMemory();
  // A reader of the table and chunks as they are: one that grew is a new buffer, a chunk begun a new one.
  if (m.handles.slots.byteLength !== tableBytes || !reader!.sameChunks(m.handles)) {
    reader = VisitedSet.reader(m.handles);
    tableBytes = m.handles.slots.byteLength;
  }
  const r = reader!;
  let used = 0;
  let transitions = 0;
  let item = 0;
  let key: Uint8Array | null = null;
  const emit = (out: Uint8Array, length: number, pos: number, violated = 0) => {
    transitions++;
    // The state itself (PackedSpace.expand) is visited without a lookup.
    if (out === key || r.has(out, length)) {
      if (!violated) return;
      length = 0;
    } else if (model.violatedByNewState) {
      // Asked of every successor not found stored: the main thread may find one stored after all (added from an
      // earlier chunk), and the step into it in search order came earlier and was asked too, so the first
      // violation in that order is the same.
      violated |= model.violatedByNewState();
    }
    // A record's length is one byte; the one-thread search's visited set refuses such a key too.
    if (length > 255) throw new Error(`packed: a state of ${length} bytes is longer than 255`);
    if (used + 9 + length > records.length) {
      const grown = new Uint8Array(records.length * 2);
      grown.set(records.subarray(0, used));
      records = grown;
    }
    records[used++] = item & 0xff;
    records[used++] = (item >>> 8) & 0xff;
    records[used++] = (item >>> 16) & 0xff;
    records[used++] = item >>> 24;
    records[used++] = pos & 0xff;
    records[used++] = pos >>> 8;
    records[used++] = violated & 0xff;
    records[used++] = violated >>> 8;
    records[used++] = length;
    records.set(out.subarray(0, length), used);
    used += length;
  };
  const stored = (out: Uint8Array, length: number) => r.has(out, length);
  for (item = 0; item < m.items.length; item++) model.expand((key = r.get(m.items[item]!)), emit, stored);
  const coverage = model.takeCoverage?.();
  const result: PackedChunkResult = {
    id: m.id,
    transitions,
    records: records.slice(0, used),
    busyMs: performance.now() - t0,
    ...(coverage ? { coverage } : {}),
  };
  parentPort!.postMessage(result, [result.records.buffer as ArrayBuffer]);
});
