/**
 * What `explore --merge` believes of a shard file, and what it refuses: a
 * member it cannot check by itself (the ledger's depths and expansions) is
 * sealed by a digest, so an edit that keeps it well formed is refused at that
 * member instead of changing the merged counts without a word.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from './support/shard-refusal.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { fromJson, SHARD_FORMAT, shardDigests, toJson } from '../harness/explore/shard-format.ts';
import { merge, summarize } from '../harness/explore/summary.ts';
import { checkInScope } from '../harness/explore/violation-scope.ts';
import { Expander } from '../harness/explore/expand.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { upstream } from '../model/semantics/upstream.ts';

type File = Record<string, unknown>;
type Ledger = { levelEnds: number[]; expanded: string; expansions: Record<string, Record<string, number>>[] };

/** Shard `index`/`count` of an upstream exploration of `scope`, as its file's JSON data (to edit). */
const shardFile = (scope: string, index = 0, count = 1): File =>
  JSON.parse(toJson(summarize(explore({ semantics: upstream, scope: parseScope(scope), shard: { index, count } }), 0))) as File;

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
  const ledgerEdited =
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
      expect(refusal(edited), name).toMatch(ledgerEdited);
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

  it('is refused at a member no shard file holds, misspelt or invented, before it is read', () => {
    expect(refusal({ ...b, distinctState: 3 })).toMatch(
      /^klpcheck: a\.json:\/distinctState: not a member of a shard file \(members: format, formatVersion, klpcheck, semantics, .*, ledger, sha256\) \[E_SCHEMA\]$/,
    );
    expect(refusal({ ...b, stateBudget: { states: 5, inDepth: 2 } })).toMatch(
      /^klpcheck: a\.json:\/stateBudget: not a member of a shard file/,
    );
    expect(refusal({ ...b, 'a/b': 1 })).toMatch(/^klpcheck: a\.json:\/a~1b: not a member/);
    expect(refusal(b)).toBe('accepted');
  });

  it('is refused at a count below 0 or past 2^53 - 1, or at a coverage count that is not a whole number from 0', () => {
    const range = 'a whole number from 0 to 2^53 - 1';
    expect(refusal({ ...b, transitions: -1 })).toBe(`klpcheck: a.json:/transitions: missing or not ${range} [E_SCHEMA]`);
    // 1e300 is a whole number to Number.isInteger, and was merged as a count (hostile-user test, 2026-12-03).
    expect(refusal({ ...b, transitions: 1e300 })).toBe(`klpcheck: a.json:/transitions: missing or not ${range} [E_SCHEMA]`);
    expect(refusal({ ...b, transitions: 2 ** 53 })).toBe(`klpcheck: a.json:/transitions: missing or not ${range} [E_SCHEMA]`);
    expect(refusal({ ...b, specStates: -3 })).toMatch(/^klpcheck: a\.json:\/specStates: missing or not a whole number from 0/);
    const outcomes = b.outcomes as Record<string, Record<string, number>>;
    const [op, byOutcome] = Object.entries(outcomes)[0]!;
    const [o] = Object.keys(byOutcome);
    for (const bad of ['x', -5, 1.5])
      expect(refusal({ ...b, outcomes: { ...outcomes, [op]: { ...byOutcome, [o!]: bad } } })).toBe(
        `klpcheck: a.json:/outcomes/${op}/${o}: not ${range} [E_SCHEMA]`,
      );
    expect(refusal({ ...b, outcomes: { ...outcomes, insmod: 3 } })).toBe(
      'klpcheck: a.json:/outcomes/insmod: not an object of outcome -> count [E_SCHEMA]',
    );
  });

  it('is refused at the /statesPerDepth element that is not a count, not at the whole list', () => {
    // A bad level count was told at /statesPerDepth, leaving the user to find it (hostile-user review).
    const range = 'a whole number from 0 to 2^53 - 1';
    const perDepth = b.statesPerDepth as number[];
    expect(perDepth.length).toBeGreaterThan(3);
    for (const bad of [-1, '3', 1.5, null, 1e300])
      expect(refusal({ ...b, statesPerDepth: perDepth.map((k, d) => (d === 3 ? bad : k)) }), String(bad)).toBe(
        `klpcheck: a.json:/statesPerDepth/3: not ${range} (the states of level 3) [E_SCHEMA]`,
      );
    for (const statesPerDepth of [undefined, 3, { 0: 1 }])
      expect(refusal({ ...b, statesPerDepth })).toBe(
        'klpcheck: a.json:/statesPerDepth: missing or not a list of whole numbers (the states of each level) [E_SCHEMA]',
      );
  });

  it('is refused at a property list that is not a list of names, or at missing coverage (mutation testing, stop 33)', () => {
    for (const properties of ['conformance', [1], null])
      expect(refusal({ ...b, properties })).toBe('klpcheck: a.json:/properties: a list of property names [E_SCHEMA]');
    const { outcomes: _, ...noCoverage } = b;
    expect(refusal(noCoverage)).toBe('klpcheck: a.json:/outcomes: missing coverage [E_SCHEMA]');
  });

  it('is refused at an in-range edit of a count the merge computes again from the ledger, with what the ledger gives', () => {
    // Each was taken and then ignored, the merge printing the ledger's (hostile-user finding, 2026-12-03).
    const outcomes = b.outcomes as Record<string, Record<string, number>>;
    const [op, byOutcome] = Object.entries(outcomes)[0]!;
    const [o, n] = Object.entries(byOutcome)[0]!;
    expect(refusal({ ...b, transitions: (b.transitions as number) + 1 })).toBe(
      `klpcheck: a.json:/transitions: ${(b.transitions as number) + 1}, but the ledger's expansions have ${b.transitions as number} successors [E_SCHEMA]`,
    );
    expect(refusal({ ...b, outcomes: { ...outcomes, [op]: { ...byOutcome, [o]: n + 1 } } })).toBe(
      `klpcheck: a.json:/outcomes/${op}/${o}: ${n + 1}, but the ledger's expansions have ${n} [E_SCHEMA]`,
    );
    const { [op]: _, ...lessOne } = outcomes;
    expect(refusal({ ...b, outcomes: lessOne })).toBe(
      `klpcheck: a.json:/outcomes/${op}/${o}: missing, but the ledger's expansions have ${n} [E_SCHEMA]`,
    );
    expect(refusal({ ...b, outcomes: { ...outcomes, [op]: { ...byOutcome, EBUSY: 0, ...byOutcome } } })).toBe(
      byOutcome.EBUSY === undefined
        ? `klpcheck: a.json:/outcomes/${op}/EBUSY: 0, but the ledger's expansions have none [E_SCHEMA]`
        : 'accepted',
    );
    const perDepth = b.statesPerDepth as number[];
    expect(refusal({ ...b, statesPerDepth: perDepth.map((k, d) => (d === 1 ? k + 1 : k)) })).toBe(
      `klpcheck: a.json:/statesPerDepth/1: ${perDepth[1]! + 1}, but the ledger's level 1 holds ${perDepth[1]} states (shard 1/2's share, at the split depth: ${Math.ceil((perDepth[1]! - 1) / 2)}) [E_SCHEMA]`,
    );
    // Only one level, below the roots, may be the shard's share (mutation testing, stop 34): the roots' share, or a second one.
    const ends = (b.ledger as Ledger).levelEnds;
    const share = (d: number) => Math.ceil((ends[d]! - (d ? ends[d - 1]! : 0) - 1) / 2);
    expect(perDepth[2]).toBe(share(2));
    expect([perDepth[0], share(0), perDepth[3], share(3)]).toEqual([1, 0, ends[3]! - ends[2]!, expect.any(Number)]);
    expect(refusal({ ...b, statesPerDepth: perDepth.map((k, d) => (d === 0 ? share(0) : k)) })).toBe(
      "klpcheck: a.json:/statesPerDepth/0: 0, but the ledger's level 0 holds 1 state [E_SCHEMA]",
    );
    expect(refusal({ ...b, statesPerDepth: perDepth.map((k, d) => (d === 3 ? share(3) : k)) })).toBe(
      `klpcheck: a.json:/statesPerDepth/3: ${share(3)}, but the ledger's level 3 holds ${perDepth[3]} states [E_SCHEMA]`,
    );
    expect(refusal({ ...b, statesPerDepth: [...perDepth, 0] })).toMatch(
      /^klpcheck: a\.json:\/statesPerDepth: \d+ levels, but the ledger has \d+ levels \(\/ledger\/levelEnds\) \[E_SCHEMA\]$/,
    );
    expect(refusal({ ...b, fixpoint: true })).toBe(
      'klpcheck: a.json:/fixpoint: true, but the last level holds states: no fixpoint [E_SCHEMA]',
    );
    // A search that closes: its last level is empty.
    const whole = shardFile('patches=1,functions=1,states=0,tasks=1', 0, 2);
    expect([whole.fixpoint, refusal(whole)]).toEqual([true, 'accepted']);
    expect(refusal({ ...whole, fixpoint: false })).toBe(
      'klpcheck: a.json:/fixpoint: false, but the search is complete and its last level is empty: a fixpoint [E_SCHEMA]',
    );
    expect(refusal({ ...whole, complete: false, fixpoint: true })).toBe(
      'klpcheck: a.json:/fixpoint: true, but the search is not complete (/complete): no fixpoint [E_SCHEMA]',
    );
  });

  it('is refused at an op or an outcome no search makes, named as the counterexample schema names them', () => {
    // Both were read as they stood (hostile-user test, 2026-12-03).
    const outcomes = b.outcomes as Record<string, Record<string, number>>;
    expect(refusal({ ...b, outcomes: { ...outcomes, frobnicate: {} } })).toMatch(
      /^klpcheck: a\.json:\/outcomes\/frobnicate: not an op \(ops: insmod, rmmod, disable, enable, force, transition_step, .*, set_attr\) \[E_SCHEMA\]$/,
    );
    const [op, byOutcome] = Object.entries(outcomes)[0]!;
    expect(refusal({ ...b, outcomes: { ...outcomes, [op]: { ...byOutcome, EWHAT: 1 } } })).toBe(
      `klpcheck: a.json:/outcomes/${op}/EWHAT: not an outcome (outcomes: ok, ENOENT, EAGAIN, EACCES, EEXIST, ENODEV, EINVAL, EBUSY, ENOSPC, ERANGE) [E_SCHEMA]`,
    );
  });

  it('is refused without its digest, or with a digest of no member, at /sha256', () => {
    const sums = b.sha256 as Record<string, string>;
    expect(Object.keys(sums)).toEqual([
      'semantics',
      'scope',
      'shards',
      'properties',
      'depthReached',
      'reached',
      'memories',
      'violations',
      'states',
      'ledger',
    ]);
    const { ledger: _, ...noLedgerDigest } = sums;
    expect(refusal({ ...b, sha256: noLedgerDigest })).toBe(
      'klpcheck: a.json:/sha256/ledger: missing or not a sha256 digest (64 lowercase hex digits) [E_SCHEMA]',
    );
    expect(refusal({ ...b, sha256: { ...sums, ledger: 'ABC' } })).toMatch(/^klpcheck: a\.json:\/sha256\/ledger: missing or not a sha256/);
    expect(refusal({ ...b, sha256: { ...sums, extra: sums.states } })).toBe(
      'klpcheck: a.json:/sha256/extra: the digest of no member a shard file seals (it seals semantics, scope, shards, properties, depthReached, reached, memories, violations, states, ledger) [E_SCHEMA]',
    );
    // A whole result's file has no ledger, and so no digest of one.
    const { ledger: _l, ...whole } = b;
    const resealed = sealed({ ...whole, shards: [] });
    expect(refusal({ ...resealed, sha256: { ...(resealed.sha256 as object), ledger: sums.ledger } })).toBe(
      'klpcheck: a.json:/sha256/ledger: the digest of /ledger, which the file does not hold [E_SCHEMA]',
    );
    // A member of another type is said to be one, not called missing (hostile-user finding, stop 44).
    expect(refusal({ ...b, semantics: ['upstream'] })).toBe('klpcheck: a.json:/semantics: not a semantics name (a string) [E_SCHEMA]');
    expect(refusal({ ...b, states: 7 })).toBe('klpcheck: a.json:/states: not base64 text (a string) [E_SCHEMA]');
    const { semantics: _s, ...nameless } = b;
    expect(refusal(nameless)).toBe('klpcheck: a.json:/semantics: missing semantics [E_SCHEMA]');
    expect(refusal({ ...b, outcomes: [] })).toBe(
      'klpcheck: a.json:/outcomes: not an object of op -> outcome -> count (coverage) [E_SCHEMA]',
    );
    expect(refusal({ ...b, formatVersion: String(SHARD_FORMAT) })).toBe(
      `klpcheck: a.json:/formatVersion: "${SHARD_FORMAT}" is not a format number (explore writes ${SHARD_FORMAT}) [E_SCHEMA]`,
    );
    const { states: _st, ...stateless } = b;
    expect(refusal(stateless)).toBe('klpcheck: a.json:/states: missing states [E_SCHEMA]');
    const { sha256: __, ...unsealed } = b;
    expect(refusal(unsealed)).toBe(
      'klpcheck: a.json:/sha256: missing or not an object (member -> sha256 digest of what a merge believes) [E_SCHEMA]',
    );
  });

  it('of format 4 (states sealed, ledger not) is refused for its format, as every older one is', () => {
    const { sha256: sums, ...rest } = b;
    const v4 = { ...rest, formatVersion: 4, statesSha256: (sums as Record<string, string>).states };
    expect(refusal(v4)).toBe(
      `klpcheck: a.json:/formatVersion: explore shard format 4, not ${SHARD_FORMAT}: explore the shards again [E_SCHEMA]`,
    );
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
    // Emptied with the ledger left as it was: the states are at fault, not the ledger's counts (hostile-user finding).
    expect(refusal(sealed({ ...file, states: '' }))).toBe(
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
    // (Its /statesPerDepth has as many levels: both grow together.)
    const interrupted = { ...withLedger(file, (l) => void (l.levelEnds = ends.slice(0, 3))), complete: false };
    expect(refusal(sealed({ ...interrupted, statesPerDepth: (file.statesPerDepth as number[]).slice(0, 3) }))).toBe('accepted');
  });
});

