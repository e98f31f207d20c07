/**
 * klp_enable_patch's checks in the kernel's order (facts B.1, D): where a
 * livepatch meets two refusal conditions at once, the earlier check decides
 * the errno and the log, and nothing of the later one shows. Each case pairs
 * two neighbouring conditions. Sources: kernel/livepatch/core.c
 * klp_enable_patch, klp_init_patch, klp_init_object, klp_init_func,
 * __klp_enable_patch.
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef, Universe } from '../model/kernel/definitions.ts';
import { fail, OK, type Outcome } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { upstream } from '../model/semantics/upstream.ts';

const patch = (name: string, extra: Partial<PatchDef> = {}): PatchDef => ({
  name,
  objects: [{ name: 'vmlinux', funcs: [{ old_name: `${name}_func` }] }],
  ...extra,
});

/** Loads `lp` into a kernel where `before` ran first; returns the result and the livepatch lines the load logged. */
function load(lp: PatchDef, kernel: Universe['kernel'] = {}, others: PatchDef[] = [], before: (k: Kernel) => void = () => {}) {
  const k = new Kernel({ patches: [lp, ...others], modules: [], kernel }, upstream.hooks);
  before(k);
  const from = k.log.length;
  const outcome: Outcome = k.insmod(lp.name);
  return { k, outcome, log: k.log.slice(from).filter((l) => l.startsWith('livepatch:')) };
}

const NOT_MARKED = (name: string) => `livepatch: module ${name} is not marked as a livepatch module`;
const WARNINGS = [
  "livepatch: This architecture doesn't have support for the livepatch consistency model.",
  'livepatch: The livepatch transition may never complete.',
];
const INCOMPATIBLE = (name: string) => `livepatch: Livepatch patch (${name}) is not compatible with the already installed livepatches.`;

/** Another patch whose transition stays open: task0 sleeps in the function it replaces. */
const stuck = (k: Kernel) => {
  expect(k.blockTask('task0', 'vmlinux:busy_func,0')).toBe(true);
  expect(k.insmod('busy')).toEqual(OK);
};

describe('klp_enable_patch: the first of two failing checks decides', () => {
  it('objs NULL and no livepatch modinfo: -EINVAL before the modinfo message', () => {
    const r = load({ name: 'lp', objects: null, livepatch_modinfo: false });
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual([]);
  });

  it('an object with NULL funcs and livepatch not initialised: -EINVAL, not -ENODEV', () => {
    const r = load({ name: 'lp', objects: [{ name: 'vmlinux', funcs: null }] }, { livepatch_initialized: false });
    expect(r.outcome).toEqual(fail('EINVAL'));
  });

  it('no livepatch modinfo and livepatch not initialised: -EINVAL with the modinfo message', () => {
    const r = load(patch('lp', { livepatch_modinfo: false }), { livepatch_initialized: false });
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual([NOT_MARKED('lp')]);
  });

  it('livepatch not initialised and no reliable stacks: -ENODEV before the warnings', () => {
    const r = load(patch('lp'), { livepatch_initialized: false, reliable_stacktrace: false });
    expect(r.outcome).toEqual(fail('ENODEV'));
    expect(r.log).toEqual([]);
  });

  it('no reliable stacks and an incompatible state: the warnings, then "not compatible" and -EINVAL', () => {
    const old = patch('old', { states: [{ id: 1, version: 2 }] });
    const r = load(patch('lp', { states: [{ id: 1, version: 1 }] }), { reliable_stacktrace: false }, [old], (k) => {
      expect(k.insmod('old')).toEqual(OK);
      for (const t of ['task0', 'task1']) k.taskReturnToUser(t);
      expect(k.transitionStep()).toBe(true);
    });
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual([...WARNINGS, INCOMPATIBLE('lp')]);
  });

  it('an incompatible state while another patch is in transition: -EINVAL, not -EBUSY', () => {
    const busy = patch('busy', { states: [{ id: 1, version: 2 }] });
    const r = load(patch('lp', { states: [{ id: 1, version: 1 }] }), {}, [busy], stuck);
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual([INCOMPATIBLE('lp')]);
  });

  it('a missing symbol while another patch is in transition: klp_init_patch fails first, -EINVAL with the kallsyms line', () => {
    const lp: PatchDef = { name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'gone' }] }] };
    const r = load(lp, { vmlinux_symbols: { gone: 0, busy_func: 1 } }, [patch('busy')], stuck);
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual(["livepatch: symbol 'gone' not found in symbol table"]);
    expect(r.k.core.transition?.name).toBe('busy');
  });

  it('a missing symbol after a found one in the same object: every func is resolved, -EINVAL with the kallsyms line', () => {
    const lp: PatchDef = { name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'here' }, { old_name: 'gone' }] }] };
    const r = load(lp, { vmlinux_symbols: { here: 1, gone: 0 } });
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual(["livepatch: symbol 'gone' not found in symbol table"]);
  });

  it('a func without old_name beside a missing symbol: klp_init_func refuses before any lookup, nothing logged', () => {
    const lp: PatchDef = { name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'gone' }, { old_name: null }] }] };
    const r = load(lp, { vmlinux_symbols: { gone: 0 } });
    expect(r.outcome).toEqual(fail('EINVAL'));
    expect(r.log).toEqual([]);
  });

  it('a duplicate sysfs name beside a missing symbol: kobject_add fails first, -EEXIST, nothing logged', () => {
    const lp: PatchDef = { name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'gone' }, { old_name: 'gone', old_sympos: 1 }] }] };
    const r = load(lp, { vmlinux_symbols: { gone: 0 } });
    expect(r.outcome).toEqual(fail('EEXIST'));
    expect(r.log).toEqual([]);
  });

  // klp_init_object: kobject_add of the object's directory comes before klp_init_func (hostile user, stop 38: loaded).
  it('two objects of one name, the second with a func without old_name: kobject_add fails first, -EEXIST, nothing logged', () => {
    const lp: PatchDef = {
      name: 'lp',
      objects: [
        { name: 'vmlinux', funcs: [{ old_name: 'f1' }] },
        { name: 'vmlinux', funcs: [{ old_name: null }] },
      ],
    };
    const r = load(lp);
    expect(r.outcome).toEqual(fail('EEXIST'));
    expect(r.log).toEqual([]);
    expect(r.k.core.klp_patches).toEqual([]);
    expect(r.k.sysfsPatches()).toEqual([]);
  });

  it('another patch in transition and a failing pre_patch callback: -EBUSY, the callback never runs', () => {
    const lp = patch('lp', {
      objects: [{ name: 'vmlinux', funcs: [{ old_name: 'lp_func' }], callbacks: 'demo' }],
      params: { pre_patch_ret: '-19' },
    });
    const r = load(lp, {}, [patch('busy')], stuck);
    expect(r.outcome).toEqual(fail('EBUSY'));
    expect(r.k.log.some((l) => l.includes('pre_patch_callback'))).toBe(false);
    expect(r.log).toEqual([]);
  });
});
