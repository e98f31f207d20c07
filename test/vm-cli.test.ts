import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('klpcheck vm usage', () => {
  it('rejects a bad --kernel, no operand and a counterexample of another semantics with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['vm', '--kernel', '5.10', 'scenarios/threads'], /--kernel takes 6.1 or 6.12, not '5.10' \[E_USAGE\]/],
      [['vm'], /no FILE or DIR given/],
      [['vm', 'nope.json'], /nope.json/],
    ];
    for (const [args, re] of cases) {
      const c = capture();
      expect(await main(args, c.io)).toBe(2);
      expect(c.err()).toMatch(re);
    }
  });

  it('says how to set the kernel up when the cache lacks it (exit 2, one line)', async () => {
    const c = capture({ KLPCHECK_CACHE: mkdtempSync(join(tmpdir(), 'klpcheck-cache-')) });
    expect(await main(['vm', '--kernel', '6.12', 'scenarios/threads/petr-lp1-lp2-lp3.json'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^klpcheck: .*kernel-6.12\/kernel.env: kernel 6.12 is not set up: run 'npm run vm:setup -- --kernel 6.12' \[E_VM_SETUP\]\n$/);
  });

  it('is listed in the help', async () => {
    const c = capture();
    await main(['--help'], c.io);
    expect(c.out()).toMatch(/\n  vm +run scenarios on a real Debian kernel/);
  });
});
