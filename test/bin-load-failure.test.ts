/**
 * bin/klpcheck.mjs when one of klpcheck's own modules does not load: the
 * README's "Adding a proposal" followed with the registry's import left out
 * ended node with a stack trace and exit 1 (helper-105, 2026-12-06), where an
 * internal error is one line and exit 70 (README, Exit codes). The bin is run
 * from a folder of its own beside a stand-in cli/main.ts, so that the
 * repository's modules are not touched.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'klpcheck-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const d of ['bin', 'cli', 'model']) mkdirSync(join(dir, d));
copyFileSync(join(ROOT, 'bin', 'klpcheck.mjs'), join(dir, 'bin', 'klpcheck.mjs'));
copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
writeFileSync(join(dir, 'cli', 'main.ts'), "import { all } from '../model/registry.ts';\nexport const main = async () => all.length;\n");

/** Runs the bin with model/registry.ts holding `registry`. */
function runWith(registry: string, env: Record<string, string> = {}) {
  writeFileSync(join(dir, 'model', 'registry.ts'), registry);
  return spawnSync(process.execPath, [join(dir, 'bin', 'klpcheck.mjs'), 'run'], {
    encoding: 'utf8',
    env: { ...process.env, KLPCHECK_DEBUG: '', ...env },
  });
}

describe('a module of its own that does not load', () => {
  it('is an internal error: one line naming the error and the place it was raised, exit 70', () => {
    const r = runWith('export const all = [\n  1,\n  replaceSetSong,\n];\n');
    expect(r.stderr).toBe(
      `klpcheck: internal error: ReferenceError: replaceSetSong is not defined (at ${join(dir, 'model', 'registry.ts')}:3)\n`,
    );
    expect(r.status).toBe(70);
  });

  it("gives a compile error's message whole, on one line, with the place it names", () => {
    const r = runWith('export const all = [\n  1,,, +;\n];\n');
    expect(r.stderr).toMatch(
      /^klpcheck: internal error: TransformError: Transform failed with 1 error: \S+registry\.ts:2:\d+: ERROR: Unexpected ";"\n$/,
    );
    expect(r.status).toBe(70);
  });

  it('prints the stack under KLPCHECK_DEBUG=1', () => {
    const r = runWith('export const all = [replaceSetSong];\n', { KLPCHECK_DEBUG: '1' });
    const [line, ...stack] = r.stderr.trimEnd().split('\n');
    expect(line).toMatch(/^klpcheck: internal error: ReferenceError: replaceSetSong is not defined \(at \S+registry\.ts:1\)$/);
    expect(stack[0]).toBe('ReferenceError: replaceSetSong is not defined');
    expect(stack.some((l) => /^\s+at .*registry\.ts:1:\d+/.test(l))).toBe(true);
    expect(r.status).toBe(70);
  });

  it('is not in the way of one that loads', () => {
    const r = runWith('export const all = [1, 2];\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(2);
  });
});
