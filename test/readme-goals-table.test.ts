/**
 * The README's table of issue 11's goals is the one bench/results.json gives
 * (bench/goals-table.ts), so it never says what the file does not; the table
 * follows the file's figures, so a figure past its goal reads "not met" and
 * none measured never reads "met"; a figure that is missing or malformed is
 * refused at its JSON pointer (helper-112: null, "NaN" and negative figures
 * had been written into the README with exit 0); and the README is written
 * as every output file is (bench/goals-readme.ts).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOALS_BEGIN, GOALS_END, goalsTable, withGoalsTable } from '../bench/goals-table.ts';
import { rewriteReadmeGoals } from '../bench/goals-readme.ts';

type Rows = Record<string, unknown>[];
const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Record<string, Rows>;
const readme = readFileSync('README.md', 'utf8');

/** The table's row whose first cell begins with `figure`. */
const row = (table: string, figure: string) => table.split('\n').find((l) => l.startsWith(`| ${figure}`)) ?? '';
/** `results` with each row of `key` changed by `f`. */
const withRows = (key: string, f: (r: Record<string, unknown>, i: number) => Record<string, unknown>) => ({
  ...results,
  [key]: results[key]!.map(f),
});

describe("the README's goals table", () => {
  it('is the one bench/results.json gives (npm run bench:goals writes it again)', () => {
    expect(withGoalsTable(readme, goalsTable(results))).toBe(readme);
  });

  it('says a goal is missed when a figure passes it, and met when every figure is within it', () => {
    const n = results.packed_default_scope!.length;
    expect(row(goalsTable(results), 'bytes a stored state')).toMatch(/\| met \|/);
    const heavier = withRows('packed_default_scope', (r, i) => (i === 0 ? { ...r, bytes_per_stored_state: 101 } : r));
    expect(row(goalsTable(heavier), 'bytes a stored state')).toMatch(/\| met in \d+ of \d+ \|/);

    const fast = withRows('packed_default_scope', (r) => ({ ...r, fixpoint: true, cpu_seconds: 30 }));
    expect(row(goalsTable(fast), "each semantics' whole space")).toMatch(/\| met \|/);
    expect(row(goalsTable(fast), "each semantics' whole space")).not.toContain('stop at');
    const slow = withRows('packed_default_scope', (r) => ({ ...r, cpu_seconds: 61 }));
    expect(row(goalsTable(slow), "each semantics' whole space")).toMatch(new RegExp(`0 of ${n}; .*\\| not met \\|`));

    const spin = withRows('packed_spec_against_spin', (r) => ({ ...r, spin_speed_over_packed: 3, spin_speed_over_packed_warm: 1.5 }));
    expect(row(goalsTable(spin), 'spec-level states')).toContain('cold: not met; warm: met');
  });

  // The bench writes a search past its wall time, or whose child failed, as its reason alone (packed-spec.ts
  // packedDefaultSearch): the schema had refused the file then, and no table could be made (helper-116).
  it('counts a default search that did not end as not closed, and its figures as not there', () => {
    const slow = withRows('packed_default_scope', (r, i) =>
      i === 0 ? { semantics: r.semantics, scope: r.scope, not_closed: 'past 600 s' } : r,
    );
    const whole = row(goalsTable(slow), "each semantics' whole space");
    expect(whole).toContain(`${String(results.packed_default_scope![0]!.semantics)}`);
    expect(whole).toMatch(/the time budget/);
    expect(row(goalsTable(slow), 'bytes a stored state')).not.toContain('NaN');
    // Upstream's own, and every one's: no figure printed as Infinity (helper-117).
    const notClosed = (r: Record<string, unknown>) => ({ semantics: r.semantics, scope: r.scope, not_closed: 'past 600 s' });
    const upstreamSlow = withRows('packed_default_scope', (r) => (r.semantics === 'upstream' ? notClosed(r) : r));
    expect(row(goalsTable(upstreamSlow), "each semantics' whole space")).toContain('upstream does not close');
    const allSlow = goalsTable(withRows('packed_default_scope', notClosed));
    expect(allSlow).not.toMatch(/Infinity|NaN|undefined/);
    expect(row(allSlow, 'bytes a stored state')).toMatch(/\| none measured \| nothing measured \|/);
  });

  it('never says met of a goal nothing measured', () => {
    const small = withRows('packed_spec_against_spin', (r) => ({ ...r, spin_states: 10 }));
    expect(row(goalsTable(small), 'spec-level states')).toContain('cold: nothing measured; warm: nothing measured');
  });

  it('counts run and compare, conformance alone and simulate against 3x apart', () => {
    const walks = withRows('packed_walks', (r) => ({ ...r, packed_over_bare: 3.5 }));
    expect(row(goalsTable(walks), 'random runs')).toContain('simulate: not met');
    const runs = withRows('throughput', (r) => ({ ...r, checked_over_bare: 2.9, conformance_over_bare: 2 }));
    expect(row(goalsTable(runs), 'random runs')).toContain('run and compare: every property met, conformance alone met;');
  });

  it('refuses a figure that is missing or malformed at its JSON pointer, and a file without a key it reads', () => {
    const cases: [unknown, RegExp][] = [
      [withRows('packed_default_scope', (r, i) => (i === 1 ? { ...r, cpu_seconds: null } : r)), /\/packed_default_scope\/1\/cpu_seconds/],
      [withRows('packed_walks', (r, i) => (i === 0 ? { ...r, packed_over_bare: 'NaN' } : r)), /\/packed_walks\/0\/packed_over_bare/],
      [
        withRows('packed_default_scope', (r, i) => (i === 2 ? { ...r, bytes_per_stored_state: -5 } : r)),
        /\/packed_default_scope\/2\/bytes_per_stored_state/,
      ],
      [
        withRows('packed_default_scope', (r, i) => (i === 0 ? { ...r, cpu_seconds: '18.54' } : r)),
        /\/packed_default_scope\/0\/cpu_seconds/,
      ],
      // A row without a figure it must have: the row's place, the message naming the figure (schema/bench-goals.schema.json).
      [withRows('packed_default_scope', (r, i) => (i === 0 ? {} : r)), /^\/packed_default_scope\/0$/],
      [{ ...results, packed_walks: [] }, /^\/packed_walks$/],
      // A measured row with a skipped of any value had been let through and then left out of the table (helper-116).
      [withRows('packed_spec_against_spin', (r, i) => (i === 1 ? { ...r, skipped: null } : r)), /^\/packed_spec_against_spin\/1/],
      [{ ...results, throughput: [null] }, /^\/throughput\/0$/],
      [null, /^$/],
      [
        withRows('packed_lockstep_reach', (r) => (String(r.scope).startsWith('patches=3,functions=2') ? { ...r, scope: 'x' } : r)),
        /^\/packed_lockstep_reach$/,
      ],
    ];
    expect(() => goalsTable(withRows('packed_default_scope', (r, i) => (i === 0 ? {} : r)))).toThrow(
      /must have required property 'semantics'/,
    );
    for (const [bad, where] of cases) {
      let caught: unknown;
      try {
        goalsTable(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught, String(where)).toMatchObject({ code: 'E_SCHEMA', file: 'bench/results.json', where: expect.stringMatching(where) });
    }
  });

  it('is written only between its markers, present once each and in order', () => {
    const text = `a\n${GOALS_BEGIN}\nold\n${GOALS_END}\nb`;
    expect(withGoalsTable(text, 'new')).toBe(`a\n${GOALS_BEGIN}\nnew\n${GOALS_END}\nb`);
    for (const bad of [
      'a',
      `${GOALS_END}\n${GOALS_BEGIN}`,
      `${GOALS_BEGIN}${GOALS_BEGIN}${GOALS_END}`,
      `${GOALS_BEGIN}${GOALS_END}${GOALS_END}`,
    ])
      expect(() => withGoalsTable(bad, 'new')).toThrow(/markers/);
  });
});

describe('npm run bench:goals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klpcheck-goals-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stale = `# x\n${GOALS_BEGIN}\nold\n${GOALS_END}\n`;

  it('keeps a read-only README read-only, writes through a link to its file, and leaves no temporary file', () => {
    const file = join(dir, 'README.md');
    writeFileSync(file, stale);
    chmodSync(file, 0o444);
    const link = join(dir, 'link.md');
    symlinkSync(file, link);
    expect(rewriteReadmeGoals(link, 'bench/results.json')).toBe(true);
    expect(statSync(link, { throwIfNoEntry: false }) && readFileSync(file, 'utf8')).toContain('| figure | goal |');
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'link.md']);
    expect(rewriteReadmeGoals(link, 'bench/results.json')).toBe(false);
  });

  it('names the results file and the place in it, and leaves the README as it was', () => {
    const file = join(dir, 'bad-readme.md');
    writeFileSync(file, stale);
    const bad = join(dir, 'results.json');
    writeFileSync(bad, '{\n  "packed_walks": nope\n}\n');
    expect(() => rewriteReadmeGoals(file, bad)).toThrow(
      expect.objectContaining({ code: 'E_JSON', file: bad, message: expect.stringMatching(/line 2 column 19/) }),
    );
    writeFileSync(bad, JSON.stringify({ ...results, packed_walks: [{ packed_over_bare: null }] }));
    expect(() => rewriteReadmeGoals(file, bad)).toThrow(
      expect.objectContaining({ code: 'E_SCHEMA', file: bad, where: '/packed_walks/0/packed_over_bare' }),
    );
    expect(readFileSync(file, 'utf8')).toBe(stale);
  });
});
