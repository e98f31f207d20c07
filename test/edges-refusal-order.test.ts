/**
 * Refusals that meet two conditions at once. test/kernel-refusals.test.ts
 * checks each refusal path alone, which cannot tell whether the checks run
 * in the kernel's order; here every case meets two conditions, so the order
 * decides both the errno and the log. The orders are facts B.1 (klp_enable_patch:
 * objs/funcs, livepatch marker, klp_initialized, reliable stacktrace, state
 * compatibility, klp_init_patch with its func and symbol checks, then
 * __klp_enable_patch's -EBUSY and the callbacks), B.3 (enabled_store: kstrtobool,
 * "already in requested state", the block_disable refusal of facts C.4, the
 * reverse, then __klp_disable_patch's -EBUSY) and facts D (the table).
 */
import { describe, expect, it } from 'vitest';
import type { ModuleDef, PatchDef, Universe } from '../model/kernel/definitions.ts';
import { fail, OK, type Outcome } from '../model/kernel/errno.ts';
import type { ReplaceHooks } from '../model/kernel/hooks.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { perState } from '../model/semantics/per-state.ts';
import { upstream } from '../model/semantics/upstream.ts';

const patch = (name: string, extra: Partial<PatchDef> = {}): PatchDef => ({
  name,
  objects: [{ name: 'vmlinux', funcs: [{ old_name: `${name}_func` }] }],
  ...extra,
});

const NOT_COMPATIBLE = (name: string) => `livepatch: Livepatch patch (${name}) is not compatible with the already installed livepatches.`;
const NOT_MARKED = (name: string) => `livepatch: module ${name} is not marked as a livepatch module`;
const NO_CONSISTENCY = [
  "livepatch: This architecture doesn't have support for the livepatch consistency model.",
  'livepatch: The livepatch transition may never complete.',
];

function boot(patches: PatchDef[], modules: ModuleDef[] = [], kernel: Universe['kernel'] = {}, hooks: ReplaceHooks = upstream.hooks) {
  const k = new Kernel({ kernel, patches, modules }, hooks);
  const dmesg = (from: number) => k.log.slice(from).filter((l) => !/tainting kernel/.test(l));
  /** Runs `act` and returns its outcome with the log lines it added. */
  const run = (act: () => Outcome) => {
    const m = k.log.length;
    const outcome = act();
    return { outcome, log: dmesg(m) };
  };
  return { k, run };
}

/** `holder` loads and stays in its patching transition: task0 sleeps in the function it patches. */
function stuck(k: Kernel, holder: string): void {
  expect(k.blockTask('task0', `vmlinux:${holder}_func,0`)).toBe(true);
  expect(k.insmod(holder)).toEqual(OK);
  expect(k.core.transition?.name).toBe(holder);
}