describe("a /violations entry outside the file's scope", () => {
  // Its violations load p1 then p2, each patching mod:m1, in a universe of one task.
  const file = shardFile('patches=2,functions=1,states=0,tasks=1,depth=2');
  type Violation = {
    universe: Record<string, unknown> & { patches: Record<string, unknown>[]; modules: Record<string, unknown>[] };
    ops: Record<string, unknown>[];
    reason: string;
  };
  /** The line for the file with its first violation edited by `edit`, and its scope by `scope`. */
  const withViolation = (edit: (v: Violation) => void, scope: Record<string, unknown> = {}) => {
    const copy = structuredClone(file);
    edit((copy.violations as Violation[])[0]!);
    // Sealed again: what is refused is the entry, not the edit of /scope.
    return refusal(sealed({ ...copy, scope: { ...(copy.scope as object), ...scope } }));
  };
  /** p2's definition as the search would give it as patch `k` (0-based) of the universe. */
  const p2As = (v: Violation, k: number) => ({
    ...structuredClone(v.universe.patches[1]!),
    name: `p${k + 1}`,
    owners: [k % 2 ? 'user' : 'vendor'],
    release: k + 1,
  });
  const onlyF2 = [{ name: 'vmlinux', funcs: [{ old_name: 'f2' }], callbacks: 'demo' }];
  const outside = "outside the file's scope patches=2,functions=1,states=0,tasks=1,depth=2";

  it('is accepted as the search wrote it', () => {
    expect((file.violations as unknown[]).length).toBeGreaterThan(1);
    expect(withViolation(() => {})).toBe('accepted');
  });

  it('is refused at /violations/N/universe when its universe exceeds a bound of the scope, or at /violations/N/ops when its ops do', () => {
    // Each still replays, and was merged into 'VIOLATED ... in scope patches=2,...' though the search of that scope never built it.
    const cases: [string, string][] = [
      [
        withViolation((v) => void v.universe.patches.push(p2As(v, 2))),
        `/violations/0/universe: 3 patches, more than patches=2: ${outside}`,
      ],
      [
        withViolation((v) => v.universe.patches.forEach((p) => void (p.objects = onlyF2))),
        `/violations/0/universe: patch p1 patches vmlinux:f2, not one of functions=1 (vmlinux:f1 and mod:m1): ${outside}`,
      ],
      [
        withViolation((v) => void (v.universe.patches[0]!.states = [{ id: 1, version: 1 }])),
        `/violations/0/universe: patch p1 has state id 1, beyond states=0 (no state ids): ${outside}`,
      ],
      [
        withViolation((v) => void (v.universe.kernel = { tasks: 2 })),
        `/violations/0/universe: 2 tasks (/kernel/tasks), not tasks=1: ${outside}`,
      ],
      // No /kernel/tasks: two tasks, a universe's default.
      [withViolation((v) => delete v.universe.kernel), `/violations/0/universe: 2 tasks (/kernel/tasks), not tasks=1: ${outside}`],
    ];
    for (const [line, want] of cases) expect(line).toBe(`klpcheck: a.json:${want} [E_SCHEMA]`);
    // The file's scope edited below what its violations use: the entry is refused, never merged as a violation of the smaller scope.
    expect(withViolation(() => {}, { patches: 1 })).toBe(
      "klpcheck: a.json:/violations/0/universe: 2 patches, more than patches=1: outside the file's scope patches=1,functions=1,states=0,tasks=1,depth=2 [E_SCHEMA]",
    );
    expect(withViolation(() => {}, { tasks: 2 })).toMatch(
      /^klpcheck: a\.json:\/violations\/0\/universe: 1 task \(\/kernel\/tasks\), not tasks=2: /,
    );
    expect(withViolation(() => {}, { depth: 1 })).toBe(
      "klpcheck: a.json:/violations/0/ops: 2 ops, more than depth=1: outside the file's scope patches=2,functions=1,states=0,tasks=1,depth=1 [E_SCHEMA]",
    );
    // Not the first entry: its own pointer.
    const copy = structuredClone(file);
    (copy.violations as Violation[])[1]!.universe.kernel = { tasks: 3 };
    expect(refusal(copy)).toMatch(/^klpcheck: a\.json:\/violations\/1\/universe: 3 tasks /);
    // Its reason is printed as the verdict's: one its ops do not give (here a forged report line) is refused at /reason.
    const reason = (file.violations as Violation[])[0]!.reason;
    expect(withViolation((v) => void (v.reason = 'FORGED\nconformance holds'))).toBe(
      `klpcheck: a.json:/violations/0/reason: is not the reason its ops give under upstream: ${JSON.stringify(reason)} [E_SCHEMA]`,
    );
    // An entry that does not replay is told so first: it is found true before it is found in the scope.
    expect(withViolation((v) => void (v.ops.push({ op: 'insmod', module: 'mod' }), ((v as { depth?: number }).depth = 3)))).toMatch(
      /^klpcheck: a\.json:\/violations\/0: does not replay as recorded: /,
    );
  });

  it('is refused when the search could not have built it within the bounds: a definition, an order or a part it never makes', () => {
    const scope = 'in scope patches=2,functions=1,states=0,tasks=1,depth=2';
    const cases: [string, string][] = [
      [
        withViolation((v) => void ((v.universe.patches[0]!.objects as Record<string, unknown>[])[0]!.callbacks = 'none')),
        `/violations/0/universe: patch p1 (/patches/0) is none of the definitions explore gives the patch it loads first ${scope}`,
      ],
      // Owners and releases go with the generated names, which the patches may take in any load order (stop 36).
      [
        withViolation((v) => void (v.universe.patches[0]!.owners = ['user'])),
        `/violations/0/universe: its patches' owners and releases follow no load order of the generated ones (p1 the vendor's release 1, p2 a user's release 2, p3 the vendor's release 3 ...) ${scope}`,
      ],
      [
        withViolation((v) => void v.universe.modules.push({ name: 'mod2' })),
        `/violations/0/universe: its modules, kernel and forbid_downgrade are not those of every universe explore builds ${scope} ({"forbid_downgrade":true,"kernel":{"tasks":1},"modules":[{"name":"mod"}]})`,
      ],
      [
        withViolation((v) => void (v.universe.patches = [v.universe.patches[1]!, v.universe.patches[0]!])),
        '/violations/0/universe: patch p2 is at /patches/0: explore names its patches p1, p2 ... in the order it loads them',
      ],
      // Taken in this order, p2 would have been named p1.
      [
        withViolation((v) => void v.ops.reverse()),
        '/violations/0/ops/0: insmod p2.ko loads p2 before p1: explore names its patches in the order it loads them',
      ],
    ];
    for (const [line, want] of cases) expect(line).toBe(`klpcheck: a.json:${want} [E_SCHEMA]`);
    // A patch the ops never load changes no state (candidates.ts), so it may be there, as a definition the search could give next.
    expect(withViolation((v) => void v.universe.patches.push(p2As(v, 2)), { patches: 3 })).toBe('accepted');
    expect(
      withViolation(
        (v) =>
          void v.universe.patches.push({
            ...p2As(v, 2),
            objects: ((p2As(v, 2) as Record<string, unknown>).objects as object[]).map((o) => ({ ...o, callbacks: 'none' })),
          }),
        { patches: 3 },
      ),
    ).toBe(
      'klpcheck: a.json:/violations/0/universe: patch p3 (/patches/2) is none of the definitions explore gives the patch it loads third in scope patches=3,functions=1,states=0,tasks=1,depth=2 [E_SCHEMA]',
    );
  });

  it('is refused at /violations/N/ops/J for an op the search never tries there, or a function position it never makes', () => {
    // Edits that no longer replay, held to the scope alone.
    const violation = (file.violations as Violation[])[0]!;
    const line = (v: Violation, scope = 'patches=2,functions=1,states=0,tasks=1,depth=2') => {
      try {
        checkInScope(v as never, upstream, parseScope(scope), 'a.json', '/violations/0');
      } catch (e) {
        if (e instanceof KlpcheckError) return e.format();
        throw e;
      }
      return 'accepted';
    };
    const edited = (edit: (v: Violation) => void) => {
      const copy = structuredClone(violation);
      edit(copy);
      return copy;
    };
    expect(line(violation)).toBe('accepted');
    // The task model's ops are tried only with taskModel=1.
    const sleeps = edited((v) => void (v.ops[1] = { op: 'block_task', task: 'task0', func: 'mod:m1,0', sleep: 'interruptible' }));
    expect(line(sleeps)).toBe(
      'klpcheck: a.json:/violations/0/ops/1: task0 sleeps in mod:m1,0 (interruptible) is not an operation explore tries after loading p1 in scope patches=2,functions=1,states=0,tasks=1,depth=2 [E_SCHEMA]',
    );
    expect(line(sleeps, 'patches=2,functions=1,states=0,tasks=1,depth=2,taskModel=1')).toBe('accepted');
    expect(line(edited((v) => void (v.ops[0] = { op: 'transition_step' })))).toMatch(
      /^klpcheck: a\.json:\/violations\/0\/ops\/1: insmod p2\.ko loads p2 before p1: /,
    );
    expect(line(edited((v) => void (v.ops[0] = { op: 'insmod', module: 'p1', params: { x: '1' } })))).toMatch(
      /^klpcheck: a\.json:\/violations\/0\/ops\/0: insmod p1\.ko x=1 is not an operation explore tries before loading a patch in scope /,
    );
    // A kernel no search of any scope has.
    expect(line(edited((v) => void (v.universe.kernel = { tasks: 1, reliable_stacktrace: false })))).toMatch(
      /^klpcheck: a\.json:\/violations\/0\/universe: its modules, kernel and forbid_downgrade are not those of every universe explore builds in scope /,
    );
    // A function given with another position than the search gives it.
    expect(
      line(
        edited((v) =>
          v.universe.patches.forEach(
            (p) => void (p.objects = [{ name: 'mod', funcs: [{ old_name: 'm1', old_sympos: 2 }], callbacks: 'demo' }]),
          ),
        ),
      ),
    ).toBe(
      `klpcheck: a.json:/violations/0/universe: patch p1 patches mod:m1,2, not one of functions=1 (vmlinux:f1 and mod:m1): ${outside} [E_SCHEMA]`,
    );
  });

  it('accepts every path the search itself takes, under every kind of semantics, with the task model and state ids', () => {
    /** A few random paths of the search of `scope` (seeded: the same every run), as a violation holds them. */
    const paths = (sem: Semantics, scopeText: string, count: number, length: number) => {
      const scope = parseScope(scopeText);
      const ex = new Expander(sem, scope, []);
      let seed = 12345;
      const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      return Array.from({ length: count }, () => {
        const root = next(ex.rootCount);
        const path: number[] = [];
        for (let d = 0; d < length; d++) {
          const positions: number[] = [];
          ex.expand(root, path, (s) => void positions.push(s.pos));
          if (!positions.length) break;
          path.push(positions[next(positions.length)]!);
        }
        return { scope, ...(JSON.parse(JSON.stringify(ex.decode(root, path))) as { universe: never; ops: never }) };
      });
    };
    let checked = 0;
    for (const name of ['upstream', 'per-state', 'hybrid', 'replace-tag-draft', 'slots']) {
      const sem = semanticsByName(name)!;
      for (const scope of [
        'patches=3,functions=2,states=2,tasks=2,depth=8,taskModel=1',
        'patches=2,functions=3,states=1,tasks=1,depth=8',
      ]) {
        for (const { scope: s, universe, ops } of paths(sem, scope, 12, 8)) {
          expect(() => checkInScope({ universe, ops }, sem, s, 'a.json', '/violations/0'), `${name} ${scope}`).not.toThrow();
          checked++;
        }
      }
    }
    expect(checked).toBe(120);
  });
});

