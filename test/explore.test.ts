/**
 * The explorer is checked against brute force: on tiny scopes, every op
 * sequence up to the depth is run without any deduplication, and the
 * distinct states and shortest violations must be exactly what the
 * breadth-first search reports. Shards merged must equal the whole.
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef } from '../model/kernel/definitions.ts';
import { candidateOps, newPatchDefs, scopeFuncs, TARGET_MODULE, withPatch } from '../harness/explore/candidates.ts';
import { applicableProperties, chunkSize, explore, expandChunk, type ExploreResult } from '../harness/explore/explorer.ts';
import { Expander } from '../harness/explore/expand.ts';
import { keyBuilderFor } from '../harness/explore/state-key.ts';
import { parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import { fromJson, toJson } from '../harness/explore/shard-format.ts';
import { merge, summarize } from '../harness/explore/summary.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { nopsFromAll } from './fixtures/broken.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { exploreText } from '../report/explore/text.ts';
import { replaceSetUnfilteredNops } from '../model/semantics/replace-set.ts';
import { exploreInParallel, SECOND_WORKER_AFTER, workersFor } from '../harness/explore/parallel.ts';
import { patchFromFuncs } from '../harness/patch-def.ts';

/** Each violated property's shortest depth, as the explorer reports it. */
const shortestDepths = (r: ExploreResult) => Object.fromEntries(r.violations.map((v) => [v.property, v.depth]));

/** Depth-first over every sequence, no deduplication: the distinct states (exact keys) and each property's shortest violation. */
function bruteForce(sem: Semantics, scope: ExploreScope) {
  const opts = {
    invariants: INVARIANTS.filter((i) => i.appliesTo(sem)),
    conformance: true,
    funcs: scopeFuncs(scope),
    specUntilDivergence: true,
  };
  const seen = new Set<string>();
  const specSeen = new Set<string>();
  // Per key, the freed patches' leftovers (kernel/pack.ts leaves them out of the key).
  const leftovers = new Map<string, Set<string>>();
  const shortest = new Map<string, number>();
  let diverged = 0;
  const keys = keyBuilderFor(sem, scope);
  // A definition is named in a key by its position among the ones its patch could have had.
  const positions = new Map<PatchDef, number>();
  const add = (run: Lockstep, known: readonly PatchDef[]) => {
    const k = keys.build(
      run,
      0,
      known.map((d) => positions.get(d)!),
    );
    const key = `${Buffer.from(k.full).toString('hex')}#${run.memory()}`;
    seen.add(key);
    const freed = [...run.kernel.core.modules.values()].flatMap((m) =>
      m.kind === 'livepatch' && m.patch && !m.patch.registered
        ? [
            {
              name: m.patch.name,
              enabled: m.patch.enabled,
              objs: m.patch.objs.map((o) => [o.name, o.loaded, o.patched, o.post_unpatch_enabled]),
            },
          ]
        : [],
    );
    let l = leftovers.get(key);
    if (!l) leftovers.set(key, (l = new Set()));
    l.add(JSON.stringify(freed));
    if (k.spec.length) specSeen.add(Buffer.from(k.spec).toString('hex'));
    if (!run.followsSpec) diverged++;
  };
  const root = new Lockstep({ patches: [], modules: [{ name: TARGET_MODULE }], kernel: { tasks: scope.tasks } }, sem, opts);
  add(root, []);
  const dfs = (run: Lockstep, known: readonly PatchDef[], depth: number, done: ReadonlySet<string>) => {
    if (depth === scope.depth) return;
    const next: [Lockstep, readonly PatchDef[]][] = [];
    const steps: [Lockstep, readonly PatchDef[], Parameters<Lockstep['stepAll']>[0]][] = [];
    for (const op of candidateOps(sem, scope, known)) if (run.applicable(op)) steps.push([run.branch(), known, op]);
    if (known.length < scope.patches) {
      newPatchDefs(sem, scope, known, new Set()).forEach((def, i) => {
        positions.set(def, i);
        steps.push([run.branch(withPatch(run.universe, def)), [...known, def], { op: 'insmod', module: def.name }]);
      });
    }
    for (const [b, k, op] of steps) {
      const found = b.stepAll(op, done);
      const now = new Set(done);
      for (const v of found) {
        now.add(v.invariant);
        shortest.set(v.invariant, Math.min(shortest.get(v.invariant) ?? Infinity, depth + 1));
      }
      add(b, k);
      next.push([b, k]);
      dfs(b, k, depth + 1, now);
    }
    void next;
  };
  dfs(root, [], 0, new Set());
  const merged = [...leftovers.values()].filter((l) => l.size > 1).length;
  return { states: seen.size, specStates: specSeen.size, shortest, merged, diverged };
}

