/**
 * One search on every core. The main thread holds the one visited set and
 * the frontier; worker threads expand chunks of each level's frontier (the
 * costly part: the kernel and spec model stepped in lockstep and every
 * property checked) and send back packed successor keys. Results are taken
 * in frontier order, so every count and counterexample equals the
 * single-threaded search's: each state is expanded exactly once, never
 * re-explored by another worker.
 *
 * `--shard i/n` splits one exploration across machines instead: each takes
 * the subtrees below the states at the split depth with position i mod n,
 * and --merge unions their state sets (summary.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { applicableProperties, exploreAsync, type ChunkExpander, type ChunkResult, type ExploreProgress, type Shard } from './explorer.ts';
import type { ExploreScope } from './scope.ts';
import { summarize, type ExploreSummary } from './summary.ts';
import type { WorkerJob } from './worker.ts';
import { heapLimit, quietly, stopsSearch, workerFailure, type SearchPlace, type WorkerMemoryOptions } from './worker-failure.ts';

export interface ParallelOptions extends WorkerMemoryOptions {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly properties?: readonly string[];
  /**
   * Worker threads at most (default: one per core); the main thread only
   * keeps the visited set, so Ctrl-C is heard. One starts at once, the others
   * once `secondWorkerAfter` states were sent to be expanded (workersFor);
   * the packed engine's, once that many are stored (packed/parallel.ts).
   */
  readonly workers?: number;
  /**
   * Default SECOND_WORKER_AFTER (the packed engine's: SECOND_WORKER_AFTER_STORED);
   * 0 starts every worker at once (the tests, to share even a small search).
   */
  readonly secondWorkerAfter?: number;
  /** This machine's part of a multi-machine exploration. */
  readonly shard?: Shard;
  readonly splitDepth?: number;
  /** The state budget (explorer.ts ExploreOptions.maxStates); not with `shard`. */
  readonly maxStates?: number;
  /**
   * The packed engine stores every state, the ones a stored state covers
   * too (packed/search.ts PackedSearchOptions.storeEveryState), so that its
   * counts are the object engine's, which always does.
   */
  readonly storeEveryState?: boolean;
  readonly onProgress?: (p: ExploreProgress) => void;
}

export interface Running {
  readonly done: Promise<ExploreSummary>;
  /** Stops after the chunks in flight; done then resolves with a partial (incomplete) result. */
  stop(): void;
}

/** States a search expands on one worker before a second one starts (see workersFor). */
export const SECOND_WORKER_AFTER = 8_192;

/**
 * How many of at most `n` workers a search runs once it has sent `count`
 * states to be expanded (the packed engine: stored `count` states,
 * packed/parallel.ts SECOND_WORKER_AFTER_STORED): one, then all `n` from
 * `after` on. A worker
 * pays its own JIT warm-up (about 2 cpu-s of slow steps at the default
 * scope, while V8 compiles on further threads), so two workers that start
 * together on a short search are slower than one: 5.0 s against 3.7 s wall
 * at patches=2,functions=2,states=1,tasks=2,depth=4 on this 2-core machine.
 * A search that is still going after that many states has levels large
 * enough to share (depth 4 of patches=2,functions=2,states=1,tasks=2 expands 6,615 states; whole spaces
 * tens of thousands, where 8,192 and 16,384 measured alike and starting
 * both at once no better, within this VM's noise). Which worker expands a
 * chunk never changes the result.
 */
export function workersFor(count: number, n: number, after = SECOND_WORKER_AFTER): number {
  return count >= after ? n : 1;
}

export function exploreInParallel(o: ParallelOptions): Running {
  const sem = semanticsByName(o.semantics);
  if (!sem) throw new Error(`explore: unknown semantics ${o.semantics}`);
  const n = Math.max(1, o.workers ?? availableParallelism());
  const properties = applicableProperties(sem, o.properties);
  let stopped = false;
  const t0 = performance.now();
  const workers: Worker[] = [];
  /** Chunks posted to each worker and not yet answered. */
  const load: number[] = [];
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  /** The search's last progress, for a worker's out-of-memory line. */
  let place: SearchPlace = { depth: 0, states: 0 };
  const startWorker = () => {
    const wi = workers.length;
    const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { semantics: o.semantics, scope: o.scope, properties, perState: o.shard !== undefined } satisfies WorkerJob,
      ...heapLimit(o.workerHeapMiB),
    });
    w.on('message', (m: { id: number; result: ChunkResult }) => {
      load[wi]!--;
      waiting.get(m.id)?.resolve(m.result);
      waiting.delete(m.id);
    });
    w.on('error', (e) => {
      const failure = workerFailure(e, place);
      for (const p of waiting.values()) p.reject(failure);
      waiting.clear();
    });
    workers.push(w);
    load.push(0);
  };
  /** States sent to be expanded so far: the other workers start when this passes the threshold (workersFor). */
  let issued = 0;
  const after = o.secondWorkerAfter ?? SECOND_WORKER_AFTER;
  while (workers.length < workersFor(issued, n, after)) startWorker();
  // Two chunks per worker in flight: one being expanded, one queued, so no
  // worker idles while the main thread absorbs a result.
  const expandChunks: ChunkExpander = {
    width: 2 * n,
    expand: (items) =>
      quietly(
        new Promise<ChunkResult>((resolve, reject) => {
          const id = nextId++;
          issued += items.length;
          while (workers.length < workersFor(issued, n, after)) startWorker();
          // The least loaded worker; results are taken in frontier order whoever expanded them.
          const wi = load.indexOf(Math.min(...load));
          load[wi]!++;
          waiting.set(id, { resolve, reject });
          workers[wi]!.postMessage({ id, items });
        }),
      ),
  };
  const done = Promise.resolve()
    .then(() =>
      exploreAsync({
        semantics: sem,
        scope: o.scope,
        properties: o.properties,
        shard: o.shard,
        splitDepth: o.splitDepth,
        shouldStop: () => stopped,
        maxStates: o.maxStates,
        onProgress: (p) => {
          place = p;
          o.onProgress?.(p);
        },
        expandChunks,
        stopOnFailure: (e) => stopsSearch(e, stopped, o.onOutOfMemory),
      }),
    )
    .then((r) => summarize(r, (performance.now() - t0) / 1000))
    .finally(() => Promise.all(workers.map((w) => w.terminate())));
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
