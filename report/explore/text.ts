/**
 * An exploration's report, worded as TLC words its own: "holds for every
 * sequence of any length in scope S" when the search reached its fixpoint,
 * "holds for every sequence up to depth D in scope S" when a depth bound
 * stopped it, or "up to depth D (the state budget, N states, ran out in
 * depth D+1, which is not claimed)" when --max-states did. An interrupted
 * search is INCOMPLETE and says exactly what it checked: "not violated by
 * any sequence checked (INCOMPLETE: every sequence up to depth D, not every
 * longer one)", D the levels it expanded in full (the next one may be begun
 * or not, so neither is claimed). The distinct states
 * and transitions checked, the coverage of operations and outcomes, and the
 * milestones a vacuous pass never reached. A property the scope gives nothing
 * to check is VACUOUS IN SCOPE, not "holds" (harness/explore/vacuity.ts).
 */
import { formatScope } from '../../harness/explore/scope.ts';
import { isShardShare, missingMilestones, type ExploreSummary } from '../../harness/explore/summary.ts';
import { MILESTONES } from '../../harness/explore/coverage.ts';
import { CONFORMANCE } from '../../properties/catalog.ts';
import type { StateBudget } from '../../harness/explore/explorer.ts';
import { plural } from '../../harness/plural.ts';
import { heapRanOut, PAST_THE_HEAP } from '../../harness/explore/worker-failure.ts';
import { vacuousInReach, vacuousWords } from '../../harness/explore/vacuity.ts';

/** Where a violated property's counterexample was saved, or why it was not (`notSaved`, one line). */
export interface SavedNote {
  readonly property: string;
  readonly file?: string;
  /**
   * The saved file's steps, when fewer than the search's: the last shrinking
   * pass (harness/minimize.ts) made its universe plainer than any the scope
   * defines (a patch without the owner or attribute the scope gave it), and
   * a step fell away with it.
   */
  readonly savedLength?: number;
  readonly notSaved?: string;
  readonly randomLength?: number;
}

/** How to go further than a state budget let a search go; the budget may be the default one, which the user never typed. */
export const PAST_THE_BUDGET = '--max-states N raises it, --max-states any lifts it';

/** How to go as far as a search the full visited set stopped, a bound its report names (visited.ts VisitedLimits). */
export const PAST_THE_CAPACITY = 'a depth bound in --scope or a smaller scope keeps the search within it';

/**
 * How far a search the state budget stopped went (explorer.ts StateBudget):
 * "up to depth D (the state budget, N states, ran out in depth D+1, which is
 * not claimed)", or, when the visited set was full, "up to depth D (the
 * visited set's capacity, 16 GiB of stored states, ran out at N states in
 * depth D+1, which is not claimed)", or, when a worker thread ran out of
 * memory (compare --exhaustive), "up to depth D (a worker thread's heap,
 * node's default, ran out at N states in depth D+1, ...)". The explore
 * report and the matrix's cells say it alike.
 */
export function budgetReach(depth: number, budget: StateBudget): string {
  const what = budget.workerHeap
    ? `${heapRanOut(budget.workerHeap)} at ${plural(budget.states, 'state')}`
    : budget.capacity
      ? `the visited set's capacity, ${budget.capacity}, ran out at ${plural(budget.states, 'state')}`
      : `the state budget, ${plural(budget.states, 'state')}, ran out`;
  return `up to depth ${depth} (${what} in depth ${budget.inDepth}, which is not claimed)`;
}

/**
 * How far a search that reached its fixpoint went: "of any length
 * (fixpoint: no new state beyond depth D)", or, when the packed engine
 * covered successors it did not store (covered-past-break.ts), "no new
 * state stored beyond depth D": covered states may lie deeper. The explore
 * report and the matrix's cells say it alike.
 */
export function fixpointReach(depth: number, covered = 0): string {
  return `of any length (fixpoint: no new state${covered ? ' stored' : ''} beyond depth ${depth})`;
}

