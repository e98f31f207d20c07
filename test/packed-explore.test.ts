/**
 * `klpcheck explore --engine packed` (harness/explore/packed/explore.ts):
 * its summary is the object explorer's, field for field (states, the
 * spec-level count, transitions, levels, each shortest violation with its
 * ops and reason, coverage), whole, bounded and under a state budget, on one
 * worker or two; its report is the object explorer's byte for byte; and
 * what it does not have yet is refused with one line and exit 2.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { exploreInParallel, type ParallelOptions, type Running } from '../harness/explore/parallel.ts';
import { packedExploreInParallel } from '../harness/explore/packed/explore.ts';
import { DEFAULT_STATE_BUDGETS, parseScope } from '../harness/explore/scope.ts';
import type { ExploreSummary } from '../harness/explore/summary.ts';
import { exploreText } from '../report/explore/text.ts';

/** What the two engines must agree on: everything but the stored states, the memories' ids and the time. */
function comparable(s: ExploreSummary) {
  const { states, memories, seconds, ledger, ...rest } = s;
  void [states, memories, seconds, ledger];
  return { ...rest, violations: [...rest.violations].sort((a, b) => a.property.localeCompare(b.property)) };
}

/** What the engine's covering (covered-past-break.ts) keeps: whether each property holds, each shortest counterexample, what was reached. */
function verdicts(s: ExploreSummary) {
  const { complete, fixpoint, properties, reached } = comparable(s);
  return { complete, fixpoint, properties, reached, violations: comparable(s).violations };
}

const options = (scope: string, extra: Partial<ParallelOptions> = {}): ParallelOptions => ({
  semantics: 'upstream',
  scope: parseScope(scope),
  workers: 1,
  ...extra,
});

