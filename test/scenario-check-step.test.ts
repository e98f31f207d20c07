/** A check step that fails shows FAIL beside it, not the kernel call's `ok` (issue 10, section 5). */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { run, basicScenario, TempDir } from './support/cli-run.ts';

const tmp = new TempDir();
afterAll(() => rmSync(tmp.path, { recursive: true, force: true }));

describe('klpcheck scenario: a failed check_running step', () => {
  it('prints FAIL on its own line, and ok when the check holds', async () => {
    const good = tmp.write('good.json', basicScenario());
    const wrong = basicScenario();
    const check = wrong.steps.findIndex((s) => s.op === 'check_running');
    wrong.steps[check]!.runs = 'original';
    const bad = tmp.write('bad.json', wrong);
    const r = await run(['scenario', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^  ${check}  FAIL    check_running vmlinux:cmdline_proc_show$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`/steps/${check}: vmlinux:cmdline_proc_show runs test_klp_livepatch, expected original`));
    expect((await run(['scenario', good])).stdout).toMatch(
      new RegExp(`^  ${check}  ok      check_running vmlinux:cmdline_proc_show$`, 'm'),
    );
  });
});

describe('klpcheck scenario: a check_sysfs step with only a count', () => {
  it('prints its command with no trailing space (stop 38 hostile user)', async () => {
    const s = basicScenario();
    s.steps.push({ op: 'check_sysfs', count: 0 });
    const r = await run(['scenario', tmp.write('count.json', s)]);
    expect(r.stdout).toMatch(/^ {2}\d+ {2}ok {6}check_sysfs$/m);
  });
});

describe('klpcheck scenario: load_lp of a module that is no livepatch', () => {
  it("fails, as functions.sh's load_lp dies waiting for its sysfs directory; load_mod takes it", async () => {
    const s = basicScenario();
    (s.universe as { modules: unknown[] }).modules.push({ name: 'test_klp_target' });
    const lp = { ...s, steps: [...s.steps, { op: 'load_lp', module: 'test_klp_target' }] };
    const r = await run(['scenario', tmp.write('lp-target.json', lp)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /\/steps\/4: test_klp_target: \/sys\/kernel\/livepatch\/test_klp_target never appeared: it is no livepatch module/,
    );
    const nowait = { ...s, steps: [...s.steps, { op: 'load_lp_nowait', module: 'test_klp_target' }] };
    expect((await run(['scenario', tmp.write('nowait-target.json', nowait)])).code).toBe(1);
    const mod = { ...s, steps: [...s.steps, { op: 'load_mod', module: 'test_klp_target' }], expect_log: undefined };
    expect((await run(['scenario', tmp.write('mod-target.json', mod)])).code).toBe(0);
  });
});
