/**
 * A release cycle's record must be one `klpcheck protocols --out` writes
 * (harness/protocols/record-scope.ts): replay cannot check one, and an
 * invariant's record relabelled `fixes`, then given a made-up protocol, was
 * rendered as that finding (helper-131, helper-132, stop 72).
 */
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../harness/protocols/catalog.ts';
import { MAX_RELEASES, notAProtocolRecord, protocolScope } from '../harness/protocols/record-scope.ts';

describe("a release cycle's record", () => {
  it('is one protocols writes: every protocol of the catalog, up to the longest cycle protocols takes', () => {
    for (const p of PROTOCOLS)
      for (const n of [1, MAX_RELEASES]) expect(notAProtocolRecord({ source: 'exhaustive', scope: protocolScope(p, n) })).toBeUndefined();
  });

  it.each([
    [{ source: 'exhaustive' }, 'scope', 'names no protocol'],
    [{ source: 'exhaustive', scope: 'patches=2,functions=1,states=0,tasks=1,depth=6' }, 'scope', 'names no protocol'],
    [{ source: 'exhaustive', scope: 'protocol=,releases<=3' }, 'scope', "names '', no protocol of klpcheck's"],
    [{ source: 'exhaustive', scope: 'protocol=bogus,releases<=3' }, 'scope', "names 'bogus'"],
    [{ source: 'exhaustive', scope: 'protocol=upstream,releases<=0' }, 'scope', 'names no protocol'],
    [{ source: 'exhaustive', scope: `protocol=upstream,releases<=${MAX_RELEASES + 1}` }, 'scope', `up to ${MAX_RELEASES + 1} releases`],
    [{ source: 'exhaustive', scope: 'protocol=upstream,releases<=3 ' }, 'scope', 'names no protocol'],
    [{ source: 'random', scope: 'protocol=upstream,releases<=3' }, 'source', 'a random run found it'],
  ])('not %j: at /provenance/%s', (provenance, at, words) => {
    const r = notAProtocolRecord(provenance);
    expect(r?.at).toBe(at);
    expect(r?.why).toContain(words);
  });
});
