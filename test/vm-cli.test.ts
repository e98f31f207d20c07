import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './support/cli-run.ts';

describe('klpcheck vm usage', () => {
  it('rejects a bad --kernel, no operand, a bad --generate and a missing file with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['vm', '--kernel', '5.10', 'scenarios/threads'], /--kernel takes 6.1 or 6.12, not '5.10' \[E_USAGE\]/],
      [['vm'], /no FILE or DIR given/],
      [['vm', '--generate', '0'], /--generate takes a whole number from 1 to 100000, not '0'/],
      [['vm', 'nope.json'], /nope.json/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });

  it('refuses a counterexample of another semantics: the real kernel implements upstream only', async () => {
    const r = await run(['vm', 'counterexamples/stacking']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a counterexample of 'stacking': the real kernel implements upstream only \[E_USAGE\]/);
  });

  it('says how to set the kernel up when the cache lacks it (exit 2, one line)', async () => {
    const r = await run(['vm', '--kernel', '6.12', 'scenarios/threads/petr-lp1-lp2-lp3.json'], {
      env: { KLPCHECK_CACHE: mkdtempSync(join(tmpdir(), 'klpcheck-cache-')) },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^klpcheck: .*kernel-6.12\/kernel.env: kernel 6.12 is not set up: run 'npm run vm:setup -- --kernel 6.12' \[E_VM_SETUP\]\n$/,
    );
  });
});
