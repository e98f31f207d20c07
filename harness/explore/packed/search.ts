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
import type { StateBudget } from '../explorer.ts';
import { VisitedSet, type VisitedLimits } from '../visited.ts';

/** A model the packed search can explore. */
export interface PackedSpace {
  /** The keys of the initial states. */
  roots(): Uint8Array[];
  /**
   * Calls `emit` for every successor of the state `key`, in the order of its
   * successor list, with the successor's key (`out[0, length)`, valid only
   * during the call), its position in that list and the properties the
   * transition violates (bit i for properties[i]; 0 or absent for none).
   * A successor that is the state itself may be emitted as `key`, the very
   * object: the search then counts it without looking it up. So may one
   * that `stored` says the search has: `stored(out, length)` tells whether
   * the search has the state `out[0, length)` stored (a worker: whether it
   * found it stored), for a space that decides part of a successor's key
   * only for a state not stored (the lockstep's conformance, lockstep.ts
   * settle). A search may leave `stored` out.
   */
  expand(
    key: Uint8Array,
    emit: (out: Uint8Array, length: number, pos: number, violated?: number) => void,
    stored?: (out: Uint8Array, length: number) => boolean,
  ): void;
  /**
   * The properties the successor just emitted violates by itself, as bits
   * of `properties` (a lockstep's invariants' state parts, invariants.ts
   * PackedCheckParts): asked during `emit`, of a successor the search had
   * not stored (a worker: had not found stored), and of no other. Absent:
   * every property is a transition's, and comes with `emit`.
   */
  violatedByNewState?(): number;
  /** The properties a space checks on every transition, named as the catalog names them (none when absent). */
  readonly properties?: readonly string[];
  /**
   * The coverage counts (coverage.ts) of the transitions since the last
   * call, which start again from 0; undefined when the space counts none.
   */
  takeCoverage?(): Float64Array | undefined;
  /**
   * What tells which new successors a stored state covers, so that the
   * search does not store them (a lockstep's states past a conformance
   * break: covered-past-break.ts), over the search's visited set; absent
   * or undefined: every state is stored.
   */
  covering?(visited: VisitedSet): Covering | undefined;
}

/** PackedSpace.covering's answer: covered-past-break.ts CoveredPastBreak. */
export interface Covering {
  /** Whether the successor `key[0, length)`, which the search has not stored, is covered by a stored state; counted in `covered` when it is. */
  covers(key: Uint8Array, length: number): boolean;
  /** Successors covered so far. */
  readonly covered: number;
  /** Bytes it holds. */
  bytes(): number;
}

/** A property's first violation in breadth-first order: on a transition out of a state at depth - 1, so a shortest one. */
export interface PackedViolation {
  readonly property: string;
  /** The counterexample's length in steps. */
  readonly depth: number;
  /** With `paths`: its successor positions from the root, the violating step last. */
  readonly path?: readonly number[];
  /** With `paths`: the number of the state it was found from (its key names the root the path starts at). */
  readonly from?: number;
}

/** A search's bounds: none runs it to its fixpoint. */
export interface PackedSearchOptions {
  /** Levels to expand; absent: to the fixpoint. */
  readonly depth?: number;
  /** Distinct states to store at most (explorer.ts ExploreOptions.maxStates). */
  readonly maxStates?: number;
  /** Keep each state's parent and successor position (6 bytes a state), so that pathTo can name a shortest path. */
  readonly paths?: boolean;
  /** The visited set's limits (visited.ts; default VISITED_LIMITS): tests give less, to fill it. */
  readonly limits?: VisitedLimits;
  /**
   * Store every new state, covered or not (PackedSpace.covering): the
   * object explorer's count, state for state, for the tests that compare
   * the two engines. Default false.
   */
  readonly storeEveryState?: boolean;
  /** Called after each level expanded in full: its depth, and the states stored and transitions made so far (bench progress). */
  readonly onLevel?: (depth: number, states: number, transitions: number) => void;
}

