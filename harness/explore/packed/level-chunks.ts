/**
 * Which of a level's states the packed parallel search (parallel.ts) posts
 * next, as chunks: [from, to) of the level, in frontier order, each chunk a
 * share of what is left, between MIN_CHUNK and CHUNK states.
 *
 * Two bounds, counted apart:
 * - chunks posted and not yet answered, at most `width` (two a worker), so
 *   that a worker always has one queued while it expands one;
 * - chunks posted and not yet taken, at most `ahead` times `width`, since
 *   the main thread takes answers in frontier order and holds the ones that
 *   came early (a few MiB each).
 *
 * Until 2026-12-06 one bound served both: a chunk went out only when the one
 * at the head was taken, so a worker that had answered its chunks waited,
 * idle, for the other's chunk before them. In the last level of upstream's
 * lockstep at patches=3,functions=3,states=2,tasks=2,depth=4 the two workers
 * waited 13.6 s of their 92 s (measured by a scratch trace of each worker's
 * time between a result posted and the next chunk received).
 */

/** States per chunk at most: a chunk is a few milliseconds of work, which amortises its two messages. */
export const CHUNK = 4096;
/** States per chunk at least, but for a level's last states. */
export const MIN_CHUNK = 64;

/** A chunk of a level: its states from `from` up to, not including, `to`. */
export interface ChunkRange {
  readonly from: number;
  readonly to: number;
}

export class LevelChunks {
  /** The first state not yet posted. */
  private start = 0;
  private unanswered = 0;
  private notTaken = 0;

  constructor(
    /** The level's states. */
    private readonly length: number,
    /** Chunks posted and not yet answered, at most: a whole number from 1. */
    private readonly width: number,
    /** Chunks posted and not yet taken, at most, in widths: a whole number from 1. */
    private readonly ahead: number,
  ) {
    if (!(Number.isInteger(width) && width >= 1 && Number.isInteger(ahead) && ahead >= 1))
      throw new Error(`level-chunks: width and ahead must be whole numbers from 1, not ${width} and ${ahead}`);
  }

  /** Whether a chunk may be posted now: the level is not all posted (or closed), and neither bound holds it back. */
  canPost(): boolean {
    return this.start < this.length && this.unanswered < this.width && this.notTaken < this.ahead * this.width;
  }

  /** The next chunk to post, counted as posted; undefined when it may not be posted now (canPost). */
  next(): ChunkRange | undefined {
    if (!this.canPost()) return undefined;
    const size = Math.min(CHUNK, Math.max(MIN_CHUNK, Math.ceil((this.length - this.start) / (2 * this.width))));
    const from = this.start;
    this.start = Math.min(this.length, from + size);
    this.unanswered++;
    this.notTaken++;
    return { from, to: this.start };
  }

  /** A posted chunk was answered (by a worker), in any order. */
  answered(): void {
    this.unanswered--;
  }

  /** The chunk at the head was taken (by the main thread, in frontier order). */
  taken(): void {
    this.notTaken--;
  }

  /** Posts nothing more of the level: a stop, a spent budget, a failure. */
  close(): void {
    this.start = this.length;
  }
}
