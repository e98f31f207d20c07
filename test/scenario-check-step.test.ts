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

describe('klpcheck scenario: a function named with its symbol position', () => {
  it('takes obj:name,sympos as the README and the schema say, position 0 and 1 alike, and tells two copies of a name apart (helper-127)', async () => {
    // Named with its position, the unique symbol is the one named without: positions 0 and 1 are one (funcKey).
    for (const func of ['vmlinux:cmdline_proc_show,0', 'vmlinux:cmdline_proc_show,1']) {
      const s = basicScenario();
      for (const step of s.steps) if (step.op === 'check_running') step.func = func;
      const r = await run(['scenario', tmp.write('positioned.json', s)]);
      expect(r.code, `${func}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    // Two copies of f (old_sympos 1 and 2): only the second is patched, and a task runs each as its own function.
    const s = basicScenario();
    s.universe = {
      patches: [{ name: 'test_klp_livepatch', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f', old_sympos: 2 }] }] }],
      modules: [],
      kernel: { vmlinux_symbols: { f: 2 } },
    };
    s.steps = [
      { op: 'load_lp', module: 'test_klp_livepatch' },
      { op: 'check_running', func: 'vmlinux:f,2', runs: 'test_klp_livepatch' },
      { op: 'check_running', func: 'vmlinux:f,1', runs: 'original' },
    ];
    delete (s as { expect_log?: unknown }).expect_log;
    const two = await run(['scenario', tmp.write('two-copies.json', s)]);
    expect(two.stderr).toBe('');
    expect(two.stdout).toMatch(/^ {2}1 {2}ok {6}check_running vmlinux:f,2$/m);
    expect(two.stdout).toMatch(/^ {2}2 {2}ok {6}check_running vmlinux:f,1$/m);
    // A position the universe does not patch is refused at its place, as an unknown name is.
    s.steps = [{ op: 'check_running', func: 'vmlinux:f,3', runs: 'original' }];
    const none = await run(['scenario', tmp.write('no-copy.json', s)]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no-copy\.json:\/steps\/0\/func: function 'vmlinux:f,3' is not in the universe \[E_REFERENCE\]/);
  });
});

describe('klpcheck scenario: a scenario of no step', () => {
  it('is refused at /steps, where it passed having checked nothing (helper-127)', async () => {
    const r = await run(['scenario', tmp.write('nosteps.json', { ...basicScenario(), steps: [], expect_log: [] })]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(/PASS/);
    expect(r.stderr).toMatch(/nosteps\.json:\/steps: the scenario has no step: it checks nothing \[E_SCHEMA\]\n$/);
  });
});
