/**
 * The packed engine's breadth-first search: the explorer's (explorer.ts)
 * over a model whose states are byte strings and whose successors are
 * computed on bytes (PackedSpace), so that no objects are rebuilt, copied
 * or collected per transition. States live in the exact visited set
 * (visited.ts: full state storage, no fingerprints), and the frontier is a
 * list of state numbers, 4 bytes an entry.
 *
 * It counts and bounds as explore does: with no depth bound it runs to the
 * fixpoint; a depth bound stops it after that many levels; a state budget
 * stops it when it would store one more state than the budget and reports
 * the levels it expanded in full (explorer.ts StateBudget).
 */
import { VisitedSet } from '../visited.ts';

/** A model the packed search can explore. */
export interface PackedSpace {
  /** The keys of the initial states. */
  roots(): Uint8Array[];
  /**
   * Calls `emit` for every successor of the state `key`, in the order of its
   * successor list, with the successor's key (`out[0, length)`, valid only
   * during the call) and its position in that list.
   */
  expand(key: Uint8Array, emit: (out: Uint8Array, length: number, pos: number) => void): void;
}

export interface PackedSearchOptions {
  /** Levels to expand; absent: to the fixpoint. */
  readonly depth?: number;
  /** Distinct states to store at most (explorer.ts ExploreOptions.maxStates). */
  readonly maxStates?: number;
  /** Keep each state's parent and successor position (6 bytes a state), so that pathTo can name a shortest path. */
  readonly paths?: boolean;
}

export interface PackedSearchResult {
  /** True when the frontier emptied: every reachable state was expanded. */
  readonly fixpoint: boolean;
  /** Levels expanded in full; at the fixpoint, the depth of the deepest state. */
  readonly depthReached: number;
  /** Set when the state budget stopped the search in the expansion of level `inDepth`. */
  readonly stateBudget?: { readonly states: number; readonly inDepth: number };
  readonly distinctStates: number;
  /** Successors computed: one per applicable op of every expanded state, as explore counts them. */
  readonly transitions: number;
  /** New states per level, the roots first. */
  readonly statesPerDepth: readonly number[];
  /** Bytes of the stored states themselves (the arena), and of the whole visited set with its table. */
  readonly arenaBytes: number;
  readonly visitedBytes: number;
  /** The largest frontier, in states (4 bytes each). */
  readonly maxFrontier: number;
  readonly visited: VisitedSet;
  /**
   * With `paths`: the successor positions from the root to state `index`
   * (its number in `visited`), a shortest path, since the search is breadth
   * first; the first one found among the equally short.
   */
  readonly pathTo?: (index: number) => number[];
}

/** Explores `space` breadth first. */
export function packedSearch(space: PackedSpace, o: PackedSearchOptions = {}): PackedSearchResult {
  const visited = new VisitedSet();
  let level = new Int32Array(1024);
  let levelLength = 0;
  let next = new Int32Array(1024);
  let nextLength = 0;
  for (const key of space.roots()) {
    const index = visited.insert(key, key.length);
    if (index >= 0) {
      if (levelLength === level.length) level = grow(level);
      level[levelLength++] = index;
    }
  }
  const statesPerDepth = [levelLength];
  const roots = visited.size;
  let transitions = 0;
  let depth = 0;
  let maxFrontier = levelLength;
  const bound = o.depth ?? Infinity;
  const budget = o.maxStates ?? Infinity;
  let budgetHit: { states: number; inDepth: number } | undefined;
  let levelStart = { states: visited.size, transitions };
  let parent = new Int32Array(o.paths ? 1024 : 0);
  let via = new Uint16Array(o.paths ? 1024 : 0);
  /** The state being expanded, for the parent links. */
  let from = -1;
  const emit = (out: Uint8Array, length: number, pos: number) => {
    transitions++;
    if (budgetHit) return;
    const index = visited.insert(out, length);
    if (index < 0) return;
    if (o.paths) {
      if (index >= parent.length) {
        const p = new Int32Array(parent.length * 2);
        p.set(parent);
        parent = p;
        const v = new Uint16Array(via.length * 2);
        v.set(via);
        via = v;
      }
      parent[index] = from;
      via[index] = pos;
    }
    if (visited.size > budget) {
      budgetHit = { states: budget, inDepth: depth };
      return;
    }
    if (nextLength === next.length) next = grow(next);
    next[nextLength++] = index;
  };
  while (depth < bound && levelLength && !budgetHit) {
    levelStart = { states: visited.size, transitions };
    depth++;
    nextLength = 0;
    for (let i = 0; i < levelLength && !budgetHit; i++) space.expand(visited.get((from = level[i]!)), emit);
    if (budgetHit) {
      depth--;
      break;
    }
    [level, next] = [next, level];
    levelLength = nextLength;
    maxFrontier = Math.max(maxFrontier, levelLength);
    statesPerDepth.push(levelLength);
  }
  const fixpoint = !budgetHit && levelLength === 0;
  return {
    fixpoint,
    depthReached: fixpoint ? Math.max(0, depth - 1) : depth,
    ...(budgetHit ? { stateBudget: budgetHit } : {}),
    distinctStates: budgetHit ? levelStart.states : visited.size,
    transitions: budgetHit ? levelStart.transitions : transitions,
    statesPerDepth,
    arenaBytes: visited.arenaBytes(),
    visitedBytes: visited.bytesUsed(),
    maxFrontier,
    visited,
    ...(o.paths
      ? {
          pathTo: (index: number) => {
            const path: number[] = [];
            // The roots were stored first, before any parent link: their states are numbered below `roots`.
            for (let n = index; n >= roots; n = parent[n]!) path.push(via[n]!);
            return path.reverse();
          },
        }
      : {}),
  };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
