/** Golden-file comparison: UPDATE_GOLDEN=1 rewrites the file; otherwise a difference fails with a diff -u. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { unifiedDiff } from '../../cli/diff.ts';

export function expectGolden(file: string, actual: string, testFile: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run ${testFile}`).toBe(true);
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    const diff = unifiedDiff(expected.split('\n'), actual.split('\n')).join('\n');
    expect.fail(`${file} differs (UPDATE_GOLDEN=1 rewrites it after review):\n${diff}`);
  }
}
