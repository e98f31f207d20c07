/**
 * Exhaustive exploration, breadth first, as TLC and Spin do: every state
 * reachable within the scope, each visited once, with the reference
 * implementation in lockstep with the spec model so that conformance and
 * every selected invariant are checked on every transition. With no depth
 * bound the search runs to its fixpoint (every reachable state expanded), and
 * a pass then holds for sequences of any length in the scope.
 *
 * States are packed byte strings (state-key.ts) in an exact visited set
 * (visited.ts); the frontier is a list of state numbers, and a state's
 * objects are rebuilt from its path when it is expanded (expand.ts). A
 * property's first violation in breadth-first order is its shortest
 * counterexample; the search goes on for the other properties. Every
 * property stays checked on every transition even after its first violation:
 * the checkers' memory is part of a state, so it must not depend on when a
 * property was found violated.
 *
 * The level's frontier is expanded in chunks, here or by worker threads
 * (parallel.ts), and the results are taken in frontier order by the one
 * visited set, so every count and counterexample is the same whatever the
 * number of workers.
 */
import type { Universe } from '../../model/kernel/definitions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { applicableProperties, INVARIANTS } from '../../properties/catalog.ts';
import { runSequence, type RunResult } from '../run-sequence.ts';
import { absorbCoverage, Coverage, coverageData, type CoverageData } from './coverage.ts';
import { Expander } from './expand.ts';
import { witnessUniverse } from './summary.ts';
import type { ExploreScope } from './scope.ts';
import { absorbExpansion, ShardLedger, type ShardLedgerData } from './shard-ledger.ts';
import { VisitedSet, type VisitedLimits } from './visited.ts';
import { KlpcheckError } from '../errors.ts';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface ExploreProgress {
  readonly depth: number;
  readonly states: number;
  readonly transitions: number;
}

export interface ExploreOptions {
  readonly semantics: Semantics;
  readonly scope: ExploreScope;
  /** Properties to check (default: conformance and every invariant that applies). */
  readonly properties?: readonly string[];
  /** Explore only the subtrees of this shard (split at splitDepth). */
  readonly shard?: Shard;
  readonly splitDepth?: number;
  /** Polled between chunks: true stops the search cleanly (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /**
   * The state budget: the search stores at most this many distinct states;
   * it stops when it would store one more, and reports the levels it
   * expanded in full (see StateBudget). A budget of exactly a space's size
   * reaches its fixpoint. Not with `shard`: each shard would stop at a
   * different depth.
   */
  readonly maxStates?: number;
  /**
   * The visited set's limits (visited.ts; default VISITED_LIMITS): a full set
   * stops the search as a spent budget does, and a shard with an E_USAGE
   * error, since its result cannot say where it stopped. Tests give less.
   */
  readonly limits?: VisitedLimits;
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Expands chunks elsewhere (worker threads); default: here. */
  readonly expandChunks?: ChunkExpander;
  /**
   * Asked of a chunk's failure (expandChunks' rejection): true stops the
   * search as shouldStop does, the level under way given up (parallel.ts: a
   * worker out of memory); false, or none given, lets the failure end it.
   */
  readonly stopOnFailure?: (e: unknown) => boolean;
}

export interface FoundViolation {
  readonly property: string;
  readonly depth: number;
  readonly universe: Universe;
  readonly result: RunResult;
}

/**
 * Where a state budget (ExploreOptions.maxStates) stopped a search: in the
 * expansion of depth `inDepth`, where it found more than `states` distinct
 * states (the roots included).
 * The result then is that of a search bounded at depth inDepth - 1, count for
 * count (states, transitions, coverage): the level under way is not claimed,
 * as a Ctrl-C's is not. The successors are taken in frontier order, whatever
 * the number of workers, so the stop, and every violation found in the level
 * under way before it (each the shortest: every shorter sequence was
 * checked), are the same on every run. Spin's `-m` depth bound and TLC's
 * state-queue limits stop a search by size the same way.
 */
