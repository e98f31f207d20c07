/**
 * The generated C compiles without a warning against the Debian 6.1 kernel's
 * headers, for every selftest and thread scenario (one kbuild run per
 * distinct universe). Runs only when `npm run vm:setup` has put the headers
 * in the cache; the same check by hand: npx tsx vm/cgen/build-check.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles, headersDir } from '../vm/cgen/build-check.ts';

const ROOT = join(import.meta.dirname, '..');
const headers = headersDir('6.1');
const gcc = spawnSync('gcc-12', ['--version']).status === 0;
const why = !headers
  ? 'no Linux 6.1 headers in ${KLPCHECK_CACHE:-~/.cache/klpcheck}/kernel-6.1: run npm run vm:setup'
  : 'gcc-12 is not installed: run npm run vm:setup';

describe.skipIf(!headers || !gcc)(`generated modules build on Linux 6.1 (${headers && gcc ? 'headers found' : `skipped: ${why}`})`, () => {
  it(
    'every selftest and thread scenario builds without a warning',
    () => {
      const verdicts = checkFiles([join(ROOT, 'scenarios/selftests'), join(ROOT, 'scenarios/threads')], '6.1', headers!);
      const bad = verdicts.filter((v) => v.verdict !== 'ok').map((v) => `${v.file}: ${v.verdict}\n  ${v.detail.join('\n  ')}`);
      expect(bad, bad.join('\n')).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(40);
    },
    30 * 60_000,
  );
});
