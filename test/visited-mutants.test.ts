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

  it('tells apart two keys of one length and one whole hash that differ in their words, in the set and in a shared set’s reader', () => {
    // Pins the comparison 4 bytes at a time (equalAt, since 2026-12-07): keys of 9 bytes, words (n, n * 2654435761)
    // and a tail byte 7; n = 58161 and 72853 hash alike (found by a search over n below 3 million).
    const key = (n: number) => {
      const k = new Uint8Array(9);
      const v = new DataView(k.buffer);
      v.setUint32(0, n, true);
      v.setUint32(4, Math.imul(n, 2654435761) >>> 0, true);
      k[8] = 7;
      return k;
    };
    const [a, b] = [key(58161), key(72853)];
    expect(hashBytes(a)).toBe(hashBytes(b));
    const set = new VisitedSet(true);
    set.add(a);
    expect(set.has(b)).toBe(false);
    expect(VisitedSet.reader(set.handles()).has(b, b.length)).toBe(false);
    expect(set.add(b)).toEqual({ index: 1, added: true });
    expect([...set.get(1)]).toEqual([...b]);
    expect(set.add(key(58161))).toEqual({ index: 0, added: false });
  });

  it('stores keys of every length from 0 to 13 at every alignment of the arena, and reads each back whole', () => {
    // Pins the copy 4 bytes at a time and its tail (append): each key begins at another offset mod 4.
    const set = new VisitedSet(true);
    const keys = Array.from({ length: 14 }, (_, n) => Uint8Array.from({ length: n }, (_, i) => 1 + ((n * 31 + i * 7) % 250)));
    const buffer = new Uint8Array(32).fill(0xee);
    keys.forEach((k, i) => {
      buffer.set(k);
      expect(set.insert(buffer, k.length)).toBe(i);
    });
    const reader = VisitedSet.reader(set.handles());
    keys.forEach((k, i) => {
      expect([...set.get(i)], `length ${k.length}`).toEqual([...k]);
      expect([...reader.get(i)]).toEqual([...k]);
      expect(set.has(k)).toBe(true);
      expect(reader.has(k, k.length)).toBe(true);
    });
  });

  it('compares the first 4 bytes of two keys whose tags match in a table of 4,096 slots, on a probe past another state', () => {
    // Two keys of one length that differ in one word never hash alike (each round of murmur3 is one to one), so only a
    // tag (the hash's high 20 bits in the set's first table of 4,096 slots) can match: A = (107407, 5) and B = (35785, 5)
    // have one tag and home slots 625 and 624. F takes slot 624, A slot 625; a lookup of B passes F and compares A.
    const key = (n: number) => {
      const k = new Uint8Array(8);
      const v = new DataView(k.buffer);
      v.setUint32(0, n, true);
      v.setUint32(4, 5, true);
      return k;
    };
    const [a, b] = [key(107407), key(35785)];
    expect(hashBytes(a) >>> 12).toBe(hashBytes(b) >>> 12);
    expect([hashBytes(a) & 4095, hashBytes(b) & 4095]).toEqual([625, 624]);
    let f = 0;
    while ((hashBytes(key(f)) & 4095) !== 624 || f === 35785) f++;
    const set = new VisitedSet(true);
    set.add(key(f));
    set.add(a);
    expect(set.has(b)).toBe(false);
    expect(VisitedSet.reader(set.handles()).has(b, b.length)).toBe(false);
    expect(set.add(b).added).toBe(true);
  });

  it('copies, finds and tells apart keys of odd lengths across chunks of the arena, in the set and in a reader', () => {
    // Pins each chunk's own DataView (append, equals): chunks of 256 bytes, keys of 5 to 11 bytes. A key's copy
    // through another chunk's view, or a comparison through the last chunk's view, reads the wrong bytes.
    const set = new VisitedSet(true, { arenaBytes: 15 * 256, states: 1000, chunkBytes: 256 });
    const keys = oddKeys(100);
    keys.forEach((k, i) => expect(set.insert(k, k.length)).toBe(i));
    const reader = VisitedSet.reader(set.handles());
    keys.forEach((k, i) => {
      expect([...set.get(i)], `key ${i}`).toEqual([...k]);
      expect(set.insert(k.slice(), k.length), `key ${i} again`).toBe(~i);
      expect(reader.has(k, k.length), `key ${i} in a reader`).toBe(true);
      const other = k.slice();
      other[k.length - 1]! ^= 1;
      expect(set.has(other), `key ${i} with its last byte changed`).toBe(false);
    });
  });

  it('has a reader made before the arena grew find the states stored after, its views made again', () => {
    // Pins the reader's refresh of its DataViews (VisitedReader.refresh): the arena begins at 64 KiB and grows in
    // place; a view of its old length would not reach a state stored past it. The reader is made after the table's
    // growth to 16,384 slots (past 5,734 states) and before the arena's (about 7,300 states of 9 bytes): the table
    // stays that one up to 11,468 states, so the reader finds each state, the later ones through new views.
    const set = new VisitedSet(true);
    const keys = oddKeys(9000);
    keys.slice(0, 6000).forEach((k) => set.add(k));
    expect(set.arenaBytes()).toBeLessThan(1 << 16);
    const handles = set.handles();
    const reader = VisitedSet.reader(handles);
    keys.slice(6000).forEach((k) => set.add(k));
    expect(set.arenaBytes()).toBeGreaterThan(1 << 16);
    expect(set.handles().slots).toBe(handles.slots);
    keys.forEach((k, i) => expect(reader.has(k, k.length), `key ${i}`).toBe(true));
  });
});

/** `n` different keys of 5 to 11 bytes. */
function oddKeys(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const k = Uint8Array.from({ length: 5 + (i % 7) }, (_, j) => 1 + ((i * 13 + j * 29) % 251));
    new DataView(k.buffer).setUint32(0, i, true);
    return k;
  });
}
