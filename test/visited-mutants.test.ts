/**
 * The visited set (harness/explore/visited.ts), what mutation testing found
 * test/visited.test.ts leaves open: a key's hash must read its own bytes
 * only, whatever follows them in the buffer (the packed search passes its
 * reused key buffer with a length), and a lookup must compare the bytes when
 * the whole hashes are equal, in has() and in a shared set's reader. The rule
 * is the set's own: two states are one only when their bytes are equal.
 */
import { describe, expect, it } from 'vitest';
import { hashBytes, VisitedSet } from '../harness/explore/visited.ts';

describe('the visited set, as mutation testing asked', () => {
  it('hashes a key with a 1-, 2- or 3-byte tail from its own bytes only, not the buffer’s bytes after it', () => {
    // Pins murmur3's tail guards (i + 1 < to, i + 2 < to): read past `to` and the same state hashes two ways.
    for (let length = 1; length <= 7; length++) {
      const key = Uint8Array.from({ length }, (_, i) => i + 1);
      const buffer = new Uint8Array(16).fill(0xee);
      buffer.set(key);
      expect(hashBytes(buffer, 0, length), `length ${length}`).toBe(hashBytes(key));
      const set = new VisitedSet();
      set.add(buffer, length);
      expect(set.add(key)).toEqual({ index: 0, added: false });
    }
  });

  it('does not hold a key whose whole hash equals a held key’s, in has() and in a shared set’s reader', () => {
    // Pins the byte comparison after the hash comparison (`&&`, not `||`): the pair of visited.test.ts, equal hashes.
    const long = Uint8Array.of(1, 2, 3, 0, 220, 142, 169, 249);
    const short = long.slice(0, 5);
    expect(hashBytes(short)).toBe(hashBytes(long));
    const set = new VisitedSet(true);
    set.add(long);
    expect(set.has(short)).toBe(false);
    expect(VisitedSet.reader(set.handles()).has(short, short.length)).toBe(false);
    expect(set.has(long)).toBe(true);
  });
});
