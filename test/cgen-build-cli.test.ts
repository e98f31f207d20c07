/**
 * The C build check's command line (vm/cgen/build-check.ts, `npm run
 * cgen:check`) refuses what it cannot check with one line and exit 2: an
 * unknown option, a missing or wrong value, a file that does not exist or is
 * no scenario, a kernel that is not set up (hostile-user findings,
 * 2026-12-02: each had been a stack trace, a silent 6.1 or a REFUSED line
 * with exit 0). None of these builds anything.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'klpcheck-cgen-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function check(args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'vm/cgen/build-check.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the C build check’s command line', () => {
  it.each([
    [['/nonexistent/klpcheck'], /^klpcheck: \/nonexistent\/klpcheck: no such file or folder \[E_NO_FILE\]\n$/],
    [['--kernel', '5.15', 'scenarios/threads'], /^klpcheck: --kernel "5\.15": the kernels are 6\.1 and 6\.12 \[E_USAGE\]\n$/],
    [['--kernel'], /^klpcheck: --kernel needs a value \[E_USAGE\]\n$/],
    [['--keep', '--kernel', '6.1'], /^klpcheck: --keep needs a value \[E_USAGE\]\n$/],
    [['--bogus'], /^klpcheck: unknown option --bogus \(usage: .*\) \[E_USAGE\]\n$/],
    [['package.json'], /^klpcheck: package\.json:.* \[E_SCHEMA\]\n$/],
  ])('refuses %j with one line and exit 2', (args, stderr) => {
    const r = check(args);
    expect(r.stderr).toMatch(stderr);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  it('refuses a file that is not JSON with one line and exit 2', () => {
    const file = join(scratch, 'broken.json');
    writeFileSync(file, '{"universe": ');
    const r = check([file]);
    expect(r.stderr).toMatch(/^klpcheck: .*broken\.json.* \[E_JSON\]\n$/);
    expect(r.status).toBe(2);
  });

  it('says which set-up is missing when the kernel is not set up', () => {
    const r = check(['--kernel', '6.12', 'scenarios/threads/petr-pair-overlap.json'], { KLPCHECK_CACHE: scratch });
    expect(r.stderr).toMatch(
      /^klpcheck: .*kernel\.env: kernel 6\.12 is not set up: run 'npm run vm:setup -- --kernel 6\.12' \[E_VM_SETUP\]\n$/,
    );
    expect(r.status).toBe(2);
  });
});
