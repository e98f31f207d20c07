/**
 * The state budget (explore --max-states, explorer.ts StateBudget): a search
 * stopped by size reports exactly what a search bounded at the last level it
 * expanded in full reports, on one worker or two, and a violation it found in
 * the level under way is the unbounded search's shortest one.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { coverageData } from '../harness/explore/coverage.ts';
import { explore, type ExploreResult } from '../harness/explore/explorer.ts';
import { exploreInParallel } from '../harness/explore/parallel.ts';
import { DEFAULT_EXPLORE_SCOPE, DEFAULT_STATE_BUDGETS, formatScope, parseScope, stateBudget } from '../harness/explore/scope.ts';
import results from '../bench/results.json' with { type: 'json' };
import { summarize } from '../harness/explore/summary.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { exploreText } from '../report/explore/text.ts';
import { validate } from '../harness/json-file.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';

/** Upstream's whole space here is 59,730 states, 27 levels deep; conformance breaks at depth 6 (the force finding). */
const WHOLE = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
const atDepth = (d: number) => ({ ...WHOLE, depth: d });

/** What a report counts: everything but the stored states themselves and the memory figures. */
function counts(r: ExploreResult) {
  return {
    complete: r.complete,
    fixpoint: r.fixpoint,
    depthReached: r.depthReached,
    distinctStates: r.distinctStates,
    specStates: r.specStates,
    transitions: r.transitions,
    statesPerDepth: r.statesPerDepth,
    coverage: coverageData(r.coverage),
  };
}

const violationsOf = (r: ExploreResult) =>
  r.violations.map((v) => ({ property: v.property, depth: v.depth, ops: v.result.steps.map((s) => s.op) }));