describe('a shard file whose header was edited the same way in every file', () => {
  const scope = 'patches=1,functions=1,states=0,tasks=1,depth=2';
  /** Both shards of a search checking only module-safety, as their files' data. */
  const files = [0, 1].map(
    (index) =>
      JSON.parse(
        toJson(
          summarize(
            explore({ semantics: upstream, scope: parseScope(scope), properties: ['module-safety'], shard: { index, count: 2 } }),
            0,
          ),
        ),
      ) as File,
  );
  /** The merge's one line, or its verdict's scope, semantics and properties, for the files edited by `edit`. */
  const merged = (edit: (f: File) => void) => {
    const edited = files.map((f) => {
      const copy = structuredClone(f);
      edit(copy);
      return copy;
    });
    try {
      const m = merge(
        edited.map((f, i) => fromJson(f, `${'ab'[i]}.json`)),
        ['a.json', 'b.json'],
      );
      return `merged: ${m.semantics} ${JSON.stringify(m.scope)} ${m.properties.join(',')} ${m.reached.join(',')}`;
    } catch (e) {
      if (e instanceof KlpcheckError) return e.format();
      throw e;
    }
  };
  const sealedAt = (member: string) =>
    new RegExp(
      `^klpcheck: a\\.json:/${member}: does not match its digest /sha256/${member} \\(it hashes to [0-9a-f]{64}\\): damaged or edited \\[E_SCHEMA\\]$`,
    );

  it('is merged as ever unedited', () => {
    expect(merged(() => {})).toMatch(/^merged: upstream .* module-safety /);
  });

  it('is refused at the member edited: each changed what the verdict claims, and no file disagreed', () => {
    const missing = ['load refused', 'load completed', 'transition completed by a retry'].find(
      (m) => !(files[0]!.reached as string[]).includes(m),
    );
    const edits: [string, (f: File) => void][] = [
      // 'holds ... in scope patches=1,functions=3,...' from a search of functions=1.
      ['scope', (f) => void ((f.scope as Record<string, unknown>).functions = 3)],
      // Another semantics' verdict, from this one's search.
      ['semantics', (f) => void (f.semantics = 'stacking')],
      // A property no shard checked, reported as holding.
      ['properties', (f) => void (f.properties = ['conformance', 'module-safety'])],
      // A milestone never reached: the verdict's VACUOUS note gone.
      ['reached', (f) => void (f.reached = [...(f.reached as string[]), missing ?? 'transition forced'].sort())],
      ['memories', (f) => void (f.memories = (f.memories as string[]).map((m) => `${m}|`))],
      ['shards', (f) => void (f.shards = [{ index: 0, count: 1 }])],
      ['depthReached', (f) => void (f.depthReached = 30)],
    ];
    for (const [member, edit] of edits) expect(merged(edit), member).toMatch(sealedAt(member));
  });

  it('is blamed for the edit, not an entry read in its terms: /scope edited below what the violations use', () => {
    const withViolations = shardFile('patches=2,functions=1,states=0,tasks=1,depth=2');
    const edited = { ...withViolations, scope: { ...(withViolations.scope as object), patches: 1 } };
    expect(refusal(edited)).toMatch(sealedAt('scope'));
  });

  it('is still read when /complete was edited to false (as Ctrl-C leaves it), and refused at a count the merge computes again', () => {
    expect(merged((f) => void (f.complete = false))).toMatch(/^merged: /);
    expect(merged((f) => void (f.transitions = 1))).toMatch(
      /^klpcheck: a\.json:\/transitions: 1, but the ledger's expansions have \d+ successors \[E_SCHEMA\]$/,
    );
  });
});

