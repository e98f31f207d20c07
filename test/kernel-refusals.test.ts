/**
 * Every refusal path of facts section D that the reference implementation
 * covers: the errno and the exact kernel log lines, one case each. Unless a
 * case says otherwise it runs under upstream semantics.
 */
import { describe, expect, it } from 'vitest';
import type { ModuleDef, PatchDef, Universe } from '../model/kernel/definitions.ts';
import { fail, OK } from '../model/kernel/errno.ts';
import type { ReplaceHooks } from '../model/kernel/hooks.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { writeEnabled } from '../model/kernel/sysfs.ts';
import { perState } from '../model/semantics/per-state.ts';
import { upstream } from '../model/semantics/upstream.ts';

const LP = 'lp';
const patch = (name: string, extra: Partial<PatchDef> = {}): PatchDef => ({
  name,
  objects: [{ name: 'vmlinux', funcs: [{ old_name: `${name}_func` }] }],
  ...extra,
});

/** dmesg without the module loader's taint notice (check_result drops it too). */
const dmesg = (lines: readonly string[]) => lines.filter((l) => !/tainting kernel/.test(l));

function boot(patches: PatchDef[], modules: ModuleDef[] = [], kernel: Universe['kernel'] = {}, hooks: ReplaceHooks = upstream.hooks) {
  const k = new Kernel({ kernel, patches, modules }, hooks);
  const mark = () => k.log.length;
  const since = (m: number) => dmesg(k.log.slice(m));
  return { k, mark, since, log: () => dmesg(k.log) };
}

/** A patch whose transition cannot finish: task0 sleeps in the function it replaces. */
function stuck(k: Kernel, name: string): void {
  expect(k.blockTask('task0', `vmlinux:${name}_func,0`)).toBe(true);
  expect(k.insmod(name)).toEqual(OK);
  expect(k.core.transition?.name).toBe(name);
}

