/**
 * Module parameters (model/kernel/module-params.ts): insmod's "unknown
 * parameter" line and its place in the log, writes and reads of the
 * parameter files, and one list shared with the VM's C generator, whose
 * module_param lines must declare exactly what the model declares, with the
 * same sysfs modes. vm/scenarios/module-parameters.json is the same facts on
 * the real kernel (SAME on Debian 6.1, 2026-12-04).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { universeArb } from '../harness/generators.ts';
import { KlpcheckError } from '../harness/errors.ts';
import type { ModuleDef, PatchDef, Universe } from '../model/kernel/definitions.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import {
  livepatchParams,
  paramValueErrno,
  PIDS_MAX,
  splitArgs,
  targetParams,
  typeOfDefault,
  UINTS_MAX,
  type DeclaredParams,
  type ParamAccess,
} from '../model/kernel/module-params.ts';
import { kstrtoint, kstrtouint } from '../model/kernel/kstrtoint.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { runSequence } from '../harness/run-sequence.ts';
import { runStep } from '../harness/scenario/steps.ts';
import type { Op } from '../harness/ops.ts';
import { generateModuleSources, type ModuleSet } from '../vm/cgen/index.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { TempDir } from './support/cli-run.ts';
import { runScenario } from '../harness/scenario/run.ts';

const ROOT = join(import.meta.dirname, '..');
const upstream = semanticsByName('upstream')!;

const universe: Universe = {
  patches: [
    { name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }], params: { pre_patch_ret: '0' } },
    { name: 'bare_lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f2' }] }] },
    { name: 'pids_lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f3' }] }], params: { klp_pids: '' } },
    { name: 'mod_lp', objects: [{ name: 'mod', funcs: [{ old_name: 'g' }] }] },
  ],
  modules: [
    {
      name: 'mod',
      init_log: ['mod_init'],
      params: { knob: '1' },
      outputs: { g: 'g: original', show_it: 'show_it: shown' },
      param_show: { shown: 'show_it' },
    },
    { name: 'bare', init_log: ['bare_init'] },
  ],
};

function kernel(): Kernel {
  return new Kernel(universe, upstream.hooks);
}

describe('insmod with a parameter the module does not declare', () => {
  it('a livepatch: logged after the taint line and before the patch is enabled, and not kept', () => {
    const k = kernel();
    expect(k.insmod('lp', { nope: '1', pre_patch_ret: '0' })).toEqual({ ok: true });
    expect(k.log.slice(0, 3)).toEqual([
      'lp: tainting kernel with TAINT_LIVEPATCH',
      "lp: unknown parameter 'nope' ignored",
      "livepatch: enabling patch 'lp'",
    ]);
    expect([...k.core.modules.get('lp')!.params.keys()]).toEqual(['pre_patch_ret']);
  });

  it('a target module: logged after the coming notifier patched it and before its init, in the order given', () => {
    const k = kernel();
    k.insmod('mod_lp');
    while (k.core.transition) k.transitionStep();
    k.core.log.clear();
    expect(k.insmod('mod', { b: '1', knob: '2', a: '' })).toEqual({ ok: true });
    const lines = k.log;
    const applying = lines.findIndex((l) => l.includes("applying patch 'mod_lp' to loading module 'mod'"));
    expect(applying).toBeGreaterThanOrEqual(0);
    expect(lines.slice(applying + 1)).toEqual([
      "mod: unknown parameter 'b' ignored",
      "mod: unknown parameter 'a' ignored",
      'mod: mod_init',
    ]);
    expect(k.core.modules.get('mod')!.params.get('knob')).toBe('2');
  });

  it("a '-' in a given name matches a '_' of a declared one (parameq): the value is the parameter's", () => {
    const k = kernel();
    k.insmod('lp', { 'pre-patch-ret': '-19', 'no-such': '1' });
    expect(k.log).toContain("lp: unknown parameter 'no-such' ignored");
    expect(k.log.some((l) => l.includes('pre-patch-ret'))).toBe(false);
    expect(k.core.modules.get('lp')!.params.get('pre_patch_ret')).toBe('-19');
    expect(k.core.modules.get('lp')!.params.has('pre-patch-ret')).toBe(false);
  });

  it("the spec model reads an attribute parameter given with a '-' as the kernel does", () => {
    const u: Universe = {
      patches: [
        { name: 'p1', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }] },
        {
          name: 'p2',
          objects: [{ name: 'vmlinux', funcs: [{ old_name: 'g' }] }],
          attrs: { replace: false },
          attr_params: { replace_all: 'replace' },
        },
      ],
      modules: [],
    };
    const ops: Op[] = [
      { op: 'insmod', module: 'p1' },
      { op: 'transition_step' },
      { op: 'insmod', module: 'p2', params: { 'replace-all': '1' } },
      { op: 'transition_step' },
    ];
    const r = runSequence(u, upstream, ops, { invariants: [], conformance: true });
    expect(r.violation).toBeNull();
    expect(r.steps.at(-1)!.state.patches.map((p) => [p.name, p.status])).toEqual([
      ['p1', 'freed'],
      ['p2', 'enabled'],
    ]);
  });

  it('async_probe and dyndbg are the module core’s own: no line', () => {
    const k = kernel();
    k.insmod('bare', { async_probe: '1', dyndbg: '+p' });
    expect(k.log).toEqual(['bare: bare_init']);
  });

  it('no line when the coming notifier refuses the module (parse_args is never reached)', () => {
    const file = join(ROOT, 'scenarios/selftests/test-callbacks.module-coming-pre-patch-callback-enodev.json');
    const u = (JSON.parse(readFileSync(file, 'utf8')) as { universe: Universe }).universe;
    const k = new Kernel(u, upstream.hooks);
    k.insmod('test_klp_callbacks_demo');
    while (k.core.transition) k.transitionStep();
    expect(k.writeParam('test_klp_callbacks_demo', 'pre_patch_ret', '-19')).toEqual({ ok: true });
    k.core.log.clear();
    expect(k.insmod('test_klp_callbacks_mod', { nope: '1' })).toMatchObject({ ok: false, errno: 'ENODEV' });
    expect(k.log.some((l) => l.includes('unknown parameter'))).toBe(false);
  });
});

describe('the parameter files', () => {
  const loaded = () => {
    const k = kernel();
    for (const m of ['lp', 'bare_lp', 'pids_lp', 'mod', 'bare']) k.insmod(m);
    return k;
  };

  it('a declared 0644 parameter is written and kept', () => {
    const k = loaded();
    expect(k.writeParam('lp', 'pre_patch_ret', '-19')).toEqual({ ok: true });
    expect(k.core.modules.get('lp')!.params.get('pre_patch_ret')).toBe('-19');
    expect(k.writeParam('mod', 'knob', '2')).toEqual({ ok: true });
    expect(k.core.modules.get('mod')!.params.get('knob')).toBe('2');
  });

  it('each kind of module by its own list: a livepatch’s attribute parameter, a target’s busy-work flag', () => {
    const u: Universe = {
      patches: [
        {
          name: 'p',
          objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }],
          attrs: { replace: false },
          attr_params: { replace: 'replace' },
        },
      ],
      modules: [{ name: 'busy', busy_work: { func: 'w', param: 'block', enter_log: [], exit_log: [] }, outputs: { w: 'w' } }],
    };
    const k = new Kernel(u, upstream.hooks);
    k.insmod('p');
    k.insmod('busy');
    expect(k.writeParam('p', 'replace', '1')).toEqual({ ok: true });
    expect(k.writeParam('busy', 'block', '1')).toEqual({ ok: true });
    expect(k.readParam('busy', 'block')).toEqual({ ok: true });
    expect(k.readParam('p', 'replace')).toEqual({ ok: true });
  });

  it('clearing a busy module’s blocking flag wakes its work; setting it, or writing another parameter, does not', () => {
    const file = join(ROOT, 'scenarios/selftests/test-callbacks.module-coming-pre-patch-callback-enodev.json');
    const u = (JSON.parse(readFileSync(file, 'utf8')) as { universe: Universe }).universe;
    const busy: Universe = { ...u, modules: u.modules.map((m) => (m.busy_work ? { ...m, params: { ...m.params, other: '0' } } : m)) };
    const k = new Kernel(busy, upstream.hooks);
    k.insmod('test_klp_callbacks_busy', { block_transition: 'Y' });
    k.core.log.clear();
    expect(k.writeParam('test_klp_callbacks_busy', 'block_transition', 'Y')).toEqual({ ok: true });
    expect(k.writeParam('test_klp_callbacks_busy', 'other', '0')).toEqual({ ok: true });
    expect(k.log).toEqual([]);
    expect(k.writeParam('test_klp_callbacks_busy', 'block_transition', 'N')).toEqual({ ok: true });
    expect(k.log).toEqual(['test_klp_callbacks_busy: busymod_work_func exit']);
  });

  it.each([
    ['lp', 'nope', 'EACCES', 'a missing file in an existing parameters folder'],
    ['mod', 'shown', 'EACCES', 'a read-only (0444) file'],
    ['bare_lp', 'zzz', 'ENOENT', 'no parameters folder at all'],
    ['pids_lp', 'klp_pids', 'ENOENT', 'a mode-0 parameter, the only one: no folder'],
    ['bare', 'q', 'ENOENT', 'a target module without parameters'],
    ['absent', 'x', 'ENOENT', 'a module that is not loaded'],
  ])('writing %s/%s fails with %s: %s', (mod, param, errno) => {
    const k = loaded();
    const before = k.core.modules.get(mod)?.params;
    expect(k.writeParam(mod, param, '1')).toMatchObject({ ok: false, errno });
    expect(k.core.modules.get(mod)?.params).toBe(before);
  });

  it('a mode-0 parameter beside a 0644 one: its missing file is EACCES', () => {
    const u: Universe = {
      patches: [{ name: 'p', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }], params: { klp_pids: '', other: '0' } }],
      modules: [],
    };
    const k = new Kernel(u, upstream.hooks);
    k.insmod('p');
    expect(k.writeParam('p', 'klp_pids', '1')).toMatchObject({ ok: false, errno: 'EACCES' });
  });

  it('reads: a declared file is read (a shown one calls its function), a missing one is ENOENT', () => {
    const k = loaded();
    k.core.log.clear();
    expect(k.readParam('mod', 'shown')).toEqual({ ok: true });
    expect(k.log).toEqual(['mod: show_it: shown']);
    expect(k.readParam('mod', 'knob')).toEqual({ ok: true });
    expect(k.log).toEqual(['mod: show_it: shown']);
    expect(k.readParam('mod', 'nope')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(k.readParam('pids_lp', 'klp_pids')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(k.readParam('absent', 'knob')).toMatchObject({ ok: false, errno: 'ENOENT' });
  });
});

describe('values a parameter refuses (kernel/params.c set operations)', () => {
  it.each([
    ['0', 0],
    ['-19', -19],
    ['+5', 5],
    ['0x10', 16],
    ['0X1f', 31],
    ['0xa', 10],
    ['0xAF', 175],
    ['010', 8],
    ['7\n', 7],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
    ['abc', 'EINVAL'],
    ['', 'EINVAL'],
    ['08', 'EINVAL'],
    ['0x', 'EINVAL'],
    ['1 ', 'EINVAL'],
    ['--1', 'EINVAL'],
    ['+-1', 'EINVAL'],
    ['-', 'EINVAL'],
    ['7\n\n', 'EINVAL'],
    ['2147483648', 'ERANGE'],
    ['-2147483649', 'ERANGE'],
    ['4294967296', 'ERANGE'],
    ['99999999999999999999', 'ERANGE'],
    ['99999999999999999999x', 'ERANGE'],
  ])('kstrtoint(%j) is %j', (text, want) => {
    expect(kstrtoint(text)).toBe(want);
  });

  it.each([
    ['4', 4],
    ['+4', 4],
    ['0x4', 4],
    ['010', 8],
    ['4\n', 4],
    ['4294967295', 4294967295],
    ['-1', 'EINVAL'],
    ['-0', 'EINVAL'],
    ['4e0', 'EINVAL'],
    ['4.0', 'EINVAL'],
    ['', 'EINVAL'],
    ['abc', 'EINVAL'],
    ['4294967296', 'ERANGE'],
  ])('kstrtouint(%j) is %j', (text, want) => {
    expect(kstrtouint(text)).toBe(want);
  });

  it('a list of uints takes what kstrtouint takes of each element, up to UINTS_MAX of them (helper-131, stop 72)', () => {
    // A proposal's list attribute: `abc` became NaN and `3,,4` slot 0 when its parameter was a string Number() read.
    expect(paramValueErrno('uints', '1,2')).toBeNull();
    expect(paramValueErrno('uints', '0x4')).toBeNull();
    for (const bad of ['abc', '3,,4', '', '1,-2', '4e0', '1,2,']) expect(paramValueErrno('uints', bad), bad).toBe('EINVAL');
    expect(paramValueErrno('uints', '1,4294967296')).toBe('ERANGE');
    expect(paramValueErrno('uints', Array(UINTS_MAX).fill('1').join(','))).toBeNull();
    expect(
      paramValueErrno(
        'uints',
        Array(UINTS_MAX + 1)
          .fill('1')
          .join(','),
      ),
    ).toBe('EINVAL');
  });

  it('a list attribute parameter is refused as param_array refuses it, quoting its first element, on both sides, and read as the kernel reads it', () => {
    const u: Universe = {
      patches: [
        { name: 'p1', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }], attrs: { slot: 8 } },
        {
          name: 'p2',
          objects: [{ name: 'vmlinux', funcs: [{ old_name: 'g' }] }],
          attrs: { slot: 1 },
          attr_params: { add_merge_slots: 'add_merge_slots' },
        },
      ],
      modules: [],
    };
    const sem = semanticsByName('slots')!;
    const k = new Kernel(u, sem.hooks);
    expect(k.insmod('p2', { add_merge_slots: '3,abc' })).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(k.log.at(-1)).toBe("p2: `3' invalid for parameter `add_merge_slots'");
    // 010 is slot 8, as the kernel reads it (Number() read 10): p2 takes over p1's slot and replaces it.
    const ops: Op[] = [
      { op: 'insmod', module: 'p1' },
      { op: 'insmod', module: 'p2', params: { add_merge_slots: '4e0' } },
      { op: 'insmod', module: 'p2', params: { add_merge_slots: '010' } },
    ];
    const r = runSequence(u, sem, ops, { invariants: [], conformance: true });
    expect(r.violation).toBeNull();
    expect(r.steps.map((x) => x.outcome)).toEqual(['ok', 'EINVAL', 'ok']);
    expect(r.steps.at(-1)!.state.patches.map((p) => [p.name, p.status])).toEqual([
      ['p1', 'freed'],
      ['p2', 'enabled'],
    ]);
  });

  it('a bool takes what kstrtobool takes, a string up to 1024 bytes, a getter-only parameter nothing, a PID list anything', () => {
    expect(paramValueErrno('bool', 'on')).toBeNull();
    expect(paramValueErrno('bool', 'maybe')).toBe('EINVAL');
    expect(paramValueErrno('charp', 'x'.repeat(1024))).toBeNull();
    expect(paramValueErrno('charp', 'x'.repeat(1025))).toBe('ENOSPC');
    expect(paramValueErrno('charp', 'é'.repeat(513))).toBe('ENOSPC');
    expect(paramValueErrno('show', '1')).toBe('EINVAL');
    expect(paramValueErrno('pids', 'task0,task1')).toBeNull();
    expect(paramValueErrno('int', '12')).toBeNull();
  });

  it('a livepatch load goes on past a refused value, logs each line in order, and fails with the last refusal', () => {
    const u: Universe = {
      patches: [{ name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }], params: { n: '1', s: 'x' } }],
      modules: [],
    };
    const k = new Kernel(u, upstream.hooks);
    expect(k.insmod('lp', { n: 'abc', zz: '1', s: 'y'.repeat(1025), m: '2' })).toMatchObject({ ok: false, errno: 'ENOSPC' });
    expect(k.log).toEqual([
      'lp: tainting kernel with TAINT_LIVEPATCH',
      "lp: `abc' invalid for parameter `n'",
      "lp: unknown parameter 'zz' ignored",
      's: string parameter too long',
      `lp: \`${'y'.repeat(1025)}' too large for parameter \`s'`,
      "lp: unknown parameter 'm' ignored",
    ]);
    expect(k.core.modules.has('lp')).toBe(false);
    expect(k.core.klp_patches).toEqual([]);
    k.core.log.clear();
    expect(k.insmod('lp', { n: '99999999999' })).toMatchObject({ ok: false, errno: 'ERANGE' });
    // The taint line is once per boot.
    expect(k.log).toEqual(["lp: `99999999999' invalid for parameter `n'"]);
  });

  it('pre_patch_ret is an int whatever its default looks like, read as kstrtoint reads it (-0x13 and -023 are -ENODEV)', () => {
    const def: PatchDef = { name: 'p', objects: [], params: { pre_patch_ret: '1234567890' } };
    expect(livepatchParams(def).get('pre_patch_ret')).toEqual({ access: 'rw', type: 'int' });
    for (const value of ['-0x13', '-023', '-19']) {
      const u: Universe = {
        patches: [
          { name: 'cb', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }], callbacks: 'demo' }], params: { pre_patch_ret: '0' } },
        ],
        modules: [],
      };
      const k = new Kernel(u, upstream.hooks);
      expect(k.insmod('cb', { pre_patch_ret: value }), value).toMatchObject({ ok: false, errno: 'ENODEV' });
    }
  });

  it('an unreadable pre_patch_ret default is 0, as the C initialiser makes it: the patch enables', () => {
    const u: Universe = {
      patches: [
        { name: 'cb', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }], callbacks: 'demo' }], params: { pre_patch_ret: 'abc' } },
      ],
      modules: [],
    };
    const k = new Kernel(u, upstream.hooks);
    expect(k.insmod('cb')).toEqual({ ok: true });
  });

  it('the C generator initialises an int default as kstrtoint reads it', async () => {
    const { paramDecl } = await import('../vm/cgen/params.ts');
    const declared = new Map([['n', { access: 'rw', type: 'int' }]] as const);
    expect(paramDecl(declared, 'n', '-0x13').init).toBe('-19');
    expect(paramDecl(declared, 'n', '010').init).toBe('8');
    expect(paramDecl(declared, 'n', 'abc').init).toBe('0');
    expect(paramDecl(declared, 'n', 7).init).toBe('7');
  });

  it('the C generator declares a list attribute as an array of uints, its default as kstrtouint reads each element', async () => {
    const { paramDecl, paramLines } = await import('../vm/cgen/params.ts');
    const declared = new Map([['s', { access: 'rw', type: 'uints' }]] as const);
    expect(paramLines([paramDecl(declared, 's', '1,0x10,010')])).toBe(
      `static unsigned int param_s[${UINTS_MAX}] = { 1, 16, 8 };\nstatic unsigned int param_s_n = 3;\n` +
        'module_param_array_named(s, param_s, uint, &param_s_n, 0644);\n',
    );
    expect(paramLines([paramDecl(declared, 's', undefined)])).toBe(
      `static unsigned int param_s[${UINTS_MAX}] = { 0 };\nstatic unsigned int param_s_n = 0;\n` +
        'module_param_array_named(s, param_s, uint, &param_s_n, 0644);\n',
    );
  });

  it("an unknown dotted name is logged cut at its first '.' (the dynamic debug core writes a NUL there)", () => {
    const k = kernel();
    k.insmod('bare', { 'a.b.dyndbg': '+p', 'x.y': '1' });
    expect(k.log).toEqual(["bare: unknown parameter 'a' ignored", "bare: unknown parameter 'x' ignored", 'bare: bare_init']);
  });

  it('a scenario’s set_param writes what echo writes, its newline included, and a string counts it', () => {
    const k = kernel();
    k.insmod('mod');
    runStep(k, { op: 'set_param', module: 'mod', param: 'knob', value: '0x10' });
    expect(k.core.modules.get('mod')!.params.get('knob')).toBe('0x10\n');
    const u: Universe = { patches: [], modules: [{ name: 's', params: { s: 'x' } }] };
    const k2 = new Kernel(u, upstream.hooks);
    k2.insmod('s');
    expect(k2.writeParam('s', 's', `${'x'.repeat(1023)}\n`)).toEqual({ ok: true });
    expect(k2.writeParam('s', 's', `${'x'.repeat(1024)}\n`)).toMatchObject({ ok: false, errno: 'ENOSPC' });
  });

  it('a module without MODULE_INFO(livepatch) taints nothing', () => {
    const u: Universe = {
      patches: [{ name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }], livepatch_modinfo: false }],
      modules: [],
    };
    const k = new Kernel(u, upstream.hooks);
    k.insmod('lp');
    expect(k.log.some((l) => l.includes('taint'))).toBe(false);
  });

  it('a target refused at parse_args: its coming notifier patched it, so its going notifier reverts, and it is not loaded', () => {
    const k = kernel();
    k.insmod('mod_lp');
    while (k.core.transition) k.transitionStep();
    k.core.log.clear();
    expect(k.insmod('mod', { knob: 'x' })).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(k.log).toEqual([
      "livepatch: applying patch 'mod_lp' to loading module 'mod'",
      "mod: `x' invalid for parameter `knob'",
      "livepatch: reverting patch 'mod_lp' on unloading module 'mod'",
    ]);
    expect(k.core.modules.has('mod')).toBe(false);
    expect(k.insmod('mod', { knob: '5' })).toEqual({ ok: true });
  });

  it('a write the parameter refuses fails with its errno and keeps the value', () => {
    const k = kernel();
    k.insmod('mod');
    for (const [value, errno] of [
      ['zzz', 'EINVAL'],
      ['4294967296', 'ERANGE'],
    ] as const) {
      expect(k.writeParam('mod', 'knob', value)).toMatchObject({ ok: false, errno });
      expect(k.core.modules.get('mod')!.params.get('knob')).toBe('1');
    }
  });

  it('the spec model refuses the same loads, so a random run conforms', () => {
    const u: Universe = {
      patches: [
        {
          name: 'p',
          objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }],
          attrs: { replace_set: 1 },
          attr_params: { set: 'replace_set' },
        },
      ],
      modules: [{ name: 'm', params: { level: '3' } }],
    };
    const sem = semanticsByName('replace-set')!;
    const ops: Op[] = [
      { op: 'insmod', module: 'm', params: { level: 'abc' } },
      { op: 'insmod', module: 'p', params: { set: 'two' } },
      { op: 'insmod', module: 'p', params: { set: '2' } },
    ];
    ops.push(
      { op: 'insmod', module: 'm', params: { level: '0x10' } },
      { op: 'insmod', module: 'm' },
      { op: 'insmod', module: 'nowhere' },
      { op: 'insmod', module: 'p' },
    );
    const r = runSequence(u, sem, ops, { invariants: [], conformance: true });
    expect(r.violation).toBeNull();
    expect(r.steps.map((x) => x.outcome)).toEqual(['EINVAL', 'EINVAL', 'ok', 'ok', 'EEXIST', 'ENOENT', 'EEXIST']);
  });
});

describe('what a module declares', () => {
  it.each([
    ['-19', 'int'],
    ['0', 'int'],
    ['123456789', 'int'],
    ['1234567890', 'charp'],
    ['x12', 'charp'],
    ['12x', 'charp'],
    ['n', 'charp'],
    ['', 'charp'],
  ])('a default of %j makes a %s parameter', (value, type) => {
    expect(typeOfDefault(value)).toBe(type);
  });

  it("an attribute parameter has the attribute's type: a u32 replace tag is an int, a name also given a default keeps it", () => {
    const def: PatchDef = {
      name: 'p',
      objects: [],
      attrs: { replace: 3 },
      attr_params: { replace: 'replace', set: 'replace_set', sets: 'replace_sets', r: 'replaceable' },
      params: { replace: 'abc', set: 'x' },
    };
    expect(Object.fromEntries(livepatchParams(def))).toEqual({
      replace: { access: 'rw', type: 'int' },
      set: { access: 'rw', type: 'int' },
      sets: { access: 'rw', type: 'uints' },
      r: { access: 'rw', type: 'bool' },
    });
  });

  it('a livepatch: attribute parameters, parameters with defaults (klp_pids without a file) and its states’ parameters', () => {
    const def: PatchDef = {
      name: 'p',
      objects: [],
      attr_params: { replace: 'replace' },
      params: { pre_patch_ret: '0', klp_pids: '' },
      states: [{ id: 1, version: 1, if_param: 'applause', unless_param: 'no_state', block_disable_param: 'bd' }],
    };
    expect(Object.fromEntries(livepatchParams(def))).toEqual({
      replace: { access: 'rw', type: 'bool' },
      pre_patch_ret: { access: 'rw', type: 'int' },
      klp_pids: { access: 'none', type: 'pids' },
      applause: { access: 'rw', type: 'bool' },
      no_state: { access: 'rw', type: 'bool' },
      bd: { access: 'rw', type: 'bool' },
    });
  });

  it('a target module: parameters with defaults, the busy work’s flag, the kprobe’s switch, and read-only shown ones', () => {
    const def: ModuleDef = {
      name: 'm',
      params: { knob: '1' },
      busy_work: { func: 'w', param: 'block', enter_log: [], exit_log: [] },
      kprobe: { func: 'vmlinux:f', post_handler_param: 'post' },
      outputs: { s: 's' },
      param_show: { welcome: 's' },
    };
    expect(Object.fromEntries(targetParams(def))).toEqual({
      knob: { access: 'rw', type: 'int' },
      block: { access: 'rw', type: 'bool' },
      post: { access: 'rw', type: 'bool' },
      welcome: { access: 'ro', type: 'show' },
    });
  });
});

/** The mode of each sysfs access in the C: 0644, 0444, 0. */
const MODE: Readonly<Record<ParamAccess, string>> = { rw: '0644', ro: '0444', none: '0' };