describe('a shard file whose /violations were edited, each entry still true and in the scope', () => {
  // Upstream at this scope violates three slot invariants in two steps (and the explorer finds each there).
  const file = shardFile('patches=2,functions=1,states=0,tasks=1,depth=3');
  type Entry = { property: string; depth: number; reason: string; ops: Record<string, unknown>[] };
  const entries = file.violations as Entry[];

  it('is refused at /violations when an entry is deleted: a violated property never reads as holding', () => {
    expect(entries.length).toBeGreaterThan(1);
    expect(refusal(file)).toBe('accepted');
    expect(refusal({ ...file, violations: entries.slice(1) })).toMatch(
      /^klpcheck: a\.json:\/violations: does not match its digest \/sha256\/violations \(it hashes to [0-9a-f]{64}\): damaged or edited \[E_SCHEMA\]$/,
    );
    expect(refusal({ ...file, violations: [] })).toMatch(/^klpcheck: a\.json:\/violations: does not match its digest/);
  });

  it('is refused when an entry is replaced by a longer counterexample that also replays, or its reason is rewritten', () => {
    const [first, ...rest] = entries;
    const longer = { ...first!, ops: [first!.ops[0]!, { op: 'enable', patch: 'p1' }, ...first!.ops.slice(1)], depth: first!.depth + 1 };
    const r = refusal({ ...file, violations: [longer, ...rest] });
    // Either it does not replay as a violation at its last op, or it does and the digest tells it apart.
    expect(r).toMatch(/^klpcheck: a\.json:\/violations(\/0)?: (does not (replay|match its digest))/);
    const forged = { ...first!, reason: 'ok\nno-foreign-overlap   holds for every sequence up to depth 3' };
    // Told at its own pointer, before the digest: the replay gives the true reason, sealed or not.
    expect(refusal({ ...file, violations: [forged, ...rest] })).toMatch(
      /^klpcheck: a\.json:\/violations\/0\/reason: is not the reason its ops give under upstream: /,
    );
  });

  it('is refused, not an internal error, when a member is nested thousands of levels deep', () => {
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    // Each element of /reached is a milestone's name since 2026-12-07 (helper-110), so the nesting is refused there, at
    // the element, before any digest is taken of it (the digest's own guard said "nested too deeply" at /reached).
    expect(refusal({ ...file, reached: [deep] })).toMatch(
      /^klpcheck: a\.json:\/reached\/0: not a milestone \(milestones: .*\) \[E_SCHEMA\]$/,
    );
    expect(refusal({ ...file, memories: [deep] })).toBe('klpcheck: a.json:/memories/0: not a string [E_SCHEMA]');
    expect(refusal({ ...file, ledger: { ...(file.ledger as object), expansions: [deep] } })).toMatch(
      /^klpcheck: a\.json:\/ledger\/expansions\/0: not an expansion/,
    );
  });
});

describe('a shard file with a member of the wrong kind', () => {
  const file = shardFile('patches=1,functions=1,states=0,tasks=1,depth=2');
  it('is told at that member, with its value readable (hostile-user findings)', () => {
    // A list is no ledger: it was reported at /ledger/levelEnds, a member it does not have.
    expect(refusal({ ...file, ledger: [] })).toBe(
      "klpcheck: a.json:/ledger: missing or not an object: a shard's per-state depths and expansions [E_SCHEMA]",
    );
    // A version that is no string was printed as [object Object], a missing one as undefined.
    expect(refusal({ ...file, klpcheck: { v: 1 } })).toMatch(/^klpcheck: a\.json:\/klpcheck: written by klpcheck \{"v":1\}, not /);
    const { klpcheck: _, ...unversioned } = file;
    expect(refusal(unversioned)).toMatch(/^klpcheck: a\.json:\/klpcheck: written by klpcheck of no version, not /);
    expect(refusal({ ...file, klpcheck: '0.0.9' })).toMatch(/^klpcheck: a\.json:\/klpcheck: written by klpcheck 0\.0\.9, not /);
  });
});
