/**
 * The explorer's visited set (harness/explore/visited.ts) must be an exact
 * set: a state is found again only when its bytes are equal, whatever its
 * hash or the table's growth. Checked against a Map of the
 * same keys as strings.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashBytes, VisitedSet } from '../harness/explore/visited.ts';

/** Adds every key to a VisitedSet and to a Map, and requires the same answers. */
function sameAsMap(keys: readonly Uint8Array[]): VisitedSet {
  const set = new VisitedSet();
  const map = new Map<string, number>();
  for (const k of keys) {
    const name = k.join(',');
    const known = map.get(name);
    const r = set.add(k);
    expect(r).toEqual(known === undefined ? { index: map.size, added: true } : { index: known, added: false });
    if (known === undefined) map.set(name, r.index);
  }
  expect(set.size).toBe(map.size);
  for (const [name, index] of map) {
    const bytes = Uint8Array.from(name ? name.split(',').map(Number) : []);
    expect(set.has(bytes)).toBe(true);
    expect([...set.get(index)]).toEqual([...bytes]);
  }
  return set;
}

describe('the visited set', () => {
  it('answers as a map of the byte strings, across many table growths', () => {
    // Short keys over few byte values: many repeats, many equal tags, thousands of distinct keys (the table grows from 4,096 slots).
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 3, max: 40 }), { minLength: 20_000, maxLength: 20_000 }), (keys) => {
        sameAsMap(keys);
      }),
      { seed: 11, numRuns: 3, endOnFailure: true },
    );
  });

  it('keeps apart keys whose whole hashes are equal', () => {
    // Keys whose whole 32-bit hashes match share a home slot and a tag, and only their bytes tell them apart: a birthday search over
    // 200,000 six-byte keys finds ten pairs that share it (keys that differ in one murmur3 block alone never do: a block's
    // mixing is a bijection).
    const byHash = new Map<number, Uint8Array>();
    const sharing: Uint8Array[] = [];
    for (let i = 0; i < 200_000; i++) {
      const k = Uint8Array.of(i & 0xff, 0, 0, 0, (i >> 8) & 0xff, i >> 16);
      const h = hashBytes(k);
      const other = byHash.get(h);
      if (other) sharing.push(other, k);
      else byHash.set(h, k);
    }
    expect(sharing.length).toBe(20);
    sameAsMap([...sharing, ...sharing]);
  });

  it('says no for keys it does not hold, whether their slot is empty or taken', () => {
    const set = sameAsMap(Array.from({ length: 3000 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8)));
    for (let i = 3000; i < 6000; i++) expect(set.has(Uint8Array.of(i & 0xff, i >> 8))).toBe(false);
    expect(set.has(new Uint8Array(0))).toBe(false);
  });

  it('stores a probed state where its probe found room, and only the state the last probe found absent', () => {
    const set = new VisitedSet();
    const key = (i: number) => Uint8Array.of(i & 0xff, i >> 8, 7);
    // Through the table's growths: each probe's slot is the one a lookup reaches from the state's home slot.
    for (let i = 0; i < 5000; i++) {
      const k = key(i);
      expect(set.probe(k, 3)).toBeGreaterThanOrEqual(0);
      expect(set.insertProbed(k, 3)).toBe(i);
      expect(set.probe(k, 3)).toBe(~i);
    }
    for (let i = 0; i < 5000; i++) expect(set.has(key(i))).toBe(true);
    const a = key(9000);
    const b = key(9001);
    set.probe(a, 3);
    // Another key, another length, a state added since, or a state the probe found stored: refused.
    expect(() => set.insertProbed(b, 3)).toThrow(/insertProbed/);
    expect(() => set.insertProbed(a, 2)).toThrow(/insertProbed/);
    set.probe(a, 3);
    set.insert(b, 3);
    expect(() => set.insertProbed(a, 3)).toThrow(/insertProbed/);
    expect(set.probe(b, 3)).toBe(~5000);
    expect(() => set.insertProbed(b, 3)).toThrow(/insertProbed/);
    expect(set.size).toBe(5001);
  });

  it('keeps apart a key and its own prefix when their hashes are equal', () => {
    // equals() must compare lengths: a probe of 5 bytes against a stored 8 bytes that begin with it, of the same hash.
    // The pair was found by a search over 5-byte keys and their 3-byte extensions (a C copy of hashBytes, 2026-12-02).
    const long = Uint8Array.of(1, 2, 3, 0, 220, 142, 169, 249);
    const short = long.subarray(0, 5);
    expect(hashBytes(short)).toBe(1164774883);
    expect(hashBytes(long)).toBe(1164774883);
    sameAsMap([long, short, long, short]);
    sameAsMap([short, long]);
  });

  it('hashes as murmur3 does, the same at any alignment', () => {
    // The C copy's value for [1, 2, 3]; and a key read from inside a larger buffer hashes as the key alone.
    expect(hashBytes(Uint8Array.of(1, 2, 3))).toBe(1932897940);
    const inside = Uint8Array.of(9, 9, 9, 1, 2, 3, 0, 220, 142, 169, 249, 9);
    expect(hashBytes(inside, 3, 11)).toBe(1164774883);
    expect(hashBytes(inside.subarray(3, 8))).toBe(1164774883);
  });

  it('grows its arena for long states, and refuses a state over 255 bytes', () => {
    // 1,000 states of 255 bytes: four times the first 64 KiB arena.
    const keys = Array.from({ length: 1000 }, (_, i) => new Uint8Array(255).fill(i & 0xff, 0, 128).fill(i >> 8, 128));
    const set = sameAsMap([...keys, ...keys]);
    expect(set.arenaBytes()).toBe(1000 * 256);
    expect(set.bytesUsed()).toBe(1000 * 256 + 1000 * 4 + 4096 * 4);
    expect(() => set.add(new Uint8Array(256))).toThrow('visited: a state of 256 bytes is longer than 255');
  });

  it('grows when a state would pass the end of its arena by one or two bytes, or its offsets are full, and keeps every byte', () => {
    for (const shared of [false, true]) {
      for (const last of [1, 2]) {
        const set = new VisitedSet(shared);
        // 255 states of 255 bytes and one of 254 fill 65,535 of the first arena's 65,536 bytes (each with its length
        // byte); the next state, of `last` bytes, would pass its end by `last`; then more states than the first 4,096 offsets.
        const keys = Array.from({ length: 256 }, (_, i) => new Uint8Array(i < 255 ? 255 : 254).fill(i));
        keys.push(new Uint8Array(last).fill(7), ...Array.from({ length: 5000 }, (_, i) => Uint8Array.of(1, i & 0xff, i >> 8)));
        for (const k of keys) set.add(k);
        expect(set.size).toBe(keys.length);
        expect(set.arenaBytes()).toBe(65535 + last + 1 + 5000 * 4);
        keys.forEach((k, i) => expect(set.get(i), `${shared ? 'shared' : 'one thread'}, state ${i}`).toEqual(k));
      }
    }
  });

  it('refuses a truncated export', () => {
    const set = sameAsMap([Uint8Array.of(1, 2, 3)]);
    expect(() => new VisitedSet().addAll(set.export().subarray(0, 3))).toThrow('visited: a truncated state list');
  });

  it('gives back what it exports', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8, (i * 7) & 0xff));
    const set = sameAsMap(keys);
    const copy = new VisitedSet();
    expect(copy.addAll(set.export())).toBe(set.size);
    expect(copy.addAll(set.export())).toBe(0);
    for (let i = 0; i < set.size; i++) expect([...copy.get(i)]).toEqual([...set.get(i)]);
  });

  // The packed engine's parallel search: worker threads read the set while this thread adds (harness/explore/packed/parallel.ts).
  it('is read from shared memory by a reader made before it grew: every state by number, and found when it was there', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => new Uint8Array(40).fill(i & 0xff, 0, 20).fill(i >> 8, 20));
    const set = new VisitedSet(true);
    for (const k of keys.slice(0, 100)) set.add(k);
    const early = VisitedSet.reader(set.handles());
    // Arena (64 KiB at first), offsets and table all grow many times over.
    for (const k of keys) set.add(k);
    expect(set.size).toBe(keys.length);
    for (let i = 0; i < set.size; i++) expect([...early.get(i)], `state ${i}`).toEqual([...set.get(i)]);
    for (const k of keys.slice(0, 100)) expect(early.has(k, k.length)).toBe(true);
    const late = VisitedSet.reader(set.handles());
    for (const k of keys) expect(late.has(k, k.length)).toBe(true);
    // Never a state that is not in the set, whatever table the reader has.
    for (const r of [early, late]) expect(r.has(new Uint8Array(40).fill(255), 40)).toBe(false);
    expect(() => new VisitedSet().handles()).toThrow('visited: handles of a set that is not shared');
  });

  // A growth writes the new table region by region (visited.ts PendingSlots), and past 2^21 slots the regions are capped at
  // 4,096: 1,500,000 states grow the table to 2^22 slots (past 70% of 2^21 = 1,468,006). A region number past the cap
  // wrote past the buffers, and typed arrays drop such writes: states lost without an error (helper-94, 2026-12-06).
  it('keeps every state and fills one slot for each, through growths past 2^21 slots', () => {
    const set = new VisitedSet(true);
    const n = 1_500_000;
    // State i is its number's three low bytes, written into one reused key.
    const key = new Uint8Array(3);
    const keyOf = (i: number) => {
      key[0] = i;
      key[1] = i >> 8;
      key[2] = i >> 16;
      return key;
    };
    let numbered = 0;
    for (let i = 0; i < n; i++) if (set.insert(keyOf(i), 3) === i) numbered++;
    expect(numbered).toBe(n);
    const slots = new Int32Array(set.handles().slots);
    expect(slots.length).toBe(2 ** 22);
    // One word a state: a state placed twice would leave lookups right and the table fuller.
    expect(slots.reduce((filled, word) => filled + (word === 0 ? 0 : 1), 0)).toBe(n);
    let found = 0;
    for (let i = 0; i < n; i++) if (set.has(keyOf(i), 3)) found++;
    expect(found).toBe(n);
  });
});