/**
 * What stopped `what` (a search, an exploration) short of its bound or
 * fixpoint, and how to go further: the explore report's line and the
 * matrix's sentence say it alike.
 */
export function budgetStopped(budget: StateBudget, what = 'the search'): string {
  if (budget.workerHeap) return `a worker thread out of memory stopped ${what}: ${PAST_THE_HEAP}`;
  return budget.capacity
    ? `the visited set's capacity stopped ${what}: ${PAST_THE_CAPACITY}`
    : `the state budget stopped ${what}: ${PAST_THE_BUDGET}`;
}

/**
 * The packed engine's covered successors (ExploreSummary.covered) in words:
 * why fewer states than the object engine's are no fewer sequences.
 */
function coveredWords(covered: number): string {
  const were = covered === 1 ? 'was' : 'were';
  return `${plural(covered, 'successor')} past a conformance break ${were} covered, not stored: a stored state has the same definitions, kernel state and checker memory, so every check on ${covered === 1 ? 'it' : 'them'} is made on that state (--engine object stores them, and counts more states)`;
}

export function exploreText(s: ExploreSummary, saved: readonly SavedNote[] = []): string {
  const scope = formatScope(s.scope);
  // Interrupted, depthReached counts the levels expanded in full: the one under way is not claimed.
  const partial = `(INCOMPLETE: every sequence up to depth ${s.depthReached}, not every longer one)`;
  const bound = !s.complete
    ? partial
    : s.fixpoint
      ? fixpointReach(s.depthReached, s.covered)
      : s.stateBudget
        ? budgetReach(s.depthReached, s.stateBudget)
        : `up to depth ${s.scope.depth}`;
  const conformance = s.properties.includes(CONFORMANCE);
  // A break the counted states hold. A budget's counts leave out the level under way, and one found there had the
  // header say its spec-level count was "before a conformance break" (helper-124); a Ctrl-C's counts hold that level
  // (summary.ts), and its breaks with it (helper-126).
  const counted = s.fixpoint ? Infinity : s.complete ? s.depthReached : s.depthReached + 1;
  const broke = s.violations.some((v) => v.property === CONFORMANCE && v.depth <= counted);
  const specLevel = !conformance
    ? 'the spec model not followed: conformance is not checked'
    : s.specStates === null
      ? 'merged: the spec-level count is not kept per shard'
      : `${s.specStates} at the spec level${broke ? ', before a conformance break' : ''}`;
  // No timings here: standard output depends only on the version and the arguments (timings go to stderr).
  const lines = [
    `klpcheck explore: ${s.semantics}, scope ${scope}${s.shards.length ? `, shard ${s.shards.map((x) => `${x.index}/${x.count}`).join(' ')}` : ''}`,
    `${plural(s.distinctStates, 'distinct state')}${s.covered ? ' stored' : ''} (${specLevel}), ${plural(s.transitions, 'transition')} checked ${bound}`,
    'states are stored exactly (no fingerprints, no collisions)',
    ...(s.covered ? [coveredWords(s.covered)] : []),
    ...(s.complete && s.stateBudget ? [budgetStopped(s.stateBudget)] : []),
    '',
  ];
  const missing = missingMilestones(s);
  for (const p of s.properties) {
    const v = s.violations.find((x) => x.property === p);
    if (!v) {
      const vacuous = missing.length ? `  VACUOUS: never reached ${missing.join(', ')}` : '';
      const nothing = vacuousInReach(p, s);
      if (nothing) {
        lines.push(`${p.padEnd(32)} VACUOUS IN SCOPE: ${vacuousWords(nothing)}`);
        continue;
      }
      if (isShardShare(s)) {
        lines.push(`${p.padEnd(32)} not violated in this shard's share ${bound}; merge every shard for the whole scope${vacuous}`);
        continue;
      }
      const verdict = s.complete ? `holds for every sequence ${bound}` : `not violated by any sequence checked ${partial}`;
      lines.push(`${p.padEnd(32)} ${verdict} in scope ${scope}${vacuous}`);
      continue;
    }
    const note = saved.find((x) => x.property === p);
    // Breadth first, a violation one level past the last full one is the shortest. An interrupted merge's depth
    // is its least advanced shard's, and another shard may have gone further: its violation is not known to be.
    // A shard's is never known to be: below the split its subtrees are searched in its own order, so another shard
    // may hold a shorter one (a shard's line said "shortest ... 10 steps" where the whole search's has 6: hostile-user
    // finding, stop 44).
    const share = isShardShare(s);
    const known = !share && (s.complete || v.ops.length <= s.depthReached + 1);
    // A recorded random one shorter than the shortest here lies outside this scope (three patches where the scope has
    // two, say): every sequence in it that short was checked. Said so, as it read as the search missing one (stop 45).
    const outside = known && (note?.randomLength ?? Infinity) < v.ops.length;
    const random = note?.randomLength
      ? ` (fast-check's shrunk one, as verdicts/expected.json records it: ${note.randomLength}${outside ? ', a sequence outside this scope' : ''})`
      : '';
    const what = known
      ? `shortest counterexample has ${plural(v.ops.length, 'step')}`
      : share
        ? `a counterexample of ${plural(v.ops.length, 'step')} in this shard's share, not known to be the shortest; merge every shard for the shortest`
        : `a counterexample of ${plural(v.ops.length, 'step')}, not known to be the shortest (INCOMPLETE: every sequence checked up to depth ${s.depthReached} only)`;
    // A file shorter than the shortest in scope lies outside it: said so, or "shortest ... 3 steps -> F" named a file of 2.
    const shrunk = note?.savedLength ? `, shrunk to ${plural(note.savedLength, 'step')} over a universe outside this scope` : '';
    lines.push(
      `${p.padEnd(32)} VIOLATED: ${what}${random}${note?.file ? ` -> ${note.file}${shrunk}` : note?.notSaved ? ` -> ${note.notSaved}` : ''}`,
    );
    lines.push(`${''.padEnd(32)} ${v.reason}`);
  }
  lines.push(...kernelAloneLines(s, 'the search'), '', ...coverageLines(s));
  return `${lines.join('\n')}\n`;
}

