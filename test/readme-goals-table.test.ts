/**
 * The README's table of issue 11's goals is the one bench/results.json gives
 * (bench/goals-table.ts), so it never says what the file does not; and the
 * table follows the file's figures, so a figure past its goal reads "not met".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOALS_BEGIN, GOALS_END, goalsTable, type GoalsResults, withGoalsTable } from '../bench/goals-table.ts';

const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as GoalsResults;
const readme = readFileSync('README.md', 'utf8');

/** The table's row whose first cell begins with `figure`. */
const row = (table: string, figure: string) => table.split('\n').find((l) => l.startsWith(`| ${figure}`)) ?? '';

describe("the README's goals table", () => {
  it('is the one bench/results.json gives (npm run bench:goals writes it again)', () => {
    expect(withGoalsTable(readme, goalsTable(results))).toBe(readme);
  });

  it('says a goal is missed when a figure passes it, and met when every figure is within it', () => {
    const rows = results.packed_default_scope;
    const heavier = { ...results, packed_default_scope: rows.map((r, i) => (i === 0 ? { ...r, bytes_per_stored_state: 101 } : r)) };
    expect(row(goalsTable(results), 'bytes a stored state')).toMatch(/\| met \|/);
    expect(row(goalsTable(heavier), 'bytes a stored state')).toContain(`met in ${rows.length - 1} of ${rows.length}`);

    const fast = { ...results, packed_default_scope: rows.map((r) => ({ ...r, fixpoint: true, cpu_seconds: 30 })) };
    expect(row(goalsTable(fast), "each semantics' whole space")).toMatch(/\| met \|/);
    const slow = { ...results, packed_default_scope: rows.map((r) => ({ ...r, cpu_seconds: 61 })) };
    expect(row(goalsTable(slow), "each semantics' whole space")).toMatch(/\| not met \|/);

    const spin = results.packed_spec_against_spin.map((r) => ({ ...r, spin_speed_over_packed: 3, spin_speed_over_packed_warm: 1.5 }));
    expect(row(goalsTable({ ...results, packed_spec_against_spin: spin }), 'spec-level states')).toContain('cold: not met; warm: met');
  });

  it('counts the walks and the random runs within 3x apart', () => {
    const walks = results.packed_walks.map((r) => ({ ...r, packed_over_bare: 3.5 }));
    expect(row(goalsTable({ ...results, packed_walks: walks }), 'checked random runs')).toContain(
      `met by the walks in 0 of ${walks.length}`,
    );
    const runs = results.throughput.map((r) => ({ ...r, checked_over_bare: 2.9 }));
    expect(row(goalsTable({ ...results, throughput: runs }), 'checked random runs')).toContain(
      `by run's checks in ${runs.length} of ${runs.length}`,
    );
  });

  it('refuses a results file without a figure it reads, naming the key', () => {
    expect(() => goalsTable({ ...results, packed_walks: [] })).toThrow(/no rows of packed_walks/);
    const noReach = {
      ...results,
      packed_lockstep_reach: results.packed_lockstep_reach.filter((r) => !r.scope.startsWith('patches=3,functions=2')),
    };
    expect(() => goalsTable(noReach)).toThrow(/no packed_lockstep_reach row of patches=3,functions=2,states=1,tasks=2,depth=6/);
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