describe('klp_enable_patch: two refusal conditions at once (facts B.1 order)', () => {
  it('funcs == NULL and no livepatch marker: the funcs check comes first, so nothing is logged', () => {
    const { k, run } = boot([{ name: 'lp', objects: [{ name: 'vmlinux', funcs: null }], livepatch_modinfo: false }]);
    expect(run(() => k.insmod('lp'))).toEqual({ outcome: fail('EINVAL'), log: [] });
  });

  it('objs == NULL and no livepatch marker: -EINVAL before the marker message', () => {
    const { k, run } = boot([{ name: 'lp', objects: null, livepatch_modinfo: false }]);
    expect(run(() => k.insmod('lp'))).toEqual({ outcome: fail('EINVAL'), log: [] });
  });

  it('no livepatch marker and livepatch not initialised: the marker refusal (-EINVAL, its message), not -ENODEV', () => {
    const { k, run } = boot([patch('lp', { livepatch_modinfo: false })], [], { livepatch_initialized: false });
    expect(run(() => k.insmod('lp'))).toEqual({ outcome: fail('EINVAL'), log: [NOT_MARKED('lp')] });
  });

  it('livepatch not initialised and no reliable stacktrace: -ENODEV before the two warnings', () => {
    const { k, run } = boot([patch('lp')], [], { livepatch_initialized: false, reliable_stacktrace: false });
    expect(run(() => k.insmod('lp'))).toEqual({ outcome: fail('ENODEV'), log: [] });
  });

  it('no reliable stacktrace and an incompatible state: the warnings first, then the compatibility refusal', () => {
    const v2 = patch('v2', { states: [{ id: 1, version: 2 }] });
    const v1 = patch('v1', { states: [{ id: 1, version: 1 }] });
    const { k, run } = boot([v2, v1], [], { reliable_stacktrace: false });
    expect(k.insmod('v2')).toEqual(OK);
    expect(run(() => k.insmod('v1'))).toEqual({ outcome: fail('EINVAL'), log: [...NO_CONSISTENCY, NOT_COMPATIBLE('v1')] });
  });

  it('an incompatible state while another patch is in transition: -EINVAL "not compatible", not -EBUSY', () => {
    const holder = patch('holder', { states: [{ id: 1, version: 2 }] });
    const low = patch('low', { states: [{ id: 1, version: 1 }] });
    const { k, run } = boot([holder, low]);
    stuck(k, 'holder');
    expect(run(() => k.insmod('low'))).toEqual({ outcome: fail('EINVAL'), log: [NOT_COMPATIBLE('low')] });
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['holder']);
  });

  it('an incompatible state and a func without new_func: the compatibility check runs before klp_init_patch', () => {
    const v2 = patch('v2', { states: [{ id: 1, version: 2 }] });
    const bad = {
      name: 'bad',
      objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f', new_func: false }] }],
      states: [{ id: 1, version: 1 }],
    };
    const { k, run } = boot([v2, bad]);
    expect(k.insmod('v2')).toEqual(OK);
    expect(run(() => k.insmod('bad'))).toEqual({ outcome: fail('EINVAL'), log: [NOT_COMPATIBLE('bad')] });
  });

  it('a missing symbol while another patch is in transition: klp_init_patch refuses (-EINVAL, kallsyms line) before -EBUSY', () => {
    const missing = { name: 'missing', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'gone' }] }] };
    const { k, run } = boot([patch('holder'), missing], [], { vmlinux_symbols: { holder_func: 1 } });
    stuck(k, 'holder');
    expect(run(() => k.insmod('missing'))).toEqual({
      outcome: fail('EINVAL'),
      log: ["livepatch: symbol 'gone' not found in symbol table"],
    });
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['holder']);
  });

  it('a NULL old_name while another patch is in transition: -EINVAL, not -EBUSY', () => {
    const { k, run } = boot([patch('holder'), { name: 'noname', objects: [{ name: 'vmlinux', funcs: [{ old_name: null }] }] }]);
    stuck(k, 'holder');
    expect(run(() => k.insmod('noname'))).toEqual({ outcome: fail('EINVAL'), log: [] });
  });

  it('another patch in transition and a failing pre_patch: -EBUSY, and no callback runs', () => {
    const demo = { name: 'demo', objects: [{ name: 'vmlinux', funcs: [], callbacks: 'demo' as const }], params: { pre_patch_ret: '-19' } };
    const { k, run } = boot([patch('holder'), demo]);
    stuck(k, 'holder');
    const r = run(() => k.insmod('demo'));
    expect(r).toEqual({ outcome: fail('EBUSY'), log: [] });
    expect(k.core.log.events.some((e) => e.kind === 'object_callback' && e.patch === 'demo')).toBe(false);
  });

  it('a failing pre_patch and an IPMODIFY kprobe on the function: pre_patch runs first, so its rc and message win', () => {
    const demo = {
      name: 'demo',
      objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }], callbacks: 'demo' as const }],
      params: { pre_patch_ret: '-19' },
    };
    const { k, run } = boot([demo]);
    expect(k.registerKprobe('vmlinux:f,0', true)).toEqual(OK);
    const r = run(() => k.insmod('demo'));
    expect(r.outcome).toEqual(fail('ENODEV'));
    expect(r.log).toContain("livepatch: pre-patch callback failed for object 'vmlinux'");
    expect(r.log.some((l) => l.includes('failed to register ftrace handler'))).toBe(false);
  });

  it('per-state: a replace dropping a block_disable state while another patch is in transition: -EINVAL "not compatible"', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    const dropper = patch('dropper', { attrs: { replace: true } });
    const { k, run } = boot([keeper, dropper], [], {}, perState.hooks);
    stuck(k, 'keeper');
    expect(run(() => k.insmod('dropper'))).toEqual({ outcome: fail('EINVAL'), log: [NOT_COMPATIBLE('dropper')] });
  });
});

