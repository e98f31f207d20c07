/**
 * `explore --shard i/n` then `explore --merge`: every shard explores the
 * levels above the split depth, and states below it that two shards' subtrees
 * both reach are expanded by both, sometimes at a greater depth than their
 * breadth-first one. The merge must still report exactly what one whole
 * exploration reports: each state once, at its shortest depth, and each
 * transition once (harness/explore/shard-ledger.ts).
 */
import { describe, expect, it } from 'vitest';
import { refusal } from './support/shard-refusal.ts';
import { explore } from '../harness/explore/explorer.ts';
import { LIMITS, parseScope } from '../harness/explore/scope.ts';
import { fromJson, SHARD_FORMAT, shardDigests, toJson } from '../harness/explore/shard-format.ts';
import { merge, SHARD_MAX, summarize, type ExploreSummary } from '../harness/explore/summary.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { canonicalJson } from '../harness/canonical-json.ts';
import { checkInScope, compareSearchPaths } from '../harness/explore/violation-scope.ts';
import { Expander } from '../harness/explore/expand.ts';
import type { Op } from '../harness/ops.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { exploreText } from '../report/explore/text.ts';

/** Shards i/count of one exploration, each through its file format, as `explore --merge` reads them. */
function shards(scope: string, count: number, splitDepth?: number): ExploreSummary[] {
  return Array.from({ length: count }, (_, index) =>
    fromJson(
      JSON.parse(toJson(summarize(explore({ semantics: upstream, scope: parseScope(scope), shard: { index, count }, splitDepth }), 0))),
    ),
  );
}

/** The counts a merge must reproduce. */
const counts = (s: ExploreSummary) => ({
  distinctStates: s.distinctStates,
  transitions: s.transitions,
  statesPerDepth: s.statesPerDepth,
  outcomes: s.outcomes,
  reached: s.reached,
  complete: s.complete,
  fixpoint: s.fixpoint,
  depthReached: s.depthReached,
});

/** `file` with its digests computed again (/sha256): an edit the digests cannot tell from a search's own file. */
const sealed = (file: Record<string, unknown>) => {
  const { sha256: _, ...rest } = file;
  return { ...rest, sha256: shardDigests(rest) };
};

/** A one-shard exploration's file, as JSON data to edit. */
const shardFile = (scope = 'patches=1,functions=1,states=0,tasks=1,depth=2') =>
  JSON.parse(toJson(shards(scope, 1)[0]!)) as Record<string, unknown>;

