/**
 * A search's worker threads and their memory (parallel.ts, packed/parallel.ts):
 * the heap limit a worker is started with, what a worker's death becomes
 * (the packed engine replaces one out of memory that had answered a chunk;
 * otherwise the search ends, and the reason reaches the user once, as one
 * line), and the notes that say so.
 */
import { KlpcheckError } from '../errors.ts';

/** Where the search was when a worker died, for the message: the depth under way and the states stored. */
export interface SearchPlace {
  readonly depth: number;
  readonly states: number;
}

/** What a search on worker threads takes about their memory (parallel.ts ParallelOptions, packed/parallel.ts). */
export interface WorkerMemoryOptions {
  /** Each worker thread's heap limit in MiB (heapLimit); default node's own. */
  readonly workerHeapMiB?: number;
  /**
   * The packed engine's: called when a worker that ran out of memory after
   * answering a chunk is replaced (its chunks go to the new one) and the
   * search goes on: the depth under way and the states stored.
   */
  readonly onWorkerRestart?: (place: SearchPlace) => void;
  /**
   * Given, a worker out of memory that is not replaced (the packed engine
   * replaces one that answered a chunk; the object engine none) stops the
   * search as a Ctrl-C does (stopsSearch), and its E_MEMORY is handed here:
   * the result is a stopped search's (INCOMPLETE: the levels expanded in
   * full claimed, what the level under way took counted). explore and
   * compare --exhaustive give it; without it, the search ends with E_MEMORY.
   */
  readonly onOutOfMemory?: (failure: KlpcheckError) => void;
}

/**
 * Whether a chunk's failure `e` stops the search, the level under way given
 * up, rather than ending it: a worker out of memory after a stop was asked
 * or past the state budget (`stopping`: either gives up that level anyway,
 * so it costs nothing the report claims; helper-83, helper-89), or one the
 * caller takes (`onOutOfMemory`, told of it here). Anything else ends the
 * search.
 */
export function stopsSearch(e: unknown, stopping: boolean, onOutOfMemory: WorkerMemoryOptions['onOutOfMemory']): boolean {
  if (!isOutOfMemory(e)) return false;
  if (stopping) return true;
  if (!onOutOfMemory) return false;
  onOutOfMemory(e);
  return true;
}

/** How to give the workers more heap, for the lines that say one ran out. */
export const LARGER_HEAP = 'KLPCHECK_WORKER_HEAP_MIB=MiB, or NODE_OPTIONS=--max-old-space-size=MiB for every thread, not both';

/**
 * "a worker thread's heap, KLPCHECK_WORKER_HEAP_MIB=32, ran out": a stop by
 * a worker's heap (explorer.ts StateBudget.workerHeap) as every line that
 * tells of one says it (the explore report's words, the matrix's).
 */
export function heapRanOut(heap: string): string {
  return `a worker thread's heap, ${heap}, ran out`;
}

/** How to go further than a worker's heap let a search go: the E_MEMORY line's words, and a matrix's (compare --exhaustive). */
export const PAST_THE_HEAP = `bound the search (a smaller depth in --scope, or --max-states), or give the workers a larger heap (${LARGER_HEAP})`;

/** stderr's note when a worker that ran out of memory is replaced (packed/parallel.ts), for `command` (explore; compare with the semantics, "compare: upstream"). */
export function workerReplacedNote(command: string, place: SearchPlace): string {
  return `klpcheck ${command}: a worker thread ran out of memory at depth ${place.depth}, ${statesStored(place.states)}; a new one takes its chunks (a larger heap saves its start-up: ${LARGER_HEAP})`;
}

/**
 * `e` as the search should end with it. A worker whose V8 heap filled
 * (Node's `ERR_WORKER_OUT_OF_MEMORY`) is the scope's size, not a bug: it
 * becomes E_MEMORY (exit 2) naming the depth and states stored and the ways
 * out (a stop-50 hostile review found p3 f3 s2 t2 depth 3 ending as an
 * "internal error", exit 70). The packed engine replaces such a worker when
 * it had answered a chunk (packed/parallel.ts), so there the line means a
 * new one ran out before it answered one. Any other error is returned as it is.
 */
export function workerFailure(e: Error, place: SearchPlace): Error {
  if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return e;
  // A worker made to run out fills any heap: the usual advice would never help (helper-92).
  const made = process.env[OOM_DEPTH_VARIABLE];
  const why = made
    ? `${OOM_DEPTH_VARIABLE}=${JSON.stringify(made)} made it run out, whatever its heap: unset it (it is for klpcheck's own tests)`
    : PAST_THE_HEAP;
  return new KlpcheckError('E_MEMORY', `a worker thread ran out of memory at depth ${place.depth}, ${statesStored(place.states)}: ${why}`);
}