/** A command's stdout and stderr, captured. */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    now: () => 0,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('the state budget', () => {
  const five = explore({ semantics: upstream, scope: atDepth(5) });
  const six = explore({ semantics: upstream, scope: atDepth(6) });

  it('stops in the level where the budget runs out and reports the search bounded at the level before, count for count', () => {
    // 2,693 states up to depth 5; the 5,001st is found while depth 6 is expanded.
    expect(five.distinctStates).toBe(2693);
    const r = explore({ semantics: upstream, scope: WHOLE, maxStates: 5000 });
    expect(r.stateBudget).toEqual({ states: 5000, inDepth: 6 });
    expect(counts(r)).toEqual({ ...counts(five), fixpoint: false });
    expect(r.complete).toBe(true);
    // Every violation up to depth 5 is the bounded search's; the ones found in depth 6 before the stop are those
    // a search to depth 6 finds (breadth first, each is the shortest: every shorter sequence was checked).
    const found = violationsOf(r);
    expect(found.filter((v) => v.depth <= 5)).toEqual(violationsOf(five));
    const deeper = found.filter((v) => v.depth === 6);
    expect(deeper.map((v) => v.property)).toContain('conformance');
    for (const v of deeper) expect(violationsOf(six)).toContainEqual(v);
    // The break lies past the levels counted: their spec-level count is not "before" it, as depth 6's is (helper-124).
    const header = (x: ExploreResult) => exploreText(summarize(x, 0)).split('\n')[1];
    expect(header(r)).toBe(
      `2693 distinct states (2693 at the spec level), ${r.transitions} transitions checked up to depth 5 (the state budget, 5000 states, ran out in depth 6, which is not claimed)`,
    );
    expect(header(six)).toMatch(/^\d+ distinct states \(\d+ at the spec level, before a conformance break\), /);
    // Stopped by a Ctrl-C in the same level, the counts hold that level's states, and so the break (helper-126).
    const { stateBudget: _b, ...noBudget } = summarize(r, 0);
    const stopped = exploreText({ ...noBudget, complete: false }).split('\n')[1];
    expect(stopped).toMatch(
      /^2693 distinct states \(2693 at the spec level, before a conformance break\), \d+ transitions checked \(INCOMPLETE: /,
    );
  });

  it('stores at most N states: a budget of exactly the states up to depth 5 checks depth 5, one less only depth 4', () => {
    const enough = explore({ semantics: upstream, scope: WHOLE, maxStates: five.distinctStates });
    expect(enough.stateBudget).toEqual({ states: five.distinctStates, inDepth: 6 });
    expect(counts(enough)).toEqual({ ...counts(five), fixpoint: false });
    // The 2,693rd state is found while depth 4's states are expanded; their other transitions were not all checked.
    const short = explore({ semantics: upstream, scope: WHOLE, maxStates: five.distinctStates - 1 });
    expect(short.stateBudget).toEqual({ states: five.distinctStates - 1, inDepth: 5 });
    expect(counts(short)).toEqual({ ...counts(explore({ semantics: upstream, scope: atDepth(4) })), fixpoint: false });
  });

  it('reaches the fixpoint when the space fits exactly, and is no fixpoint one state short', () => {
    // A small whole space: 2,573 states, 12 levels deep.
    const SMALL = parseScope('patches=1,functions=2,states=1,tasks=1,depth=any');
    const whole = explore({ semantics: upstream, scope: SMALL });
    const short = explore({ semantics: upstream, scope: SMALL, maxStates: whole.distinctStates - 1 });
    expect(short.fixpoint).toBe(false);
    expect(short.stateBudget?.states).toBe(whole.distinctStates - 1);
    expect(short.depthReached).toBeLessThan(whole.depthReached);
    const exact = explore({ semantics: upstream, scope: SMALL, maxStates: whole.distinctStates });
    expect(exact.stateBudget).toBeUndefined();
    expect(counts(exact)).toEqual(counts(whole));
    expect(violationsOf(exact)).toEqual(violationsOf(whole));
  });

  it('stops at the same state on two workers as in this thread', async () => {
    const here = summarize(explore({ semantics: upstream, scope: WHOLE, maxStates: 5000 }), 0);
    const {
      seconds: _s,
      states: _t,
      memories: _m,
      ...two
    } = await exploreInParallel({
      semantics: 'upstream',
      scope: WHOLE,
      workers: 2,
      secondWorkerAfter: 0,
      maxStates: 5000,
    }).done;
    const { seconds: _s2, states: _t2, memories: _m2, ...one } = here;
    expect(two).toEqual(one);
    expect(exploreText({ ...two, seconds: 0, states: new Uint8Array(), memories: [] })).toBe(exploreText(here));
  }, 600_000);

  it('refuses a shard: each would stop at its own depth', () => {
    expect(() => explore({ semantics: upstream, scope: WHOLE, maxStates: 10, shard: { index: 0, count: 2 } })).toThrow(
      /state budget would stop each shard at its own depth/,
    );
  });
});

describe('explore --max-states', () => {
  const args = ['explore', '--semantics', 'upstream', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=any', '--no-save'];

  it('words every pass as bounded at the depth expanded in full, and says where the budget ran out', async () => {
    const c = capture();
    expect(await main([...args, '--invariant', 'one-active-patch-per-slot', '--max-states', '5000', '--workers', '1'], c.io)).toBe(0);
    expect(c.out()).toContain(
      'one-active-patch-per-slot        holds for every sequence up to depth 5 (the state budget, 5000 states, ran out in depth 6, which is not claimed) in scope',
    );
    expect(c.out()).not.toMatch(/fixpoint|any length/);
    expect(c.out()).toContain('the state budget stopped the search: --max-states N raises it, --max-states any lifts it\n');
    // The rate on stderr is of the states stored, which are more than those the report claims.
    expect(c.err()).toMatch(/^klpcheck explore: \d+ states \(5000 stored\) in /m);
  }, 120_000);

  it("takes 'any' with spaces around it, as a number and the scope's depth= any are taken (hostile-user finding, stop 44)", async () => {
    const c = capture();
    const one = ['explore', '--semantics', 'upstream', '--scope', 'patches=1,functions=1,states=0,tasks=1', '--no-save'];
    expect(await main([...one, '--max-states', ' any '], c.io)).toBe(0);
    expect(c.out()).toMatch(/holds for every sequence of any length/);
  });

  it('refuses a budget that checked no sequence (it ran out within depth 1) with E_USAGE, and no report', async () => {
    // 9 states within depth 1 (the root and its 8 successors): a budget of 8 expands no level in full.
    const c = capture();
    expect(await main([...args, '--invariant', 'one-active-patch-per-slot', '--max-states', '8'], c.io)).toBe(2);
    // Its 'holds ... up to depth 0' lines would claim nothing (it printed them before the refusal; left alone at stop 43).
    expect(c.out()).toBe('');
    // The one line: the search's timing line came before it (helper-85, stop 52).
    expect(c.err().replace(/^.*\r/gm, '')).toBe(
      'klpcheck: --max-states 8: upstream has more than 8 states within depth 1, so the budget ran out before any sequence was checked; raise it [E_USAGE]\n',
    );
    // Roots more than the budget (per-state's 4 at states=2) are all stored, and expand nothing: the refusal alone.
    const roots = capture();
    const perState = ['explore', '--semantics', 'per-state', '--scope', 'patches=1,functions=1,states=2,tasks=1', '--no-save'];
    expect(await main([...perState, '--max-states', '2'], roots.io)).toBe(2);
    expect(roots.out()).toBe('');
    expect(roots.err().replace(/^.*\r/gm, '')).toMatch(
      /^klpcheck: --max-states 2: per-state has more than 2 states within depth 1, .* \[E_USAGE\]\n$/,
    );
    const nine = capture();
    expect(await main([...args, '--invariant', 'conformance', '--max-states', '9'], nine.io)).toBe(0);
    expect(nine.out()).toContain('up to depth 1 (the state budget, 9 states, ran out in depth 2');
  });

  it('holds a property to the depth the budget let the search reach: none that needs two patches holds at depth 1', async () => {
    // It said "holds for every sequence up to depth 1" of one-active-patch-per-slot, which no sequence of one step can
    // break, and exit 0, where --scope ...,depth=1 is refused as vacuous (helper-76, stop 47).
    const one = capture();
    expect(await main([...args, '--invariant', 'one-active-patch-per-slot', '--max-states', '9'], one.io)).toBe(2);
    expect(one.out()).toBe('');
    expect(one.err().replace(/^.*\r/gm, '')).toMatch(
      /^klpcheck: --max-states 9: the search stopped at depth 1, with nothing to check \(one-active-patch-per-slot: no sequence of at most 1 step loads two patches\); raise it \[E_USAGE\]\n$/,
    );
    // Beside conformance, which always has something to check, the report says which ones had nothing.
    const all = capture();
    expect(await main([...args, '--max-states', '9'], all.io)).toBe(0);
    const line = (p: string) =>
      all
        .out()
        .split('\n')
        .find((l) => l.startsWith(`${p} `));
    expect(line('one-active-patch-per-slot')).toBe(
      `${'one-active-patch-per-slot'.padEnd(32)} VACUOUS IN SCOPE: nothing checked, as the search stopped at depth 1 and no sequence of at most 1 step loads two patches`,
    );
    expect(line('no-foreign-overlap')).toMatch(
      /VACUOUS IN SCOPE: nothing checked, as the search stopped at depth 1 and .* two patches of different owners$/,
    );
    expect(line('conformance')).toMatch(/holds for every sequence up to depth 1 \(the state budget/);
    // A budget that lets the search reach depth 2 checks them: each holds up to depth 2, and none is vacuous.
    const two = capture();
    expect(await main([...args, '--invariant', 'one-active-patch-per-slot', '--max-states', '100'], two.io)).toBe(0);
    expect(two.out()).toMatch(/one-active-patch-per-slot +holds for every sequence up to depth [2-9]/);
  });

  it.each([
    [['--max-states', '0'], /--max-states.*1 to 1000000000 or 'any', not '0'/],
    [['--max-states', 'ANY'], /--max-states.*1 to 1000000000 or 'any', not 'ANY'/],
    [['--max-states', '100', '--out', 'x.json'], /--max-states.*--out|--out.*--max-states/],
    [
      ['--max-states', '100', '--shard', '0/2', '--out', 'x.json'],
      /--max-states.*--out|--out.*--max-states|--max-states.*--shard|--shard.*--max-states/,
    ],
    [['--max-states', 'any', '--merge', 'x.json'], /--max-states.*--merge|--merge.*--max-states/],
  ])('refuses %j with one E_USAGE line and exit 2', async (extra, message) => {
    const c = capture();
    expect(await main([...args, ...extra], c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).toMatch(/\[E_USAGE\]\n$/);
    expect(c.err().trim().split('\n')).toHaveLength(1);
  });
});

describe('the default budget of a search with no depth bound', () => {
  it("is the engine's DEFAULT_STATE_BUDGETS unless --max-states names one or none, and a depth bound has none", () => {
    // The default scope is the whole space (issue 11), so it has the default budget.
    expect(DEFAULT_EXPLORE_SCOPE.depth).toBeUndefined();
    expect(stateBudget(DEFAULT_EXPLORE_SCOPE, undefined, 'packed')).toBe(DEFAULT_STATE_BUDGETS.packed);
    expect(stateBudget(DEFAULT_EXPLORE_SCOPE, undefined, 'object')).toBe(DEFAULT_STATE_BUDGETS.object);
    for (const engine of ['packed', 'object'] as const) {
      expect(stateBudget(WHOLE, 5000, engine)).toBe(5000);
      expect(stateBudget(WHOLE, 'any', engine)).toBeUndefined();
      expect(stateBudget(atDepth(4), undefined, engine)).toBeUndefined();
      expect(stateBudget(atDepth(4), 5000, engine)).toBe(5000);
    }
  });

  it('lets the whole default scope close on the packed engine for every semantics but the three hybrids (bench/results.json)', () => {
    // The budget's reason (scope.ts): each closing space's states, as the bench last measured them, fit in it.
    const rows = (
      results as { packed_whole_space: { semantics: string; scope: string; states?: number; fixpoint?: boolean }[] }
    ).packed_whole_space.filter((r) => r.scope === formatScope(DEFAULT_EXPLORE_SCOPE));
    const closed = rows.filter((r) => r.fixpoint).map((r) => r.semantics);
    expect(closed).toHaveLength(17);
    expect(new Set(rows.map((r) => r.semantics)).size).toBe(20);
    for (const r of rows) if (r.fixpoint) expect(r.states).toBeLessThanOrEqual(DEFAULT_STATE_BUDGETS.packed);
    // The object engine stores more states per space (no covering) at about a tenth of the speed: its budget stays small.
    expect(DEFAULT_STATE_BUDGETS.object).toBeLessThan(DEFAULT_STATE_BUDGETS.packed / 10);
  });

  it('keeps --out and --shard from a scope with no depth, and takes --max-states any there', async () => {
    const c = capture();
    expect(await main(['explore', '--semantics', 'upstream', '--shard', '0/2', '--out', 'x.json'], c.io)).toBe(2);
    expect(c.err()).toBe(
      `klpcheck: --out and --shard need a depth bound in --scope (depth=N), or --max-states any for the whole space: without a depth the search has the object engine's budget of ${DEFAULT_STATE_BUDGETS.object} states (--out and --shard run that engine), and a result file has no field for it [E_USAGE]\n`,
    );
    // With a depth in the scope, the budget was the user's own: the way out is to leave it out.
    const own = capture();
    const withDepth = ['explore', '--semantics', 'upstream', '--scope', 'depth=3', '--out', 'x.json', '--max-states', '100'];
    expect(await main(withDepth, own.io)).toBe(2);
    expect(own.err()).toMatch(
      /^klpcheck: --max-states N is not taken with --out or --shard .*; leave it out \(the depth bounds the search\) \[E_USAGE\]\n$/,
    );
    const any = capture();
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-budget-'));
    const f = join(dir, 'whole.json');
    const scope = 'patches=1,functions=1,states=0,tasks=1';
    const args = ['explore', '--semantics', 'upstream', '--scope', scope, '--max-states', 'any', '--out', f, '--no-save'];
    expect(await main(args, any.io), any.err()).toBe(0);
    expect(any.out()).toMatch(/holds for every sequence of any length \(fixpoint/);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toMatchObject({ fixpoint: true, complete: true });
    rmSync(dir, { recursive: true });
  }, 120_000);
});

describe('compare --exhaustive --max-states', () => {
  /** The bounds a matrix's exhaustive explorations were given: its `exhaustive` without how far each went. */
  const bounds = (m: VerdictMatrix) => {
    const { searches: _reach, ...given } = m.exhaustive!;
    return given;
  };
  // A property a scope of one patch gives something to check (one-active-patch-per-slot needs two patches: its cell holds
  // on the random runs alone, with no bounded proof).
  const ONE_CELL = ['--semantics', 'upstream', '--invariants', 'transition-sanity', '--runs', '1', '--no-save', '--json'];
  /** compare --exhaustive of ONE_CELL at `scope` (and `extra` options), which must exit 0: its matrix and its stderr. */
  const exhaustive = async (scope: string, extra: string[] = []) => {
    const c = capture();
    expect(await main(['compare', ...ONE_CELL, '--exhaustive', '--scope', scope, ...extra], c.io), c.err()).toBe(0);
    return { matrix: validate<VerdictMatrix>('verdict-matrix', JSON.parse(c.out()), 'stdout'), err: c.err() };
  };
  it('gives a scope with no depth bound the default budget, which a small whole space does not reach', async () => {
    const scope = 'patches=1,functions=1,states=0,tasks=1';
    const m = (await exhaustive(scope)).matrix;
    expect(bounds(m)).toStrictEqual({ scope: `${scope},depth=any`, max_states: DEFAULT_STATE_BUDGETS.packed });
    expect(m.cells[0]).toMatchObject({ verdict: 'holds-bounded', fixpoint: true });
    expect(m.cells[0]).not.toHaveProperty('state_budget');
    expect(bounds((await exhaustive(scope, ['--max-states', 'any'])).matrix)).toStrictEqual({
      scope: `${scope},depth=any`,
    });
  }, 120_000);

  it("gives a scope with a task model, which only the object engine runs, the object engine's default budget", async () => {
    const object = await exhaustive('patches=1,functions=1,states=0,tasks=1,taskModel=1');
    expect(bounds(object.matrix).max_states).toBe(DEFAULT_STATE_BUDGETS.object);
    // Said on stderr, as explore says it: nothing else tells which engine ran (helper-100).
    expect(object.err).toContain(
      `klpcheck compare: the object engine runs (the packed engine: it has no task model (taskModel=1) yet); it stores the states the packed engine covers, so its counts may be higher, and its default state budget is ${DEFAULT_STATE_BUDGETS.object} states`,
    );
    expect((await exhaustive('patches=1,functions=1,states=0,tasks=1')).err).not.toContain('the object engine runs');
  }, 120_000);

  it('gives each semantics its own reach, cell by cell, and the matrix the bounds given', async () => {
    const { io, out, err } = capture();
    const scope = 'patches=2,functions=1,states=0,tasks=1,depth=any';
    const code = await main(
      [
        'compare',
        '--semantics',
        'stacking,upstream',
        '--invariants',
        'one-active-patch-per-slot,no-silent-version-switch',
        '--runs',
        '5',
        '--exhaustive',
        '--scope',
        scope,
        '--max-states',
        '20000',
        '--no-save',
        '--json',
      ],
      io,
    );
    expect(code, err()).toBe(0);
    const m = validate<VerdictMatrix>('verdict-matrix', JSON.parse(out()), 'stdout');
    // The bounds given, and only those: no depth with depth=any; then how far each search went, as its cells say.
    expect(bounds(m)).toStrictEqual({ scope, max_states: 20000 });
    expect(m.exhaustive?.searches).toStrictEqual([
      { semantics: 'stacking', depth: 21, fixpoint: true },
      { semantics: 'upstream', depth: 9, fixpoint: false, state_budget: { states: 20000, in_depth: 10 } },
    ]);
    const reach = (sem: string) =>
      m.cells
        .filter((c) => c.semantics === sem)
        .map((c) => (c.verdict === 'holds-bounded' ? [c.depth, c.fixpoint, c.state_budget] : c.verdict));
    // Stacking's whole space (9,515 states) fits; upstream's (59,730) does not, and stops in depth 10.
    expect(reach('stacking')).toEqual([
      [21, true, undefined],
      [21, true, undefined],
    ]);
    expect(reach('upstream')).toEqual([
      [9, false, { states: 20000, in_depth: 10 }],
      [9, false, { states: 20000, in_depth: 10 }],
    ]);
  }, 300_000);

  it('searches no semantics none of whose properties asked applies: its cells are n/a (helper-90)', async () => {
    const { io, out, err } = capture();
    const scope = 'patches=1,functions=1,states=1,tasks=1,depth=2';
    const args = ['--semantics', 'upstream,per-state', '--invariants', 'shadow-lifetime', '--runs', '2', '--no-save', '--json'];
    expect(await main(['compare', ...args, '--exhaustive', '--scope', scope], io), err()).toBe(1);
    const m = validate<VerdictMatrix>('verdict-matrix', JSON.parse(out()), 'stdout');
    expect(m.exhaustive?.searches?.map((x) => x.semantics)).toEqual(['per-state']);
    expect(m.cells.map((c) => [c.semantics, c.verdict])).toEqual([
      ['upstream', 'not-applicable'],
      ['per-state', 'violated'],
    ]);
  }, 120_000);

  it('refuses a --record of a selection whose exploration bounds are not the recorded ones before the work (helper-90)', async () => {
    const { io, out, err } = capture();
    // The recorded settings but for --exhaustive: refused after the searches and the matrix, until stop 53.
    const recorded = ['--runs', '20000', '--steps', '30', '--seed', '1'];
    const args = [
      'compare',
      '--semantics',
      'upstream',
      ...recorded,
      '--exhaustive',
      '--scope',
      'patches=2,functions=2,states=1,tasks=2,depth=3',
    ];
    expect(await main([...args, '--no-save', '--record'], io)).toBe(2);
    expect(out()).toBe('');
    expect(err()).toMatch(
      /^klpcheck: .*verdicts\/expected\.json: recorded with other settings \(.*\) than this selection \(.*"exhaustive":\{"depth":3,"scope":"patches=2,functions=2,states=1,tasks=2,depth=3"\}.*\); record .*\[E_CONFLICT\]\n$/,
    );
  }, 60_000);

  it('keeps a depth bound given, and no budget when none was given', async () => {
    const { io, out } = capture();
    const scope = 'patches=1,functions=1,states=0,tasks=1,depth=2';
    const args = ['--semantics', 'upstream', '--invariants', 'transition-sanity', '--runs', '1', '--no-save', '--json'];
    expect(await main(['compare', ...args, '--exhaustive', '--scope', scope], io)).toBe(0);
    const m = validate<VerdictMatrix>('verdict-matrix', JSON.parse(out()), 'stdout');
    expect(bounds(m)).toStrictEqual({ scope, depth: 2 });
    expect(m.cells[0]).toMatchObject({ verdict: 'holds-bounded', depth: 2, fixpoint: false });
    expect(m.cells[0]).not.toHaveProperty('state_budget');
  }, 120_000);

  it('refuses a budget that checked no sequence of a semantics, before the matrix', async () => {
    const { io, out, err } = capture();
    const scope = 'patches=2,functions=1,states=0,tasks=1,depth=any';
    const args = ['--semantics', 'upstream', '--invariants', 'one-active-patch-per-slot', '--runs', '1', '--no-save'];
    expect(await main(['compare', ...args, '--exhaustive', '--scope', scope, '--max-states', '8'], io)).toBe(2);
    expect(out()).toBe('');
    expect(err()).toMatch(/^klpcheck: --max-states 8: upstream has more than 8 states within depth 1, .* \[E_USAGE\]\n$/m);
  }, 120_000);

  it('needs --exhaustive', async () => {
    const { io, err } = capture();
    expect(await main(['compare', '--max-states', '5'], io)).toBe(2);
    expect(err()).toBe("klpcheck: --max-states needs --exhaustive; see 'klpcheck compare --help' [E_USAGE]\n");
  });
});