describe('the compatibility check and replace (facts C.2, C.4)', () => {
  it('per-state: a non-replace patch is always compatible, even beside a block_disable state it lacks', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    const plain = patch('plain');
    const { k, run } = boot([keeper, plain], [], {}, perState.hooks);
    expect(k.insmod('keeper')).toEqual(OK);
    expect(run(() => k.insmod('plain')).outcome).toEqual(OK);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['keeper', 'plain']);
  });

  it('per-state: the spec agrees that a non-replace patch never replaces and is never refused', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    expect(perState.spec.load([keeper], patch('plain'))).toEqual({ replaces: [] });
    expect(perState.spec.load([keeper], patch('plain', { attrs: { replace: false } }))).toEqual({ replaces: [] });
    expect(perState.spec.load([keeper], patch('cumulative', { attrs: { replace: true } }))).toHaveProperty('refuse');
  });

  it('upstream: a non-replace patch may drop a state but not lower its version', () => {
    const v2 = patch('v2', { states: [{ id: 1, version: 2 }] });
    const none = patch('none');
    const low = patch('low', { states: [{ id: 1, version: 1 }] });
    const same = patch('same', { states: [{ id: 1, version: 2 }] });
    const { k, run } = boot([v2, none, low, same]);
    expect(k.insmod('v2')).toEqual(OK);
    expect(run(() => k.insmod('none')).outcome).toEqual(OK);
    expect(run(() => k.insmod('low'))).toEqual({ outcome: fail('EINVAL'), log: [NOT_COMPATIBLE('low')] });
    expect(run(() => k.insmod('same')).outcome).toEqual(OK);
  });

  it('upstream: a replace patch is checked against every patch on klp_patches, not just the last one', () => {
    const a = patch('a', { states: [{ id: 1, version: 1 }] });
    const b = patch('b', { states: [{ id: 2, version: 1 }] });
    const onlyB = patch('onlyB', { states: [{ id: 2, version: 1 }], attrs: { replace: true } });
    const both = patch('both', {
      states: [
        { id: 1, version: 1 },
        { id: 2, version: 1 },
      ],
      attrs: { replace: true },
    });
    const { k, run } = boot([a, b, onlyB, both]);
    expect(k.insmod('a')).toEqual(OK);
    expect(k.insmod('b')).toEqual(OK);
    expect(run(() => k.insmod('onlyB'))).toEqual({ outcome: fail('EINVAL'), log: [NOT_COMPATIBLE('onlyB')] });
    expect(run(() => k.insmod('both')).outcome).toEqual(OK);
  });

  it('per-state: a replace may drop a state without block_disable, and its old patch stays droppable only once', () => {
    const soft = patch('soft', { states: [{ id: 1, block_disable: false }] });
    const dropper = patch('dropper', { attrs: { replace: true } });
    const { k, run } = boot([soft, dropper], [], {}, perState.hooks);
    expect(k.insmod('soft')).toEqual(OK);
    expect(run(() => k.insmod('dropper')).outcome).toEqual(OK);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['dropper']);
  });
});

describe('enabled_store: two conditions at once (facts B.3, C.4)', () => {
  it('a bad string on a block_disable patch: kstrtobool fails first, nothing logged', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    const { k, run } = boot([keeper], [], {}, perState.hooks);
    expect(k.insmod('keeper')).toEqual(OK);
    expect(run(() => k.writeEnabled('keeper', 'maybe'))).toEqual({ outcome: fail('EINVAL'), log: [] });
  });

  it('enabled=1 on an enabled block_disable patch: "already in requested state", without the block_disable message', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    const { k, run } = boot([keeper], [], {}, perState.hooks);
    expect(k.insmod('keeper')).toEqual(OK);
    expect(run(() => k.writeEnabled('keeper', '1'))).toEqual({ outcome: fail('EINVAL'), log: [] });
  });

  it('block_disable while another patch is in transition: -EINVAL with the message, not -EBUSY', () => {
    const keeper = patch('keeper', { states: [{ id: 1, block_disable: true }] });
    const { k, run } = boot([keeper, patch('holder')], [], {}, perState.hooks);
    expect(k.insmod('keeper')).toEqual(OK);
    stuck(k, 'holder');
    expect(run(() => k.writeEnabled('keeper', '0'))).toEqual({
      outcome: fail('EINVAL'),
      log: ["livepatch: The livepatch 'keeper' does not support disable"],
    });
  });

  it('enabled=1 on the patch in its patching transition: "already in requested state" comes before the reverse', () => {
    const { k, run } = boot([patch('holder')]);
    stuck(k, 'holder');
    expect(run(() => k.writeEnabled('holder', '1'))).toEqual({ outcome: fail('EINVAL'), log: [] });
    expect(k.core.target).toBe(1);
  });

  it('force with a bad string on a patch not in transition: kstrtobool fails first', () => {
    const { k, run } = boot([patch('a')]);
    expect(k.insmod('a')).toEqual(OK);
    expect(run(() => k.writeForce('a', 'maybe'))).toEqual({ outcome: fail('EINVAL'), log: [] });
    expect(k.patch('a')!.forced).toBe(false);
  });
});