/** What a search found, counted as explore counts (explorer.ts ExploreResult). */
export interface PackedSearchResult {
  /** True when the frontier emptied: every reachable state was expanded. */
  readonly fixpoint: boolean;
  /** False when stopped (BreadthFirst.stop, Ctrl-C) before the depth bound, the fixpoint or the budget: the level under way is not claimed, but its states and transitions are counted, as explore counts them. */
  readonly complete: boolean;
  /** Levels expanded in full; at the fixpoint, the depth of the deepest state. */
  readonly depthReached: number;
  /** Set when the state budget, or the visited set's capacity (`capacity`), stopped the search in the expansion of level `inDepth`. */
  readonly stateBudget?: StateBudget;
  /** States stored, the roots included; under a budget, those of the levels expanded in full. */
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
  /**
   * The states, numbered in the order they were found. After a budget stop
   * it also holds the level under way's states and the one past the budget,
   * which distinctStates does not count.
   */
  readonly visited: VisitedSet;
  /**
   * With `paths`: the successor positions from the root to state `index`
   * (its number in `visited`), a shortest path, since the search is breadth
   * first; the first one found among the equally short.
   */
  readonly pathTo?: (index: number) => number[];
  /** Each violated property's first violation, in the order found. */
  readonly violations: readonly PackedViolation[];
  /** The space's coverage counts (PackedSpace.takeCoverage), when it counts any; under a budget, those of the levels expanded in full. */
  readonly coverage?: Float64Array;
  /** Bytes of the covering's index (PackedSpace.covering), beside the visited set's; 0 without one. */
  readonly coveringBytes: number;
  /** Successors not stored because a stored state covers them (PackedSpace.covering), each time one was reached; under a budget, in the levels expanded in full; 0 when none was. */
  readonly covered: number;
}

/**
 * Explores `space` breadth first, in this thread (parallel.ts shares the work
 * among worker threads). The depth bound is `o.depth` alone: a model's scope
 * may name one, which this does not read (packedSearchParallel takes the
 * scope's), so a caller passes `{ depth: scope.depth }`.
 */
export function packedSearch(space: PackedSpace, o: PackedSearchOptions = {}): PackedSearchResult {
  const bf = new BreadthFirst(space.roots(), o, false, space.properties);
  bf.coverWith(space);
  let from = -1;
  let key: Uint8Array | null = null;
  const onNew = space.violatedByNewState?.bind(space);
  const emit = (out: Uint8Array, length: number, pos: number, violated?: number) => {
    bf.transitions++;
    if (violated) bf.found(violated, from, pos);
    if (out !== key) bf.take(out, length, from, pos, onNew);
  };
  const stored = (out: Uint8Array, length: number) => bf.visited.has(out, length);
  while (bf.beginLevel()) {
    for (let i = 0; i < bf.levelLength && !bf.budgetHit; i++) space.expand((key = bf.visited.get((from = bf.level[i]!))), emit, stored);
    bf.addCoverage(space.takeCoverage?.());
    bf.endLevel();
    if (!bf.budgetHit) o.onLevel?.(bf.depth, bf.visited.size, bf.transitions);
  }
  return bf.result();
}

/**
 * The bookkeeping of a breadth-first search, which the search in this
 * thread and the parallel one (parallel.ts) share, so that they count, bound,
 * number states and link parents alike: the visited set, the level being
 * expanded and the next one, the parent links, the counts and the budget.
 * Successors must be taken (take) in frontier order, each state's in the
 * order of its successor list.
 */