/** module_param_named(NAME, var, type, MODE), module_param_cb(NAME, &ops, NULL, MODE), module_param_array_named(NAME, var, type, &n, MODE). */
function cParams(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/module_param(?:_named|_cb|_array_named)\(([^,]+),[^;]*,\s*([0-7]+)\);/g)) out[m[1]!.trim()] = m[2]!;
  return out;
}

/** For every livepatch and target module of the set: the parameters its C declares, and those the model declares. */
function sides(u: Universe, set: ModuleSet): { module: string; c: Record<string, string>; model: Record<string, string> }[] {
  const out = [];
  for (const m of set.modules) {
    const def =
      m.kind === 'livepatch'
        ? u.patches.find((p) => p.name === m.name)
        : m.kind === 'target'
          ? u.modules.find((x) => x.name === m.name)
          : undefined;
    if (!def) continue;
    const declared = m.kind === 'livepatch' ? livepatchParams(def as PatchDef) : targetParams(def as ModuleDef);
    const source = set.files[`${m.name}.c`] ?? set.files[`${m.name}-main.c`];
    expect(source, `${m.name}'s C file`).toBeDefined();
    out.push({
      module: m.name,
      c: cParams(source!),
      model: Object.fromEntries([...declared].map(([name, spec]) => [name, MODE[spec.access]])),
    });
  }
  return out;
}

function scenarioFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.outcomes.json'))
    .map((f) => join(dir, f));
}

describe('the C generator declares what the model declares', () => {
  const files = ['scenarios/selftests', 'scenarios/per-state', 'scenarios/threads', 'vm/scenarios'].flatMap(scenarioFiles);

  it('in every scenario universe the generator accepts, module by module, with the same modes', () => {
    let compared = 0;
    let withParams = 0;
    for (const file of files) {
      const u = (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { universe: Universe }).universe;
      let set: ModuleSet;
      try {
        set = generateModuleSources(u, '6.1');
      } catch (e) {
        // Per-state universes the upstream kernel cannot express are refused with a reason (cgen.test.ts).
        if (e instanceof KlpcheckError) continue;
        throw e;
      }
      for (const s of sides(u, set)) {
        expect(s.c, `${file}: ${s.module}`).toEqual(s.model);
        compared++;
        if (Object.keys(s.model).length) withParams++;
      }
    }
    // The comparison reached modules with parameters of every kind the selftests use (replace, pre_patch_ret, klp_pids, block flags).
    expect(compared).toBeGreaterThan(40);
    expect(withParams).toBeGreaterThan(10);
  });

  it.each(['upstream', 'slots', 'provides-obsoletes'])('in generated universes of %s (the random runs’ attribute parameters)', (name) => {
    let withParams = 0;
    for (const u of fc.sample(universeArb(semanticsByName(name)!), { numRuns: 40, seed: 7 })) {
      // x86-64 always has reliable stack traces: the generator refuses a universe without them (cgen.test.ts).
      if (u.kernel?.reliable_stacktrace === false) continue;
      for (const s of sides(u, generateModuleSources(u, '6.1'))) {
        expect(s.c).toEqual(s.model);
        if (Object.keys(s.model).length) withParams++;
      }
    }
    // Upstream's generated patches take no parameters; the two others' take add_merge_slots= and also_obsoletes=.
    if (name === 'upstream') expect(withParams).toBe(0);
    else expect(withParams).toBeGreaterThan(20);
  });

  it("klp_pids without test_klp_syscall's getpid replacement is refused, with the place", () => {
    const u: Universe = {
      patches: [{ name: 'p', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }], params: { klp_pids: '' } }],
      modules: [],
    };
    expect(() => generateModuleSources(u, '6.1')).toThrow(
      expect.objectContaining({ code: 'E_INEXPRESSIBLE', where: '/patches/0/params/klp_pids' }),
    );
  });

  it('a parameter the model does not declare, or not as a plain bool, int or string, stops the generator', async () => {
    const { paramDecl } = await import('../vm/cgen/params.ts');
    expect(() => paramDecl(new Map(), 'x', '1')).toThrow(/cgen declares parameter x, which the model's module declares not at all/);
    expect(() => paramDecl(new Map([['x', { access: 'none', type: 'pids' }]]), 'x', '')).toThrow(/declares as pids/);
  });
});

