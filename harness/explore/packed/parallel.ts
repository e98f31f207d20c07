/**
 * The packed engine's search on several cores, sharing one search: the main
 * thread holds the one visited set (shared memory, one writer) and the
 * frontier; worker threads expand chunks of each level's frontier and probe
 * the shared set themselves, so that they send back only the successors not
 * yet visited (a quarter of the transitions at patches=2,functions=2,
 * states=1,tasks=1), which the main thread then adds in frontier order.
 *
 * The result is the single-threaded search's (search.ts), state for state:
 * the main thread takes the successors in the order that search takes them,
 * and a successor a worker found visited had been added from an earlier
 * place in that order (the main thread adds chunk by chunk, in order), so
 * the one search would have found it visited too. The states are numbered
 * alike, the parents are the same, and a state budget stops at the same
 * state. No state is expanded twice.
 */
import { Worker } from 'node:worker_threads';
import type { ExploreScope } from '../scope.ts';
import { BreadthFirst, type PackedSearchOptions, type PackedSearchResult } from './search.ts';
import { workersFor } from '../parallel.ts';
import { packedModel, type PackedModelName } from './models.ts';
import type { PackedChunk, PackedChunkResult, PackedJob } from './worker.ts';
import { LevelChunks } from './level-chunks.ts';
import { heapLimit, isOutOfMemory, quietly, stopsSearch, workerFailure, type WorkerMemoryOptions } from '../worker-failure.ts';

/** The explorer's worker entry, which registers tsx and imports the worker module its job names. */
const WORKER_ENTRY = new URL('../worker-entry.mjs', import.meta.url);

/** The search's bounds as packedSearch takes them, but the depth bound is the scope's own (`scope.depth`). */
export interface PackedParallelOptions extends Omit<PackedSearchOptions, 'depth'>, WorkerMemoryOptions {
  readonly scope: ExploreScope;
  /** The model searched (models.ts); default: the spec model alone. */
  readonly model?: PackedModelName;
  /**
   * Worker threads at most: a whole number from 1; anything else throws. One
   * starts at once, the others once `secondWorkerAfter` states are stored
   * (../parallel.ts workersFor: each pays its own start-up).
   */
  readonly workers: number;
  /** Default SECOND_WORKER_AFTER_STORED; 0 starts every worker at once (the tests, to share even a small search). */
  readonly secondWorkerAfter?: number;
  /** The semantics' name (models.ts; default upstream). */
  readonly semantics?: string;
  /** Count coverage (the lockstep model's; coverage.ts). */
  readonly coverage?: boolean;
  /** The lockstep model's properties (models.ts; default all). */
  readonly properties?: readonly string[];
  /** Asked before each chunk is sent: true stops the search after the chunks in flight (Ctrl-C), the level under way unfinished. */
  readonly shouldStop?: () => boolean;
  /** Called after each chunk is taken: the depth under way and the states stored. */
  readonly onProgress?: (p: { readonly depth: number; readonly states: number; readonly transitions: number }) => void;
  /** Called as each worker starts (not one that replaces another): the workers started, the depth under way and the states stored. */
  readonly onWorkerStart?: (p: { readonly workers: number; readonly depth: number; readonly states: number }) => void;
}

/** The parallel search's result: the search's, and how long each worker was busy. */
export interface PackedParallelResult extends PackedSearchResult {
  /**
   * Seconds each worker spent expanding chunks, by its place (a worker that
   * replaced one adds to its place): the rest of its time it waited for a
   * chunk, or had not started (PackedParallelOptions.onWorkerStart).
   */
  readonly workerBusySeconds: readonly number[];
}

/** A chunk posted and not yet answered: how its promise ends, the place of the worker it went to, and the chunk. */
interface Waiting {
  readonly resolve: (r: PackedChunkResult) => void;
  readonly reject: (e: Error) => void;
  readonly at: number;
  readonly chunk: PackedChunk;
}

/**
 * The states stored before the other workers start. Counted in states sent to
 * be expanded (8,192, as the object engine counts: ../parallel.ts) until
 * 2026-12-06, a level's chunks could not show a level's work: at
 * patches=3,functions=3,states=2,tasks=2,depth=4 level 2 has 7,101 states
 * and level 3, with 1,144,553 new states, was expanded by one worker alone
 * (8 of the search's 50 s). Stored states count what a search has found;
 * this many keep a short search on one worker (depth 4 of
 * patches=2,functions=2,states=1,tasks=2 stores 31,967 of upstream's states), whose start-up would
 * cost more than it gains.
 */