export class BreadthFirst {
  readonly visited: VisitedSet;
  /** The level being expanded: state numbers, the first levelLength of them, in frontier order. */
  level = new Int32Array(1024);
  levelLength = 0;
  /** Successors computed so far; the caller counts them (a worker's are counted in its chunk). */
  transitions = 0;
  /** Set when a take would have stored one state more than the budget, or than the visited set holds; nothing more is taken then. */
  budgetHit: StateBudget | undefined;
  /** Set by stop(): no level begins after the one under way, which does not count as expanded. */
  private stopped = false;
  private next = new Int32Array(1024);
  private nextLength = 0;
  private readonly statesPerDepth: number[];
  private readonly roots: number;
  /** The level under way: 1 while the roots' successors are taken. */
  depth = 0;
  private maxFrontier: number;
  private levelStart: { readonly states: number; readonly transitions: number; readonly covered: number };
  private parent: Int32Array<ArrayBuffer>;
  private via: Uint16Array<ArrayBuffer>;
  /** Coverage counts taken so far, and as they were when the level under way began (PackedSpace.takeCoverage). */
  private coverage: Float64Array | undefined;
  private levelStartCoverage: Float64Array | undefined;
  /** First violations: property index -> where (the state it was found from, the successor position, the depth). */
  private readonly firsts = new Map<number, { readonly from: number; readonly pos: number; readonly depth: number }>();

  constructor(
    roots: readonly Uint8Array[],
    private readonly o: PackedSearchOptions,
    shared: boolean,
    /** The space's properties (PackedSpace.properties): the names of the bits `found` takes. */
    private readonly properties: readonly string[] = [],
  ) {
    this.visited = new VisitedSet(shared, o.limits);
    for (const key of roots) {
      const index = this.visited.insert(key, key.length);
      if (index >= 0) {
        if (this.levelLength === this.level.length) this.level = grow(this.level);
        this.level[this.levelLength++] = index;
      }
    }
    this.statesPerDepth = [this.levelLength];
    this.roots = this.visited.size;
    this.maxFrontier = this.levelLength;
    this.levelStart = { states: this.visited.size, transitions: 0, covered: 0 };
    this.parent = new Int32Array(o.paths ? 1024 : 0);
    this.via = new Uint16Array(o.paths ? 1024 : 0);
  }

  /** What covers new successors (PackedSpace.covering), unless the options store every state. */
  private covering: Covering | undefined;

  /** Lets `space` say which new successors a stored state covers (PackedSpace.covering); call before the first level. */
  coverWith(space: PackedSpace): void {
    if (!this.o.storeEveryState) this.covering = space.covering?.(this.visited);
  }

  /** Starts the next level; false when the search is over (bound, fixpoint or budget). */
  beginLevel(): boolean {
    if (this.depth >= (this.o.depth ?? Infinity) || !this.levelLength || this.budgetHit || this.stopped) return false;
    this.levelStart = { states: this.visited.size, transitions: this.transitions, covered: this.covering?.covered ?? 0 };
    this.levelStartCoverage = this.coverage?.slice();
    this.depth++;
    this.nextLength = 0;
    return true;
  }

  /**
   * Records that successor `pos` of state `from` violates the properties of
   * bitmask `violated`; only each one's first violation is kept (under a
   * budget, one the level under way found too).
   */
  found(violated: number, from: number, pos: number): void {
    if (this.budgetHit) return;
    for (let i = 0; i < this.properties.length; i++)
      if (violated & (1 << i) && !this.firsts.has(i)) this.firsts.set(i, { from, pos, depth: this.depth });
  }

  /** Adds coverage counts of transitions of the level under way (none when undefined). */
  addCoverage(counts: Float64Array | undefined): void {
    if (!counts) return;
    if (!this.coverage) this.coverage = new Float64Array(counts.length);
    for (let i = 0; i < counts.length; i++) this.coverage[i]! += counts[i]!;
  }

