/**
 * How many sequences `relate` may hold: every semantics' behaviour
 * (behaviour.ts) keeps a key and a state for each sequence it tried, about
 * 280 bytes each, all of them at once, and a bound past what fits ended in
 * V8's out-of-memory abort, a native stack trace and exit 134 (patches=4,
 * functions=4 at depth 3 already; found by a hostile-user test, stop 40).
 * The budget refuses such a bound with one E_USAGE line instead: before any
 * work when the universes alone are too many, or when a guess from random
 * walks is twice too many, after each semantics' first universe when that
 * universe's count times the rest would pass it, and in any case the moment
 * the count passes it.
 */
import { getHeapStatistics } from 'node:v8';
import { KlpcheckError } from '../errors.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { formatBound, opCount, universeCount, type RelateBound } from './bound.ts';
import { ESTIMATE_WALKS, estimateSequences } from './estimate.ts';

/**
 * Sequences held at most, over every semantics: one per 500 bytes of V8's
 * heap limit (a sequence held takes about 280, and relating the behaviours
 * needs room too). With this machine's default heap of 4,144 MiB that is
 * about 8.7 million: `relate --depth 6 --semantics slots,upstream`, 6.2
 * million, ran in 2.1 GB.
 */
export const RELATE_SEQUENCE_BUDGET = Math.floor(getHeapStatistics().heap_size_limit / 500);

/** How often SequenceBudget.onProgress's report is called, in sequences held (a few a second). */
export const PROGRESS_EVERY = 1 << 16;

/** The sequences one `relate` run holds, counted over all its semantics against `limit` (default RELATE_SEQUENCE_BUDGET). */
export class SequenceBudget {
  private used = 0;
  /** The guess refuseEstimate made, when it made one (sequences over every semantics). */
  private guess: number | undefined;
  /** Called with the count held so far every PROGRESS_EVERY sequences (see onProgress). */
  private progress: ((held: number, guess: number | undefined) => void) | null = null;

  /**
   * `semantics`: how many behaviours the run will hold. Throws E_USAGE when
   * the sequences the bound's universes hold at the least are already too many.
   */
  constructor(
    private readonly bound: RelateBound,
    private readonly semantics: number,
    private readonly limit = RELATE_SEQUENCE_BUDGET,
  ) {
    // Each universe holds its root and, past depth 0, one sequence for each op tried at the root, taken or refused.
    const least = universeCount(bound) * (bound.depth > 0 ? 1 + opCount(bound) : 1) * semantics;
    if (least > limit) throw this.refusal(`at least ${count(least)}`);
  }

  /**
   * Before any work, when a bound might pass the limit at all (every op
   * taken at every depth would), guesses the count (estimate.ts, `estimate`
   * for each semantics) and throws E_USAGE when the guess is more than twice
   * the limit: the margin is for a guess too high; a run let through is
   * still held to the limit by project() and take(). Without it, patches=4
   * at depth 8 was refused only after 76 s, in its first universe (stop 40).
   */
  refuseEstimate(semantics: readonly Semantics[], estimate = estimateSequences): void {
    const b = this.bound;
    let most = 0;
    for (let d = 0, level = 1; d <= b.depth; d++, level *= opCount(b)) most += level;
    if (most * universeCount(b) * semantics.length <= this.limit) return;
    const guess = semantics.reduce((n, sem) => n + estimate(sem, b), 0);
    if (guess > 2 * this.limit) throw this.refusal(`about ${count(guess)}`, ` (a guess from ${count(ESTIMATE_WALKS)} random walks each)`);
    this.guess = guess;
  }

  /**
   * Asks to be told, every PROGRESS_EVERY sequences held, how many are held
   * and refuseEstimate's guess of the total, if it made one: a bound let
   * through near the limit held one universe for over a minute with nothing
   * on stderr (stop 41).
   */
  onProgress(report: (held: number, guess: number | undefined) => void): void {
    this.progress = report;
  }

  /** Counts one more sequence held; throws E_USAGE past the limit. */
  take(): void {
    if (++this.used > this.limit) throw this.refusal('more');
    if (this.progress && this.used % PROGRESS_EVERY === 0) this.progress(this.used, this.guess);
  }

  /**
   * After a semantics' first universe, whose sequences were `first`: throws
   * E_USAGE when that many for each of the bound's universes, for each
   * semantics still to come and this one, would pass the limit.
   */
  project(first: number, semanticsLeft: number): void {
    const expected = this.used - first + first * universeCount(this.bound) * semanticsLeft;
    if (expected > this.limit) throw this.refusal(`about ${count(expected)}`);
  }

  /** The refusal, `how` many sequences the bound makes (`at least N`, `about N`, or `more`), and how that was `guessed`, with what to lower. */
  private refusal(how: string, guessed = ''): KlpcheckError {
    const b = this.bound;
    const lower = [
      ...(b.depth > 1 ? ['--depth'] : []),
      ...(b.patches > 1 ? ['--patches'] : []),
      ...(b.functions > 1 ? ['--functions'] : []),
      ...(b.states > 0 ? ['--states'] : []),
    ];
    const ways = [...(lower.length ? [`lower ${lower.join(', ')}`] : []), ...(this.semantics > 1 ? ['name fewer --semantics'] : [])];
    const makes = how === 'more' ? 'makes more sequences than' : `makes ${how} sequences${guessed}, more than`;
    return new KlpcheckError(
      'E_USAGE',
      `relate: ${formatBound(b)} over ${this.semantics} semantics ${makes} the ${count(this.limit)} that fit in memory: ${ways.join(', or ') || 'give node a larger heap (--max-old-space-size)'}`,
    );
  }
}

/** A count as the refusals and relate's progress line print it: rounded, with thousands separators (8,704,000). */
export const count = (x: number): string => Math.round(x).toLocaleString('en-US');