export interface StateBudget {
  /** The budget (--max-states); or, with `capacity`, the states stored when the set was full. */
  readonly states: number;
  readonly inDepth: number;
  /**
   * Set when the visited set was full, not the budget spent (visited.ts
   * VisitedSet.full: what ran out, "16 GiB of stored states"): the packed
   * search stops there as at a budget, claiming the levels expanded in full.
   */
  readonly capacity?: string;
  /**
   * Set when a worker thread ran out of memory, not the budget spent
   * (compare --exhaustive; worker-failure.ts): its heap limit,
   * "KLPCHECK_WORKER_HEAP_MIB=32", node's flag in effect
   * ("--max-old-space-size=56") or "node's default" (cli/worker-heap.ts
   * workerHeapWords). `states` is
   * what was stored then; the level under way, `inDepth`, was given up, as
   * a Ctrl-C gives it up, so its states and transitions are counted and not
   * claimed.
   */
  readonly workerHeap?: string;
}

export interface ExploreResult {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly shard?: Shard;
  /** Present when the state budget stopped the search: the result is then complete up to depthReached. */
  readonly stateBudget?: StateBudget;
  /** False when stopped (Ctrl-C) before the depth bound, the fixpoint or the state budget. */
  readonly complete: boolean;
  /** True when the frontier emptied: every reachable state in the scope was expanded. */
  readonly fixpoint: boolean;
  /** Levels fully expanded (the longest sequences checked); at the fixpoint, the depth of the deepest state. */
  readonly depthReached: number;
  readonly distinctStates: number;
  /** Distinct states projected to the spec level (what the Promela model counts). */
  readonly specStates: number;
  readonly transitions: number;
  readonly statesPerDepth: readonly number[];
  readonly properties: readonly string[];
  readonly violations: readonly FoundViolation[];
  readonly coverage: Coverage;
  /** The visited states, for merging shards; each ends with a checker-memory id (u16) into `memories`. */
  readonly visited: VisitedSet;
  readonly memories: readonly string[];
  /** A shard's per-state depths and expansions, so that a merge counts each state and transition once (shard-ledger.ts). */
  readonly ledger?: ShardLedgerData;
  /**
   * Bytes held: the visited set (arena, offsets, table) with each state's
   * parent link (8 bytes: parent, step, root) for paths; the spec-level set
   * that only counts spec states (for Spin); the largest frontier (states).
   */
  readonly memory: {
    readonly visitedBytes: number;
    readonly arenaBytes: number;
    readonly specCountBytes: number;
    readonly maxFrontier: number;
  };
}

/** One state to expand: its root and path (successor positions). */
export interface ChunkItem {
  readonly root: number;
  readonly path: readonly number[];
}

/**
 * What expanding a chunk gives, as plain data in frontier order: per state
 * the number of successors; per successor its position, its spec key length
 * and its memory string (index into `memories`); the keys end to end in
 * `keys`; the violations by successor number.
 */
export interface ChunkResult {
  readonly counts: Uint16Array;
  readonly positions: Uint16Array;
  readonly keyLengths: Uint8Array;
  readonly specLengths: Uint8Array;
  readonly memoryIds: Uint16Array;
  readonly memories: readonly string[];
  readonly keys: Uint8Array;
  readonly violations: readonly { readonly successor: number; readonly property: string }[];
  readonly coverage: CoverageData;
  /** Shards only: per state of the chunk, its expansion's key (shard-ledger.ts). */
  readonly expansions?: readonly string[];
}

/**
 * Expands chunks: a worker pool, or expandChunk below in this thread.
 * `width` is how many chunks the search keeps in flight (1 in this thread;
 * a few per worker, so none waits while the search absorbs a result).
 */
export interface ChunkExpander {
  readonly width: number;
  expand(chunk: readonly ChunkItem[]): ChunkResult | Promise<ChunkResult>;
}

