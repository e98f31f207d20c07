/**
 * What `explore --merge` believes of a shard file, and what it refuses: a
 * member it cannot check by itself (the ledger's depths and expansions) is
 * sealed by a digest, so an edit that keeps it well formed is refused at that
 * member instead of changing the merged counts without a word.
 */
import { describe, expect, it } from 'vitest';
import { KlpcheckError } from '../harness/errors.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { fromJson, merge, shardDigests, summarize, toJson } from '../harness/explore/summary.ts';
import { upstream } from '../model/semantics/upstream.ts';

type File = Record<string, unknown>;
type Ledger = { levelEnds: number[]; expanded: string; expansions: Record<string, Record<string, number>>[] };

/** Shard `index`/`count` of an upstream exploration of `scope`, as its file's JSON data (to edit). */
const shardFile = (scope: string, index = 0, count = 1): File =>
  JSON.parse(toJson(summarize(explore({ semantics: upstream, scope: parseScope(scope), shard: { index, count } }), 0))) as File;

/** The one line the CLI would print for a shard file holding `raw`, named a.json. */
function refusal(raw: unknown): string {
  try {
    fromJson(raw, 'a.json');
  } catch (e) {
    if (e instanceof KlpcheckError) return e.format();
    throw e;
  }
  return 'accepted';
}

/** `file` with its ledger edited by `edit` (on a copy). */
function withLedger(file: File, edit: (l: Ledger) => void): File {
  const copy = structuredClone(file);
  edit(copy.ledger as Ledger);
  return copy;
}

/** `file` with its digests computed again: an edit a digest cannot tell from a search's own file. */
const sealed = (file: File): File => {
  const { sha256: _, ...rest } = file;
  return { ...rest, sha256: shardDigests(rest) };
};

const u32s = (base64: string) => {
  const b = Buffer.from(base64, 'base64');
  return Array.from({ length: b.length / 4 }, (_, i) => b.readUInt32LE(i * 4));
};
const base64 = (ns: readonly number[]) => {
  const b = Buffer.alloc(ns.length * 4);
  ns.forEach((n, i) => b.writeUInt32LE(n, i * 4));
  return b.toString('base64');
};

describe('a shard file whose ledger was edited', () => {
  const scope = 'patches=1,functions=1,states=0,tasks=1,depth=3';
  const [a, b] = [shardFile(scope, 0, 2), shardFile(scope, 1, 2)];
  const ledger = b.ledger as Ledger;
  const sealed =
    /^klpcheck: a\.json:\/ledger: does not match its digest \/sha256\/ledger \(it hashes to [0-9a-f]{64}\): damaged or edited \[E_SCHEMA\]$/;

  it('is refused at /ledger when an edit keeps it well formed: levelEnds, expanded or expansions', () => {
    expect(refusal(b)).toBe('accepted');
    const expanded = u32s(ledger.expanded);
    const last = expanded.length - 1;
    expect(expanded[last]).toBe(0);
    const edits: [string, (l: Ledger) => void][] = [
      // Depths: a state moved one level down (the levels stay ascending and within the states).
      ['levelEnds', (l) => void (l.levelEnds[1]! -= 1)],
      // A state no search expanded, said to be expanded as its neighbour was.
      ['expanded', (l) => void (l.expanded = base64(expanded.map((n, i) => (i === last ? expanded[last - 1]! || 1 : n))))],
      // A successor count raised: believed, the merged transitions went from 200 to 298.
      ['expansions', (l) => void (l.expansions[l.expansions.length - 1]!.insmod = { ok: 99 })],
    ];
    for (const [name, edit] of edits) {
      const edited = withLedger(b, edit);
      // Well formed: no shape check finds it; only the digest does.
      expect(JSON.stringify(edited.ledger), name).not.toBe(JSON.stringify(ledger));
      expect(refusal(edited), name).toMatch(sealed);
    }
  });

  it('is merged as ever when only the order of its keys differs (the digest is of the data, not of its spelling)', () => {
    const reordered = withLedger(b, (l) => {
      const e = l.expansions[0]!;
      l.expansions[0] = Object.fromEntries(Object.entries(e).reverse());
    });
    expect(refusal(reordered)).toBe('accepted');
    expect(merge([fromJson(a), fromJson(reordered)]).transitions).toBe(merge([fromJson(a), fromJson(b)]).transitions);
  });

  it('is refused without its digest, or with a digest of no member, at /sha256', () => {
    const sums = b.sha256 as Record<string, string>;
    expect(Object.keys(sums).sort()).toEqual(['ledger', 'states']);
    const { ledger: _, ...noLedgerDigest } = sums;
    expect(refusal({ ...b, sha256: noLedgerDigest })).toBe(
      'klpcheck: a.json:/sha256/ledger: missing or not a sha256 digest (64 lowercase hex digits) [E_SCHEMA]',
    );
    expect(refusal({ ...b, sha256: { ...sums, ledger: 'ABC' } })).toMatch(/^klpcheck: a\.json:\/sha256\/ledger: missing or not a sha256/);
    expect(refusal({ ...b, sha256: { ...sums, extra: sums.states } })).toBe(
      'klpcheck: a.json:/sha256/extra: the digest of no member the file seals (it seals states, ledger) [E_SCHEMA]',
    );
    const { sha256: __, ...unsealed } = b;
    expect(refusal(unsealed)).toBe(
      'klpcheck: a.json:/sha256: missing or not an object (member -> sha256 digest of what a merge believes) [E_SCHEMA]',
    );
  });

  it('of format 4 (states sealed, ledger not) is refused for its format, as every older one is', () => {
    const { sha256: sums, ...rest } = b;
    const v4 = { ...rest, formatVersion: 4, statesSha256: (sums as Record<string, string>).states };
    expect(refusal(v4)).toBe('klpcheck: a.json:/formatVersion: explore shard format 4, not 5 [E_SCHEMA]');
  });
});

