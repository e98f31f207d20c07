/**
 * A level's chunks in the packed parallel search (harness/explore/packed/level-chunks.ts):
 * they cover the level in frontier order, and the two bounds are counted apart, so
 * that a worker that answered its chunks gets another while a slower chunk before
 * them is still being expanded.
 */
import { describe, expect, it } from 'vitest';
import { CHUNK, LevelChunks, MIN_CHUNK, type ChunkRange } from '../harness/explore/packed/level-chunks.ts';

/** Every chunk of the level, each answered and taken as soon as posted. */
function all(length: number, width: number): ChunkRange[] {
  const c = new LevelChunks(length, width, 1);
  const out: ChunkRange[] = [];
  for (let r = c.next(); r; r = c.next()) {
    out.push(r);
    c.answered();
    c.taken();
  }
  return out;
}

describe('a level of the packed parallel search, in chunks', () => {
  it.each([0, 1, 63, 64, 65, 1000, 100_000])('covers a level of %i states in order, no state twice', (length) => {
    const chunks = all(length, 4);
    expect(chunks.map((c) => c.from)).toEqual(chunks.length ? [0, ...chunks.slice(0, -1).map((c) => c.to)] : []);
    expect(chunks.at(-1)?.to ?? 0).toBe(length);
    for (const [i, c] of chunks.entries()) {
      expect(c.to - c.from).toBeLessThanOrEqual(CHUNK);
      // A level's last chunk may be smaller.
      if (i < chunks.length - 1) expect(c.to - c.from).toBeGreaterThanOrEqual(MIN_CHUNK);
    }
  });

  it('shares what is left: a level of 1000 states on width 4 goes out in chunks of an eighth of the rest', () => {
    expect(all(1000, 4).slice(0, 3)).toEqual([
      { from: 0, to: 125 },
      { from: 125, to: 235 },
      { from: 235, to: 331 },
    ]);
    expect(all(100_000, 2)[0]).toEqual({ from: 0, to: CHUNK });
  });

  it('posts one more when any chunk is answered, the head still out (a worker does not wait for a slower one)', () => {
    const c = new LevelChunks(100_000, 2, 4);
    expect([c.next(), c.next()].every(Boolean)).toBe(true);
    expect(c.canPost()).toBe(false);
    expect(c.next()).toBeUndefined();
    // The second chunk is answered, the first (the head) is not: nothing was taken.
    c.answered();
    expect(c.canPost()).toBe(true);
    expect(c.next()).toBeDefined();
    expect(c.next()).toBeUndefined();
  });

  it('holds at most `ahead` widths of chunks not yet taken, all of them answered', () => {
    const c = new LevelChunks(100_000, 2, 3);
    let posted = 0;
    for (let r = c.next(); r; r = c.next()) {
      posted++;
      c.answered();
    }
    expect(posted).toBe(6);
    c.taken();
    expect(c.next()).toBeDefined();
    expect(c.next()).toBeUndefined();
  });

  it('posts nothing more once closed', () => {
    const c = new LevelChunks(100_000, 2, 4);
    c.next();
    c.close();
    expect(c.canPost()).toBe(false);
    expect(c.next()).toBeUndefined();
  });

  it.each([
    [0, 1],
    [2, 0],
    [1.5, 1],
    [Number.NaN, 1],
  ])('refuses width %s and ahead %s', (width, ahead) => {
    expect(() => new LevelChunks(10, width, ahead)).toThrow('level-chunks: width and ahead must be whole numbers from 1');
  });
});
