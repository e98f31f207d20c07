/**
 * The packed search does not store a state past a conformance break whose
 * kernel part a stored state has (harness/explore/packed/covered-past-break.ts).
 * Held here for every semantics at a whole space: the search reaches every
 * kernel part the search that stores every state reaches, and finds every
 * violation at the same depth by the same path. It stores a subset of that
 * search's states. Coverings that drop the definitions from the part, or
 * that cover without a stored twin, are caught.
 */
import { describe, expect, it } from 'vitest';
import { CoveredPastBreak } from '../harness/explore/packed/covered-past-break.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearchParallel } from '../harness/explore/packed/parallel.ts';
import { packedSearch, type PackedSearchResult, type PackedSpace } from '../harness/explore/packed/search.ts';
import { parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import { hashBytes, type VisitedSet } from '../harness/explore/visited.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

/** Each violation with its depth and whole path (state numbers differ between the two searches; paths do not). */
const found = (r: PackedSearchResult) => r.violations.map((v) => `${v.property} at ${v.depth}: ${v.path!.join(',')}`);

/** The kernel parts of every state a search stored, as text. */
function kernelParts(r: PackedSearchResult, model: PackedLockstep): Set<string> {
  const part = new Uint8Array(255);
  const parts = new Set<string>();
  for (let i = 0; i < r.distinctStates; i++)
    parts.add(Buffer.from(part.subarray(0, model.kernelPart(r.visited.get(i), part))).toString('hex'));
  return parts;
}

/** Every key a search stored, as text. */
function keys(r: PackedSearchResult): Set<string> {
  const all = new Set<string>();
  for (let i = 0; i < r.distinctStates; i++) all.add(Buffer.from(r.visited.get(i)).toString('hex'));
  return all;
}

/**
 * Upstream's whole space here holds 59,730 states, 17,059 of them past a break.
 * Hybrid mode's three and per-state's whole spaces take 30 s each, so they
 * are searched to depth 9, where hybrid mode's have states past a break.
 */
const LARGE = ['hybrid', 'hybrid-gated-shared', 'hybrid-gated-partial', 'per-state'];
const scopeFor = (s: Semantics) =>
  parseScope(`patches=2,functions=1,states=${s.spec.perState ? 1 : 0},tasks=1,depth=${LARGE.includes(s.name) ? 9 : 'any'}`);

/** The lockstep of `semantics` with `covering` in place of its own (a deliberately broken one, below). */
function withCovering(scope: ExploreScope, semantics: Semantics, covering: (visited: VisitedSet) => CoveredPastBreak): PackedSpace {
  const model = new PackedLockstep(scope, { semantics });
  return {
    properties: model.properties,
    roots: () => model.roots(),
    expand: (key, emit, stored) => model.expand(key, emit, stored),
    violatedByNewState: () => model.violatedByNewState(),
    covering,
  };
}

/**
 * A reader whose kernel part has no definitions (written as if none were
 * loaded). One that left out the checkers' memory would go uncaught: at every
 * scope tried (upstream, replace-tag-draft, hybrid-listed-shared and
 * replace-set-unfiltered-nops at patches=2,functions=1,states=0,tasks=1;
 * per-state to depth 6 with a state id) the memory followed from the kernel,
 * and the search found the same. The part keeps it because nothing proves
 * that it always does.
 */
class ForgetfulReader extends PackedLockstep {
  constructor(scope: ExploreScope, semantics: Semantics) {
    super(scope, { semantics });
  }
  override kernelPart(key: Uint8Array, out: Uint8Array, length = key.length): number {
    const n = super.kernelPart(key, out, length);
    out.fill(0, 0, 2 + 2 * key[1]!);
    return n;
  }
}

/** A covering that covers every new state past a break, twin or not. */
class CoversEverything extends CoveredPastBreak {
  constructor(
    private readonly model: PackedLockstep,
    set: VisitedSet,
  ) {
    super(model, set);
  }
  override covers(key: Uint8Array): boolean {
    return this.model.pastBreak(key);
  }
}

describe('states past a conformance break covered by a stored state', () => {
  it.each(SEMANTICS.map((s) => [s.name, s] as const))(
    '%s: the same kernel parts reached and the same violations by the same paths, with a subset of the states',
    (_, semantics) => {
      const scope = scopeFor(semantics);
      const model = new PackedLockstep(scope, { semantics });
      const every = packedSearch(new PackedLockstep(scope, { semantics }), { depth: scope.depth, paths: true, storeEveryState: true });
      const covering = packedSearch(new PackedLockstep(scope, { semantics }), { depth: scope.depth, paths: true });
      expect(found(covering)).toEqual(found(every));
      expect(kernelParts(covering, model)).toEqual(kernelParts(every, model));
      const all = keys(every);
      expect([...keys(covering)].every((k) => all.has(k))).toBe(true);
      // A covered successor is never stored, and the search that stores every state stores it.
      if (covering.covered) expect(covering.distinctStates).toBeLessThan(every.distinctStates);
      else expect(covering.distinctStates).toBe(every.distinctStates);
      expect(every.covered).toBe(0);
      expect(covering.fixpoint).toBe(every.fixpoint);
    },
    60_000,
  );

  it('covers states past a break in upstream’s whole space: 42,671 stored of 59,730', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const every = packedSearch(new PackedLockstep(scope), { storeEveryState: true });
    const covering = packedSearch(new PackedLockstep(scope), {});
    // 59,730 states (test/packed-property-subset.test.ts), of which these lie past a break.
    expect(every.distinctStates).toBe(59_730);
    expect(covering.distinctStates).toBe(42_671);
    expect(covering.covered).toBeGreaterThan(0);
    expect(covering.coveringBytes).toBeGreaterThan(0);
    expect(every.coveringBytes).toBe(0);
  });

  it('covers with two tasks (replace-tag-draft to depth 6)', () => {
    const semantics = SEMANTICS.find((s) => s.name === 'replace-tag-draft')!;
    const scope = parseScope('patches=2,functions=1,states=0,tasks=2,depth=6');
    const model = new PackedLockstep(scope, { semantics });
    const every = packedSearch(new PackedLockstep(scope, { semantics }), { depth: 6, paths: true, storeEveryState: true });
    const covering = packedSearch(new PackedLockstep(scope, { semantics }), { depth: 6, paths: true });
    expect(found(covering)).toEqual(found(every));
    expect(kernelParts(covering, model)).toEqual(kernelParts(every, model));
    // The part sorts the kernel's task columns so that it does not hang on the spec model's order of the tasks. At every
    // scope tried (this one to depth 8, upstream's whole tasks=2 space of 186,552 states, functions=2 to depth 6) the
    // two orders agreed, as a conforming task's spec column follows from its kernel column: no count pins the sort.
    expect([covering.distinctStates, covering.covered]).toEqual([21_938, 640]);
  });

  it('covers nothing where conformance is not checked: every state is past a break from the roots on', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const model = new PackedLockstep(scope, { properties: ['callback-pairing'] });
    expect(model.covering(packedSearch(model, { depth: 0 }).visited)).toBeUndefined();
  });

  it('gives the same result on two workers as in one thread', async () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const one = packedSearch(new PackedLockstep(scope), { paths: true });
    const two = await packedSearchParallel({ scope, workers: 2, paths: true, model: 'lockstep', secondWorkerAfter: 0 });
    expect(one.covered).toBeGreaterThan(0);
    expect([two.distinctStates, two.covered, two.statesPerDepth, found(two)]).toEqual([
      one.distinctStates,
      one.covered,
      one.statesPerDepth,
      found(one),
    ]);
    expect(keys(two)).toEqual(keys(one));
  });

  describe('deliberately broken coverings are caught', () => {
    /** Whether a covering changes the kernel parts reached or a violation, at upstream's or replace-tag-draft's whole space. */
    function caught(covering: (scope: ExploreScope, semantics: Semantics) => (visited: VisitedSet) => CoveredPastBreak): boolean {
      return SEMANTICS.filter((s) => ['upstream', 'replace-tag-draft'].includes(s.name)).some((semantics) => {
        const scope = scopeFor(semantics);
        const model = new PackedLockstep(scope, { semantics });
        const every = packedSearch(new PackedLockstep(scope, { semantics }), { paths: true, storeEveryState: true });
        const broken = packedSearch(withCovering(scope, semantics, covering(scope, semantics)), { paths: true });
        return found(broken).join() !== found(every).join() || kernelParts(broken, model).size !== kernelParts(every, model).size;
      });
    }

    it('a kernel part without the definitions', () => {
      expect(caught((scope, s) => (visited) => new CoveredPastBreak(new ForgetfulReader(scope, s), visited))).toBe(true);
    });

    it('a covering with no stored twin', () => {
      expect(caught((scope, s) => (visited) => new CoversEverything(new PackedLockstep(scope, { semantics: s }), visited))).toBe(true);
    });

    it('but not the real one, through the same wrapper', () => {
      expect(caught((scope, s) => (visited) => new CoveredPastBreak(new PackedLockstep(scope, { semantics: s }), visited))).toBe(false);
    });
  });
});