describe('a shard file that holds no state, or says another number of states than it holds', () => {
  const scope = 'patches=1,functions=1,states=0,tasks=1,depth=3';
  const file = shardFile(scope);
  const count = u32s((file.ledger as Ledger).expanded).length;

  it('is refused at /states when its state list is empty, even with matching digests: never a verdict over nothing', () => {
    // Every exploration holds at least its root states; this one merged into 'holds ... 0 distinct states'.
    const empty = sealed({
      ...file,
      distinctStates: 0,
      transitions: 0,
      statesPerDepth: [],
      violations: [],
      states: '',
      memories: [],
      ledger: { levelEnds: [0], expanded: '', expansions: [] },
    });
    expect(refusal(empty)).toBe(
      'klpcheck: a.json:/states: no state: every exploration holds at least its root states (depth 0) [E_SCHEMA]',
    );
    // And so is a whole result's (a merge refuses it for that, but never reads it as 0 states).
    const { ledger: _, ...whole } = empty;
    expect(refusal(sealed({ ...whole, shards: [] }))).toMatch(/^klpcheck: a\.json:\/states: no state: /);
  });

  it('is refused at /distinctStates when that is not the number of states in /states', () => {
    expect(file.distinctStates).toBe(count);
    for (const n of [0, count - 1, count + 1])
      expect(refusal({ ...file, distinctStates: n }), String(n)).toBe(
        `klpcheck: a.json:/distinctStates: ${n}, but /states holds ${count} states [E_SCHEMA]`,
      );
  });

  it('is refused at /ledger/levelEnds when its levels leave out the roots, end before its states, or go below the depth bound', () => {
    const ends = (file.ledger as Ledger).levelEnds;
    expect(ends).toHaveLength(4);
    expect(ends[3]).toBe(count);
    const cases: [number[], string][] = [
      [[], '/ledger/levelEnds: no level: the root states (depth 0) make the first'],
      [[0, ...ends.slice(1)], '/ledger/levelEnds/0: no root state: every exploration holds at least its root states (depth 0)'],
      // A complete search's last level holds its last state: one ending before put states at a depth never searched (depth 4 of 3).
      [
        [...ends.slice(0, 3), count - 10],
        `/ledger/levelEnds/3: ${count - 10}, but the search is complete (/complete) and its last level ends with its ${count} states`,
      ],
      [[...ends, count], '/ledger/levelEnds: 5 levels, more than the roots and the 3 the depth bound allows'],
    ];
    for (const [levelEnds, line] of cases)
      expect(refusal(sealed(withLedger(file, (l) => void (l.levelEnds = levelEnds)))), JSON.stringify(levelEnds)).toBe(
        `klpcheck: a.json:${line} [E_SCHEMA]`,
      );
    // An interrupted search's last level may end before its states: those of the level it was expanding.
    expect(refusal(sealed({ ...withLedger(file, (l) => void (l.levelEnds = ends.slice(0, 3))), complete: false }))).toBe('accepted');
  });
});