describe("a scenario's pre_patch_ret, as the kernel takes it", () => {
  const scenario = (steps: unknown[]) => ({
    name: 'pre_patch_ret',
    source: 'test/module-params.test.ts',
    universe: {
      patches: [
        { name: 'cb', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }], callbacks: 'demo' }], params: { pre_patch_ret: '0' } },
      ],
      modules: [{ name: 'm' }],
    },
    steps,
    expect_log: [],
  });
  const load = (steps: unknown[]) => {
    const dir = new TempDir();
    const file = dir.write('s.json', scenario(steps));
    return () => loadScenario(file);
  };

  it('only the last of two spellings counts (parse_args keeps the last value)', () => {
    expect(
      load([
        { op: 'load_failing_mod', module: 'cb', params: { pre_patch_ret: '5', 'pre-patch-ret': '-19' }, expect: { result: 'ENODEV' } },
      ]),
    ).not.toThrow();
    expect(load([{ op: 'load_lp', module: 'cb', params: { 'pre-patch-ret': '-19', pre_patch_ret: '5' } }])).toThrow(
      expect.objectContaining({ code: 'E_INEXPRESSIBLE', where: '/steps/0/params/pre_patch_ret' }),
    );
  });

  it('a module that does not declare it is not checked: insmod ignores the name, a write finds no file', () => {
    expect(load([{ op: 'load_mod', module: 'm', params: { pre_patch_ret: '7' } }])).not.toThrow();
    expect(
      load([
        { op: 'load_mod', module: 'm' },
        { op: 'set_param', module: 'm', param: 'pre_patch_ret', value: '7', expect: { result: 'ENOENT' } },
      ]),
    ).not.toThrow();
    expect(
      load([
        { op: 'load_lp', module: 'cb' },
        { op: 'set_param', module: 'cb', param: 'pre_patch_ret', value: '7' },
      ]),
    ).toThrow(expect.objectContaining({ code: 'E_INEXPRESSIBLE', where: '/steps/1/value' }));
  });

  it('a command line of 900 bytes is taken, one of 901 refused (the VM logs it; both kernels showed 900 whole)', () => {
    const line = (n: number) => [{ op: 'load_mod', module: 'm', params: { s: 'a'.repeat(n - '% insmod test_modules/m.ko s='.length) } }];
    expect(load(line(900))).not.toThrow();
    expect(load(line(901))).toThrow(expect.objectContaining({ code: 'E_SCHEMA', where: '/steps/0' }));
  });
});