  /**
   * Takes successor `pos` of state `from`, `key[0, length)`: a new state
   * joins the next level, and `onNew` (PackedSpace.violatedByNewState) says
   * what it violates by itself, before the budget is checked, as `found`
   * is told of the step's own violations before the take.
   */
  take(key: Uint8Array, length: number, from: number, pos: number, onNew?: () => number): void {
    if (this.budgetHit) return;
    // One lookup: a stored successor is taken no further, and a new one is stored at the slot this found. Asked first
    // whether a stored state covers it, a successor past a break was looked up twice when stored (2026-12-07).
    if (this.visited.probe(key, length) < 0) return;
    // A covered successor is new, and not stored: what it violates by itself is found, as for one stored.
    if (this.covering?.covers(key, length)) {
      const violated = onNew?.();
      if (violated) this.found(violated, from, pos);
      return;
    }
    // A full set stops the search as a spent budget does, at the first new state it cannot hold (an exit 70 after
    // minutes of a whole-space search had been all the user got).
    const full = this.visited.full(length);
    if (full !== undefined) {
      // What the state violates by itself is found first, as a spent budget finds it of the state past the budget
      // and the workers of every state they send: else one thread and two told apart at a full set.
      const violated = onNew?.();
      if (violated) this.found(violated, from, pos);
      this.budgetHit = { states: this.visited.size, inDepth: this.depth, capacity: full };
      return;
    }
    const index = this.visited.insertProbed(key, length);
    const violated = onNew?.();
    if (violated) this.found(violated, from, pos);
    if (this.o.paths) {
      if (index >= this.parent.length) {
        const p = new Int32Array(this.parent.length * 2);
        p.set(this.parent);
        this.parent = p;
        const v = new Uint16Array(this.via.length * 2);
        v.set(this.via);
        this.via = v;
      }
      this.parent[index] = from;
      this.via[index] = pos;
    }
    if (this.visited.size > (this.o.maxStates ?? Infinity)) {
      this.budgetHit = { states: this.o.maxStates!, inDepth: this.depth };
      return;
    }
    if (this.nextLength === this.next.length) this.next = grow(this.next);
    this.next[this.nextLength++] = index;
  }

  /** Stops the search: the level under way ends with what was taken, and is not claimed (explorer.ts, Ctrl-C). */
  stop(): void {
    this.stopped = true;
  }

  /** Ends the level: the next one becomes the frontier (a level the budget or a stop cut short is not claimed). */
  endLevel(): void {
    if (this.budgetHit || this.stopped) {
      this.depth--;
      return;
    }
    [this.level, this.next] = [this.next, this.level];
    this.levelLength = this.nextLength;
    this.maxFrontier = Math.max(this.maxFrontier, this.levelLength);
    this.statesPerDepth.push(this.levelLength);
  }

  /** The search's result: under a budget, the counts of the levels expanded in full. */
  result(): PackedSearchResult {
    const fixpoint = !this.budgetHit && !this.stopped && this.levelLength === 0;
    const { parent, via, roots } = this;
    const pathTo = (index: number) => {
      // A state number outside the set had given a plausible path to nothing (hostile-user test, 2026-12-02).
      if (!Number.isInteger(index) || index < 0 || index >= this.visited.size)
        throw new RangeError(`packed: no state ${index} (states are numbered 0 to ${this.visited.size - 1})`);
      const path: number[] = [];
      // The roots were stored first, before any parent link: their states are numbered below `roots`.
      for (let n = index; n >= roots; n = parent[n]!) path.push(via[n]!);
      return path.reverse();
    };
    const violations = [...this.firsts].map(([i, f]) => ({
      property: this.properties[i]!,
      depth: f.depth,
      ...(this.o.paths ? { path: [...pathTo(f.from), f.pos], from: f.from } : {}),
    }));
    return {
      fixpoint,
      complete: !this.stopped,
      depthReached: fixpoint ? Math.max(0, this.depth - 1) : this.depth,
      ...(this.budgetHit ? { stateBudget: this.budgetHit } : {}),
      distinctStates: this.budgetHit ? this.levelStart.states : this.visited.size,
      transitions: this.budgetHit ? this.levelStart.transitions : this.transitions,
      statesPerDepth: this.statesPerDepth,
      arenaBytes: this.visited.arenaBytes(),
      visitedBytes: this.visited.bytesUsed(),
      coveringBytes: this.covering?.bytes() ?? 0,
      maxFrontier: this.maxFrontier,
      visited: this.visited,
      ...(this.o.paths ? { pathTo } : {}),
      violations,
      covered: this.budgetHit ? this.levelStart.covered : (this.covering?.covered ?? 0),
      ...(this.coverage ? { coverage: this.budgetHit ? (this.levelStartCoverage ?? this.coverage.fill(0)) : this.coverage } : {}),
    };
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