describe('the covering compares parts byte for byte', () => {
  /** Two 7-byte kernel parts of one hash, found by search (a 32-bit hash meets itself within some 65,536 tries). */
  function collision(): [Uint8Array, Uint8Array] {
    const seen = new Map<number, Uint8Array>();
    let x = 1;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (;;) {
      const part = Uint8Array.from({ length: 7 }, () => next() >>> 24);
      const twin = seen.get(hashBytes(part));
      if (twin && twin.some((b, i) => b !== part[i])) return [twin, part];
      seen.set(hashBytes(part), part);
    }
  }

  it('does not cover a state whose part only shares a stored part’s hash and length, and covers one of the same part', () => {
    const [storedPart, otherPart] = collision();
    expect(hashBytes(storedPart)).toBe(hashBytes(otherPart));
    // A reader whose key is a byte (1: past a break) and then the part; a visited set holding one conforming state.
    const reader = {
      pastBreak: (key: Uint8Array) => key[0] === 1,
      kernelPart: (key: Uint8Array, out: Uint8Array) => (out.set(key.subarray(1)), key.length - 1),
    } as unknown as PackedLockstep;
    const stored = Uint8Array.from([0, ...storedPart]);
    const visited = { size: 1, get: () => stored, has: () => false } as unknown as VisitedSet;
    const covering = new CoveredPastBreak(reader, visited);
    expect(covering.covers(Uint8Array.from([1, ...otherPart]), 8)).toBe(false);
    expect(covering.covers(Uint8Array.from([1, ...storedPart]), 8)).toBe(true);
    expect(covering.covered).toBe(1);
  });
});
