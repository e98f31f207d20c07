/**
 * A full visited set (harness/explore/visited.ts VisitedLimits: 4 GiB of
 * states' bytes in Node 20, or 2^28 states) stops the packed search as a
 * spent state budget does (search.ts BreadthFirst.take): at the first new
 * state it cannot hold, reporting the levels expanded in full and saying
 * what ran out, on one thread or two. It had ended a whole-space search of
 * minutes with an internal error (exit 70). Here the limits are small, so
 * that a search of seconds fills the set.
 */
import { describe, expect, it } from 'vitest';
import { budgetCheckedNothing } from '../cli/commands/explore.ts';
import { explore } from '../harness/explore/explorer.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { packedSearchParallel } from '../harness/explore/packed/parallel.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch, type PackedSearchResult } from '../harness/explore/packed/search.ts';
import { parseScope } from '../harness/explore/scope.ts';
import type { ExploreSummary } from '../harness/explore/summary.ts';
import { VisitedSet, VISITED_LIMITS } from '../harness/explore/visited.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { validate } from '../harness/json-file.ts';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { boundedReach, howChecked } from '../report/matrix/cells.ts';
import { budgetReach, budgetStopped } from '../report/explore/text.ts';

/** Upstream's whole space here is 59,730 lockstep states; 2,693 up to depth 5. */
const WHOLE = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');

/** What a search reports: its counts and first violations, not the states kept past the stop. */
function counts(r: PackedSearchResult) {
  return {
    fixpoint: r.fixpoint,
    depthReached: r.depthReached,
    distinctStates: r.distinctStates,
    transitions: r.transitions,
    statesPerDepth: r.statesPerDepth,
    violations: r.violations.filter((v) => v.depth <= r.depthReached),
  };
}

