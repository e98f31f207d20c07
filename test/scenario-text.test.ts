/** The per-step lines of `klpcheck scenario`: a failed check says FAIL beside it, not ok. */
import { describe, expect, it } from 'vitest';
import { basicScenario, run, TempDir } from './support/cli-run.ts';

describe('klpcheck scenario step lines', () => {
  it('marks a check_running that finds other code FAIL on its own line, and ok when it holds', async () => {
    const tmp = new TempDir();
    const good = tmp.write('good.json', basicScenario());
    const s = basicScenario();
    s.steps[1] = { ...s.steps[1], runs: 'original' };
    const bad = tmp.write('bad.json', s);
    const ok = await run(['scenario', good]);
    expect(ok.stdout).toMatch(/^ {2}1 {2}ok {6}check_running vmlinux:cmdline_proc_show$/m);
    const r = await run(['scenario', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}1 {2}FAIL {4}check_running vmlinux:cmdline_proc_show$/m);
    expect(r.stdout).toMatch(/^ {2}\/steps\/1: vmlinux:cmdline_proc_show runs test_klp_livepatch, expected original$/m);
  });
});

describe('text from a file on stdout', () => {
  it('is printed with its control characters escaped, and klpcheck colour kept only on a terminal', async () => {
    const tmp = new TempDir();
    const s = { ...basicScenario(), name: 'clear\u001b[2J\u001b]0;title\u0007 screen' };
    const file = tmp.write('s.json', s);
    const plain = await run(['scenario', file]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('clear\\u001b[2J\\u001b]0;title\\u0007 screen');
    expect(plain.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const tty = await run(['scenario', file], { stdoutIsTTY: true });
    expect(tty.stdout).toContain('\u001b[32mPASS\u001b[0m');
    expect(tty.stdout).toContain('\\u001b]0;title\\u0007');
  });
});

describe('a dashed module name in a scenario', () => {
  it("names the kernel's sysfs folder in the commands it logs, '-' as '_', and insmod the file as written (helper-75, stop 46)", async () => {
    const tmp = new TempDir();
    const dashed = JSON.parse(JSON.stringify(basicScenario()).replaceAll('test_klp_livepatch', 'test-klp-livepatch')) as ReturnType<
      typeof basicScenario
    >;
    const file = tmp.write('s.json', { ...dashed, expect_log: [] });
    const r = await run(['scenario', file]);
    expect(r.stdout).toContain('% echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled');
    expect(r.stdout).not.toContain('/sys/kernel/livepatch/test-klp-livepatch');
    expect(r.stdout).toContain('% insmod test_modules/test-klp-livepatch.ko');
  });
});