/** "1 state stored", "27 states stored". */
function statesStored(n: number): string {
  return `${n} ${n === 1 ? 'state' : 'states'} stored`;
}

/** Whether `e` is a worker out of memory as workerFailure made it (E_MEMORY). */
export function isOutOfMemory(e: unknown): e is KlpcheckError {
  return e instanceof KlpcheckError && e.code === 'E_MEMORY';
}

/** A Worker's options for a heap limit of `mib` (none when undefined). */
export function heapLimit(mib: number | undefined): { resourceLimits?: { maxOldGenerationSizeMb: number } } {
  return mib === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: mib } };
}

/**
 * `p`, with its rejection marked handled. When a worker dies, every chunk
 * waiting on it is rejected, and the search awaits only the first: the others
 * were unhandled rejections, which end Node with a stack trace and exit 1
 * (read as "violated") after the one-line error was printed.
 */
export function quietly<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * KLPCHECK_TEST_WORKER_OOM_DEPTH, for klpcheck's own tests: "D", or
 * "SEMANTICS:D" items joined by commas ("upstream:2,per-state:1"). A
 * worker thread of a search of that semantics (any, for the bare D) handed
 * a chunk of depth D or deeper runs out of memory at once
 * (runOutOfMemory): the object engine's (worker.ts) and the packed
 * engine's (packed/worker.ts), whose replacement then runs out again on
 * the same chunk. The tests of what explore and compare do then need a
 * worker that runs out at a known depth on every machine, which the growth
 * of a worker's heap does not give: stop 53's CI run failed where a 32 MiB
 * worker finished a level that one of the same size had not finished on
 * the developers' machine, and the packed searches those tests used run
 * out at 32 MiB but not at 40 or 48 (stop 54). explore and compare
 * --exhaustive refuse a malformed value, and one without
 * KLPCHECK_WORKER_HEAP_MIB of at most 256 MiB (cli/worker-heap.ts).
 */
export const OOM_DEPTH_VARIABLE = 'KLPCHECK_TEST_WORKER_OOM_DEPTH';

/** The largest KLPCHECK_WORKER_HEAP_MIB beside OOM_DEPTH_VARIABLE: each worker made to run out fills its heap. */
export const OOM_DEPTH_HEAP_MAX_MIB = 256;

/**
 * OOM_DEPTH_VARIABLE's items, each a depth and the semantics it is for
 * (undefined: any); a string saying what is wrong when an item is
 * malformed (spaces around an item are left out, as around every number
 * klpcheck reads, and a depth has no leading zero) or two are for the same
 * semantics.
 */
export function outOfMemoryItems(value: string): { readonly semantics?: string; readonly depth: number }[] | string {
  const items: { readonly semantics?: string; readonly depth: number }[] = [];
  for (const item of value.split(',')) {
    const m = /^(?:([^:, ]+):)?(0|[1-9]\d{0,5})$/.exec(item.replace(/^ +| +$/g, ''));
    if (!m) return 'items of D or SEMANTICS:D joined by commas, D a whole number below 1000000';
    if (items.some((i) => i.semantics === m[1])) return `two items for ${m[1] === undefined ? 'every semantics' : m[1]}`;
    items.push({ ...(m[1] === undefined ? {} : { semantics: m[1] }), depth: Number(m[2]) });
  }
  return items;
}

/**
 * The depth from which a worker of `semantics` runs out (OOM_DEPTH_VARIABLE's
 * `value`): its own item's, else the bare D's; Infinity for none, and for a
 * malformed value, which explore and compare --exhaustive refuse before any
 * worker starts (cli/worker-heap.ts).
 */
export function outOfMemoryDepth(value: string | undefined, semantics: string): number {
  const items = outOfMemoryItems(value ?? '');
  if (typeof items === 'string') return Infinity;
  return (items.find((i) => i.semantics === semantics) ?? items.find((i) => i.semantics === undefined))?.depth ?? Infinity;
}

/**
 * Fills this worker's heap until V8 ends the thread, which its Worker then
 * reports as ERR_WORKER_OUT_OF_MEMORY: the failure a real search meets,
 * taken the same way. Set a small heap first: it fills whatever the limit.
 */
export function runOutOfMemory(): never {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length));
}