describe('the visited set’s capacity', () => {
  it('says which limit keeps a state out, and refuses to add past it', () => {
    const bytes = new VisitedSet(false, { arenaBytes: 10, states: 100 });
    expect(bytes.full(4)).toBeUndefined();
    bytes.add(Uint8Array.of(1, 2, 3, 4));
    // 5 bytes used; a state of 4 bytes takes 5 more: 10 fits, 11 does not.
    expect(bytes.full(4)).toBeUndefined();
    expect(bytes.full(5)).toBe('10 bytes of stored states');
    expect(() => bytes.add(Uint8Array.of(9, 9, 9, 9, 9))).toThrow('visited: more than 10 bytes of stored states');
    const states = new VisitedSet(false, { arenaBytes: 1000, states: 2 });
    states.add(Uint8Array.of(1));
    expect(states.full(1)).toBeUndefined();
    states.add(Uint8Array.of(2));
    expect(states.full(1)).toBe('2 states');
    // A state it holds is found as before.
    expect(states.add(Uint8Array.of(2))).toEqual({ index: 1, added: false });
    expect(new VisitedSet().full(255)).toBeUndefined();
    // 16 GiB of states, and as many as a table of 2^28 slots indexes before it would double past what V8 allocates.
    expect(VISITED_LIMITS).toEqual({ arenaBytes: 16 * 2 ** 30, states: 187_904_819 });
    expect(() => new VisitedSet(false, { arenaBytes: 1, states: 187_904_820 })).toThrow('visited: limits past the largest set');
    expect(() => new VisitedSet(false, { arenaBytes: 1, states: 1, chunkBytes: 2 ** 32 })).toThrow('visited: limits past the largest set');
    expect(() => new VisitedSet(false, { arenaBytes: 1, states: 1, chunkBytes: 255 })).toThrow('visited: limits past the largest set');
    expect(() => new VisitedSet(false, { arenaBytes: 15 * 1000 + 1, states: 1, chunkBytes: 1000 })).toThrow(
      'visited: an arena of more chunks than a set keeps',
    );
    expect(() => new VisitedSet(false, { arenaBytes: 15 * 1000, states: 1, chunkBytes: 1000 })).not.toThrow();
  });

  it('words a size in GiB, MiB or bytes', () => {
    const at = (arenaBytes: number) => new VisitedSet(false, { arenaBytes, states: 10 }).full(arenaBytes);
    expect(at(2 ** 32 - 1)).toBe('4 GiB of stored states');
    expect(at(1.5 * 2 ** 30)).toBe('1.5 GiB of stored states');
    expect(at(3 * 2 ** 20)).toBe('3 MiB of stored states');
    expect(at(2 ** 30)).toBe('1 GiB of stored states');
    expect(at(2 ** 20)).toBe('1 MiB of stored states');
    expect(at(2 ** 20 - 1)).toBe('1048575 bytes of stored states');
  });

  it('holds states across arena chunks as in one, for itself, its export and a reader', () => {
    // Chunks of 300 bytes: a state that does not fit in the last begins the next.
    const set = new VisitedSet(true, { arenaBytes: 15 * 300, states: 1000, chunkBytes: 300 });
    const one = new VisitedSet();
    const keys = Array.from({ length: 200 }, (_, i) => Uint8Array.from({ length: 1 + (i % 17) }, (_, j) => (i * 31 + j * 7) & 0xff));
    const early = VisitedSet.reader(set.handles());
    for (const k of keys) expect(set.add(k)).toEqual(one.add(k));
    expect(set.size).toBe(one.size);
    expect(set.arenaBytes()).toBe(one.arenaBytes());
    expect(Buffer.from(set.export()).equals(Buffer.from(one.export()))).toBe(true);
    const reader = VisitedSet.reader(set.handles());
    expect(reader.sameChunks(set.handles())).toBe(true);
    expect(early.sameChunks(set.handles())).toBe(false);
    keys.forEach((k, i) => {
      expect(Buffer.from(set.get(i)).equals(Buffer.from(k))).toBe(true);
      expect(Buffer.from(reader.get(i)).equals(Buffer.from(k))).toBe(true);
      expect(set.add(k)).toEqual({ index: i, added: false });
      expect(set.has(k)).toBe(true);
      expect(reader.has(k, k.length)).toBe(true);
    });
    // A reader made before the later chunks began does not find their states (the writer decides), and finds the first chunk's.
    expect(early.has(keys[0]!, keys[0]!.length)).toBe(true);
    expect(early.has(keys[199]!, keys[199]!.length)).toBe(false);
    expect(set.has(Uint8Array.of(9, 9, 9))).toBe(false);
    expect(reader.has(Uint8Array.of(9, 9, 9), 3)).toBe(false);
    expect(set.full(10)).toBeUndefined();
    // The bytes count across chunks: 15 chunks of 300 are full when the states' bytes would pass 4,500.
    const filling = new VisitedSet(false, { arenaBytes: 15 * 300, states: 10_000, chunkBytes: 300 });
    let n = 0;
    while (filling.full(99) === undefined)
      filling.add(Uint8Array.from({ length: 99 }, (_, j) => (n * 13 + j) & 0xff).fill(n++ & 0xff, 0, 1));
    expect(filling.arenaBytes()).toBe(4500);
    expect(filling.full(99)).toBe('4500 bytes of stored states');
    // Each chunk's unused tail counts against the chunks: 128-byte states fill 16 chunks of 256 bytes, one a chunk,
    // with 15 x 256 bytes of room; the set is full when no chunk is left, not when the bytes are spent.
    const wasteful = new VisitedSet(false, { arenaBytes: 15 * 256, states: 10_000, chunkBytes: 256 });
    for (let k = 0; wasteful.full(128) === undefined; k++) wasteful.add(Uint8Array.from({ length: 128 }, (_, j) => (k + j) & 0xff));
    expect(wasteful.size).toBe(16);
    expect(wasteful.arenaBytes()).toBe(16 * 129);
    // With every chunk begun, the last one's room is still used: 101-byte states, two a chunk, fill 16 chunks with 32.
    const lastRoom = new VisitedSet(false, { arenaBytes: 15 * 256, states: 10_000, chunkBytes: 256 });
    for (let k = 0; lastRoom.full(100) === undefined; k++) lastRoom.add(Uint8Array.from({ length: 100 }, (_, j) => (k + j) & 0xff));
    expect(lastRoom.size).toBe(32);
  });

  const lockstep = () => new PackedLockstep(WHOLE);

  it('searches alike with its arena in small chunks, on one thread or two', async () => {
    // Every state stored (storeEveryState), so that the arena spans three chunks.
    const whole = packedSearch(lockstep(), { paths: true, storeEveryState: true });
    const limits = { arenaBytes: 15 * 2 ** 20, states: 100_000, chunkBytes: 2 ** 20 };
    const chunked = packedSearch(lockstep(), { paths: true, limits, storeEveryState: true });
    const same = (r: PackedSearchResult) => ({ ...counts(r), states: Buffer.from(r.visited.export()).toString('base64') });
    expect(same(chunked)).toEqual(same(whole));
    // 3,021,554 bytes: three chunks of 1 MiB.
    expect(whole.visited.arenaBytes()).toBe(3_021_554);
    const two = await packedSearchParallel({
      scope: WHOLE,
      model: 'lockstep',
      workers: 2,
      secondWorkerAfter: 0,
      limits,
      paths: true,
      storeEveryState: true,
    });
    expect(same(two)).toEqual(same(whole));
    for (const i of [0, 1000, 30_000, 59_729]) expect(two.pathTo!(i)).toEqual(whole.pathTo!(i));
  }, 120_000);
  const upTo = (depth: number) => packedSearch(lockstep(), { depth, paths: true });

  it('stops a search of states as a budget of as many states does, count for count', () => {
    const budget = packedSearch(lockstep(), { maxStates: 5000, paths: true });
    const full = packedSearch(lockstep(), { limits: { arenaBytes: VISITED_LIMITS.arenaBytes, states: 5000 }, paths: true });
    expect(full.stateBudget).toEqual({ states: 5000, inDepth: 6, capacity: '5000 states' });
    expect(budget.stateBudget).toEqual({ states: 5000, inDepth: 6 });
    expect(counts(full)).toEqual(counts(budget));
    expect(counts(full)).toEqual({ ...counts(upTo(5)), fixpoint: false });
  });

  it('finds, before it stops, what a budget of as many states finds, on one thread or two (hostile-user finding)', async () => {
    // The first state a full set refuses is checked as the state past a budget is: one thread had left its own
    // violations out, so one worker said "holds" where two said VIOLATED.
    const found = (r: PackedSearchResult) => r.violations.map((v) => `${v.property}@${v.depth}`).sort();
    for (const n of [24, 81, 5000]) {
      const limits = { arenaBytes: VISITED_LIMITS.arenaBytes, states: n };
      const budget = found(packedSearch(lockstep(), { maxStates: n }));
      expect(found(packedSearch(lockstep(), { limits })), `${n} states`).toEqual(budget);
      const two = await packedSearchParallel({ scope: WHOLE, model: 'lockstep', workers: 2, secondWorkerAfter: 0, limits });
      expect(found(two), `${n} states, two workers`).toEqual(budget);
    }
    expect(found(packedSearch(lockstep(), { maxStates: 24 }))).toEqual(['no-foreign-overlap@2', 'no-function-shared-across-slots@2']);
  }, 120_000);

  it('stops in the level where the bytes run out and claims the level before, on one thread or two', async () => {
    // The 2,693 states up to depth 5 take 140,093 bytes with their length bytes; depth 6's fill 20,000 more.
    const five = upTo(5);
    const used = five.visited.arenaBytes();
    expect(used).toBe(140_093);
    const limits = { arenaBytes: used + 20_000, states: VISITED_LIMITS.states };
    const one = packedSearch(lockstep(), { limits, paths: true });
    expect(one.stateBudget?.capacity).toBe(`${used + 20_000} bytes of stored states`);
    expect(one.stateBudget?.inDepth).toBe(6);
    expect(one.stateBudget!.states).toBeGreaterThan(five.distinctStates);
    expect(one.stateBudget!.states).toBe(one.visited.size);
    expect(counts(one)).toEqual({ ...counts(five), fixpoint: false });
    expect(one.complete).toBe(true);
    const two = await packedSearchParallel({ scope: WHOLE, model: 'lockstep', workers: 2, secondWorkerAfter: 0, limits, paths: true });
    expect(two.stateBudget).toEqual(one.stateBudget);
    expect(counts(two)).toEqual(counts(one));
    // Room for every state of the space: the search closes as without limits.
    const roomy = packedSearch(lockstep(), { limits: { arenaBytes: 10 * 2 ** 20, states: 59_730 }, storeEveryState: true });
    expect(roomy.fixpoint).toBe(true);
    expect(roomy.stateBudget).toBeUndefined();
    expect(roomy.distinctStates).toBe(59_730);
    // Room to the byte: the last state stored fills the arena exactly, and the search still closes (helper-121: a
    // search that asked the set for one byte more than a state takes lived through the cases above).
    const exact = { arenaBytes: roomy.visited.arenaBytes(), states: 59_730 };
    const filled = packedSearch(lockstep(), { limits: exact, storeEveryState: true });
    expect(filled.fixpoint).toBe(true);
    expect(filled.visited.arenaBytes()).toBe(exact.arenaBytes);
  }, 120_000);

  it('stops the object engine’s search as its budget does, and a shard with a usage error', () => {
    const budget = explore({ semantics: upstream, scope: WHOLE, maxStates: 5000 });
    const full = explore({ semantics: upstream, scope: WHOLE, limits: { arenaBytes: VISITED_LIMITS.arenaBytes, states: 5000 } });
    expect(full.stateBudget).toEqual({ states: 5000, inDepth: 6, capacity: '5000 states' });
    // All but the memory: the budget stores its 5,001st state before it stops, the full set does not.
    const { stateBudget: _a, visited: _v, violations: va, memory: _m, ...rest } = full;
    const { stateBudget: _b, visited: _w, violations: vb, memory: _n, ...restBudget } = budget;
    expect(rest).toEqual(restBudget);
    expect(va.map((v) => [v.property, v.depth])).toEqual(vb.map((v) => [v.property, v.depth]));
    // A set one byte short of depth 6's first new state (its key and the two bytes of its checker memory's id, which
    // the set counts with its length byte) stops there, with depth 5 claimed.
    const five = explore({ semantics: upstream, scope: { ...WHOLE, depth: 5 } });
    const first = explore({ semantics: upstream, scope: WHOLE, maxStates: five.distinctStates + 1 }).visited.get(five.distinctStates);
    const arenaBytes = five.memory.arenaBytes + first.length;
    const short = explore({ semantics: upstream, scope: WHOLE, limits: { arenaBytes, states: VISITED_LIMITS.states } });
    expect(short.stateBudget).toEqual({ states: five.distinctStates, inDepth: 6, capacity: `${arenaBytes} bytes of stored states` });
    expect(short.transitions).toBe(five.transitions);
    const shard = () =>
      explore({
        semantics: upstream,
        scope: { ...WHOLE, depth: 8 },
        shard: { index: 0, count: 2 },
        limits: { arenaBytes: 100_000, states: 10 ** 6 },
      });
    expect(shard).toThrow(
      expect.objectContaining({
        code: 'E_USAGE',
        message: expect.stringMatching(
          /^explore: the visited set is full \(100000 bytes of stored states\) in depth \d+, and a shard's result cannot say where it stopped; bound the depth in --scope$/,
        ),
      }),
    );
  }, 120_000);

  it('is reported as the capacity, not as a budget to raise, in explore’s words and the matrix’s', () => {
    const stop = { states: 57_000_000, inDepth: 12, capacity: '4 GiB of stored states' };
    expect(budgetReach(11, stop)).toBe(
      "up to depth 11 (the visited set's capacity, 4 GiB of stored states, ran out at 57000000 states in depth 12, which is not claimed)",
    );
    expect(budgetStopped(stop)).toBe(
      "the visited set's capacity stopped the search: a depth bound in --scope or a smaller scope keeps the search within it",
    );
    expect(budgetStopped({ states: 5000, inDepth: 6 })).toBe(
      'the state budget stopped the search: --max-states N raises it, --max-states any lifts it',
    );
    const cell = {
      semantics: 'upstream',
      property: 'no-lost-fix',
      verdict: 'holds-bounded' as const,
      states: 57_000_000,
      transitions: 600_000_000,
      sequences: 100,
      steps: 1000,
      depth: 11,
      fixpoint: false,
      state_budget: { states: 57_000_000, in_depth: 12, capacity: '4 GiB of stored states' },
    };
    expect(boundedReach(cell)).toBe(budgetReach(11, stop));
    const m = {
      semantics: ['upstream'],
      cells: [cell],
      runs: 1,
      max_steps: 1,
      seed: 1,
      corpus: 'counterexamples',
      exhaustive: { scope: 'patches=2' },
    };
    const said = howChecked(m as unknown as VerdictMatrix);
    expect(said).toContain(" The visited set's capacity stopped an exploration: a depth bound in --scope or a smaller scope");
    expect(said).not.toContain('The state budget stopped');
  });

  it('is kept in a verdict matrix’s cell, as its schema allows', async () => {
    const out: string[] = [];
    const io: Io = { stdout: (t) => out.push(t), stderr: () => {}, stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
    const args = ['compare', '--semantics', 'upstream', '--invariants', 'transition-sanity', '--runs', '1', '--no-save', '--json'];
    expect(await main([...args, '--exhaustive', '--scope', 'patches=1,functions=1,states=0,tasks=1'], io)).toBe(0);
    const m = JSON.parse(out.join('')) as { cells: Record<string, unknown>[] };
    const withBudget = (state_budget: object) => ({ ...m, cells: [{ ...m.cells[0], fixpoint: false, state_budget }] });
    const stop = { states: 9, in_depth: 3, capacity: '4 GiB of stored states' };
    const kept = validate<VerdictMatrix>('verdict-matrix', withBudget(stop), 'm.json').cells[0];
    expect(kept).toMatchObject({ state_budget: stop });
    expect(() => validate('verdict-matrix', withBudget({ ...stop, capacity: '' }), 'm.json')).toThrow(
      expect.objectContaining({ code: 'E_SCHEMA', file: 'm.json', where: '/cells/0/state_budget/capacity' }),
    );
    // What the cell says comes from the file: the capacity's words, not a budget's.
    expect(boundedReach(kept as Parameters<typeof boundedReach>[0])).toContain(
      "the visited set's capacity, 4 GiB of stored states, ran out at 9 states",
    );
  }, 60_000);

  it('words a stop before depth 1 as the set’s capacity, not as a budget to raise', () => {
    const s = { semantics: 'upstream', depthReached: 0, stateBudget: { states: 3, inDepth: 1, capacity: '3 states' } };
    expect(budgetCheckedNothing(s as unknown as ExploreSummary)?.message).toBe(
      'upstream has more states within depth 1 than the visited set holds (3 states), so no sequence was checked; a smaller scope keeps the search within it',
    );
  });
});