describe('klp_enable_patch refusals (facts B.1, D)', () => {
  it('patch->objs == NULL: -EINVAL, nothing logged', () => {
    const { k, log } = boot([{ name: LP, objects: null }]);
    expect(k.insmod(LP)).toEqual(fail('EINVAL'));
    expect(log()).toEqual([]);
    expect(k.core.modules.has(LP)).toBe(false);
  });

  it('an object with funcs == NULL: -EINVAL, nothing logged', () => {
    const { k, log } = boot([{ name: LP, objects: [{ name: 'vmlinux', funcs: [] }, { name: 'mod', funcs: null }] }]);
    expect(k.insmod(LP)).toEqual(fail('EINVAL'));
    expect(log()).toEqual([]);
  });

  it('no MODULE_INFO(livepatch, "Y"): -EINVAL with its message', () => {
    const { k, log } = boot([patch(LP, { livepatch_modinfo: false })]);
    expect(k.insmod(LP)).toEqual(fail('EINVAL'));
    expect(log()).toEqual([`livepatch: module ${LP} is not marked as a livepatch module`]);
  });

  it('livepatch not initialised: -ENODEV, nothing logged', () => {
    const { k, log } = boot([patch(LP)], [], { livepatch_initialized: false });
    expect(k.insmod(LP)).toEqual(fail('ENODEV'));
    expect(log()).toEqual([]);
  });

  it('no reliable stacktrace: two warnings, and the load goes on', () => {
    const { k, log } = boot([patch(LP)], [], { reliable_stacktrace: false });
    expect(k.insmod(LP)).toEqual(OK);
    expect(log().slice(0, 2)).toEqual([
      "livepatch: This architecture doesn't have support for the livepatch consistency model.",
      'livepatch: The livepatch transition may never complete.',
    ]);
    expect(log()[2]).toBe(`livepatch: enabling patch '${LP}'`);
  });

  it('state versions (facts C.2): a replace patch that lowers or drops a state is not compatible', () => {
    const v2 = patch('v2', { states: [{ id: 1, version: 2 }], attrs: { replace: true } });
    const v1 = patch('v1', { states: [{ id: 1, version: 1 }], attrs: { replace: true } });
    const none = patch('none', { attrs: { replace: true } });
    const { k, mark, since } = boot([v2, v1, none]);
    expect(k.insmod('v2')).toEqual(OK);
    for (const name of ['v1', 'none']) {
      const m = mark();
      expect(k.insmod(name)).toEqual(fail('EINVAL'));
      expect(since(m)).toEqual([`livepatch: Livepatch patch (${name}) is not compatible with the already installed livepatches.`]);
    }
  });

  it('block_disable (facts C.4, per-state): a replace patch may not drop a block_disable state', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }], attrs: { replace: true } });
    const dropper = patch('dropper', { attrs: { replace: true } });
    const { k, mark, since } = boot([keeper, dropper], [], {}, perState.hooks);
    expect(k.insmod('keeper')).toEqual(OK);
    const m = mark();
    expect(k.insmod('dropper')).toEqual(fail('EINVAL'));
    expect(since(m)).toEqual(['livepatch: Livepatch patch (dropper) is not compatible with the already installed livepatches.']);
  });

  it('-EBUSY while another patch is in transition: no "enabling patch" line, the new patch is freed again', () => {
    const { k, mark, since } = boot([patch('a'), patch('b')]);
    stuck(k, 'a');
    const m = mark();
    expect(k.insmod('b')).toEqual(fail('EBUSY'));
    expect(since(m).filter((l) => l.startsWith('livepatch:'))).toEqual([]);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['a']);
    expect(k.sysfsPatches()).toEqual(['a']);
  });

  it.each([
    ['a NULL old_name', { old_name: null }],
    ['a NULL new_func', { old_name: 'f', new_func: false }],
    ['an old_name of KSYM_NAME_LEN characters', { old_name: 'f'.repeat(512) }],
  ])('a func with %s: -EINVAL, nothing after "enabling" is tried', (_what, func) => {
    const { k, log } = boot([{ name: LP, objects: [{ name: 'vmlinux', funcs: [func] }] }]);
    expect(k.insmod(LP)).toEqual(fail('EINVAL'));
    expect(log()).toEqual([]);
    expect(k.core.klp_patches).toEqual([]);
  });

  it('an object name of MODULE_NAME_LEN characters: -EINVAL, nothing logged', () => {
    const { k, log } = boot([{ name: LP, objects: [{ name: 'm'.repeat(56), funcs: [{ old_name: 'f' }] }] }]);
    expect(k.insmod(LP)).toEqual(fail('EINVAL'));
    expect(log()).toEqual([]);
  });

  it.each([
    ['missing', { f: 0 }, 0, "livepatch: symbol 'f' not found in symbol table"],
    ['ambiguous with sympos 0', { f: 2 }, 0, "livepatch: unresolvable ambiguity for symbol 'f' in object 'vmlinux'"],
    ['sympos out of range', { f: 2 }, 3, "livepatch: symbol position 3 for symbol 'f' in object 'vmlinux' not found"],
  ])('symbol %s: -EINVAL with its kallsyms message', (_what, symbols, sympos, line) => {
    const { k, log } = boot([{ name: LP, objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f', old_sympos: sympos }] }] }], [], { vmlinux_symbols: symbols });
    expect(k.insmod(LP)).toEqual(fail('EINVAL'));
    expect(log()).toEqual([line]);
  });

  it('sympos within range resolves: the N-th of several occurrences is accepted', () => {
    const { k, log } = boot([{ name: LP, objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f', old_sympos: 2 }] }] }], [], { vmlinux_symbols: { f: 2 } });
    expect(k.insmod(LP)).toEqual(OK);
  });

  it('ftrace register failure (an IPMODIFY kprobe): -EBUSY, then patch-object, enable and cancel lines', () => {
    const { k, log } = boot([patch(LP)]);
    expect(k.registerKprobe(`vmlinux:${LP}_func,0`, true)).toEqual(OK);
    expect(k.insmod(LP)).toEqual(fail('EBUSY'));
    expect(k.log.filter((l) => l.startsWith('livepatch:'))).toEqual([
      `livepatch: enabling patch '${LP}'`,
      `livepatch: '${LP}': initializing patching transition`,
      `livepatch: failed to register ftrace handler for function '${LP}_func' (-16)`,
      "livepatch: failed to patch object 'vmlinux'",
      `livepatch: failed to enable patch '${LP}'`,
      `livepatch: '${LP}': canceling patching transition, going to unpatch`,
      `livepatch: '${LP}': completing unpatching transition`,
      `livepatch: '${LP}': unpatching complete`,
    ]);
    expect(k.core.funcStacks.size).toBe(0);
  });

  it('pre_patch failing at enable: its rc, no "starting" line and no post_unpatch for that object', () => {
    const demo = { name: LP, objects: [{ name: 'vmlinux', funcs: [], callbacks: 'demo' as const }], params: { pre_patch_ret: '-19' } };
    const { k, log } = boot([demo]);
    expect(k.insmod(LP)).toEqual(fail('ENODEV'));
    expect(log()).toEqual([
      `livepatch: enabling patch '${LP}'`,
      `livepatch: '${LP}': initializing patching transition`,
      `${LP}: pre_patch_callback: vmlinux`,
      "livepatch: pre-patch callback failed for object 'vmlinux'",
      `livepatch: failed to enable patch '${LP}'`,
      `livepatch: '${LP}': canceling patching transition, going to unpatch`,
      `livepatch: '${LP}': completing unpatching transition`,
      `livepatch: '${LP}': unpatching complete`,
    ]);
  });
});

describe('klp_module_coming refusals (facts B.4, D)', () => {
  const demo: PatchDef = { name: LP, objects: [{ name: 'mod', funcs: [{ old_name: 'mod_func' }], callbacks: 'demo' }], params: { pre_patch_ret: '0' } };

  it('pre_patch failing for a loading module: the module is refused with -ENODEV', () => {
    const { k, mark, since } = boot([demo], [{ name: 'mod' }]);
    expect(k.insmod(LP)).toEqual(OK);
    expect(k.writeParam(LP, 'pre_patch_ret', '-19')).toEqual(OK);
    const m = mark();
    expect(k.insmod('mod')).toEqual(fail('ENODEV'));
    expect(since(m)).toEqual([
      `livepatch: applying patch '${LP}' to loading module 'mod'`,
      `${LP}: pre_patch_callback: mod -> [MODULE_STATE_COMING] Full formed, running module_init`,
      "livepatch: pre-patch callback failed for object 'mod'",
      `livepatch: patch '${LP}' failed for module 'mod', refusing to load module 'mod'`,
    ]);
    expect(k.core.modules.has('mod')).toBe(false);
  });

  it('a symbol missing in the loading module: "failed to initialize patch", then the refusal', () => {
    const { k, mark, since } = boot([{ name: LP, objects: [{ name: 'mod', funcs: [{ old_name: 'gone' }] }] }], [{ name: 'mod', symbols: {} }]);
    expect(k.insmod(LP)).toEqual(OK);
    const m = mark();
    expect(k.insmod('mod')).toEqual(fail('EINVAL'));
    expect(since(m)).toEqual([
      "livepatch: symbol 'gone' not found in symbol table",
      `livepatch: failed to initialize patch '${LP}' for module 'mod' (-22)`,
      `livepatch: patch '${LP}' failed for module 'mod', refusing to load module 'mod'`,
    ]);
  });

  it('ftrace failing for a loading module: "failed to apply patch", post_unpatch, then the refusal', () => {
    const { k, mark, since } = boot([demo], [{ name: 'mod' }]);
    expect(k.insmod(LP)).toEqual(OK);
    // No vmlinux function is patched, so the sysctl may turn ftrace off.
    expect(k.setFtraceEnabled(false)).toEqual(OK);
    const m = mark();
    expect(k.insmod('mod')).toEqual(fail('EBUSY'));
    expect(since(m)).toEqual([
      `livepatch: applying patch '${LP}' to loading module 'mod'`,
      `${LP}: pre_patch_callback: mod -> [MODULE_STATE_COMING] Full formed, running module_init`,
      "livepatch: failed to register ftrace handler for function 'mod_func' (-16)",
      `livepatch: failed to apply patch '${LP}' to module 'mod' (-16)`,
      `${LP}: post_unpatch_callback: mod -> [MODULE_STATE_COMING] Full formed, running module_init`,
      `livepatch: patch '${LP}' failed for module 'mod', refusing to load module 'mod'`,
    ]);
  });

  it('a module named vmlinux: -EINVAL with "vmlinux.ko: invalid module name"', () => {
    const { k, log } = boot([], [{ name: 'vmlinux' }]);
    expect(k.insmod('vmlinux')).toEqual(fail('EINVAL'));
    expect(log()).toEqual(['livepatch: vmlinux.ko: invalid module name']);
  });
});

describe('sysfs write refusals (facts B.3, D)', () => {
  it('enabled: a string kstrtobool rejects is -EINVAL, nothing logged', () => {
    const { k, mark, since } = boot([patch(LP)]);
    k.insmod(LP);
    const m = mark();
    expect(k.writeEnabled(LP, 'maybe')).toEqual(fail('EINVAL'));
    expect(since(m)).toEqual([]);
    expect(k.patch(LP)!.enabled).toBe(true);
  });

  it('enabled: writing the current value is -EINVAL ("already in requested state")', () => {
    const { k, mark, since } = boot([patch(LP)]);
    k.insmod(LP);
    const m = mark();
    expect(k.writeEnabled(LP, '1')).toEqual(fail('EINVAL'));
    expect(since(m)).toEqual([]);
  });

  it('enabled=1 on a disabled patch that is not in transition: -EINVAL, no re-enable', () => {
    const { k, log } = boot([patch(LP)]);
    k.insmod(LP);
    const p = k.patch(LP)!;
    expect(k.writeEnabled(LP, '0')).toEqual(OK);
    expect(p.enabled).toBe(false);
    // Normally the directory is already gone (freed on completion)...
    expect(k.writeEnabled(LP, '1')).toEqual(fail('ENOENT'));
    // ...but in the window before klp_free_patch_async drops it, the write reaches enabled_store.
    p.registered = true;
    expect(writeEnabled(k.core, p, '1')).toEqual(fail('EINVAL'));
    expect(p.enabled).toBe(false);
  });

  it('enabled=0 while another patch is in transition: -EBUSY, nothing logged', () => {
    const { k, mark, since } = boot([patch('a'), patch('b')]);
    expect(k.insmod('a')).toEqual(OK);
    stuck(k, 'b');
    const m = mark();
    expect(k.writeEnabled('a', '0')).toEqual(fail('EBUSY'));
    expect(since(m)).toEqual([]);
    expect(k.patch('a')!.enabled).toBe(true);
  });

  it('force=1 on a patch not in transition: -EINVAL; force=0 is accepted as a no-op', () => {
    const { k, mark, since } = boot([patch(LP)]);
    k.insmod(LP);
    const m = mark();
    expect(k.writeForce(LP, '1')).toEqual(fail('EINVAL'));
    expect(k.writeForce(LP, '0')).toEqual(OK);
    expect(since(m)).toEqual([]);
    expect(k.patch(LP)!.forced).toBe(false);
  });

  it('block_disable (per-state): disable and the reversal of its own enable are refused with a message', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    const { k, mark, since } = boot([keeper], [], {}, perState.hooks);
    stuck(k, 'keeper');
    let m = mark();
    expect(k.writeEnabled('keeper', '0')).toEqual(fail('EINVAL'));
    expect(since(m)).toEqual(["livepatch: The livepatch 'keeper' does not support disable"]);
    expect(k.core.transition?.name).toBe('keeper');
    k.unblockTask('task0');
    expect(k.transitionStep()).toBe(true);
    m = mark();
    expect(k.writeEnabled('keeper', '0')).toEqual(fail('EINVAL'));
    expect(since(m)).toEqual(["livepatch: The livepatch 'keeper' does not support disable"]);
    expect(k.patch('keeper')!.enabled).toBe(true);
  });
});

describe('module loader refusals (facts B.3, B.2 "Force", D)', () => {
  it('rmmod of a livepatch module whose patch is enabled: -EBUSY', () => {
    const { k, log } = boot([patch(LP)]);
    k.insmod(LP);
    expect(k.rmmod(LP)).toEqual(fail('EBUSY'));
    expect(k.core.modules.has(LP)).toBe(true);
  });

  it('rmmod while its patch is in transition: -EBUSY', () => {
    const { k, log } = boot([patch(LP)]);
    stuck(k, LP);
    expect(k.rmmod(LP)).toEqual(fail('EBUSY'));
  });

  it('rmmod of a forced patch: -EBUSY even after it was disabled and freed', () => {
    const { k, log } = boot([patch(LP)]);
    k.insmod(LP);
    expect(k.blockTask('task0', `vmlinux:${LP}_func,0`)).toBe(true);
    expect(k.writeEnabled(LP, '0')).toEqual(OK);
    expect(k.writeForce(LP, '1')).toEqual(OK);
    expect(log().at(-1)).toBe('livepatch: forcing remaining tasks to the patched state');
    expect(k.transitionStep()).toBe(true);
    expect(k.sysfs(LP)).toBeUndefined();
    expect(k.rmmod(LP)).toEqual(fail('EBUSY'));
  });

  it('insmod of a module that is already loaded: -EEXIST, nothing logged', () => {
    const { k, mark, since } = boot([patch(LP)], [{ name: 'mod' }]);
    k.insmod(LP);
    k.insmod('mod');
    const m = mark();
    expect(k.insmod(LP)).toEqual(fail('EEXIST'));
    expect(k.insmod('mod')).toEqual(fail('EEXIST'));
    expect(since(m)).toEqual([]);
    expect(k.core.klp_patches).toHaveLength(1);
  });
});

describe('shadow variable refusals (facts C.1, D)', () => {
  it('klp_shadow_alloc of an existing <obj, id>: NULL and the WARN message; the old data stays', () => {
    const { k, log } = boot([]);
    const first = k.core.shadow.alloc(0x10, 0x2);
    expect(first).not.toBeNull();
    expect(k.core.shadow.alloc(0x10, 0x2)).toBeNull();
    expect(log()).toEqual(['Duplicate shadow variable <0x10, 0x2>']);
    expect(k.core.shadow.get(0x10, 0x2)).toBe(first);
    expect(k.core.log.events.some((e) => e.kind === 'warn')).toBe(true);
  });

  it('a failing ctor: NULL, "Failed to construct shadow variable", nothing stored', () => {
    const { k, log } = boot([]);
    expect(k.core.shadow.alloc(0x10, 0x2, () => -12)).toBeNull();
    expect(log()).toEqual(['livepatch: Failed to construct shadow variable <0x10, 0x2> (-12)']);
    expect(k.core.shadow.get(0x10, 0x2)).toBeNull();
    expect(k.core.shadow.live()).toEqual([]);
  });
});
