/**
 * The packed engine's search on worker threads (harness/explore/packed/parallel.ts)
 * is the single-threaded search (search.ts), state for state: the same
 * counts, the same states numbered alike, the same parent of every state,
 * the same stop under a depth bound or a state budget, with any number of
 * workers.
 */
import { describe, expect, it } from 'vitest';
import { packedSearchParallel } from '../harness/explore/packed/parallel.ts';
import { packedSearch, type PackedSearchResult } from '../harness/explore/packed/search.ts';
import { PackedSpec } from '../harness/explore/packed/spec.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { packedModel } from '../harness/explore/packed/models.ts';

/** Everything a search says, the stored states in their order and every state's path included. */
function whole(r: PackedSearchResult) {
  const paths: string[] = [];
  for (let i = 0; i < r.visited.size; i++) paths.push(r.pathTo!(i).join(','));
  return {
    fixpoint: r.fixpoint,
    depthReached: r.depthReached,
    stateBudget: r.stateBudget,
    distinctStates: r.distinctStates,
    transitions: r.transitions,
    statesPerDepth: r.statesPerDepth,
    maxFrontier: r.maxFrontier,
    violations: r.violations,
    states: Buffer.from(r.visited.export()).toString('base64'),
    paths,
  };
}

describe('the packed search on worker threads', () => {
  it.each([
    ['patches=2,functions=1,states=0,tasks=1,depth=any', {}],
    ['patches=1,functions=2,states=1,tasks=2,depth=any', {}],
    ['patches=2,functions=2,states=1,tasks=1,depth=6', {}],
    // A budget that runs out in the middle of a level: 24,715 states up to depth 4, 65,867 up to depth 5.
    ['patches=2,functions=2,states=1,tasks=1,depth=any', { maxStates: 30_000 }],
    ['patches=2,functions=2,states=1,tasks=1,depth=5', {}],
  ] as const)(
    'is the search in one thread at %s %j, on 2 workers (and 1 and 3 under the budget)',
    async (text, extra) => {
      const scope = parseScope(text);
      const options = { depth: scope.depth, paths: true, ...extra };
      const one = whole(packedSearch(new PackedSpec(scope), options));
      // Each worker count costs its threads' start-up (tsx): the others once, where the stop is the most delicate.
      for (const workers of 'maxStates' in extra ? [1, 2, 3] : [2]) {
        const r = await packedSearchParallel({ scope, workers, paths: true, secondWorkerAfter: 0, ...extra });
        expect(whole(r), `${workers} workers`).toEqual(one);
      }
      if ('maxStates' in extra) expect(one.stateBudget).toEqual({ states: 30_000, inDepth: 5 });
    },
    120_000,
  );

  it.each([
    ['patches=2,functions=1,states=0,tasks=1,depth=any', {}],
    // The conformance break is at depth 6; the budget stops the search in depth 7, past it.
    ['patches=2,functions=2,states=0,tasks=1,depth=any', { maxStates: 20_000 }],
  ] as const)(
    'is the search in one thread with the kernel in lockstep and conformance checked, at %s %j',
    async (text, extra) => {
      const scope = parseScope(text);
      const one = whole(packedSearch(new PackedLockstep(scope), { depth: scope.depth, paths: true, ...extra }));
      expect(one.violations.map((v) => [v.property, v.depth])).toContainEqual(['conformance', 6]);
      const r = await packedSearchParallel({ scope, workers: 2, paths: true, model: 'lockstep', secondWorkerAfter: 0, ...extra });
      expect(whole(r)).toEqual(one);
    },
    120_000,
  );

  it("is the search in one thread where the states begin with different roots (per-state's two): every byte of a worker's record is taken", async () => {
    // Upstream's keys all begin with root 0, so a main thread that took a record's key without its first byte found
    // every state (a mutant that lived through the tests above, 2026-12-07); per-state has a root with a shadow variable and one without.
    const scope = parseScope('patches=1,functions=1,states=1,tasks=1,depth=any');
    const one = whole(packedSearch(packedModel('spec', scope, { semantics: 'per-state' }), { paths: true }));
    expect(new Set(one.paths.slice(0, 2))).toEqual(new Set(['']));
    const r = await packedSearchParallel({ scope, workers: 2, paths: true, semantics: 'per-state', secondWorkerAfter: 0 });
    expect(whole(r)).toEqual(one);
  }, 120_000);

  it('starts the second worker once secondWorkerAfter states are stored, not once as many were sent to be expanded', async () => {
    const scope = parseScope('patches=2,functions=2,states=1,tasks=1,depth=5');
    const levels = packedSearch(new PackedSpec(scope), { depth: scope.depth }).statesPerDepth;
    const through = (d: number) => levels.slice(0, d + 1).reduce((a, b) => a + b, 0);
    // One short of the states through depth 3: counted in states sent, the second worker had started only after the
    // first chunks of depth 4 were taken, past that many states stored.
    const after = through(3) - 1;
    const starts: { workers: number; depth: number; states: number }[] = [];
    const r = await packedSearchParallel({ scope, workers: 2, secondWorkerAfter: after, onWorkerStart: (p) => starts.push(p) });
    expect(starts[0]).toEqual({ workers: 1, depth: 0, states: levels[0] });
    expect(starts).toHaveLength(2);
    expect(starts[1]!.workers).toBe(2);
    expect(starts[1]!.states).toBeGreaterThanOrEqual(after);
    expect(starts[1]!.states).toBeLessThanOrEqual(through(3));
    // Each worker's busy time, by its place: both expanded chunks.
    expect(r.workerBusySeconds).toHaveLength(2);
    for (const busy of r.workerBusySeconds) expect(busy).toBeGreaterThan(0);
  }, 60_000);

  it('rejects its promise with what a call made as a worker answers throws, wherever it comes', async () => {
    // shouldStop is asked before each chunk is posted, in the search's loop or as a worker answers: an error thrown in
    // the latter had rejected no promise, and node ended with a stack trace (helper-104: the 8th, 12th, 20th call).
    const scope = parseScope('patches=2,functions=2,states=1,tasks=1,depth=4');
    for (const nth of [3, 8, 12, 20, 30]) {
      let calls = 0;
      const shouldStop = () => {
        if (++calls === nth) throw new Error(`boom at call ${nth}`);
        return false;
      };
      await expect(packedSearchParallel({ scope, workers: 2, secondWorkerAfter: 0, shouldStop })).rejects.toThrow(`boom at call ${nth}`);
    }
  }, 60_000);

  it('refuses a number of workers that is not a whole number from 1', async () => {
    const scope = parseScope('patches=1,functions=1,states=0,tasks=1,depth=any');
    for (const workers of [Number.NaN, 0, -3, 1.5])
      await expect(packedSearchParallel({ scope, workers })).rejects.toThrow(
        `packed: workers must be a whole number from 1, not ${workers}`,
      );
  });
});