/** Expands one chunk with an Expander (in this thread or a worker). */
export function expandChunk(ex: Expander, items: readonly ChunkItem[], perState = false): ChunkResult {
  const counts = new Uint16Array(items.length);
  const positions: number[] = [];
  const keyLengths: number[] = [];
  const specLengths: number[] = [];
  const memoryIds: number[] = [];
  const memories: string[] = [];
  const memoryIndex = new Map<string, number>();
  // The keys end to end, written straight into one growing buffer: a copy per successor was a measurable share
  // of the explorer's allocation (issue 11).
  let keys = new Uint8Array(items.length * 128);
  let total = 0;
  const violations: { successor: number; property: string }[] = [];
  const coverage = new Coverage();
  const expansions: string[] = [];
  items.forEach((item, i) => {
    ex.expand(item.root, item.path, (s, memory) => {
      counts[i]!++;
      for (const v of s.found) violations.push({ successor: positions.length, property: v.invariant });
      positions.push(s.pos);
      keyLengths.push(s.keys.full.length);
      specLengths.push(s.keys.spec.length);
      let m = memoryIndex.get(memory);
      if (m === undefined) memoryIndex.set(memory, (m = memories.push(memory) - 1));
      memoryIds.push(m);
      const full = s.keys.full;
      if (total + full.length > keys.length) {
        const grown = new Uint8Array(Math.max(2 * keys.length, total + full.length));
        grown.set(keys.subarray(0, total));
        keys = grown;
      }
      keys.set(full, total);
      total += full.length;
    });
    if (perState) expansions.push(absorbExpansion(coverage, ex.coverage));
  });
  absorbCoverage(coverage, coverageData(ex.coverage));
  ex.coverage.outcomes.clear();
  ex.coverage.reached.clear();
  return {
    counts,
    positions: Uint16Array.from(positions),
    keyLengths: Uint8Array.from(keyLengths),
    specLengths: Uint8Array.from(specLengths),
    memoryIds: Uint16Array.from(memoryIds),
    memories,
    keys: keys.slice(0, total),
    violations,
    coverage: coverageData(coverage),
    ...(perState ? { expansions } : {}),
  };
}

/** The properties a search checks (properties/catalog.ts), here for the explorer's callers. */
export { applicableProperties };

/** States per chunk at most: large enough to amortise a worker message, small enough to poll for a stop often. */
const CHUNK = 256;
/** States per chunk at least, when the end of a level is split finer. */
const MIN_CHUNK = 16;

/**
 * The size of the next chunk when `remaining` states of the level are not
 * yet issued and `width` chunks are kept in flight: CHUNK, or less towards
 * the end of a level (guided scheduling, as OpenMP's): each chunk takes at
 * most half of what is left per slot, so the level ends with small
 * chunks on every worker instead of one large one on a single worker while
 * the others wait at the level's barrier. It also shares the small first
 * levels among the workers, each of which pays its own JIT warm-up. The size
 * changes only the grouping: results are taken in frontier order, so counts
 * and counterexamples are the same.
 */
export function chunkSize(remaining: number, width: number): number {
  return Math.min(CHUNK, Math.max(MIN_CHUNK, Math.ceil(remaining / (2 * width))));
}

/** A growable typed array of state numbers or positions. */
class Column<T extends Int32Array | Uint16Array> {
  constructor(public data: T) {}
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const d = new (this.data.constructor as new (n: number) => T)(Math.max(i + 1, this.data.length * 2));
      d.set(this.data);
      this.data = d;
    }
    this.data[i] = v;
  }
}

/** The search in this thread (or with a synchronous chunk expander). */
export function explore(o: ExploreOptions): ExploreResult {
  const result = exploreAsync(o);
  if (result instanceof Promise) throw new Error('explore: use exploreAsync with an asynchronous chunk expander');
  return result;
}

