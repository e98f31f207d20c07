/**
 * The explorer's visited set (harness/explore/visited.ts) must be an exact
 * set: a state is found again only when its bytes are equal, whatever its
 * hash, its 8-bit tag or the table's growth. Checked against a Map of the
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

  it('keeps apart keys whose tags, and whole hashes, are equal', () => {
    // Keys are found by their hash's low bits and compared when the top 8 bits (the tag) match: find pairs that share both.
    const byHash = new Map<number, Uint8Array[]>();
    const sharing: Uint8Array[] = [];
    for (let a = 0; a < 256 && sharing.length < 400; a++)
      for (let b = 0; b < 256 && sharing.length < 400; b++) {
        const k = Uint8Array.of(a, b, a ^ b);
        const tagAndSlot = (hashBytes(k) >>> 24) * 4096 + (hashBytes(k) & 4095);
        const same = byHash.get(tagAndSlot) ?? [];
        same.push(k);
        byHash.set(tagAndSlot, same);
        if (same.length === 2) sharing.push(...same);
      }
    expect(sharing.length).toBeGreaterThan(100);
    sameAsMap([...sharing, ...sharing]);
  });

  it('gives back what it exports', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8, (i * 7) & 0xff));
    const set = sameAsMap(keys);
    const copy = new VisitedSet();
    expect(copy.addAll(set.export())).toBe(set.size);
    expect(copy.addAll(set.export())).toBe(0);
    for (let i = 0; i < set.size; i++) expect([...copy.get(i)]).toEqual([...set.get(i)]);
  });
});