describe('on the real kernel', () => {
  it('vm/scenarios/module-parameters.json passes on the reference implementation', () => {
    const file = join(ROOT, 'vm/scenarios/module-parameters.json');
    const result = runScenario(loadScenario(file), file);
    expect(result.failures).toEqual([]);
    expect(result.verdict).toBe('pass');
  });
});

describe('klp_pids, a PID list (param_array of ints)', () => {
  it('refuses an empty entry and one past the array alone: other parameters take commas and empty values', () => {
    expect(paramValueErrno('pids', '')).toBe('EINVAL');
    expect(paramValueErrno('pids', 'a,,b')).toBe('EINVAL');
    expect(paramValueErrno('pids', 'a,b')).toBeNull();
    expect(paramValueErrno('pids', Array.from({ length: PIDS_MAX + 1 }, () => 'a').join(','))).toBe('EINVAL');
    // A charp keeps its commas and may be empty: param_array's rules are klp_pids' alone.
    const charp: DeclaredParams = new Map([['words', { access: 'rw', type: 'charp' }]]);
    for (const value of ['', 'a,,b', ','])
      expect(splitArgs('m', charp, { words: value })).toEqual({ own: { words: value }, lines: [], errno: null });
    const pids: DeclaredParams = new Map([['klp_pids', { access: 'none', type: 'pids' }]]);
    expect(splitArgs('m', pids, { klp_pids: 'a,,b' })).toEqual({
      own: {},
      lines: ["m: `a' invalid for parameter `klp_pids'"],
      errno: 'EINVAL',
    });
  });
});