/** The search; synchronous when the chunk expander is (then the result is not a promise). */
export function exploreAsync(o: ExploreOptions): ExploreResult | Promise<ExploreResult> {
  const { semantics: sem, scope } = o;
  const properties = applicableProperties(sem, o.properties);
  if (o.maxStates !== undefined && o.shard) throw new Error('explore: a state budget would stop each shard at its own depth');
  const ex = new Expander(sem, scope, properties);
  const ledger = o.shard ? new ShardLedger() : undefined;
  const expander: ChunkExpander = o.expandChunks ?? { width: 1, expand: (chunk) => expandChunk(ex, chunk, ledger !== undefined) };
  const visited = new VisitedSet(false, o.limits);
  const specVisited = new VisitedSet();
  const memIds = new Map<string, number>();
  const parent = new Column(new Int32Array(1 << 12));
  const via = new Column(new Uint16Array(1 << 12));
  const rootOf = new Column(new Uint16Array(1 << 12));
  const done = new Set<string>();
  const violations: FoundViolation[] = [];
  const coverage = new Coverage();
  const statesPerDepth: number[] = [];
  let transitions = 0;
  let maxFrontier = 0;
  const keyBuf = new Uint8Array(258);
  /** The level under way: 1 while the roots' successors are taken. */
  let depth = 0;
  /** Set when the state budget ran out, or the visited set was full; the counts go back to `levelStart`, those of the levels expanded in full. */
  let budgetHit: StateBudget | null = null;

  const memoryId = (m: string) => {
    let id = memIds.get(m);
    if (id === undefined) memIds.set(m, (id = memIds.size));
    if (id > 0xffff) throw new Error('explore: more than 65536 distinct checker memories');
    return id;
  };
  /**
   * The state whose full key is `keys[offset, offset + length)` (its spec key the first `specLength` bytes),
   * with its memory id (u16) appended: the state's identity. Offsets, not views: this runs on every transition.
   */
  const add = (
    keys: Uint8Array,
    offset: number,
    length: number,
    specLength: number,
    memory: number,
    from: number,
    pos: number,
    root: number,
  ) => {
    for (let i = 0; i < length; i++) keyBuf[i] = keys[offset + i]!;
    keyBuf[length] = memory & 0xff;
    keyBuf[length + 1] = memory >>> 8;
    // A full set stops the search as a spent budget does (packed/search.ts BreadthFirst.take): null.
    const full = visited.refuses(keyBuf, length + 2);
    if (full !== undefined) {
      if (o.shard)
        throw new KlpcheckError(
          'E_USAGE',
          `explore: the visited set is full (${full}) in depth ${depth}, and a shard's result cannot say where it stopped; bound the depth in --scope`,
        );
      budgetHit = { states: visited.size, inDepth: depth, capacity: full };
      return null;
    }
    const r = visited.add(keyBuf, length + 2);
    if (r.added) {
      parent.set(r.index, from);
      via.set(r.index, pos);
      rootOf.set(r.index, root);
      if (specLength) specVisited.add(keyBuf, specLength);
    }
    return r;
  };
  const pathTo = (id: number): number[] => {
    const path: number[] = [];
    for (let n = id; parent.data[n]! >= 0; n = parent.data[n]!) path.push(via.data[n]!);
    return path.reverse();
  };

  let level: number[] = [];
  for (let root = 0; root < ex.rootCount; root++) {
    const { keys, memory } = ex.rootKeys(root);
    // The roots are a handful of states: they fit.
    const r = add(keys.full, 0, keys.full.length, keys.spec.length, memoryId(memory), -1, 0, root)!;
    if (r.added) level.push(r.index);
  }
  statesPerDepth.push(level.length);
  ledger?.levelEnd(visited.size);

  let stopped = false;
  const bound = scope.depth ?? Infinity;
  /** The counts when the level under way began. */
  let levelStart: { states: number; specStates: number; transitions: number; coverage: CoverageData };

  /** Takes one chunk's result, in frontier order. */
  const absorb = (items: readonly number[], r: ChunkResult, next: number[]) => {
    // Past the budget nothing more is taken (drain stops too, so as not to wait for the chunks in flight).
    if (budgetHit) return;
    absorbCoverage(coverage, r.coverage);
    // The chunk's memory strings, numbered once per chunk rather than looked up per successor.
    const chunkMemoryIds = r.memories.map(memoryId);
    let k = 0;
    let keyOffset = 0;
    let vi = 0;
    for (let i = 0; i < r.counts.length; i++) {
      const from = items[i]!;
      ledger?.expandedAs(from, r.expansions?.[i]);
      for (let c = 0; c < r.counts[i]!; c++, k++) {
        transitions++;
        for (; vi < r.violations.length && r.violations[vi]!.successor === k; vi++) {
          const prop = r.violations[vi]!.property;
          if (done.has(prop)) continue;
          done.add(prop);
          const decoded = ex.decode(rootOf.data[from]!, [...pathTo(from), r.positions[k]!]);
          const { ops } = decoded;
          const universe = witnessUniverse({ property: prop, depth, ...decoded, reason: '' }, sem, scope);
          const inv = INVARIANTS.find((x) => x.id === prop);
          const result = runSequence(universe, sem, ops, { invariants: inv ? [inv] : [], conformance: !inv, funcs: ex.runOpts.funcs });
          violations.push({ property: prop, depth, universe, result });
        }
        const len = r.keyLengths[k]!;
        const added = add(
          r.keys,
          keyOffset,
          len,
          r.specLengths[k]!,
          chunkMemoryIds[r.memoryIds[k]!]!,
          from,
          r.positions[k]!,
          rootOf.data[from]!,
        );
        if (!added) return;
        keyOffset += len;
        if (added.added) next.push(added.index);
        if (o.maxStates !== undefined && visited.size > o.maxStates) {
          budgetHit = { states: o.maxStates, inDepth: depth };
          return;
        }
      }
    }
  };

  const { width } = expander;
  const levelLoop = (): ExploreResult | Promise<ExploreResult> => {
    while (depth < bound && level.length && !stopped && !budgetHit) {
      levelStart = { states: visited.size, specStates: specVisited.size, transitions, coverage: coverageData(coverage) };
      depth++;
      // Said as the level begins too: a worker that fails on its first chunk names this depth (parallel.ts), not the last.
      o.onProgress?.({ depth, states: visited.size, transitions });
      const next: number[] = [];
      // A pipeline: up to `width` chunks in flight, taken in frontier order
      // as they arrive, so the workers expand while this thread absorbs.
      const inFlight: { items: number[]; result: ChunkResult | Promise<ChunkResult> }[] = [];
      let start = 0;
      const issue = () => {
        while (inFlight.length < width && start < level.length && !stopped) {
          if (o.shouldStop?.()) {
            stopped = true;
            break;
          }
          const items = level.slice(start, start + chunkSize(level.length - start, width));
          start += items.length;
          inFlight.push({ items, result: expander.expand(items.map((s) => ({ root: rootOf.data[s]!, path: pathTo(s) }))) });
        }
      };
      const drain = (): void | Promise<void> => {
        issue();
        while (inFlight.length) {
          const head = inFlight[0]!;
          if (head.result instanceof Promise)
            return head.result.then(
              (r) => {
                head.result = r;
                return drain();
              },
              (e: unknown) => {
                if (!o.stopOnFailure?.(e)) throw e;
                stopped = true;
              },
            );
          inFlight.shift();
          absorb(head.items, head.result, next);
          // The chunks still in flight are past the budget: absorb would not take them, so none is waited for.
          if (budgetHit) return;
          o.onProgress?.({ depth, states: visited.size, transitions });
          issue();
        }
      };
      const finishLevel = () => {
        if (stopped || budgetHit) {
          depth--;
          return;
        }
        maxFrontier = Math.max(maxFrontier, level.length, next.length);
        if (o.shard && depth === (o.splitDepth ?? 2)) {
          const { index, count } = o.shard;
          level = next.filter((_, i) => i % count === index);
        } else level = next;
        statesPerDepth.push(level.length);
        ledger?.levelEnd(visited.size);
      };
      const pending = drain();
      if (pending instanceof Promise) return pending.then(finishLevel).then(levelLoop);
      finishLevel();
    }
    if (budgetHit) {
      // The level under way is not claimed: the counts are those of the levels expanded in full.
      transitions = levelStart.transitions;
      coverage.outcomes.clear();
      coverage.reached.clear();
      absorbCoverage(coverage, levelStart.coverage);
    }
    return {
      semantics: sem.name,
      scope,
      ...(o.shard ? { shard: o.shard } : {}),
      ...(budgetHit ? { stateBudget: budgetHit } : {}),
      complete: !stopped,
      // A budget that ran out left the level under way unfinished: never a fixpoint.
      fixpoint: !stopped && level.length === 0,
      // At the fixpoint the last level found nothing new: the deepest states are one level up (the diameter).
      depthReached: !stopped && level.length === 0 ? Math.max(0, depth - 1) : depth,
      distinctStates: budgetHit ? levelStart.states : visited.size,
      specStates: budgetHit ? levelStart.specStates : specVisited.size,
      transitions,
      statesPerDepth,
      properties,
      violations,
      coverage,
      visited,
      memories: [...memIds.keys()],
      ...(ledger ? { ledger: ledger.data(visited.size) } : {}),
      memory: {
        visitedBytes: visited.bytesUsed() + visited.size * 8,
        arenaBytes: visited.arenaBytes(),
        specCountBytes: specVisited.bytesUsed(),
        maxFrontier,
      },
    };
  };
  return levelLoop();
}
