/**
 * What a shard of a multi-machine exploration (`explore --shard i/n`) records
 * so that `explore --merge` counts every state and every transition once.
 *
 * Why the shards' own counts cannot simply be added: every shard explores
 * the levels above the split depth in full, and below it the subtrees of two
 * shards reach many of the same states (two ops that commute, taken in either
 * order), which both shards then expand, and a shard may meet a state deeper
 * than its breadth-first depth because the shorter path to it lies in another
 * shard's subtree. So a shard records, per visited state (in the order of its
 * visited set, which is the order of its file's states), the level it found
 * the state at and, if it expanded the state, what the expansion gave: the
 * outcome of each successor by operation. A state's successors depend only on
 * the state (the explorer's visited set relies on the same), so the merge
 * takes each state at its smallest depth over the shards and each expanded
 * state's successors once, which is what one whole exploration counts:
 * - a state's breadth-first depth is its smallest depth in any shard, since
 *   a shortest path passes the split depth at a state some one shard owns;
 * - a state is expanded by the whole search iff its depth is below the
 *   bound, iff some shard expanded it (a shard's depth is never smaller).
 *
 * The merge cannot check a depth or an expansion without searching again, so
 * a shard file seals its ledger with a digest, as its states
 * (shard-format.ts shardDigests): an edited ledger is refused, not counted.
 */
import { absorbCoverage, coverageData, type Coverage, type CoverageData } from './coverage.ts';

/** A shard's record, as plain data (a shard file's `ledger`). */
export interface ShardLedgerData {
  /** The visited set's size after the roots and after each completed level: state i is at the first depth d with i < levelEnds[d]. */
  readonly levelEnds: readonly number[];
  /** Per visited state: 0 when this shard did not expand it, else 1 + its index in `expansions`. */
  readonly expanded: Uint32Array;
  /** The distinct expansions, each as canonical JSON of op -> outcome -> successors (see expansionKey). */
  readonly expansions: readonly string[];
}

/** One state's expansion as a key: its successors' outcomes by op, sorted, so that equal expansions give equal strings. */
export function expansionKey(outcomes: CoverageData['outcomes']): string {
  const sorted = Object.keys(outcomes)
    .sort()
    .map((op) => [op, Object.fromEntries(Object.entries(outcomes[op]!).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))] as const);
  return JSON.stringify(Object.fromEntries(sorted));
}

/**
 * Adds one expansion's successors (op -> outcome -> count, as an expansion
 * key holds them) into `outcomes`, and returns how many there are: what a
 * merge counts for each expanded state, and what a shard's own counts must
 * be (shard-format.ts checkLedgerCounts).
 */
export function addExpansion(
  outcomes: Record<string, Record<string, number>>,
  expansion: Readonly<Record<string, Readonly<Record<string, number>>>>,
): number {
  let n = 0;
  for (const [op, byOutcome] of Object.entries(expansion)) {
    const to = (outcomes[op] ??= {});
    for (const [o, c] of Object.entries(byOutcome)) {
      to[o] = (to[o] ?? 0) + c;
      n += c;
    }
  }
  return n;
}

/** The recorder the explorer keeps while it searches as a shard. */
export class ShardLedger {
  private readonly ids = new Map<string, number>();
  private expanded = new Uint32Array(1 << 12);
  private readonly levelEnds: number[] = [];

  /** State `state` (visited-set index) was expanded, giving `key` (expansionKey). */
  expandedAs(state: number, key: string | undefined): void {
    if (key === undefined)
      throw new Error("explore: a shard's chunk expander did not report each state's expansion (expandChunk's perState)");
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    if (state >= this.expanded.length) {
      const grown = new Uint32Array(Math.max(state + 1, this.expanded.length * 2));
      grown.set(this.expanded);
      this.expanded = grown;
    }
    this.expanded[state] = id + 1;
  }

  /** A level (or the roots) is complete and the visited set holds `visited` states. */
  levelEnd(visited: number): void {
    this.levelEnds.push(visited);
  }

  data(visited: number): ShardLedgerData {
    const expanded = new Uint32Array(visited);
    expanded.set(this.expanded.subarray(0, Math.min(visited, this.expanded.length)));
    return { levelEnds: [...this.levelEnds], expanded, expansions: [...this.ids.keys()] };
  }
}

/**
 * Moves what `expander` recorded since the last call (one state's expansion,
 * in expandChunk) into `chunk`, and returns that expansion's key.
 */
export function absorbExpansion(chunk: Coverage, expander: Coverage): string {
  const d = coverageData(expander);
  expander.outcomes.clear();
  expander.reached.clear();
  absorbCoverage(chunk, d);
  return expansionKey(d.outcomes);
}
