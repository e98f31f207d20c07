/**
 * bench/results.json keeps its measured Spin rows when a run skips Spin
 * (bench/results-merge.ts), and `--packed --spin` without Spin refuses before
 * it measures or writes anything (bench/run.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeByScope } from '../bench/results-merge.ts';

type Row = { readonly scope: string; readonly semantics?: string; readonly skipped?: string; readonly spin_seconds?: number };

describe('the bench results file', () => {
  const measured: Row[] = [
    { scope: 'a', spin_seconds: 1 },
    { scope: 'b', spin_seconds: 2 },
  ];

  it('keeps the measured row of a scope a run skipped, and says so', () => {
    const said: string[] = [];
    const rows = mergeByScope<Row>(
      measured,
      [],
      [
        { scope: 'a', skipped: 'spin is not installed' },
        { scope: 'c', spin_seconds: 3 },
      ],
      (r) => said.push(`${r.scope}: ${r.skipped}`),
    );
    expect(rows).toEqual([
      { scope: 'a', spin_seconds: 1 },
      { scope: 'c', spin_seconds: 3 },
    ]);
    expect(said).toEqual(['a: spin is not installed']);
  });

  it('writes a skipped row where the file has no measured one, and a new measure over an old one', () => {
    const rows = mergeByScope<Row>([{ scope: 'a', skipped: 'old reason' }], measured, [
      { scope: 'a', skipped: 'spin is not installed' },
      { scope: 'b', spin_seconds: 9 },
    ]);
    expect(rows).toEqual([
      { scope: 'a', skipped: 'spin is not installed' },
      { scope: 'b', spin_seconds: 9 },
    ]);
  });

  it('keeps the rows it is given to keep for the scopes not measured now, before the new ones', () => {
    expect(mergeByScope<Row>(measured, measured, [{ scope: 'b', spin_seconds: 5 }])).toEqual([
      { scope: 'a', spin_seconds: 1 },
      { scope: 'b', spin_seconds: 5 },
    ]);
  });

  it("keeps a semantics' row of a scope apart from upstream's, a row without one being upstream's", () => {
    const rows = mergeByScope<Row>(measured, measured, [
      { scope: 'a', semantics: 'stacking', spin_seconds: 7 },
      { scope: 'b', semantics: 'stacking', skipped: 'spin is not installed' },
    ]);
    // Upstream's rows of a and b stay; stacking's skipped b has no measured row of its own to give way to.
    expect(rows).toEqual([
      { scope: 'a', spin_seconds: 1 },
      { scope: 'b', spin_seconds: 2 },
      { scope: 'a', semantics: 'stacking', spin_seconds: 7 },
      { scope: 'b', semantics: 'stacking', skipped: 'spin is not installed' },
    ]);
    expect(mergeByScope<Row>(measured, measured, [{ scope: 'a', semantics: 'upstream', spin_seconds: 4 }])).toEqual([
      { scope: 'b', spin_seconds: 2 },
      { scope: 'a', semantics: 'upstream', spin_seconds: 4 },
    ]);
  });

  it('--packed --spin without Spin on the PATH: one E_USAGE line, exit 2, the file untouched', () => {
    const before = { text: readFileSync('bench/results.json', 'utf8'), mtime: statSync('bench/results.json').mtimeMs };
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--packed', '--spin'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(r.stderr).toMatch(
      /^klpcheck: bench: --spin measures beside Spin: spin is not installed \(npm run spin:setup\); bench\/results\.json is unchanged \[E_USAGE\]\n$/,
    );
    expect(r.status).toBe(2);
    expect(readFileSync('bench/results.json', 'utf8')).toBe(before.text);
    expect(statSync('bench/results.json').mtimeMs).toBe(before.mtime);
  });
});