export const SECOND_WORKER_AFTER_STORED = 65_536;

/** Chunks posted and not yet answered per worker: one expanded, one queued (level-chunks.ts). */
const PER_WORKER = 2;
/** Chunks posted and not yet taken, at most, in widths (level-chunks.ts): answers that wait for a slower chunk before them. */
const AHEAD = 4;

/** The search of a packed model of a semantics (default upstream) at `scope` on `workers` worker threads. */
export async function packedSearchParallel(o: PackedParallelOptions): Promise<PackedParallelResult> {
  // NaN workers had started none and reported the roots as a finished search.
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new Error(`packed: workers must be a whole number from 1, not ${o.workers}`);
  const model = o.model ?? 'spec';
  const here = packedModel(model, o.scope, { coverage: o.coverage, semantics: o.semantics, properties: o.properties });
  // A record carries a transition's violated properties in 16 bits (worker.ts).
  if ((here.properties ?? []).length > 16) throw new Error('packed: more than 16 properties for the two-core search');
  const bf = new BreadthFirst(here.roots(), { ...o, depth: o.scope.depth }, true, here.properties);
  bf.coverWith(here);
  const job: PackedJob = {
    module: new URL('./worker.ts', import.meta.url).href,
    model,
    scope: o.scope,
    coverage: o.coverage,
    semantics: o.semantics,
    properties: o.properties,
  };
  const workers: Worker[] = [];
  /** Chunks posted and not yet answered, by id: the worker (its place in `workers`) and the chunk, to post again. */
  const waiting = new Map<number, Waiting>();
  /** Per place in `workers`: the chunks its worker answered since it started. */
  const answered: number[] = [];
  /** Per place in `workers`: the chunks posted to it and not yet answered (a replaced worker's go to the new one). */
  const load: number[] = [];
  /** Per place in `workers`: milliseconds spent on the chunks answered. */
  const busyMs: number[] = [];
  /**
   * Set as the search ends and its workers are terminated: a worker that runs out of memory after that is not
   * replaced. One that was kept node alive after the report, never terminated (helper-84, 2026-12-05).
   */
  let ended = false;
  const startWorker = (at = workers.length) => {
    if (at === workers.length) o.onWorkerStart?.({ workers: at + 1, depth: bf.depth, states: bf.visited.size });
    const w = new Worker(WORKER_ENTRY, { workerData: job, ...heapLimit(o.workerHeapMiB) });
    w.on('message', (r: PackedChunkResult) => {
      answered[at]!++;
      load[at]!--;
      busyMs[at]! += r.busyMs;
      // A search that failed cleared `waiting`: a result still on its way is dropped (node delivers some after terminate()).
      waiting.get(r.id)?.resolve(r);
      waiting.delete(r.id);
    });
    w.on('error', (e) => {
      if (ended) return;
      const place = { depth: bf.depth, states: bf.visited.size };
      const failure = workerFailure(e, place);
      // A worker's heap holds only what it remembers of definitions and answers (definition-tree.ts,
      // replace-rules.ts), which a new one remakes as it needs: out of memory after answering a chunk, it is
      // replaced and its chunks go to the new one. Which worker expands a chunk never changes the result, and
      // the chunks are still taken in frontier order. One that answered none would only fail again. Past the
      // budget the chunks in flight are dropped: no new worker is started for them (helper-90), and the failure
      // costs nothing (the search's loop below).
      if (isOutOfMemory(failure) && answered[at]! > 0 && !bf.budgetHit) {
        o.onWorkerRestart?.(place);
        startWorker(at);
        const handles = bf.visited.handles();
        for (const p of waiting.values()) if (p.at === at) workers[at]!.postMessage({ ...p.chunk, handles });
        return;
      }
      for (const p of waiting.values()) p.reject(failure);
      waiting.clear();
    });
    workers[at] = w;
    answered[at] = 0;
    load[at] ??= 0;
    busyMs[at] ??= 0;
  };
  // The others start once the search is large enough to share (workersFor); which one expands a chunk never changes the result.
  const after = o.secondWorkerAfter ?? SECOND_WORKER_AFTER_STORED;
  startWorker();
  let nextId = 0;
  const post = (items: Int32Array): Promise<PackedChunkResult> => {
    while (workers.length < workersFor(bf.visited.size, o.workers, after)) startWorker();
    const id = nextId++;
    const chunk: PackedChunk = { id, depth: bf.depth, items, handles: bf.visited.handles() };
    // The least loaded worker: which one expands a chunk never changes the result.
    const at = load.indexOf(Math.min(...load));
    load[at]!++;
    return quietly(
      new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, at, chunk });
        workers[at]!.postMessage(chunk);
      }),
    );
  };
  try {
    // As many chunks posted and not yet answered as all the workers take, from the start: the chunks' sizes, and so
    // the work, do not depend on when the others start.
    const width = o.workers * PER_WORKER;
    while (bf.beginLevel()) {
      const level = bf.level;
      const chunks = new LevelChunks(bf.levelLength, width, AHEAD);
      /** The level's chunks posted and not yet taken, in frontier order: some answered, waiting for those before them. */
      const inFlight: { items: Int32Array; result: Promise<PackedChunkResult> }[] = [];
      /**
       * What posting from an answer's callback threw, thrown by the loop below: the callback runs outside it, and an
       * error there had rejected no one's promise, so that node ended with a stack trace (helper-104).
       */
      let failed: { readonly error: unknown } | undefined;
      // A chunk is posted whenever a worker answers one, not only when the one at the head is taken (level-chunks.ts).
      const issue = () => {
        while (!bf.budgetHit && chunks.canPost()) {
          if (o.shouldStop?.()) {
            bf.stop();
            chunks.close();
            return;
          }
          const { from, to } = chunks.next()!;
          const items = level.slice(from, to);
          const result = post(items);
          result.then(
            () => {
              chunks.answered();
              try {
                issue();
              } catch (error) {
                failed ??= { error };
                chunks.close();
              }
            },
            () => chunks.answered(),
          );
          inFlight.push({ items, result });
        }
      };
      try {
        issue();
        while (inFlight.length) {
          const head = inFlight.shift()!;
          let r: PackedChunkResult;
          try {
            r = await head.result;
            chunks.taken();
          } catch (e) {
            chunks.close();
            // Past the budget the chunks in flight are dropped: one whose worker ran out of memory costs nothing the
            // budget's report claims, as after a Ctrl-C (it ended a search of 5,000 states with E_MEMORY: helper-89).
            const pastTheBudget = bf.budgetHit !== undefined;
            if (!stopsSearch(e, pastTheBudget || o.shouldStop?.() === true, o.onOutOfMemory)) throw e;
            if (!pastTheBudget) bf.stop();
            break;
          }
          // The answer's own callback ran before this: what it threw ends the search.
          if (failed) throw failed.error;
          // Past the budget nothing more is taken; the chunks in flight are waited for and dropped.
          if (!bf.budgetHit) absorb(bf, head.items, r);
          o.onProgress?.({ depth: bf.depth, states: bf.visited.size, transitions: bf.transitions });
          issue();
        }
      } finally {
        // Whatever ended the level, an answer still on its way posts nothing more: no chunk, and no worker started
        // after the search ended, which nothing would terminate.
        chunks.close();
      }
      bf.endLevel();
    }
  } finally {
    ended = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { ...bf.result(), workerBusySeconds: busyMs.map((ms) => ms / 1000) };
}

/**
 * One key at a time, copied out of a chunk's records for the visited set: the
 * set keeps the DataView of the last array it was given (visited.ts
 * KeyViews), so a view of each record of its own made a DataView and a
 * subarray for every state taken: the views alone were 9% of the main
 * thread's busy time in upstream's lockstep on two workers (2026-12-07).
 */
const absorbed = new Uint8Array(256);

/** Takes a chunk's records in order: each [item u32][pos u16][violated u16][length u8][key bytes] (worker.ts). */
function absorb(bf: BreadthFirst, items: Int32Array, r: PackedChunkResult): void {
  bf.transitions += r.transitions;
  bf.addCoverage(r.coverage);
  const b = r.records;
  for (let o = 0; o < b.length && !bf.budgetHit;) {
    const item = b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
    const pos = b[o + 4]! | (b[o + 5]! << 8);
    const violated = b[o + 6]! | (b[o + 7]! << 8);
    const length = b[o + 8]!;
    if (violated) bf.found(violated, items[item]!, pos);
    if (length) {
      for (let j = 0; j < length; j++) absorbed[j] = b[o + 9 + j]!;
      bf.take(absorbed, length, items[item]!, pos);
    }
    o += 9 + length;
  }
}
