import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../cli/command.ts';
import { selftestsIn } from '../cli/commands/selftests.ts';
import { EXIT } from '../cli/exit.ts';
import { COMMANDS } from '../cli/main.ts';
import { validate } from '../harness/json-file.ts';
import type { ScenarioRunReport } from '../schema/generated/scenario-result.ts';
import { basicScenario, run, TempDir } from './support/cli-run.ts';

const tmp = new TempDir();
const empty = new TempDir();
afterAll(() => [tmp, empty].forEach((d) => rmSync(d.path, { recursive: true, force: true })));

const passing = tmp.write('pass.json', basicScenario());
const wrongLog = basicScenario();
wrongLog.expect_log[1] = "livepatch: enabling patch 'wrong'";
const failing = tmp.write('fail.json', wrongLog);
const pending = tmp.write('pending.json', { ...wrongLog, pending: 'the model cannot do this yet' });

const ESC = '\x1b[';

describe('klpcheck --help', () => {
  it('lists every command with its one-line summary, the exit codes and an example', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c.name} +${escape(c.summary)}$`, 'm'));
    expect(r.stdout).toMatch(/^  2 +bad input or usage/m);
    expect(r.stdout).toMatch(/^  70 +internal error/m);
    expect(r.stdout).toContain('Example:\n  npx klpcheck selftests');
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s --help shows its usage, options and example', async (name, c) => {
    const r = await run([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`klpcheck ${name} - ${c.summary}`);
    expect(r.stdout).toContain(`Usage: klpcheck ${name} [options]`);
    for (const option of Object.keys(c.options)) expect(r.stdout).toMatch(new RegExp(`--${option} `));
    expect(r.stdout).toContain('--no-color');
    expect(r.stdout).toMatch(/Examples?:\n  (npx )?klpcheck /);
    expect((await run(['help', name])).stdout).toBe(r.stdout);
    expect((await run([name, '-h'])).stdout).toBe(r.stdout);
  });

  it('--help wins wherever it is given, over an option in error, but not after --', async () => {
    const r = await run(['relate', '--depth', '99', '--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')[0]).toBe(`klpcheck relate - ${COMMANDS.find((c) => c.name === 'relate')!.summary}`);
    expect((await run(['explore', '-h', '--nope'])).stdout).toBe((await run(['explore', '--help'])).stdout);
    const after = await run(['scenario', '--', '--help']);
    expect(after.code).toBe(2);
  });

  it('-V prints the version, and refuses anything after it (it was ignored, exit 0)', async () => {
    const r = await run(['-V']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^klpcheck \d+\.\d+\.\d+\n$/);
    const extra = await run(['--version', 'extra']);
    expect(extra.code).toBe(EXIT.usage);
    expect(extra.stderr).toBe("klpcheck: --version takes nothing after it, not 'extra'; see 'klpcheck --help' [E_USAGE]\n");
  });

  it("help wins after --version too, and 'help help' is the main help (both were refused)", async () => {
    const main = (await run(['--help'])).stdout;
    for (const argv of [
      ['help', 'help'],
      ['--version', '--help'],
      ['-V', '-h'],
      ['--help', '--help'],
      ['--help', '--version'],
      ['help', '-V'],
    ]) {
      const r = await run(argv);
      expect([argv, r.code, r.stderr, r.stdout]).toEqual([argv, 0, '', main]);
    }
    expect((await run(['-V', '-h', 'x'])).code).toBe(EXIT.usage);
  });
  it('the installed bin prints the same help and exits 0', async () => {
    const bin = spawnSync(process.execPath, ['bin/klpcheck.mjs', '--help'], { encoding: 'utf8' });
    expect(bin.stderr).toBe('');
    expect(bin.status).toBe(0);
    expect(bin.stdout).toBe((await run(['--help'])).stdout);
  });

  it('the installed bin exits 2 with one line and no stack trace on bad input', () => {
    const bin = spawnSync(process.execPath, ['bin/klpcheck.mjs', 'scenario', join(tmp.path, 'nope.json')], { encoding: 'utf8' });
    expect(bin.status).toBe(2);
    expect(bin.stdout).toBe('');
    expect(bin.stderr).toBe(`klpcheck: ${join(tmp.path, 'nope.json')}: no such file [E_NO_FILE]\n`);
  });
});

describe('klpcheck scenario', () => {
  it('exits 0 on a passing scenario and prints each step with its result and log', async () => {
    const r = await run(['scenario', passing]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${passing}: basic function patching (semantics: upstream)`);
    expect(lines[1]).toBe('  0  ok      % insmod test_modules/test_klp_livepatch.ko');
    expect(lines[2]).toBe("             livepatch: enabling patch 'test_klp_livepatch'");
    expect(lines).toContain('  1  ok      check_running vmlinux:cmdline_proc_show');
    expect(lines.at(-1)).toBe(`PASS    ${passing}`);
  });

  it('exits 1 on a failing scenario and shows the pointer and a diff -u of the log', async () => {
    const r = await run(['scenario', failing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  /expect_log: kernel log differs from the expected log\n');
    expect(r.stdout).toContain(
      [
        '    --- expected',
        '    +++ actual',
        '    @@ -1,5 +1,5 @@',
        '     % insmod test_modules/test_klp_livepatch.ko',
        "    -livepatch: enabling patch 'wrong'",
        "    +livepatch: enabling patch 'test_klp_livepatch'",
        "     livepatch: 'test_klp_livepatch': initializing patching transition",
      ].join('\n'),
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`FAIL    ${failing}: /expect_log: kernel log differs from the expected log`);
  });

  it('closes a run of several files with a count line', async () => {
    const r = await run(['scenario', passing, failing, pending]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('3 scenarios: 1 pass, 1 fail, 1 pending');
    expect((await run(['scenario', passing])).stdout).not.toMatch(/scenarios?: /);
  });

  it('reports a failed step result with the step pointer', async () => {
    const s = basicScenario();
    s.steps[2] = { ...s.steps[2], expect: { result: 'EBUSY' } };
    const r = await run(['scenario', '--quiet', tmp.write('step-result.json', s)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL +\S+: \/steps\/2\/expect\/result: .*expected EBUSY, got ok\n$/);
  });

  it('--quiet prints only the verdict lines; pending counts as a pass and says why', async () => {
    const r = await run(['scenario', '--quiet', passing, pending]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`PASS    ${passing}\nPENDING ${pending}: the model cannot do this yet\n`);
  });

  it('says when a pending scenario passes now', async () => {
    const r = await run(['scenario', '-q', tmp.write('pending-ok.json', { ...basicScenario(), pending: 'gap' })]);
    expect(r.stdout).toMatch(/^PENDING .*: gap \(now passes: remove "pending"\)\n$/);
  });

  it('takes a directory as every *.json below it, sorted', async () => {
    const dir = new TempDir();
    dir.write('b.json', basicScenario());
    dir.write('a/z.json', wrongLog);
    dir.write('a/notes.txt', 'not a scenario');
    const r = await run(['scenario', '-q', dir.path]);
    rmSync(dir.path, { recursive: true });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^FAIL +${join(dir.path, 'a', 'z.json')}: /expect_log: `));
    expect(lines[1]).toBe(`PASS    ${join(dir.path, 'b.json')}`);
  });

  it('--json prints one report that validates against schema/scenario-result.schema.json', async () => {
    const r = await run(['scenario', '--json', passing, failing]);
    expect(r.code).toBe(1);
    const report = validate<ScenarioRunReport>('scenario-result', JSON.parse(r.stdout), '<stdout>');
    expect(report.klpcheck).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(report.results.map((x) => x.verdict)).toEqual(['pass', 'fail']);
    expect(report.results[1]!.failures[0]!.pointer).toBe('/expect_log');
    expect(report.results[0]!.steps[0]!.result).toBe('ok');
  });
});

describe('bad input: one line on stderr, exit 2, nothing on stdout', () => {
  const bad = (name: string, content: unknown) => tmp.write(name, content);
  const cases: [string, () => string[], (file: string) => string][] = [
    [
      'a missing file',
      () => ['scenario', join(tmp.path, 'missing.json')],
      () => `${join(tmp.path, 'missing.json')}: no such file [E_NO_FILE]`,
    ],
    [
      'invalid JSON, naming line and column',
      () => ['scenario', bad('syntax.json', '{\n  "name": "x",\n  "steps": [1, 2,]\n}\n')],
      (f) => `${f}: invalid JSON at line 3 column 18: unexpected ']', expected a value [E_JSON]`,
    ],
    [
      'a schema violation, at its JSON pointer',
      () => ['scenario', bad('schema.json', { ...basicScenario(), steps: [{ op: 'load_lp', module: 42 }] })],
      (f) => `${f}:/steps/0/module: must be string [E_SCHEMA]`,
    ],
    [
      'a step naming an unknown patch',
      () => {
        const s = basicScenario();
        s.steps.push({ op: 'disable_lp', patch: 'test_klp_nope' });
        return ['scenario', bad('reference.json', s)];
      },
      (f) => `${f}:/steps/4/patch: patch 'test_klp_nope' is not in the universe [E_REFERENCE]`,
    ],
    // Each named no allowed value, or the wrong thing (hostile user, stop 38).
    [
      'an expected result that is no errno',
      () => {
        const s = basicScenario();
        s.steps[0]!.expect = { result: 'EWHAT' };
        return ['scenario', bad('ewhat.json', s)];
      },
      (f) =>
        `${f}:/steps/0/expect/result: must be one of ["ok","ENOENT","EAGAIN","EACCES","EEXIST","ENODEV","EINVAL","EBUSY","ENOSPC","ERANGE"] [E_SCHEMA]`,
    ],
    [
      'an op that is no string',
      () => {
        const s = basicScenario();
        s.steps[0]!.op = 5;
        return ['scenario', bad('op5.json', s)];
      },
      (f) => `${f}:/steps/0/op: op must be a string, not 5 [E_SCHEMA]`,
    ],
    [
      'a value of neither type allowed',
      () => {
        const s = basicScenario();
        const p = (s.universe as { patches: { attrs?: Record<string, unknown> }[] }).patches[0]!;
        p.attrs = { ...p.attrs, replace: 'yes' };
        return ['scenario', bad('replace-yes.json', s)];
      },
      (f) => `${f}:/universe/patches/0/attrs/replace: must be boolean or integer [E_SCHEMA]`,
    ],
    // Each passed, checking nothing (hostile-user finding, 2026-12-03).
    ...(
      [
        [{ op: 'check_sysfs', value: 'garbage' }, '/steps/4/value: check_sysfs value needs the patch whose sysfs directory it reads'],
        [
          { op: 'check_sysfs', file: 'enabled', exists: true },
          '/steps/4/file: check_sysfs file needs the patch whose sysfs directory it reads',
        ],
        [{ op: 'check_sysfs' }, '/steps/4: check_sysfs checks nothing: give count, or a patch with exists, value or mode'],
        [
          { op: 'check_sysfs', patch: 'test_klp_livepatch' },
          '/steps/4: check_sysfs checks nothing of test_klp_livepatch: give exists, value or mode',
        ],
        [
          { op: 'check_sysfs', patch: 'test_klp_livepatch', value: '1' },
          '/steps/4/value: check_sysfs value needs the file it reads (enabled, transition, ...)',
        ],
        [{ op: 'block_task', task: 'task0' }, '/steps/4: block_task needs the func (object:name) the task sleeps in'],
        // A field the op ignores read as if it did something (hostile-user finding, stop 38).
        [{ op: 'unblock_task', task: 'task0', func: 'vmlinux:cmdline_proc_show' }, '/steps/4/func: unblock_task takes no func'],
        [{ op: 'sleep_task', task: 'task0', sleep: 'interruptible' }, '/steps/4/sleep: sleep_task takes no sleep'],
        [{ op: 'run_task', task: 'task0', child: 'task9' }, '/steps/4/child: run_task takes no child'],
        [{ op: 'fork', task: 'task0', child: 'task9', func: 'vmlinux:cmdline_proc_show' }, '/steps/4/func: fork takes no func'],
      ] as const
    ).map(([step, where]): (typeof cases)[number] => [
      `a step that checks nothing: ${JSON.stringify(step)}`,
      () => {
        const s = basicScenario();
        s.steps.push(step as never);
        return ['scenario', bad(`nothing-${Object.keys(step).join('-')}.json`, s)];
      },
      (f) => `${f}:${where} [E_SCHEMA]`,
    ]),
    [
      'a number no JSON reader holds exactly (1e300 was taken, and printed as 1e+300)',
      () => {
        const s = basicScenario();
        s.steps.push({ op: 'check_sysfs', count: 1e300 });
        return ['scenario', bad('huge.json', s)];
      },
      (f) => `${f}:/steps/4/count: must be <= 9007199254740991 [E_SCHEMA]`,
    ],
    [
      'a scenario that checks nothing: no expected log, and only writes (it passed whatever the kernel did)',
      () => {
        const { expect_log: _, ...s } = basicScenario();
        return ['scenario', bad('unchecked.json', { ...s, steps: [{ op: 'enable', patch: 'test_klp_livepatch', value: '1' }] })];
      },
      (f) =>
        `${f}:/steps: the scenario checks nothing: give expect_log, a step with expect, a check_running or check_sysfs, or a functions.sh helper such as load_lp [E_SCHEMA]`,
    ],
    [
      'an empty pending reason (read as not pending)',
      () => ['scenario', bad('pending.json', { ...basicScenario(), pending: '' })],
      (f) => `${f}:/pending: must NOT have fewer than 1 characters [E_SCHEMA]`,
    ],
    [
      'an unknown option',
      () => ['scenario', '--bogus', passing],
      () => "unknown option '--bogus'; see 'klpcheck scenario --help' [E_USAGE]",
    ],
    [
      "another command's spelling of an option",
      () => ['run', '--invariants', 'no-lost-fix'],
      () => "unknown option '--invariants' (did you mean --invariant?); see 'klpcheck run --help' [E_USAGE]",
    ],
    [
      "another command's spelling, the other way",
      () => ['compare', '--invariant=no-lost-fix'],
      () => "unknown option '--invariant' (did you mean --invariants?); see 'klpcheck compare --help' [E_USAGE]",
    ],
    [
      'a value for a flag',
      () => ['scenario', '--json=yes', passing],
      () => "option '--json' does not take an argument; see 'klpcheck scenario --help' [E_USAGE]",
    ],
    [
      'an unknown command',
      () => ['frobnicate'],
      () => `unknown command 'frobnicate' (commands: ${COMMANDS.map((c) => c.name).join(', ')}) [E_USAGE]`,
    ],
    ['no command', () => [], () => "no command given; see 'klpcheck --help' [E_USAGE]"],
    ['no FILE', () => ['scenario'], () => "no scenario FILE given; see 'klpcheck scenario --help' [E_USAGE]"],
    ['an operand to selftests', () => ['selftests', 'x'], () => "unexpected argument 'x'; see 'klpcheck selftests --help' [E_USAGE]"],
    ['an empty directory', () => ['scenario', empty.path], (f) => `${f}: no *.json scenario files below this directory [E_NO_FILE]`],
  ];
  it.each(cases)('%s', async (_, argv, line) => {
    const args = argv();
    const r = await run(args);
    expect(r.stderr).toBe(`klpcheck: ${line(args.at(-1) ?? '')}\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('stops before any report when one of several files is bad', async () => {
    const r = await run(['scenario', passing, join(tmp.path, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('internal errors', () => {
  it('an unexpected Error is one line and exit 70; KLPCHECK_DEBUG adds the stack', async () => {
    const broken = () => {
      throw new Error('disk on fire\nsecond line');
    };
    const r = await run(['scenario', passing], { stdout: broken });
    expect(r).toEqual({ code: 70, stdout: '', stderr: 'klpcheck: internal error: Error: disk on fire\n' });
    const debug = await run(['scenario', passing], { stdout: broken, env: { KLPCHECK_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^klpcheck: internal error: Error: disk on fire\nError: disk on fire\nsecond line\n {4}at /);
  });
});

describe('colour', () => {
  it('is used on a terminal', async () => {
    expect((await run(['scenario', failing], { stdoutIsTTY: true })).stdout).toContain(ESC);
  });
  it.each([
    ['not a terminal', [], {}],
    ['--no-color', ['--no-color'], { stdoutIsTTY: true }],
    ['NO_COLOR', [], { stdoutIsTTY: true, env: { NO_COLOR: '1' } }],
  ] as const)('is never used with %s', async (_, flags, io) => {
    const r = await run(['scenario', ...flags, passing, failing], io);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL');
    expect(r.stdout).not.toContain(ESC);
  });
});

describe('klpcheck selftests', () => {
  it('is scenario --quiet over a folder, with a closing count line', async () => {
    const dir = new TempDir();
    dir.write('x/a.json', basicScenario());
    dir.write('x/b.json', wrongLog);
    dir.write('y/c.json', { ...wrongLog, pending: 'later' });
    let out = '';
    const cmd = selftestsIn(dir.path);
    const io = { stdout: (t: string) => void (out += t), stderr: () => {}, stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
    const code = await cmd.run(parseCommandLine(cmd, []), io);
    rmSync(dir.path, { recursive: true });
    expect(code).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['PASS', 'FAIL', 'PENDING', '3']);
    expect(lines.at(-1)).toBe('3 scenarios: 1 pass, 1 fail, 1 pending');
  });
});

describe('README.md', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('its example scenario passes', async () => {
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const r = await run(['scenario', '--quiet', tmp.write('readme-example.json', example!)]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it('documents every exit code main() can return', () => {
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`^\\| ${code} +\\| \\S`, 'm'));
  });
});

describe('a scenario name with a control character', () => {
  it('is shown escaped on its header line, alone and beside every semantics, so the header stays one line', async () => {
    // A newline in the name split the header in two; ESC and CR were already shown escaped (hostile-user test, 2026-12-03).
    const file = tmp.write('ctl.json', { ...basicScenario(), name: 'a\u001b[31mRED\nsecond\rX' });
    const alone = await run(['scenario', file]);
    expect(alone.stdout.split('\n')[0]).toMatch(/: a\\u001b\[31mRED\\nsecond\\rX \(semantics: upstream\)$/);
    const all = await run(['scenario', '--all-semantics', file]);
    expect(all.stdout.split('\n')[0]).toMatch(/ctl\.json: a\\u001b\[31mRED\\nsecond\\rX$/);
  });
});

describe('values from a scenario file with a control character, and --all-semantics findings', () => {
  it('shows a newline in a step value escaped, so no line, and no verdict, is forged', async () => {
    // A value "1\nPASS    fake.json" made a second verdict line that grep '^(PASS|FAIL|PENDING)' counted (hostile-user finding, 2026-12-03).
    const s = basicScenario();
    s.steps.splice(1, 0, { op: 'enable', patch: 'test_klp_livepatch', value: '1\nPASS    fake.json', expect: { result: 'ok' } });
    const forged = tmp.write('forged.json', { ...s, pending: 'reason\nPASS    forged.json' });
    for (const args of [['--quiet'], []]) {
      const r = await run(['scenario', ...args, forged]);
      expect(
        r.stdout.split('\n').filter((l) => /^(PASS|FAIL|PENDING)/.test(l)),
        args.join(' '),
      ).toEqual([expect.stringMatching(/^PENDING .*forged\.json: reason\\nPASS {4}forged\.json$/)]);
      expect(r.stdout).not.toMatch(/^PASS {4}f/m);
    }
    const full = (await run(['scenario', tmp.write('forged2.json', s)])).stdout;
    expect(full).toMatch(/^ {2}\S+ +EINVAL +% echo 1\\nPASS {4}fake\.json > \/sys\/kernel\/livepatch\/test_klp_livepatch\/enabled$/m);
    expect(full).toMatch(/^FAIL {4}.*forged2\.json: \/steps\/1\/expect\/result: % echo 1\\nPASS {4}fake\.json > /m);
    const all = (await run(['scenario', '--all-semantics', tmp.write('forged3.json', s)])).stdout;
    expect(all).not.toMatch(/^PASS/m);
    expect(all).toMatch(/% echo 1\\nPASS {4}fake\.json >/);
  });

  it('exits 1, saying why on stderr, when a semantics fails the file or breaks a property; 0 when none does', async () => {
    // It exited 0 whatever every semantics did (hostile-user finding, 2026-12-03).
    const fine = await run(['scenario', '--all-semantics', passing]);
    expect([fine.code, fine.stderr]).toEqual([0, '']);
    const wrong = await run(['scenario', '--all-semantics', failing]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      'klpcheck scenario: 20 of 20 runs fail an expectation or break a property, so exit 1 (a finding, not an error)\n',
    );
    const both = await run(['scenario', '--all-semantics', passing, 'scenarios/threads/petr-lp1-lp2-lp3.json']);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(
      /^klpcheck scenario: \d+ of 40 runs over 2 files fail an expectation or break a property, so exit 1 \(a finding, not an error\)\n$/,
    );
  });

  it('says which files a folder held that it left out, and a folder of only those says so', async () => {
    // scenarios/ skipped its 16 thread scenarios silently, and scenarios/threads/ was said to hold no *.json (hostile-user finding).
    const hint = "16 thread scenarios, which list ops: run them with 'klpcheck scenario --all-semantics'";
    const r = await run(['scenario', '--quiet', 'scenarios/']);
    expect(r.stderr).toBe(`klpcheck scenario: scenarios/: left out ${hint}\n`);
    const only = await run(['scenario', 'scenarios/threads/']);
    expect([only.code, only.stderr]).toEqual([
      2,
      `klpcheck: scenarios/threads/: no *.json scenario files below this directory (it holds ${hint}) [E_NO_FILE]\n`,
    ]);
  });
});