/**
 * The note, after a report's property lines, that past a conformance break
 * (or without conformance) `who` ("the search", "a walk") follows the
 * reference implementation alone, with the invariants checked there; none
 * when conformance was checked and held.
 */
export function kernelAloneLines(s: Pick<ExploreSummary, 'properties' | 'violations'>, who: string): string[] {
  const broke = s.violations.some((v) => v.property === CONFORMANCE);
  if (!broke && s.properties.includes(CONFORMANCE)) return [];
  return [
    '',
    `${broke ? 'Past a conformance break' : 'Without conformance'} ${who} follows the reference implementation alone:`,
    `ops are those the kernel allows, and ${checkedOnKernel(s.properties)} checked on the kernel's transitions.`,
  ];
}

/** The report's closing lines: each op's outcomes with their counts, then the milestones, reached ([x]) or not (explore, simulate). */
export function coverageLines(c: Pick<ExploreSummary, 'outcomes' | 'reached'>): string[] {
  const lines = ['Coverage (operation: outcomes):'];
  for (const [op, m] of Object.entries(c.outcomes).sort()) {
    lines.push(
      `  ${op.padEnd(16)} ${Object.entries(m)
        .sort()
        .map(([o, n]) => `${o} ${n}`)
        .join(', ')}`,
    );
  }
  lines.push('Milestones:');
  for (const [m, what] of Object.entries(MILESTONES)) lines.push(`  [${c.reached.includes(m as never) ? 'x' : ' '}] ${m}: ${what}`);
  return lines;
}

/** The invariants a search checks on the kernel's transitions, as a sentence's subject: one named, or every invariant. */
function checkedOnKernel(properties: readonly string[]): string {
  const invariants = properties.filter((p) => p !== 'conformance');
  if (invariants.length === 0) return 'no invariant is';
  return invariants.length === 1 ? `${invariants[0]} is` : 'every invariant is';
}