/** A result file in a folder of its own, which a refused search must not write. */
const OUT = join(mkdtempSync(join(tmpdir(), 'klpcheck-packed-')), 'result.json');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('explore --engine packed', () => {
  it.each([
    ['patches=2,functions=1,states=0,tasks=1,depth=any', {}],
    ['patches=1,functions=2,states=1,tasks=2,depth=any', {}],
    ['patches=3,functions=1,states=1,tasks=1,depth=5', {}],
    ['patches=2,functions=1,states=1,tasks=1,depth=any', { maxStates: 20_000 }],
    ['patches=2,functions=2,states=1,tasks=2,depth=4', { workers: 2 }],
    // Other semantics: writable attributes (hybrid), a disable refusal (stacking), replace sets in arrays.
    ['patches=2,functions=1,states=1,tasks=1,depth=4', { semantics: 'hybrid' }],
    ['patches=2,functions=1,states=1,tasks=1,depth=5', { semantics: 'stacking' }],
    ['patches=2,functions=1,states=1,tasks=1,depth=4', { semantics: 'replace-sets-positional', workers: 2 }],
    // Shadow-variable ops, per-state callbacks and block_disable, from a root per choice of is_shadow ids.
    ['patches=2,functions=1,states=1,tasks=1,depth=4', { semantics: 'per-state' }],
    // One property (--invariant): without conformance the kernel alone from the roots on, and only the checked
    // checker's memory in the key; conformance alone follows the spec model with no checker's memory.
    ['patches=2,functions=1,states=0,tasks=1,depth=any', { properties: ['conformance'] }],
    ['patches=2,functions=1,states=0,tasks=1,depth=any', { properties: ['callback-pairing'] }],
    ['patches=2,functions=1,states=1,tasks=1,depth=5', { semantics: 'per-state', properties: ['shadow-lifetime'] }],
    ['patches=2,functions=1,states=1,tasks=1,depth=5', { semantics: 'per-state', properties: ['block-disable-honoured'] }],
    [
      'patches=2,functions=2,states=1,tasks=1,depth=4',
      { semantics: 'replace-set-unfiltered-nops', properties: ['no-lost-fix'], workers: 2 },
    ],
    ['patches=3,functions=1,states=0,tasks=1,depth=4', { semantics: 'hybrid', properties: ['no-silent-version-switch'] }],
  ] as const)('summarises %s %j as the object explorer does', async (scope, extra) => {
    const packed = await packedExploreInParallel(options(scope, { ...extra, storeEveryState: true })).done;
    const object = await exploreInParallel(options(scope, extra)).done;
    expect(comparable(packed)).toEqual(comparable(object));
    expect(packed.distinctStates).toBeGreaterThan(1000);
    // Not storing the states a stored state covers (covered-past-break.ts) changes the counts, never a verdict.
    const covering = await packedExploreInParallel(options(scope, extra)).done;
    expect(verdicts(covering)).toEqual(verdicts(packed));
    expect(covering.distinctStates).toBeLessThanOrEqual(packed.distinctStates);
  });

  it('checks, of a list of properties, those that apply to the semantics, as the object explorer does', async () => {
    const o = options('patches=2,functions=1,states=1,tasks=1,depth=3', { properties: ['callback-pairing', 'shadow-lifetime'] });
    const packed = await packedExploreInParallel({ ...o, storeEveryState: true }).done;
    expect(packed.properties).toEqual(['callback-pairing']);
    expect(comparable(packed)).toEqual(comparable(await exploreInParallel(o).done));
  });

  it('gives the same summary on one worker and on two', async () => {
    const scope = 'patches=2,functions=2,states=1,tasks=1,depth=6';
    const one = await packedExploreInParallel(options(scope)).done;
    const two = await packedExploreInParallel(options(scope, { workers: 2 })).done;
    expect(comparable(two)).toEqual(comparable(one));
  });

  it('stops when asked, as the object explorer stops: INCOMPLETE, with no level claimed', async () => {
    const scope = 'patches=2,functions=2,states=1,tasks=2,depth=any';
    const stopped = async (search: typeof exploreInParallel) => {
      const running = search(options(scope));
      running.stop();
      return comparable(await running.done);
    };
    const packed = await stopped(packedExploreInParallel);
    expect(packed).toMatchObject({ complete: false, fixpoint: false, depthReached: 0, distinctStates: 1, outcomes: {}, reached: [] });
    expect(packed).toEqual(await stopped(exploreInParallel));
  });

  it('stops mid-search with the levels expanded in full claimed, and what was found so far reported', async () => {
    let running: Running | undefined;
    running = packedExploreInParallel(
      options('patches=2,functions=2,states=1,tasks=2,depth=any', { workers: 2, onProgress: (p) => p.depth > 2 && running!.stop() }),
    );
    const s = await running.done;
    expect(s).toMatchObject({ complete: false, fixpoint: false, depthReached: 2 });
    expect(s.statesPerDepth).toHaveLength(3);
    expect(s.distinctStates).toBeGreaterThan(s.statesPerDepth.reduce((a, b) => a + b));
    expect(s.violations.map((v) => v.depth)).toContain(2);
    expect(exploreText(s)).toContain('(INCOMPLETE: every sequence up to depth 2, not every longer one)');
  });

  it('says how many successors past a conformance break it did not store, and that the object engine stores them', async () => {
    const args = ['explore', '--semantics', 'upstream', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=any', '--no-save'];
    const [object, packed] = [capture(), capture()];
    expect(await main([...args, '--engine', 'object'], object.io)).toBe(1);
    expect(await main([...args, '--engine', 'packed', '--workers', '1'], packed.io)).toBe(1);
    expect(object.out()).toContain('59730 distinct states');
    expect(object.out()).not.toContain('past a conformance break were covered');
    expect(packed.out()).toContain('42671 distinct states stored (');
    expect(object.out()).not.toContain('distinct states stored');
    expect(packed.out()).toMatch(
      /^2663 successors past a conformance break were covered, not stored: a stored state has the same definitions, kernel state and checker memory, so every check on them is made on that state \(--engine object stores them, and counts more states\)$/m,
    );
    // The verdicts are the same, line for line, but the depth of the fixpoint (the last level that stored a state).
    const verdicts = (t: string) =>
      t
        .split('\n')
        .filter((l) => /^[a-z-]+ +(holds|VIOLATED|VACUOUS)/.test(l))
        .map((l) => l.replace(/no new state( stored)? beyond depth \d+/g, 'no new state beyond depth D'));
    expect(verdicts(packed.out())).toEqual(verdicts(object.out()));
    expect(verdicts(packed.out()).length).toBeGreaterThan(5);
    expect(packed.out()).toContain('(fixpoint: no new state stored beyond depth 21)');
    expect(object.out()).toContain('(fixpoint: no new state beyond depth 27)');
  });

  it('under a state budget finds what the object engine finds, at the same depth, and may find more (hostile-user finding)', async () => {
    // replace-tag-draft: within 5,200 stored states both engines expand depth 4 in full; the packed one, storing fewer,
    // gets further into depth 5 and finds the silent version switch of 5 steps there.
    const o = options('patches=2,functions=1,states=0,tasks=1,depth=any', { semantics: 'replace-tag-draft', maxStates: 5200 });
    const packed = await packedExploreInParallel(o).done;
    const object = await exploreInParallel(o).done;
    const found = (s: ExploreSummary) => s.violations.map((v) => `${v.property} at ${v.depth}`);
    expect(found(packed)).toEqual(expect.arrayContaining(found(object)));
    expect(found(packed)).toContain('no-silent-version-switch at 5');
    expect(found(object)).not.toContain('no-silent-version-switch at 5');
  });

  it('prints the object explorer’s report, byte for byte', async () => {
    const args = ['explore', '--semantics', 'upstream', '--scope', 'patches=2,functions=1,states=1,tasks=1,depth=4', '--no-save'];
    const object = capture();
    const packed = capture();
    expect(await main([...args, '--engine', 'object'], object.io)).toBe(1);
    expect(await main([...args, '--engine', 'packed'], packed.io)).toBe(1);
    expect(packed.out()).toBe(object.out());
    expect(packed.out()).toContain('no-foreign-removal               VIOLATED: shortest counterexample has 2 steps');
  });

  it.each([
    [['--semantics', 'hybrid'], 'packed'],
    [['--semantics', 'upstream', '--engine', 'auto'], 'packed'],
    [['--semantics', 'per-state'], 'packed'],
    [['--semantics', 'slots'], 'packed'],
    // Asked for, the object engine runs even where the packed one could (hostile-user finding: it ran packed).
    [['--semantics', 'hybrid', '--engine', 'object'], 'object'],
    [['--semantics', 'upstream', '--engine', 'packed'], 'packed'],
    [['--semantics', 'upstream', '--invariant', 'module-safety'], 'packed'],
    [['--semantics', 'upstream', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2,taskModel=1'], 'object'],
    [['--semantics', 'upstream', '--out', join(mkdtempSync(join(tmpdir(), 'klpcheck-auto-')), 'r.json')], 'object'],
  ])('by default (auto) runs %j on the %s engine, and says which on stderr', async (args, engine) => {
    const c = capture();
    const scope = args.includes('--scope') ? [] : ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2'];
    expect(await main(['explore', ...args, ...scope, '--no-save', '--workers', '1'], c.io)).toBeLessThan(2);
    expect(c.err()).toMatch(new RegExp(`^klpcheck explore: [\\d,]+ states in \\d+\\.\\d+ s \\(.*; ${engine} engine\\)$`, 'm'));
  });

  it("says the object engine's own default budget when it runs in the packed engine's place with no depth bound, and not when a bound was given", async () => {
    const scope = 'patches=1,functions=1,states=0,tasks=1,taskModel=1';
    // `--engine auto` is the default said aloud: the same note (helper-100: it had none).
    for (const auto of [[], ['--engine', 'auto']]) {
      const whole = capture();
      const argv = ['explore', '--semantics', 'upstream', '--scope', scope, ...auto, '--no-save', '--workers', '1'];
      expect(await main(argv, whole.io)).toBeLessThan(2);
      expect(whole.err()).toContain(
        `so its counts may be higher, and its default state budget is ${DEFAULT_STATE_BUDGETS.object} states (the packed engine's is ${DEFAULT_STATE_BUDGETS.packed}; --max-states N or any sets another)\n`,
      );
    }
    for (const bound of [
      ['--scope', `${scope},depth=2`],
      ['--scope', scope, '--max-states', '1000'],
    ]) {
      const c = capture();
      expect(await main(['explore', '--semantics', 'upstream', ...bound, '--no-save', '--workers', '1'], c.io)).toBeLessThan(2);
      expect(c.err()).toContain('so its counts may be higher\n');
    }
    // Every reason the packed engine has, joined.
    const out = join(mkdtempSync(join(tmpdir(), 'klpcheck-reasons-')), 'r.json');
    const both = capture();
    expect(
      await main(['explore', '--semantics', 'upstream', '--scope', `${scope},depth=2`, '--out', out, '--no-save'], both.io),
    ).toBeLessThan(2);
    expect(both.err()).toContain(
      '(the packed engine: it has no task model (taskModel=1) yet, and it writes no result file (--out, --shard) yet); it stores',
    );
    // Asked for by name, the object engine runs with no note.
    const asked = capture();
    expect(
      await main(['explore', '--semantics', 'upstream', '--scope', `${scope},depth=2`, '--engine', 'object', '--no-save'], asked.io),
    ).toBeLessThan(2);
    expect(asked.err()).not.toContain('the object engine runs');
  });

  it.each([
    [['--engine', 'fast'], "unknown engine 'fast' (known: auto, object, packed)"],
    // A mistyped name is the name's error, whatever the engine (hostile-user finding).
    [['--engine', 'packed', '--semantics', 'Upstream'], "unknown semantics 'Upstream'"],
    [['--engine', 'packed', '--invariant', 'bogus'], "unknown invariant 'bogus'"],
    [['--engine', 'packed', '--semantics', ''], 'explore needs --semantics NAME'],
    [['--engine', 'packed', '--out', OUT, '--scope', 'depth=2'], 'it writes no result file (--out, --shard) yet'],
    // With no depth both refusals at once, not one after the other (noticed 2026-12-02).
    [
      ['--engine', 'packed', '--out', OUT],
      'two problems: (1) --engine packed: it writes no result file (--out, --shard) yet; use --engine object; (2) --out and --shard need a depth bound',
    ],
    [['--engine', 'packed', '--shard', '1/2', '--out', OUT], 'it writes no result file (--out, --shard) yet'],
    [['--engine', 'packed', '--scope', 'taskModel=1'], 'it has no task model (taskModel=1) yet; use --engine object'],
    [
      ['--engine', 'packed', '--scope', 'taskModel=1,depth=3', '--out', OUT],
      'it has no task model (taskModel=1) yet, and it writes no result file (--out, --shard) yet; use',
    ],
    [['--engine', 'packed', '--merge', 'a.json'], '--engine'],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const c = capture();
    const argv = ['explore', ...(args.includes('--semantics') || args.includes('--merge') ? [] : ['--semantics', 'upstream']), ...args];
    expect(await main(argv, c.io)).toBe(2);
    expect(c.out()).toBe('');
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.err()).toContain(message);
    expect(existsSync(OUT)).toBe(false);
  });
});