describe('exhaustive exploration', () => {
  const tiny = parseScope('patches=2,functions=1,states=0,tasks=1,depth=3');

  it('counts exactly the distinct states brute force reaches', () => {
    const r = explore({ semantics: upstream, scope: tiny });
    const b = bruteForce(upstream, tiny);
    expect(r.distinctStates).toBe(b.states);
    expect(r.specStates).toBe(b.specStates);
    expect(r.complete).toBe(true);
    expect(r.statesPerDepth.reduce((a, n) => a + n, 0)).toBe(r.distinctStates);
  });

  it('merges only states with the same futures, where tasks fork: a task that forked is not one that did not', () => {
    // A key stands for every state that packs to it, and the search expands only the first it meets: sound only if
    // they all have the same successors. Tasks are sorted in a key as interchangeable; with forks they were not
    // (candidates.ts taskRole): task0 having forked and task1 having forked were one key with other successors, and
    // the search missed states (17,622 at depth 6 here, where it found 13,861). Every path to depth 4, none merged.
    const scope = parseScope('patches=1,functions=1,states=0,tasks=2,depth=4,taskModel=1');
    const ex = new Expander(upstream, scope, applicableProperties(upstream));
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const futures = new Map<string, string>();
    const differ: string[] = [];
    let level = [{ path: [] as number[], key: hex(ex.rootKeys(0).keys.full) }];
    for (let depth = 0; depth < 4; depth++) {
      const next: typeof level = [];
      for (const { path, key } of level) {
        const successors: string[] = [];
        ex.expand(0, path, (s) => {
          const k = hex(s.keys.full);
          successors.push(`${k}:${s.found.map((v) => v.invariant).join(',')}`);
          next.push({ path: [...path, s.pos], key: k });
        });
        const future = [...new Set(successors)].sort().join(' ');
        const had = futures.get(key);
        if (had === undefined) futures.set(key, future);
        else if (had !== future) differ.push(JSON.stringify(path));
      }
      level = next;
    }
    expect(futures.size).toBeGreaterThan(400);
    expect(differ.slice(0, 3)).toEqual([]);
    // And the search agrees with brute force, which merges by the same keys.
    expect(explore({ semantics: upstream, scope: { ...scope, depth: 3 } }).distinctStates).toBe(
      bruteForce(upstream, { ...scope, depth: 3 }).states,
    );
  });

  it("loses nothing reachable by leaving a freed patch's leftovers out of the key", () => {
    // kernel/pack.ts: a freed patch's enabled flag, objects and states are
    // dead until rmmod. Brute force runs every sequence without merging
    // anything, so a merged pair with different futures would show here as
    // a state or a shortest violation the search misses.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=5');
    const r = explore({ semantics: upstream, scope });
    const b = bruteForce(upstream, scope);
    expect(b.merged, 'the scope reaches keys whose freed patches differ in their leftovers').toBeGreaterThan(0);
    expect(r.distinctStates).toBe(b.states);
    expect(shortestDepths(r)).toEqual(Object.fromEntries(b.shortest));
  });

  it('counts exactly the states brute force reaches past a conformance break, where only the kernel is followed', () => {
    // replace-set-unfiltered-nops departs from its spec at depth 3; after that
    // the spec model is frozen and left out of the key (run-sequence.ts
    // specUntilDivergence), and ops are chosen by the kernel's preconditions.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=5');
    const r = explore({ semantics: replaceSetUnfilteredNops, scope });
    const b = bruteForce(replaceSetUnfilteredNops, scope);
    expect(b.diverged, 'the scope reaches states past a conformance break').toBeGreaterThan(0);
    expect(r.distinctStates).toBe(b.states);
    expect(r.specStates).toBe(b.specStates);
    expect(shortestDepths(r)).toEqual(Object.fromEntries(b.shortest));
  });

  it('says when the search follows the kernel alone, and counts the spec level only before a break', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=4');
    const broken = exploreText(summarize(explore({ semantics: replaceSetUnfilteredNops, scope }), 0));
    expect(broken).toMatch(/^\d+ distinct states \(\d+ at the spec level, before a conformance break\)/m);
    expect(broken).toMatch(/^Past a conformance break the search follows the reference implementation alone:/m);
    const holds = exploreText(summarize(explore({ semantics: upstream, scope }), 0));
    expect(holds).toMatch(/^\d+ distinct states \(\d+ at the spec level\)/m);
    expect(holds).not.toMatch(/follows the reference implementation alone/);
    const noSpec = explore({ semantics: upstream, scope, properties: ['no-lost-fix'] });
    expect(noSpec.specStates).toBe(0);
    expect(exploreText(summarize(noSpec, 0))).toMatch(/\(the spec model not followed: conformance is not checked\)/);
  });

  it('finds each violated property at the shortest depth brute force finds', () => {
    const scope = parseScope('patches=2,functions=2,states=0,tasks=2,depth=5');
    const r = explore({ semantics: nopsFromAll, scope, properties: ['no-silent-version-switch'] });
    const v = r.violations.find((x) => x.property === 'no-silent-version-switch');
    expect(v, 'the broken nop semantics switches silently').toBeDefined();
    // The hand-written sequence in test/invariants.test.ts has 5 steps; none shorter exists in this scope.
    expect(v!.result.steps).toHaveLength(5);
    expect(v!.depth).toBe(5);
  });

  it('agrees with brute force on the shortest violations of a real semantics', () => {
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=3');
    const r = explore({ semantics: stacking, scope });
    const b = bruteForce(stacking, scope);
    expect(shortestDepths(r)).toEqual(Object.fromEntries(b.shortest));
    expect(r.distinctStates).toBe(b.states);
  });

  it('counts exactly the states brute force reaches with state callbacks, whose checker remembers across replayed steps', () => {
    // A replayed step (expand.ts) skips only the checkers that remember nothing; callback-pairing's memory
    // and the kernel's per-state flags (clone.ts) must come back as they were, or states split or merge.
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    const r = explore({ semantics: upstream, scope });
    const b = bruteForce(upstream, scope);
    expect(r.distinctStates).toBe(b.states);
    expect(new Set(r.memories).size).toBeGreaterThan(1);
  });

  it('shards merged give the whole: the same distinct states and violations', () => {
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    const whole = summarize(explore({ semantics: upstream, scope }), 0);
    const parts = [0, 1, 2].map((index) =>
      summarize(explore({ semantics: upstream, scope, shard: { index, count: 3 }, splitDepth: 2 }), 0),
    );
    const merged = merge(parts.map((p) => fromJson(JSON.parse(toJson(p)))));
    expect(merged.distinctStates).toBe(whole.distinctStates);
    // Violations of equal length come in discovery order, which differs per shard: compare them as sets.
    const found = (s: typeof whole) => s.violations.map((v) => `${v.property} ${v.ops.length}`).sort();
    expect(found(merged)).toEqual(found(whole));
    expect(parts.every((p) => p.distinctStates < whole.distinctStates)).toBe(true);
  });

  it('stops cleanly when asked, reporting what it covered', () => {
    let polls = 0;
    const r = explore({ semantics: upstream, scope: parseScope('depth=6'), shouldStop: () => ++polls > 3 });
    expect(r.complete).toBe(false);
    expect(r.distinctStates).toBeGreaterThan(0);
    // An interrupted search claims nothing: no "holds", and it says INCOMPLETE (the CLI then exits 130).
    const text = exploreText(summarize(r, 0));
    expect(text).toMatch(/INCOMPLETE/);
    expect(text).not.toMatch(/ holds /);
  });

  it('flags a pass that never reached the milestones as vacuous', () => {
    const r = summarize(explore({ semantics: upstream, scope: parseScope('patches=1,functions=1,states=0,tasks=1,depth=1') }), 0);
    expect(r.reached).not.toContain('transition completed by a retry');
  });

  it('finds the unfiltered-nops flaw exhaustively, each property at its breadth-first shortest length', () => {
    // Song Liu's replace_set without Petr Mladek's nop filter: another set's function switches back silently.
    const r = explore({ semantics: replaceSetUnfilteredNops, scope: parseScope('patches=2,functions=1,states=0,tasks=1,depth=6') });
    // no-foreign-removal (issue 12): the user's p2 takes the vendor's p1 in one set number, in 2 steps.
    expect(shortestDepths(r)).toEqual({
      conformance: 3,
      'no-foreign-removal': 2,
      'no-lost-fix': 4,
      // Past the conformance break the kernel is still in the transition the
      // spec model completed at once, and its transition work completing it is
      // the 5th step (the kernel's preconditions, harness/kernel-preconditions.ts).
      'no-silent-version-switch': 5,
    });
    for (const v of r.violations) expect(v.result.steps, v.property).toHaveLength(v.depth);
    // p2 is both in the transition before the force and after it: it is named once.
    expect(r.violations.find((v) => v.property === 'no-lost-fix')!.result.violation!.reason).toBe(
      "p1's fix of vmlinux:f1,0 stopped running (now original) for task0; p2 may not replace p1",
    );
  });

  it('runs to the fixpoint without a depth bound: every state expanded, nothing left', () => {
    const r = explore({ semantics: upstream, scope: parseScope('patches=1,functions=1,states=0,tasks=1,depth=any') });
    expect(r.fixpoint).toBe(true);
    expect(r.statesPerDepth.at(-1)).toBe(0);
    const bounded = explore({
      semantics: upstream,
      scope: parseScope(`patches=1,functions=1,states=0,tasks=1,depth=${r.depthReached + 3}`),
    });
    expect(bounded.distinctStates).toBe(r.distinctStates);
    expect(bounded.transitions).toBe(r.transitions);
  });

  it('gives the same counts, coverage and counterexamples on two workers as on one', async () => {
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    // Both workers from the start: at its default threshold a search this small would run on one.
    const [one, two] = await Promise.all(
      [1, 2].map((workers) => exploreInParallel({ semantics: 'upstream', scope, workers, secondWorkerAfter: 0 }).done),
    );
    for (const s of [one!, two!]) {
      expect(s.distinctStates).toBe(explore({ semantics: upstream, scope }).distinctStates);
    }
    const { seconds: _a, ...a } = one!;
    const { seconds: _b, ...b } = two!;
    expect(b).toEqual(a);
  }, 600_000);

  it('runs one worker until a search has sent 8,192 states to be expanded, then all of them', () => {
    expect(workersFor(0, 2)).toBe(1);
    expect(workersFor(SECOND_WORKER_AFTER - 1, 2)).toBe(1);
    expect(workersFor(SECOND_WORKER_AFTER, 2)).toBe(2);
    expect(workersFor(SECOND_WORKER_AFTER, 1)).toBe(1);
    expect(workersFor(0, 4, 0)).toBe(4);
  });

  it('takes at most half of what is left per slot in flight, never below 16 states or above 256 a chunk', () => {
    expect(chunkSize(1, 4)).toBe(16);
    expect(chunkSize(903, 4)).toBe(113);
    expect(chunkSize(100_000, 4)).toBe(256);
    expect(chunkSize(300, 1)).toBe(150);
  });

  it('gives the same result whatever the chunk grouping: four chunks in flight expanded in this thread equal one', () => {
    // Without workers, so that a grouping bug cannot hide behind thread timing.
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    const ex = new Expander(upstream, scope, applicableProperties(upstream));
    const sizes: number[] = [];
    const four = explore({
      semantics: upstream,
      scope,
      expandChunks: { width: 4, expand: (items) => (sizes.push(items.length), expandChunk(ex, items)) },
    });
    const one = explore({ semantics: upstream, scope });
    expect(Math.min(...sizes), 'small levels were split').toBeLessThan(256);
    const strip = (r: ExploreResult) => ({ ...summarize(r, 0), seconds: 0 });
    expect(strip(four)).toEqual(strip(one));
  });

  it('keys tasks as a set of (spec record, kernel record) pairs: a permutation is one state, a swapped pairing another', () => {
    // state-key.ts writes each task's spec record once and its kernel record after, in one order: the pairing must survive.
    const u = { patches: [patchFromFuncs('p1', ['vmlinux:f1'], [], {})], modules: [{ name: TARGET_MODULE }], kernel: { tasks: 2 } };
    const scope = parseScope('patches=1,functions=1,states=0,tasks=2,depth=1');
    const keys = keyBuilderFor(upstream, scope);
    const opts = { invariants: [], conformance: true, funcs: ['vmlinux:f1,0', 'mod:m1,0'] };
    const blockedIn = (task: string) => {
      const run = new Lockstep(u, upstream, opts);
      run.stepAll({ op: 'block_task', task, func: 'vmlinux:f1,0' });
      return run;
    };
    const key = (run: Lockstep) => [...keys.build(run, 0, []).full].join(',');
    const first = blockedIn('task0');
    expect(key(blockedIn('task1')), 'the same state with its tasks renamed').toBe(key(first));
    // The kernel's two task records swapped, the spec model's kept: task0 sleeps in the spec model, task1 in the kernel.
    const swapped = blockedIn('task0');
    const [t0, t1] = swapped.kernel.core.tasks;
    [t0!.blocked, t1!.blocked] = [t1!.blocked, t0!.blocked];
    expect(key(swapped)).not.toBe(key(first));
    expect([...keys.build(swapped, 0, []).spec].join(','), 'the spec level alone is the same').toBe(
      [...keys.build(first, 0, []).spec].join(','),
    );
  });

  it('leaves the retry counter out of the key only because a retry emits no event any property could read', () => {
    // kernel/pack.ts: signals_cnt decides only the text line "signaling remaining tasks".
    const u = { patches: [patchFromFuncs('p1', ['vmlinux:f1'], [], {})], modules: [{ name: TARGET_MODULE }], kernel: { tasks: 1 } };
    const run = new Lockstep(u, upstream, { invariants: INVARIANTS, conformance: true, funcs: ['vmlinux:f1,0', 'mod:m1,0'] });
    run.stepAll({ op: 'block_task', task: 'task0', func: 'vmlinux:f1,0' });
    run.stepAll({ op: 'insmod', module: 'p1' });
    const log = run.kernel.core.log;
    for (let retry = 1; retry <= 20; retry++) {
      const before = log.events.length;
      expect(run.stepAll({ op: 'transition_step' })).toEqual([]);
      expect(log.events.length, `retry ${retry}`).toBe(before);
    }
    expect(run.kernel.core.signalsCnt, 'past the first fake signal (SIGNALS_TIMEOUT = 15)').toBeGreaterThan(15);
    expect(run.kernel.core.transition?.name).toBe('p1');
  });

  it('rejects a bad scope with a usage error', () => {
    expect(() => parseScope('depth=0')).toThrow(KlpcheckError);
    expect(() => parseScope('colour=2')).toThrow(/unknown scope key 'colour'/);
    // An object's inherited names are no keys either.
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(() => parseScope(`${key}=1`)).toThrow(/unknown scope key/);
    expect(parseScope('depth=any').depth).toBeUndefined();
    expect(() => parseScope('depth=all')).toThrow(KlpcheckError);
  });
});
