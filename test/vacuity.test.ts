/**
 * A pass is VACUOUS IN SCOPE when no universe of the scope has what its
 * property speaks of (harness/explore/vacuity.ts). The claim must never be
 * made of a property the scope can violate: every saved counterexample and
 * every broken implementation's case happens in a universe its property
 * lacks nothing of, and the remedy each verdict names finds the violation.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCounterexample } from '../harness/counterexample.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { summarize } from '../harness/explore/summary.ts';
import {
  loadablePatches,
  scopeBounds,
  universeBounds,
  vacuousInRandomRuns,
  vacuousInReach,
  vacuousInScope,
  vacuousWords,
} from '../harness/explore/vacuity.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { CONFORMANCE, INVARIANTS, invariantById } from '../properties/catalog.ts';
import { exploreText } from '../report/explore/text.ts';
import { run } from './support/cli-run.ts';
import { lp, universe } from './support/universe.ts';

const scope = (text: string) => parseScope(text, { patches: 1, functions: 1, states: 0, tasks: 1 });

describe('vacuous in scope', () => {
  it.each([
    ['one-active-patch-per-slot', 'patches=1', 'two patches', 'patches=2'],
    ['no-function-shared-across-slots', 'patches=1', 'two patches', 'patches=2'],
    ['no-state-shared-across-slots', 'patches=1', 'two patches and a state id', 'patches=2,states=1'],
    ['no-state-shared-across-slots', 'patches=2', 'a state id', 'states=1'],
    ['no-state-shared-across-slots', 'patches=1,states=1', 'two patches', 'patches=2'],
    ['shadow-lifetime', 'patches=3', 'a state id', 'states=1'],
    ['block-disable-honoured', 'patches=3', 'a state id', 'states=1'],
    ['no-foreign-removal', 'patches=1,states=3', 'two patches of different owners', 'patches=2'],
    ['no-foreign-overlap', 'patches=1', 'two patches of different owners', 'patches=2'],
    ['no-silent-downgrade', 'patches=1', 'two releases of one owner', 'patches=3'],
    ['no-silent-downgrade', 'patches=2,states=1', 'two releases of one owner', 'patches=3'],
  ])('%s at %s lacks %s; %s has it', (property, at, lacks, remedy) => {
    expect(vacuousInScope(property, scope(at))).toEqual({ lacks, remedy });
    expect(vacuousInScope(property, parseScope(remedy, scope(at)))).toBeNull();
  });

  it.each([
    // Patches are defined as they first load, one insmod a step: a depth bound below the patches needed is as few patches.
    // Two loads of p1, p2, p3 may be the vendor's two in either order (load-order-labels.ts; stop 36).
    ['no-silent-downgrade', 'patches=5,depth=1', { lacks: 'two releases of one owner', depth: 1, remedy: 'depth=2' }],
    ['no-foreign-removal', 'patches=2,depth=1', { lacks: 'two patches of different owners', depth: 1, remedy: 'depth=2' }],
    ['one-active-patch-per-slot', 'patches=2,depth=1', { lacks: 'two patches', depth: 1, remedy: 'depth=2' }],
    // Too few patches and too short: both are raised, and the scope is named as lacking.
    ['no-silent-downgrade', 'patches=2,depth=2', { lacks: 'two releases of one owner', remedy: 'patches=3' }],
    ['no-silent-downgrade', 'patches=1,depth=1', { lacks: 'two releases of one owner', remedy: 'patches=3,depth=2' }],
    ['no-silent-downgrade', 'patches=2,depth=5', { lacks: 'two releases of one owner', remedy: 'patches=3' }],
    // The depth bound beside another key: depth=any would lack only the state id, so the bound is named too (stop 36's nit).
    [
      'no-state-shared-across-slots',
      'patches=2,states=0,depth=1',
      { lacks: 'two patches and a state id', depth: 1, scopeToo: true, remedy: 'states=1,depth=2' },
    ],
    // Without the bound the scope lacks the same (two patches never hold two vendor releases): the scope is named.
    ['no-silent-downgrade', 'patches=2,states=1,depth=1', { lacks: 'two releases of one owner', remedy: 'patches=3,depth=2' }],
  ])('%s at %s is vacuous as %j', (property, at, expected) => {
    expect(vacuousInScope(property, scope(at))).toEqual(expected);
  });

  it('says which: the universe lacks it, or no sequence within the depth loads it', () => {
    expect(vacuousWords(vacuousInScope('no-silent-downgrade', scope('patches=3,depth=1'))!)).toBe(
      'nothing to check, as no sequence of at most 1 step loads two releases of one owner (depth=2 would)',
    );
    expect(vacuousWords(vacuousInScope('one-active-patch-per-slot', scope('patches=2,depth=1'))!)).toBe(
      'nothing to check, as no sequence of at most 1 step loads two patches (depth=2 would)',
    );
    expect(vacuousWords(vacuousInScope('no-silent-downgrade', scope('patches=2'))!)).toBe(
      'nothing to check, as no universe of the scope has two releases of one owner (patches=3 would)',
    );
    expect(vacuousInScope('no-silent-downgrade', scope('patches=3,depth=2'))).toBeNull();
    // Both: states=0 has no state id at any depth, and one step loads one patch (stop 37's second hostile user).
    expect(vacuousWords(vacuousInScope('no-state-shared-across-slots', scope('patches=2,states=0,depth=1'))!)).toBe(
      'nothing to check, as no universe of the scope that a sequence of at most 1 step builds has two patches and a state id (states=1,depth=2 would)',
    );
  });

  it('gives nothing vacuous once three patches may declare a state id, and conformance never', () => {
    for (const id of [CONFORMANCE, ...INVARIANTS.map((i) => i.id)]) expect(vacuousInScope(id, scope('patches=3,states=1')), id).toBeNull();
    const smallest = INVARIANTS.filter((i) => vacuousInScope(i.id, scope('patches=1'))).map((i) => i.id);
    expect(smallest).toEqual([
      'one-active-patch-per-slot',
      'no-function-shared-across-slots',
      'no-state-shared-across-slots',
      'shadow-lifetime',
      'block-disable-honoured',
      'no-foreign-removal',
      'no-foreign-overlap',
      'no-silent-downgrade',
    ]);
    expect(vacuousInScope(CONFORMANCE, scope('patches=1'))).toBeNull();
  });

  it('builds the scope from the generator: p1 and p3 are the vendor, p2 a user, releases in load order', () => {
    expect(scopeBounds(scope('patches=3,states=2'))).toEqual({
      patches: [
        { name: 'p1', owners: ['vendor'], release: 1 },
        { name: 'p2', owners: ['user'], release: 2 },
        { name: 'p3', owners: ['vendor'], release: 3 },
      ],
      stateIds: 2,
      forbidDowngrade: true,
    });
    expect(loadablePatches(scope('patches=3,depth=2'))).toBe(2);
    expect(loadablePatches(scope('patches=3,depth=5'))).toBe(3);
    expect(scopeBounds(scope('patches=3,depth=2')).patches.map((p) => p.name)).toEqual(['p1', 'p2']);
  });

  it("reads a universe's bounds: its patches, its distinct state ids, and whether it forbids downgrades", () => {
    const u = universe(lp('p1', ['f1'], {}, [{ id: 2 }, { id: 3 }]), lp('p2', ['f2'], {}, [{ id: 3 }]), lp('p3', ['f1']));
    expect(universeBounds(u)).toEqual({ patches: u.patches, stateIds: 2, forbidDowngrade: false });
    expect(universeBounds({ ...u, forbid_downgrade: true }).forbidDowngrade).toBe(true);
    expect(universeBounds(universe(lp('p1', ['f1']))).stateIds).toBe(0);
    const { states: _, ...stateless } = lp('p1', ['f1']);
    expect(universeBounds(universe(stateless)).stateIds).toBe(0);
  });

  it('asks the owner properties for one pair of patches that share no owner, even beside a patch of both owners', () => {
    const lacks = invariantById('no-foreign-removal')!.lacks!;
    const of = (name: string, ...owners: [string, ...string[]]) => ({ name, owners });
    const bounds = (...patches: ReturnType<typeof of>[]) => ({ patches, stateIds: 0, forbidDowngrade: true });
    expect(lacks(bounds(of('p1', 'vendor'), of('p2', 'vendor')))).toBe('two patches of different owners');
    expect(lacks(bounds(of('p1', 'vendor'), of('p2', 'vendor', 'user')))).toBe('two patches of different owners');
    expect(lacks(bounds(of('p1', 'vendor'), of('p2', 'user'), of('p3', 'vendor', 'user')))).toBeNull();
  });

  it('asks no-silent-downgrade for a universe that forbids downgrades, and two releases that differ', () => {
    const lacks = invariantById('no-silent-downgrade')!.lacks!;
    const vendor = (name: string, release?: number) => ({ name, owners: ['vendor'] as [string], ...(release ? { release } : {}) });
    const bounds = { patches: [vendor('p1', 1), vendor('p2', 2)], stateIds: 0, forbidDowngrade: true };
    expect(lacks(bounds)).toBeNull();
    expect(lacks({ ...bounds, forbidDowngrade: false })).toBe('a universe that forbids downgrades');
    expect(lacks({ ...bounds, patches: [vendor('p1', 2), vendor('p2', 2)] })).toBe('two releases of one owner');
    expect(lacks({ ...bounds, patches: [vendor('p1', 1), vendor('p2')] })).toBe('two releases of one owner');
    expect(lacks({ ...bounds, patches: [vendor('p1'), vendor('p2', 1)] })).toBe('two releases of one owner');
  });

  it('never calls a property vacuous in the universe of a saved counterexample of it', () => {
    let checked = 0;
    for (const dir of readdirSync('counterexamples')) {
      for (const file of readdirSync(join('counterexamples', dir))) {
        const c = readCounterexample(join('counterexamples', dir, file));
        const lacks = invariantById(c.invariant)?.lacks;
        if (!lacks) continue;
        expect(lacks(universeBounds(c.universe)), file).toBeNull();
        checked++;
      }
    }
    // Every property with a `lacks` has saved counterexamples but one-active-patch-per-slot and block-disable-honoured,
    // which no semantics violates (test/invariants.test.ts holds them to their broken implementations).
    expect(checked).toBeGreaterThan(50);
  });

  it('finds the downgrade the default scope calls vacuous once the remedy gives it two vendor releases', () => {
    const at = (text: string) => explore({ semantics: upstream, scope: scope(text), properties: ['no-silent-downgrade'] });
    expect(at('patches=2,depth=5').violations).toEqual([]);
    // The newer release loaded first, then the older one replaces it: 2 steps, where naming p1, p2, p3 by load order
    // with fixed releases made it 5 (stop 36).
    const found = at('patches=3,depth=5').violations;
    expect(found.map((v) => [v.property, v.depth])).toEqual([['no-silent-downgrade', 2]]);
    expect(found[0]!.result.violation?.reason).toMatch(/^p2 \(release 1\) replaced and freed p1 \(release 3\)/);
    expect(found[0]!.universe.patches.map((p) => [p.name, p.owners, p.release])).toEqual([
      ['p1', ['vendor'], 3],
      ['p2', ['vendor'], 1],
    ]);
  });

  it('words the pass as VACUOUS IN SCOPE, and a violation found anyway as VIOLATED', () => {
    const s = summarize(explore({ semantics: stacking, scope: scope('patches=2,depth=2') }), 0);
    const text = exploreText(s);
    expect(text).toMatch(
      /^no-silent-downgrade {14}VACUOUS IN SCOPE: nothing to check, as no universe of the scope has two releases of one owner \(patches=3 would\)$/m,
    );
    expect(text).toMatch(
      /^no-state-shared-across-slots {5}VACUOUS IN SCOPE: nothing to check, as no universe of the scope has a state id \(states=1 would\)$/m,
    );
    expect(text).toMatch(/^callback-pairing {17}holds for every sequence up to depth 2 in scope /m);
    const anyway = { ...s, violations: [{ ...s.violations[0]!, property: 'no-silent-downgrade', reason: 'a broken kernel' }] };
    expect(exploreText(anyway)).toMatch(/^no-silent-downgrade {14}VIOLATED: shortest counterexample has 2 steps\n {33}a broken kernel$/m);
  });
});

describe('explore --invariant names a property the scope gives nothing to check', () => {
  it('refuses it before searching, as it refuses a property that cannot fail (exit 2, not "everything checked holds")', async () => {
    const r = await run(['explore', '--semantics', 'upstream', '--invariant', 'no-silent-downgrade', '--scope', 'patches=1,depth=2']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "klpcheck: invariant 'no-silent-downgrade' in scope patches=1,functions=2,states=1,tasks=2,depth=2: nothing to check, as no universe of the scope has two releases of one owner (patches=3 would); nothing to explore [E_USAGE]\n",
    );
    expect(r.code).toBe(2);
    const some = await run([
      'explore',
      '--semantics',
      'upstream',
      '--invariant',
      'no-silent-downgrade',
      '--scope',
      'patches=3,functions=1,states=0,tasks=1,depth=1',
      '--no-save',
    ]);
    expect(some.stderr).toMatch(
      /^klpcheck: invariant 'no-silent-downgrade' .*depth=1: nothing to check, as no sequence of at most 1 step loads two releases of one owner \(depth=2 would\); nothing to explore \[E_USAGE\]\n$/,
    );
  });
});

describe('a search is held to the depth it reached (vacuousInReach, helper-76, stop 47)', () => {
  const at = (scope: string, depthReached: number, fixpoint = false) => ({ scope: parseScope(scope), depthReached, fixpoint });

  it('a search stopped short of its bound is held to the depth it reached, with no scope remedy', () => {
    expect(vacuousInReach('one-active-patch-per-slot', at('patches=2,functions=1,states=0,tasks=1,depth=3', 1))).toEqual({
      lacks: 'two patches',
      depth: 1,
      stopped: true,
    });
    expect(vacuousInReach('one-active-patch-per-slot', at('patches=2,functions=1,states=0,tasks=1', 2))).toBeNull();
  });

  it('a search at its bound or its fixpoint is held to its scope; what the scope lacks is said as the scope lacks it', () => {
    const bounded = parseScope('patches=2,functions=1,states=0,tasks=1,depth=1');
    expect(vacuousInReach('one-active-patch-per-slot', at('patches=2,functions=1,states=0,tasks=1,depth=1', 1))).toEqual(
      vacuousInScope('one-active-patch-per-slot', bounded),
    );
    expect(vacuousInScope('one-active-patch-per-slot', bounded)).not.toHaveProperty('stopped');
    // A fixpoint reached at depth 1 claims every sequence: nothing is held back.
    expect(vacuousInReach('one-active-patch-per-slot', at('patches=2,functions=1,states=0,tasks=1', 1, true))).toBeNull();
    // states=0 lacks a state id at any depth: the scope's words and remedy, even where the budget stopped the search.
    const noIds = at('patches=2,functions=1,states=0,tasks=1', 1);
    expect(vacuousInReach('no-state-shared-across-slots', noIds)).toEqual(vacuousInScope('no-state-shared-across-slots', noIds.scope));
    expect(vacuousWords(vacuousInReach('no-state-shared-across-slots', noIds)!)).toBe(
      'nothing to check, as no universe of the scope has a state id (states=1 would)',
    );
  });
});

describe('random runs too short to break a property are vacuous, never "holds" (helper-76, stop 47)', () => {
  it('names what sequences of --steps operations cannot load, and the --steps that would', () => {
    const one = (id: string) => vacuousInRandomRuns(id, 1);
    expect(one('one-active-patch-per-slot')).toBe('nothing to check, as no sequence of at most 1 step loads two patches (--steps 2 would)');
    expect(one('no-foreign-overlap')).toBe(
      'nothing to check, as no sequence of at most 1 step loads two patches of different owners (--steps 2 would)',
    );
    // Two loads may be the vendor's p1 and p3 (releases 1 and 3): a downgrade needs no more.
    expect(one('no-silent-downgrade')).toMatch(/two releases of one owner \(--steps 2 would\)$/);
    expect(vacuousInRandomRuns('no-silent-downgrade', 2)).toBeNull();
    expect(vacuousInRandomRuns('one-active-patch-per-slot', 2)).toBeNull();
    for (const id of [CONFORMANCE, 'module-safety', 'transition-sanity']) expect(one(id), id).toBeNull();
  });

  it('run says VACUOUS and counts it apart; compare marks the cell ok? and says why in --json', async () => {
    const r = await run(['run', '--semantics', 'upstream', '--runs', '20', '--steps', '1', '--no-save']);
    const line = (p: string) => r.stdout.split('\n').find((l) => new RegExp(`^upstream +${p} `).test(l)) ?? '';
    expect(line('one-active-patch-per-slot')).toMatch(
      /VACUOUS {2}\(20 sequences, \d+ steps; nothing to check, as no sequence of at most 1 step loads two patches \(--steps 2 would\)\)$/,
    );
    expect(line('transition-sanity')).toMatch(/ holds {2}\(20 sequences/);
    expect(r.stdout).toMatch(/\n\d+ violated, \d+ vacuous \(seed 1\)\n$/);
    // Asked for one property that had nothing to check: exit 2, not 0, after its line (helper-77, stop 47).
    const runOne = (steps: string) =>
      run(['run', '--semantics', 'upstream', '--invariant', 'one-active-patch-per-slot', '--runs', '5', '--steps', steps, '--no-save']);
    const one = await runOne('1');
    expect(one.code).toBe(2);
    expect(one.stdout).toMatch(/one-active-patch-per-slot +VACUOUS {2}\(5 sequences, /);
    expect(one.stderr).toMatch(
      /\nklpcheck: nothing was checked: the property run is VACUOUS \(its line says why\); nothing holds \[E_UNCHECKED\]\n$/,
    );
    const two = await runOne('2');
    expect(two.code).toBe(0);
    const c = await run(['compare', '--semantics', 'upstream', '--runs', '20', '--steps', '1', '--no-save', '--json']);
    const m = JSON.parse(c.stdout) as { cells: { property: string; verdict: string; vacuous_in_scope?: string }[] };
    const cell = (p: string) => m.cells.find((x) => x.property === p)!;
    expect(cell('one-active-patch-per-slot')).toMatchObject({
      verdict: 'holds-random',
      vacuous_in_scope: 'nothing to check, as no sequence of at most 1 step loads two patches (--steps 2 would)',
    });
    expect(cell('transition-sanity')).not.toHaveProperty('vacuous_in_scope');
    const oneCell = [
      'compare',
      '--semantics',
      'upstream',
      '--invariants',
      'one-active-patch-per-slot',
      '--runs',
      '20',
      '--steps',
      '1',
      '--no-save',
    ];
    const text = await run(oneCell);
    expect(text.stdout).toMatch(/ok\?/);
    expect(text.stdout).toContain('nothing to check, as no sequence of at most 1 step loads two patches (--steps 2 would)');
    // The legend names the mark it uses, and the page does not call the cell "holds" (helper-77, stop 47).
    expect(text.stdout).toMatch(/\n *ok\? +/);
    const html = join(mkdtempSync(join(tmpdir(), 'klpcheck-vacuous-')), 'm.html');
    await run([...oneCell, '--html', html]);
    expect(readFileSync(html, 'utf8')).toMatch(
      /<td class="vacuous" title="[^"]*">vacuous \(random\)<br><small>20 seq, too short<\/small><\/td>/,
    );
  }, 60_000);
});