describe('merging explore shards', () => {
  it('gives exactly the whole exploration: states, transitions, states per depth and coverage', () => {
    const scope = 'patches=2,functions=1,states=1,tasks=1,depth=4';
    const whole = summarize(explore({ semantics: upstream, scope: parseScope(scope) }), 0);
    const parts = shards(scope, 3);
    const merged = merge(parts);
    expect(counts(merged)).toEqual(counts(whole));
    // The case the merge must handle: summed, the shards count the shared levels and the overlaps more than once.
    expect(parts.reduce((n, p) => n + p.transitions, 0)).toBeGreaterThan(whole.transitions);
  });

  it('refuses shards of more states than the visited set holds with E_USAGE, where it was an internal error', () => {
    const scope = 'patches=2,functions=1,states=1,tasks=1,depth=4';
    const parts = shards(scope, 2);
    const whole = merge(parts).distinctStates;
    // Exactly the states fit; one fewer does not, and the refusal names what ran out.
    expect(merge(parts, undefined, { arenaBytes: 1 << 20, states: whole }).distinctStates).toBe(whole);
    let refused: unknown;
    try {
      merge(parts, undefined, { arenaBytes: 1 << 20, states: whole - 1 });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(KlpcheckError);
    expect((refused as KlpcheckError).format()).toBe(
      `klpcheck: merge: the shards hold more distinct states than the visited set holds (${whole - 1} states), so they cannot be merged; explore with a smaller depth or scope [E_USAGE]`,
    );
  });

  it('gives the whole at the fixpoint too, whatever the split depth', () => {
    const scope = 'patches=1,functions=1,states=0,tasks=1,depth=any';
    const whole = summarize(explore({ semantics: upstream, scope: parseScope(scope) }), 0);
    expect(whole.fixpoint).toBe(true);
    for (const splitDepth of [1, 3]) {
      const merged = merge(shards(scope, 2, splitDepth));
      expect(counts(merged), `split at ${splitDepth}`).toEqual(counts(whole));
    }
  });

  it("claims no spec-level count it does not keep, and writes the same bytes in a run's order, whatever the shards' order", () => {
    const scope = 'patches=2,functions=1,states=1,tasks=1,depth=3';
    const whole = JSON.parse(toJson(summarize(explore({ semantics: upstream, scope: parseScope(scope) }), 0))) as Record<string, unknown>;
    const parts = shards(scope, 3);
    const merged = merge(parts);
    const file = toJson(merged);
    const data = JSON.parse(file) as Record<string, unknown>;
    // Not 0: no count is known, and the report says why.
    expect(data.specStates).toBeNull();
    expect(fromJson(data).specStates).toBeNull();
    expect(exploreText(merged)).toMatch(/\(merged: the spec-level count is not kept per shard\)/);
    // Fields, coverage and violations in the order a single run writes them.
    expect(Object.keys(data)).toEqual(Object.keys(whole));
    expect(JSON.stringify(data.outcomes)).toBe(JSON.stringify(whole.outcomes));
    expect(JSON.stringify(data.reached)).toBe(JSON.stringify(whole.reached));
    const properties = (d: Record<string, unknown>) => (d.violations as { property: string }[]).map((v) => v.property);
    expect(properties(data)).toEqual(properties(whole));
    expect(properties(data).length).toBeGreaterThan(1);
    for (const order of [
      [2, 1, 0],
      [1, 0, 2],
    ])
      expect(toJson(merge(order.map((i) => parts[i]!))), order.join(',')).toBe(file);
  });

  it("keeps the whole search's counterexample of two equally short ones, for every split", () => {
    // Each shard finds the first counterexample of its own subtrees; of the shards' equally short ones the merge
    // must keep the one the whole search meets first. It kept the first shard's, and a 3-shard merge reported
    // another force of p2 (or another definition of p2) than the whole search, saved as a second file of one cell.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=5');
    const cases: [string, number][] = [
      ['hybrid', 3],
      ['hybrid-gated-shared', 3],
      ['replace-tag-draft', 2],
      ['replace-set-unfiltered-nops', 5],
    ];
    for (const [name, count] of cases) {
      const semantics = semanticsByName(name)!;
      const found = (s: ExploreSummary) => s.violations.map((v) => canonicalJson(v));
      const whole = summarize(explore({ semantics, scope }), 0);
      const parts = Array.from({ length: count }, (_, index) => summarize(explore({ semantics, scope, shard: { index, count } }), 0));
      expect(found(merge(parts)), `${name}, ${count} shards`).toEqual(found(whole));
      expect(found(merge([...parts].reverse())), `${name}, ${count} shards given in reverse`).toEqual(found(whole));
    }
  });

  it('orders counterexamples as the search meets them: by root, then by the place of each step in its successor list', () => {
    const at = (root: number, ...positions: number[]) => ({ root, positions });
    expect(compareSearchPaths(at(0, 3, 1), at(0, 3, 1))).toBe(0);
    expect(compareSearchPaths(at(0, 3, 1), at(0, 3, 2))).toBeLessThan(0);
    expect(compareSearchPaths(at(0, 4, 0), at(0, 3, 9))).toBeGreaterThan(0);
    expect(compareSearchPaths(at(1, 0, 0), at(0, 9, 9))).toBeGreaterThan(0);
    expect(compareSearchPaths(at(0, 9, 9), at(1, 0, 0))).toBeLessThan(0);
    expect(compareSearchPaths(at(0, 3), at(0, 3, 0))).toBeLessThan(0);
  });

  it('finds the path the search took to each of its counterexamples: root and places decode to the same ops and universe', () => {
    // Per-state at states=1 has two roots (state 1 owns shadow variables or not); the others one.
    const cases: [string, string][] = [
      ['upstream', 'patches=2,functions=1,states=0,tasks=1,depth=5'],
      ['hybrid', 'patches=2,functions=1,states=0,tasks=1,depth=5'],
      ['per-state', 'patches=2,functions=1,states=1,tasks=1,depth=4'],
    ];
    for (const [name, text] of cases) {
      const semantics = semanticsByName(name)!;
      const scope = parseScope(text);
      const whole = summarize(explore({ semantics, scope }), 0);
      expect(whole.violations.length, name).toBeGreaterThan(0);
      const ex = new Expander(semantics, scope, whole.properties);
      for (const v of whole.violations) {
        const path = checkInScope(v, semantics, scope, 'f.json', '/violations/0');
        expect(path.positions, `${name} ${v.property}`).toHaveLength(v.ops.length);
        expect(canonicalJson(ex.decode(path.root, path.positions)), `${name} ${v.property}`).toBe(
          canonicalJson({ universe: v.universe, ops: v.ops }),
        );
      }
    }
    // No shortest counterexample there loads a patch whose state owns shadow variables: the other root's paths,
    // each a new patch's load, then the steps after it.
    const semantics = semanticsByName('per-state')!;
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    const ex = new Expander(semantics, scope, ['conformance']);
    const owners = new Set<number>();
    /** Whether place k exists in root 1's successor list (decode reads past its end as nothing, or fails). */
    const exists = (k: number) => {
      try {
        return ex.decode(1, [k]).ops[0] !== undefined;
      } catch {
        return false;
      }
    };
    for (let k = 0; exists(k); k++) {
      for (const path of [[k], [k, 0], [k, 2]]) {
        const { universe, ops } = ex.decode(1, path);
        const found = checkInScope({ universe, ops }, semantics, scope, 'f.json', '');
        const shadow = universe.patches.some((p) => (p.states ?? []).some((st) => st.is_shadow === true));
        // A patch that declares no state owning shadow variables is met first from root 0, with the same places.
        expect(found, JSON.stringify(path)).toEqual({ root: shadow ? 1 : 0, positions: path });
        expect(canonicalJson(ex.decode(found.root, found.positions)), JSON.stringify(path)).toBe(canonicalJson({ universe, ops }));
        if (shadow) owners.add(k);
      }
    }
    expect(owners.size).toBeGreaterThan(0);
  });

  it('refuses ops the search never tries at their pointer, saying what was loaded before them', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=5');
    const v = summarize(explore({ semantics: upstream, scope }), 0).violations.find((x) => x.universe.patches.length === 2)!;
    const refused = (ops: readonly Op[], universe = v.universe) => {
      try {
        checkInScope({ universe, ops }, upstream, scope, 'f.json', '/violations/0');
        return 'accepted';
      } catch (e) {
        if (e instanceof KlpcheckError) return e.format().replace(' in scope patches=2,functions=1,states=0,tasks=1,depth=5', '');
        throw e;
      }
    };
    const insmod = (module: string): Op => ({ op: 'insmod', module });
    const bogus: Op = { op: 'disable', patch: 'p9' };
    expect(refused([insmod('p1'), insmod('p2')])).toBe('accepted');
    // A load of a patch the universe does not define (one patch here) is no load of a new patch.
    expect(refused([insmod('p1'), insmod('p2')], { ...v.universe, patches: [v.universe.patches[0]!] })).toBe(
      'klpcheck: f.json:/violations/0/ops/1: insmod p2.ko is not an operation explore tries after loading p1 [E_SCHEMA]',
    );
    expect(refused([insmod('p2')])).toBe(
      'klpcheck: f.json:/violations/0/ops/0: insmod p2.ko loads p2 before p1: explore names its patches in the order it loads them [E_SCHEMA]',
    );
    expect(refused([bogus])).toBe(
      'klpcheck: f.json:/violations/0/ops/0: echo 0 > /sys/kernel/livepatch/p9/enabled is not an operation explore tries before loading a patch [E_SCHEMA]',
    );
    expect(refused([insmod('p1'), insmod('p2'), bogus])).toBe(
      'klpcheck: f.json:/violations/0/ops/2: echo 0 > /sys/kernel/livepatch/p9/enabled is not an operation explore tries after loading p1 and p2 [E_SCHEMA]',
    );
  });

  it('keeps a shorter counterexample over a longer one the search would meet earlier, whichever shard gives it', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=4');
    const [a, b] = Array.from({ length: 2 }, (_, index) =>
      summarize(explore({ semantics: upstream, scope, shard: { index, count: 2 } }), 0),
    );
    const v = a!.violations.find((x) => x.ops[0]?.op !== 'block_task')!;
    // The same ops after one more at the head of the root's list (place 0): longer, but met earlier.
    const ex = new Expander(upstream, scope, a!.properties);
    const head = ex.decode(0, [0]).ops[0]!;
    expect(
      compareSearchPaths(
        checkInScope({ ...v, ops: [head, ...v.ops] }, upstream, scope, 'f', ''),
        checkInScope(v, upstream, scope, 'f', ''),
      ),
    ).toBeLessThan(0);
    const longer = { ...v, ops: [head, ...v.ops], depth: v.depth + 1 };
    const only = (s: ExploreSummary, w: typeof v) => ({ ...s, violations: [w] });
    for (const parts of [
      [only(a!, v), only(b!, longer)],
      [only(a!, longer), only(b!, v)],
    ])
      expect(merge(parts).violations.map((w) => w.ops.length)).toEqual([v.ops.length]);
    // Two equally short ones are placed by their paths, so one the search never tries is refused at its pointer.
    const stray = { ...v, ops: [...v.ops.slice(0, -1), { op: 'disable', patch: 'p9' } as const] };
    expect(() => merge([only(a!, v), only(b!, stray)], ['a.json', 'b.json'])).toThrow(
      expect.objectContaining({ code: 'E_SCHEMA', file: 'b.json', where: `/violations/0/ops/${v.ops.length - 1}` }),
    );
  });

  it("an interrupted merge holds every sequence only up to its least advanced shard's depth", () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=3');
    const [a, b] = Array.from({ length: 2 }, (_, index) =>
      summarize(explore({ semantics: upstream, scope, shard: { index, count: 2 } }), 0),
    );
    for (const parts of [
      [{ ...a!, complete: false, depthReached: 2 }, b!],
      [a!, { ...b!, complete: false, depthReached: 2 }],
    ]) {
      const m = merge(parts);
      expect(m.complete).toBe(false);
      expect(m.depthReached).toBe(2);
    }
  });

  it('refuses a shard file of the format that could not be merged exactly, and a ledger out of shape', () => {
    const [part] = shards('patches=1,functions=1,states=0,tasks=1,depth=2', 1);
    const file = JSON.parse(toJson(part!)) as Record<string, unknown>;
    const ledger = file.ledger as Record<string, unknown>;
    expect(refusal(file)).toBe('accepted');
    const { formatVersion: _, ...old } = file;
    expect(refusal(old)).toBe(
      'klpcheck: a.json:/formatVersion: an older explore shard format (its merge counted the levels above the split once per shard): explore the shards again [E_SCHEMA]',
    );
    expect(refusal({ ...file, ledger: undefined })).toMatch(/^klpcheck: a\.json:\/ledger: missing/);
    expect(refusal({ ...file, ledger: { ...ledger, levelEnds: [5, 1] } })).toMatch(
      /:\/ledger\/levelEnds: a list of ascending state counts/,
    );
    expect(refusal({ ...file, ledger: { ...ledger, expanded: 'AAAA' } })).toMatch(/:\/ledger\/expanded: not \d+ expansion numbers/);
    expect(refusal({ ...file, ledger: { ...ledger, expansions: [{ insmod: { ok: -1 } }] } })).toMatch(
      /:\/ledger\/expansions\/0: not an expansion/,
    );
    // Each of these was accepted with the digests written again (helper-110); each is refused at its own place.
    expect(refusal(sealed({ ...file, ledger: { ...ledger, foo: 1 } }))).toBe(
      'klpcheck: a.json:/ledger/foo: not a member of a ledger (members: levelEnds, expanded, expansions) [E_SCHEMA]',
    );
    expect(refusal(sealed({ ...file, ledger: { ...ledger, expanded: `!${ledger.expanded as string}` } }))).toMatch(
      /^klpcheck: a\.json:\/ledger\/expanded: not \d+ expansion numbers \(base64 of little-endian u32\) \[E_SCHEMA\]$/,
    );
    const expansions = ledger.expansions as unknown[];
    expect(refusal(sealed({ ...file, ledger: { ...ledger, expansions: [...expansions, { nosuchop: { ok: 1 } }] } }))).toMatch(
      new RegExp(`^klpcheck: a\\.json:/ledger/expansions/${expansions.length}/nosuchop: not an op \\(ops: `),
    );
    const reached = file.reached as string[];
    expect(reached.length).toBeGreaterThan(0);
    expect(refusal(sealed({ ...file, reached: [...reached, 'no such milestone'] }))).toMatch(
      new RegExp(`^klpcheck: a\\.json:/reached/${reached.length}: not a milestone \\(milestones: `),
    );
    expect(refusal(sealed({ ...file, reached: [...reached, reached[0]] }))).toBe(
      `klpcheck: a.json:/reached/${reached.length}: milestone '${reached[0]}' listed twice [E_SCHEMA]`,
    );
    const memories = file.memories as string[];
    expect(refusal(sealed({ ...file, memories: [...memories, memories[0]] }))).toBe(
      `klpcheck: a.json:/memories/${memories.length}: the memory at /memories/0 again [E_SCHEMA]`,
    );
  });

  it('refuses a property no search checks, a property listed twice, and a split larger than --shard takes, each at its own pointer', () => {
    const file = shardFile();
    const props = file.properties as string[];
    // Hostile-user findings: 'bogus' was reported as holding, a name listed twice as two verdicts.
    expect(refusal({ ...file, properties: ['bogus', ...props.slice(1)] })).toMatch(
      /^klpcheck: a\.json:\/properties\/0: unknown property 'bogus' \(properties: conformance, .*\) \[E_SCHEMA\]$/,
    );
    expect(refusal({ ...file, properties: [props[0], props[0], ...props.slice(2)] })).toBe(
      `klpcheck: a.json:/properties/1: property '${props[0]}' listed twice [E_SCHEMA]`,
    );
    expect(refusal({ ...file, shards: [{ index: 0, count: SHARD_MAX + 1 }] })).toBe(
      `klpcheck: a.json:/shards/0/count: a split into at most ${SHARD_MAX} shards (as --shard takes), not ${SHARD_MAX + 1} [E_SCHEMA]`,
    );
    expect(refusal(sealed({ ...file, shards: [{ index: 0, count: SHARD_MAX }] }))).toBe('accepted');
    // Each wrong item at its own place, not at the list (helper-106).
    expect(refusal({ ...file, shards: [{ index: 5, count: 2 }] })).toBe(
      'klpcheck: a.json:/shards/0/index: not a whole number from 0 to count - 1 (1) [E_SCHEMA]',
    );
    expect(refusal({ ...file, shards: [{ index: 0, count: 0 }] })).toBe(
      'klpcheck: a.json:/shards/0/count: not a whole number from 1 [E_SCHEMA]',
    );
    // An unknown key of an item at its own place, not only by the digest (stop 62's note).
    expect(refusal(sealed({ ...file, shards: [{ index: 0, count: 1, weight: 2 }] }))).toBe(
      'klpcheck: a.json:/shards/0/weight: not a member of a shard (members: index, count) [E_SCHEMA]',
    );
    expect(refusal({ ...file, shards: [7] })).toBe(
      'klpcheck: a.json:/shards/0: not an object {index, count} with 0 <= index < count [E_SCHEMA]',
    );
    expect(refusal({ ...file, shards: 'all' })).toBe(
      'klpcheck: a.json:/shards: a list of {index, count} with 0 <= index < count [E_SCHEMA]',
    );
    expect(refusal({ ...file, memories: ['', 5] })).toBe('klpcheck: a.json:/memories/1: not a string [E_SCHEMA]');
  });

  it('refuses a state list whose bytes do not match its digest, or that is not base64, and a shard file of an older format', () => {
    const file = shardFile();
    const states = Buffer.from(file.states as string, 'base64');
    expect(states.length).toBeGreaterThan(8);
    // Bytes flipped in place (the same length, every state still well formed): counts went wrong, silently.
    for (const at of [1, states.length - 3]) {
      const flipped = Buffer.from(states);
      flipped[at]! ^= 0x01;
      expect(refusal({ ...file, states: flipped.toString('base64') }), `byte ${at}`).toMatch(
        /^klpcheck: a\.json:\/states: does not match its digest \/sha256\/states \(it hashes to [0-9a-f]{64}\): damaged or edited \[E_SCHEMA\]$/,
      );
    }
    expect(refusal({ ...file, states: '!!!notbase64' })).toBe('klpcheck: a.json:/states: not base64 [E_SCHEMA]');
    expect(refusal({ ...file, states: 'AQ' })).toBe('klpcheck: a.json:/states: not base64 [E_SCHEMA]');
    const sums = file.sha256 as Record<string, string>;
    const { states: _, ...undigested } = sums;
    expect(refusal({ ...file, sha256: undigested })).toBe(
      'klpcheck: a.json:/sha256/states: missing or not a sha256 digest (64 lowercase hex digits) [E_SCHEMA]',
    );
    expect(refusal({ ...file, sha256: { ...sums, states: 'ABC' } })).toMatch(/^klpcheck: a\.json:\/sha256\/states: missing or not/);
    // Files of the formats before the ledger's digest are refused for their format, as every older one is.
    for (const v of [3, 4, 5])
      expect(refusal({ ...file, formatVersion: v })).toBe(
        `klpcheck: a.json:/formatVersion: explore shard format ${v}, not ${SHARD_FORMAT}: explore the shards again [E_SCHEMA]`,
      );
  });

  it('refuses a scope value the command line would refuse, within the same limits (LIMITS), at /scope/<key>', () => {
    // Explored at depth 1: a depth bound of 1 to 30 leaves every level of its ledger within the bound.
    const file = shardFile('patches=1,functions=1,states=0,tasks=1,depth=1');
    const scope = file.scope as Record<string, unknown>;
    // Sealed again: what is refused is the value, not the edit of a sealed member.
    const withScope = (edit: Record<string, unknown>) => refusal(sealed({ ...file, scope: { ...scope, ...edit } }));
    // Values parseScope refuses on the command line were merged into 'holds ... in scope patches=-1'.
    for (const [key, [min, max]] of Object.entries(LIMITS)) {
      for (const v of [min - 1, max + 1, key === 'patches' ? 99 : -1])
        expect(withScope({ [key]: v }), `${key}=${v}`).toBe(
          `klpcheck: a.json:/scope/${key}: scope ${key} takes a whole number from ${min} to ${max}${key === 'depth' ? ' (absent: any depth)' : ''}, not ${v} [E_SCHEMA]`,
        );
      expect(withScope({ [key]: min })).toBe('accepted');
      expect(withScope({ [key]: max })).toBe('accepted');
    }
    expect(withScope({ patches: 0 })).toMatch(/^klpcheck: a\.json:\/scope\/patches: scope patches takes a whole number from 1 to /);
    expect(withScope({ taskModel: 'yes' })).toBe('klpcheck: a.json:/scope/taskModel: not a whole number [E_SCHEMA]');
    // A key no scope has (a typo) would be dropped without a word.
    expect(withScope({ 'task/model': 1 })).toMatch(
      /^klpcheck: a\.json:\/scope\/task~1model: unknown scope key \(keys: patches, .*\) \[E_SCHEMA\]$/,
    );
  });

  it("refuses a malformed /violations entry at its JSON pointer, by the counterexample format's definitions of ops and universe", () => {
    const file = shardFile('patches=2,functions=1,states=0,tasks=1,depth=2');
    const violations = file.violations as Record<string, unknown>[];
    expect(violations.length).toBeGreaterThan(1);
    /** The refusal of the file with `edit` applied to a copy of its violations. */
    const withViolations = (edit: (v: Record<string, unknown>[]) => void) => {
      const copy = structuredClone(violations);
      edit(copy);
      return refusal({ ...file, violations: copy });
    };
    expect(withViolations(() => {})).toBe('accepted');
    const cases: [string, (v: Record<string, unknown>[]) => void, string][] = [
      // Each was an internal error (exit 70): "Cannot read properties of null (reading 'property')".
      ['null', (v) => void (v[0] = null!), '/violations/0: must be object'],
      ['ops deleted', (v) => delete v[0]!.ops, "/violations/0: must have required property 'ops'"],
      ['universe deleted', (v) => delete v[0]!.universe, "/violations/0: must have required property 'universe'"],
      ['depth deleted', (v) => delete v[1]!.depth, "/violations/1: must have required property 'depth'"],
      ['depth not a number', (v) => void (v[0]!.depth = 'two'), '/violations/0/depth: must be integer'],
      // Saved with another depth in its provenance: a second, differently hashed file for one counterexample.
      [
        'a depth other than its length',
        (v) => void (v[0]!.depth = 3),
        '/violations/0/depth: 3, but the entry has 2 ops: a counterexample is found at the depth of its length',
      ],
      ['an unknown op', (v) => void (v[0]!.ops = [{ op: 'frobnicate', module: 'p9' }]), "/violations/0/ops/0: unknown op 'frobnicate'"],
      ['no ops', (v) => void (v[0]!.ops = []), '/violations/0/ops: must NOT have fewer than 1 items'],
      [
        'an op out of shape',
        (v) => void ((v[0]!.ops as Record<string, unknown>[])[1]!.module = 7),
        '/violations/0/ops/1/module: must be string',
      ],
      [
        'a universe out of shape',
        (v) => void ((v[0]!.universe as Record<string, unknown>).patches = 3),
        '/violations/0/universe/patches: must be array',
      ],
      ['a member no entry has', (v) => void (v[0]!.x = 1), "/violations/0/x: unknown property 'x'"],
      [
        'a property the file does not check',
        (v) => void (v[0]!.property = 'nope'),
        "/violations/0/property: 'nope' is not one of the properties the file checks (/properties)",
      ],
      [
        'two entries for one property',
        (v) => void (v[1] = structuredClone(v[0]!)),
        `/violations/1/property: a second counterexample for ${violations[0]!.property as string} (also /violations/0)`,
      ],
    ];
    for (const [name, edit, line] of cases) expect(withViolations(edit), name).toBe(`klpcheck: a.json:${line} [E_SCHEMA]`);
  });

  it('refuses a violation whose ops name a module, patch or task its universe lacks, as a counterexample file is (E_REFERENCE)', () => {
    const file = shardFile('patches=2,functions=1,states=0,tasks=1,depth=2');
    const violations = file.violations as { ops: Record<string, unknown>[] }[];
    const withOps = (ops: Record<string, unknown>[]) =>
      refusal({ ...file, violations: [{ ...violations[0]!, ops }, ...violations.slice(1)] });
    const [first, ...rest] = violations[0]!.ops;
    // Each replayed (an insmod of a module the universe lacks is refused, not an error) and would be saved as a file klpcheck refuses to read.
    expect(withOps([{ ...first, module: 'p9' }, ...rest])).toBe(
      "klpcheck: a.json:/violations/0/ops/0/module: module 'p9' is not in the universe [E_REFERENCE]",
    );
    expect(withOps([{ op: 'enable', patch: 'p9' }, ...rest])).toBe(
      "klpcheck: a.json:/violations/0/ops/0/patch: patch 'p9' is not in the universe [E_REFERENCE]",
    );
    expect(withOps([first!, { op: 'block_task', task: 'task7', func: 'vmlinux:f1,0' }])).toBe(
      "klpcheck: a.json:/violations/0/ops/1/task: task 'task7' is not in the universe [E_REFERENCE]",
    );
  });

  it('refuses shard files that do not belong together with E_SCHEMA, naming the file and the JSON pointer', () => {
    const [a, b] = shards('patches=1,functions=1,states=0,tasks=1,depth=2', 2) as [ExploreSummary, ExploreSummary];
    /** The one line the CLI would print for these files. */
    const refusal = (parts: ExploreSummary[], files = ['a.json', 'b.json']) => {
      try {
        merge(parts, files);
      } catch (e) {
        if (e instanceof KlpcheckError) return e.format();
        throw e;
      }
      return 'accepted';
    };
    expect(refusal([a, b])).toBe('accepted');
    // Neither file alone is at fault: both are named, with what each says.
    expect(refusal([a, { ...b, semantics: 'stacking' }])).toBe(
      'klpcheck: shard files of different semantics: a.json:/semantics is upstream, b.json:/semantics is stacking [E_SCHEMA]',
    );
    expect(refusal([a, { ...b, scope: { ...b.scope, depth: 3 } }])).toBe(
      'klpcheck: shard files of different scopes: a.json:/scope is patches=1,functions=1,states=0,tasks=1,depth=2, b.json:/scope is patches=1,functions=1,states=0,tasks=1,depth=3 [E_SCHEMA]',
    );
    expect(refusal([a, { ...b, properties: ['module-safety'] }])).toBe(
      `klpcheck: shard files of different properties: a.json:/properties is ${a.properties.join(',')}, b.json:/properties is module-safety [E_SCHEMA]`,
    );
    expect(refusal([a, { ...b, shards: [] }], ['a.json', 'whole.json'])).toBe(
      'klpcheck: whole.json:/shards: not a shard: a whole exploration needs no merge [E_SCHEMA]',
    );
    expect(refusal([a, { ...b, shards: [{ index: 1, count: 3 }] }])).toBe(
      'klpcheck: shard files of different splits: a.json:/shards/0/count is 2, b.json:/shards/0/count is 3 [E_SCHEMA]',
    );
    // A control character in a name shows as its escape in a line naming two files, as in one naming one file.
    expect(refusal([a, { ...b, semantics: 'stacking' }], ['a\nb.json', 'c\u001b[31m.json'])).toBe(
      'klpcheck: shard files of different semantics: a\\nb.json:/semantics is upstream, c\\u001b[31m.json:/semantics is stacking [E_SCHEMA]',
    );
    // Two files holding one shard (a copy, or shard 0 run twice): which one is wrong only the user knows, so both are named.
    expect(refusal([a, a, b], ['a.json', 'copy.json', 'b.json'])).toBe(
      'klpcheck: shard files of one shard: a.json:/shards/0/index and copy.json:/shards/0/index are both shard 0/2 [E_SCHEMA]',
    );
    // A file edited to another index: and the shard it held is then in no file, which the line says too.
    expect(refusal([b, { ...a, shards: [{ index: 1, count: 2 }] }], ['b.json', 'c_idx1.json'])).toBe(
      'klpcheck: shard files of one shard: b.json:/shards/0/index and c_idx1.json:/shards/0/index are both shard 1/2, and no file holds shard 0/2 [E_SCHEMA]',
    );
    expect(refusal([a, { ...b, memories: [] }])).toBe(
      'klpcheck: b.json:/states: a state names a checker memory the file does not list [E_SCHEMA]',
    );
    expect(refusal([a, { ...b, ledger: undefined }])).toMatch(/^klpcheck: b\.json:\/ledger: .* \[E_SCHEMA\]$/);
    // A shard file left off the command line is the command line's mistake.
    expect(refusal([a], ['a.json'])).toBe(
      'klpcheck: merge: shard 1/2 missing; a partial merge would claim more than was checked [E_USAGE]',
    );
    // A count edited to two thousand million: the line lists the first few missing, not every one (listing them ran out of memory).
    const huge = 2_000_000_000;
    expect(refusal([{ ...a, shards: [{ index: 0, count: huge }] }], ['a.json'])).toBe(
      `klpcheck: merge: shards ${[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `${i}/${huge}`).join(', ')} and ${huge - 9} more missing; a partial merge would claim more than was checked [E_USAGE]`,
    );
  });

  it('refuses shards whose ledgers disagree or leave a state unexpanded', () => {
    const scope = 'patches=1,functions=1,states=0,tasks=1,depth=3';
    const parts = shards(scope, 2);
    // Another split depth: the two files are not the halves of one search, and some state is expanded by neither.
    const [, other] = shards(scope, 2, 1);
    /** The one line the CLI would print for these files. */
    const line = (files: ExploreSummary[]) => {
      try {
        merge(files, ['a.json', 'b.json']);
      } catch (e) {
        if (e instanceof KlpcheckError) return e.format();
        throw e;
      }
      return 'accepted';
    };
    // The line names each file that holds the state, at its place in the file's ledger.
    expect(line([parts[0]!, other!])).toMatch(
      /^klpcheck: merge: no shard file expanded a state at depth 2: (a|b)\.json:\/ledger\/expanded\/\d+( and b\.json:\/ledger\/expanded\/\d+)? holds? it unexpanded: not the shards of one exploration \(another split depth\?\), or a ledger edited \[E_SCHEMA\]$/,
    );
    // One file's expansions zeroed: the first state left unexpanded is named with its entry in that file (and in any other file that holds it).
    const unexpanded = { ...parts[1]!, ledger: { ...parts[1]!.ledger!, expanded: new Uint32Array(parts[1]!.ledger!.expanded.length) } };
    const named =
      /^klpcheck: merge: no shard file expanded a state at depth (\d): (?:a\.json:\/ledger\/expanded\/\d+ and )?b\.json:\/ledger\/expanded\/(\d+) holds? it unexpanded: /.exec(
        line([parts[0]!, unexpanded]),
      );
    expect(named).not.toBeNull();
    // The pointer is that state's: expanded in b.json before the edit, and at the depth said.
    const j = Number(named![2]);
    expect(parts[1]!.ledger!.expanded[j]).toBeGreaterThan(0);
    const levelEnds = parts[1]!.ledger!.levelEnds;
    expect(levelEnds.findIndex((end) => j < end)).toBe(Number(named![1]));
    // A tampered expansion: the same state with other successors in two files.
    const tampered = {
      ...parts[1]!,
      ledger: { ...parts[1]!.ledger!, expansions: parts[1]!.ledger!.expansions.map(() => '{"insmod":{"ok":1}}') },
    };
    expect(() => merge([parts[0]!, tampered], ['a.json', 'b.json'])).toThrow(/a state has other successors than in a\.json/);
  });
});
