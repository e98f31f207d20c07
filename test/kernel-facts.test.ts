/**
 * The facts of section B.6 as checks on the reference implementation, each
 * over a sequence that passes through the states where it could break
 * (transitions stalled, reversed, forced, replaced, modules coming and
 * going), plus the stacking rule's -EBUSY (seed 002) and "forced patches can
 * never be removed" (facts B.2 "Force").
 */
import { describe, expect, it } from 'vitest';
import type { ModuleDef, PatchDef } from '../model/kernel/definitions.ts';
import { fail, OK } from '../model/kernel/errno.ts';
import type { ReplaceHooks } from '../model/kernel/hooks.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import type { CallbackName, KernelEvent } from '../model/kernel/log.ts';
import { KLP_TRANSITION_IDLE } from '../model/kernel/runtime.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { upstream } from '../model/semantics/upstream.ts';

/** A patch of `func` in vmlinux and of `mod_func` in module `mod`, with demo callbacks on both. */
const lp = (name: string, replace = false, funcs = ['func']): PatchDef => ({
  name,
  objects: [
    { name: 'vmlinux', funcs: funcs.map((old_name) => ({ old_name })), callbacks: 'demo' },
    { name: 'mod', funcs: [{ old_name: 'mod_func' }], callbacks: 'demo' },
  ],
  attrs: { replace },
  params: { pre_patch_ret: '0' },
});
const MOD: ModuleDef = { name: 'mod' };
const FUNC = 'vmlinux:func,0';

function boot(patches: PatchDef[], hooks: ReplaceHooks = upstream.hooks, tasks = 2) {
  return new Kernel({ kernel: { tasks }, patches, modules: [MOD] }, hooks);
}

/** The B.6 invariants that must hold between any two operations. */
function checkInvariants(k: Kernel): void {
  const c = k.core;
  // klp_patches holds exactly the enabled patches plus the transition patch.
  for (const p of c.klp_patches) expect(p.enabled || p === c.transition, `${p.name} listed but neither enabled nor in transition`).toBe(true);
  for (const m of c.modules.values()) {
    if (m.kind === 'livepatch' && m.patch?.enabled) expect(c.klp_patches, `${m.def.name} enabled but not listed`).toContain(m.patch);
  }
  if (c.transition) expect(c.klp_patches).toContain(c.transition);
  // Every func on a stack is patched and its object loaded; a patched object is loaded.
  for (const stack of c.funcStacks.values()) {
    expect(stack.length).toBeGreaterThan(0);
    for (const f of stack) {
      expect(f.patched, `${f.key} of ${f.obj.patch.name} on a stack but not patched`).toBe(true);
      expect(f.obj.loaded || f.obj.isVmlinux, `${f.key}: object not loaded`).toBe(true);
    }
  }
  for (const p of c.klp_patches) for (const o of p.objs) if (o.patched) expect(o.loaded).toBe(true);
  // Outside a transition no func is in transition and every task is idle.
  if (!c.transition) {
    for (const p of c.klp_patches) for (const f of p.allFuncs()) expect(f.transition, `${f.key} still in transition`).toBe(false);
    for (const t of c.tasks) {
      expect(t.patch_state).toBe(KLP_TRANSITION_IDLE);
      expect(t.pending).toBe(false);
    }
  }
}

/** Runs an operation and checks the invariants after it. */
function step<T>(k: Kernel, op: () => T): T {
  const r = op();
  checkInvariants(k);
  return r;
}

type CallbackEvent = Extract<KernelEvent, { kind: 'object_callback' }>;
const callbacks = (k: Kernel, patch: string, obj = 'vmlinux'): CallbackName[] =>
  k.core.log.events.filter((e): e is CallbackEvent => e.kind === 'object_callback' && e.patch === patch && e.obj === obj).map((e) => e.cb);

/**
 * Callback symmetry (facts B.6): for each patch and object, post_unpatch
 * only after a successful pre_patch, pre_unpatch only after a post_patch.
 */
function checkSymmetry(k: Kernel): void {
  const seen = new Map<string, { prePatchOk: boolean; postPatch: boolean }>();
  for (const e of k.core.log.events) {
    if (e.kind !== 'object_callback') continue;
    const key = `${e.patch}/${e.obj}`;
    const s = seen.get(key) ?? { prePatchOk: false, postPatch: false };
    if (e.cb === 'pre_patch') s.prePatchOk = e.ret === 0;
    if (e.cb === 'post_patch') s.postPatch = true;
    if (e.cb === 'post_unpatch') expect(s.prePatchOk, `${key}: post_unpatch without a successful pre_patch`).toBe(true);
    if (e.cb === 'pre_unpatch') expect(s.postPatch, `${key}: pre_unpatch without post_patch`).toBe(true);
    if (e.cb === 'post_unpatch') seen.delete(key);
    else seen.set(key, s);
  }
}

describe('at most one transition (facts B.6)', () => {
  it('a new enable, a disable of another patch and a module init of a livepatch get -EBUSY meanwhile', () => {
    const k = boot([lp('a'), lp('b', false, ['other']), lp('c', false, ['third'])]);
    step(k, () => expect(k.insmod('a')).toEqual(OK));
    step(k, () => expect(k.blockTask('task0', FUNC)).toBe(true));
    // task0 sleeps in a's func, which b does not touch: b's transition completes.
    step(k, () => expect(k.insmod('b')).toEqual(OK));
    expect(k.core.transition).toBeNull();
    // Unpatching a must wait for task0, so a stays the transition patch.
    step(k, () => expect(k.writeEnabled('a', '0')).toEqual(OK));
    expect(k.core.transition?.name).toBe('a');
    step(k, () => expect(k.insmod('c')).toEqual(fail('EBUSY')));
    step(k, () => expect(k.writeEnabled('b', '0')).toEqual(fail('EBUSY')));
    expect(k.core.transition?.name).toBe('a');
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('reverse and force act only on the transition patch; elsewhere they are -EINVAL', () => {
    const k = boot([lp('a'), lp('b', false, ['other'])]);
    step(k, () => k.insmod('b'));
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => expect(k.insmod('a')).toEqual(OK));
    expect(k.core.transition?.name).toBe('a');
    step(k, () => expect(k.writeForce('b', '1')).toEqual(fail('EINVAL')));
    step(k, () => expect(k.writeEnabled('b', '1')).toEqual(fail('EINVAL')));
    expect(k.patch('b')!.forced).toBe(false);
    // The transition patch itself can be reversed, and back again.
    step(k, () => expect(k.writeEnabled('a', '0')).toEqual(OK));
    expect(k.core.target).toBe(0);
    step(k, () => expect(k.writeEnabled('a', '1')).toEqual(OK));
    expect(k.core.target).toBe(1);
    expect(k.log.filter((l) => l.includes('reversing transition'))).toEqual([
      "livepatch: 'a': reversing transition from patching to unpatching",
      "livepatch: 'a': reversing transition from unpatching to patching",
    ]);
  });
});

describe('klp_patches (facts B.6)', () => {
  it('holds exactly the enabled patches plus the transition patch, through disable, reverse and module events', () => {
    const k = boot([lp('a'), lp('b', false, ['other'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.insmod('mod'));
    step(k, () => k.insmod('b'));
    step(k, () => k.blockTask('task1', FUNC));
    step(k, () => k.writeEnabled('a', '0'));
    // a is disabled but still in transition: listed, enabled == false.
    expect(k.patch('a')!.enabled).toBe(false);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['a', 'b']);
    step(k, () => k.rmmod('mod'));
    step(k, () => k.insmod('mod'));
    step(k, () => k.unblockTask('task1'));
    step(k, () => expect(k.transitionStep()).toBe(true));
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['b']);
    expect(k.sysfsPatches()).toEqual(['b']);
  });

  it('after a completed replace holds only the new patch, whose nops are gone', () => {
    const k = boot([lp('a'), lp('b', false, ['other']), lp('r', true, ['func'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.insmod('b'));
    step(k, () => k.insmod('mod'));
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => k.insmod('r'));
    // During the replace: everything still listed, r carries nops for b's functions.
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['a', 'b', 'r']);
    expect([...k.patch('r')!.allFuncs()].filter((f) => f.nop).map((f) => f.key)).toEqual(['vmlinux:other,0']);
    step(k, () => k.unblockTask('task0'));
    step(k, () => expect(k.transitionStep()).toBe(true));
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['r']);
    expect([...k.patch('r')!.allFuncs()].some((f) => f.nop)).toBe(false);
    expect(k.core.funcStacks.has('vmlinux:other,0')).toBe(false);
    expect(k.runningCode('task0', 'vmlinux:other,0')).toBe('original');
    // The replaced patches got no callbacks at all (callbacks.rst).
    expect(callbacks(k, 'a').filter((c) => c.endsWith('unpatch'))).toEqual([]);
    expect(k.rmmod('a')).toEqual(OK);
    expect(k.rmmod('b')).toEqual(OK);
  });

  it('a reversed replace leaves the old patches in place and frees only the new one', () => {
    const k = boot([lp('a'), lp('r', true, ['func'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => k.insmod('r'));
    step(k, () => expect(k.writeEnabled('r', '0')).toEqual(OK));
    step(k, () => k.unblockTask('task0'));
    step(k, () => expect(k.transitionStep()).toBe(true));
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['a']);
    expect(k.patch('a')!.enabled).toBe(true);
    expect(k.runningCode('task0', FUNC)).toEqual({ patch: 'a' });
    expect(k.rmmod('r')).toEqual(OK);
  });
});

describe('after klp_complete_transition (facts B.6)', () => {
  it('no func has transition set and every task is idle, for enable, disable, cancel, reverse and force', () => {
    const k = boot([lp('a'), { ...lp('bad', false, ['other']), params: { pre_patch_ret: '-19' } }, lp('f', false, ['third'])]);
    const settled = () => {
      expect(k.core.transition).toBeNull();
      checkInvariants(k);
    };
    step(k, () => k.insmod('a'));
    settled();
    step(k, () => expect(k.insmod('bad')).toEqual(fail('ENODEV')));
    settled();
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => k.writeEnabled('a', '0'));
    step(k, () => k.writeEnabled('a', '1'));
    step(k, () => k.unblockTask('task0'));
    step(k, () => k.transitionStep());
    settled();
    step(k, () => k.blockTask('task1', 'vmlinux:third,0'));
    step(k, () => k.insmod('f'));
    step(k, () => k.writeForce('f', '1'));
    step(k, () => expect(k.transitionStep()).toBe(true));
    settled();
    for (const p of [k.patch('a')!, k.patch('f')!]) for (const f of p.allFuncs()) expect(f.transition).toBe(false);
  });
});

describe('func_stack (facts B.6)', () => {
  it('every func on a stack is patched and its object loaded, as modules come and go under stacked patches', () => {
    const k = boot([lp('a'), lp('b', false, ['func'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.insmod('b'));
    step(k, () => k.insmod('mod'));
    expect(k.core.funcStacks.get('mod:mod_func,0')!.map((f) => f.obj.patch.name)).toEqual(['b', 'a']);
    expect(k.core.funcStacks.get(FUNC)!.map((f) => f.obj.patch.name)).toEqual(['b', 'a']);
    step(k, () => k.rmmod('mod'));
    expect(k.core.funcStacks.has('mod:mod_func,0')).toBe(false);
    expect(k.runningCode('task0', 'mod:mod_func,0')).toBe('absent');
    step(k, () => k.writeEnabled('a', '0'));
    // Disable order is free (v5.1+): a leaves the middle of the stack.
    expect(k.core.funcStacks.get(FUNC)!.map((f) => f.obj.patch.name)).toEqual(['b']);
    step(k, () => k.insmod('mod'));
    expect(k.core.funcStacks.get('mod:mod_func,0')!.map((f) => f.obj.patch.name)).toEqual(['b']);
  });
});

describe('callback symmetry (facts B.6)', () => {
  it('post_unpatch only after pre_patch succeeded, pre_unpatch only after post_patch, over a mixed history', () => {
    const k = boot([lp('a'), lp('b', false, ['other'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.insmod('mod'));
    step(k, () => k.writeParam('a', 'pre_patch_ret', '-19'));
    step(k, () => k.rmmod('mod'));
    step(k, () => expect(k.insmod('mod')).toEqual(fail('ENODEV')));
    step(k, () => k.writeParam('a', 'pre_patch_ret', '0'));
    step(k, () => k.insmod('mod'));
    step(k, () => k.writeEnabled('a', '0'));
    step(k, () => k.insmod('b'));
    step(k, () => k.rmmod('mod'));
    step(k, () => k.writeEnabled('b', '0'));
    checkSymmetry(k);
    expect(callbacks(k, 'a', 'mod')).toEqual([
      'pre_patch', 'post_patch', 'pre_unpatch', 'post_unpatch', // loaded, then rmmod
      'pre_patch', // refused load: no post_unpatch after the failed pre_patch
      'pre_patch', 'post_patch', 'pre_unpatch', 'post_unpatch', // loaded again, then a disabled
    ]);
  });

  it('a reversed enable runs post_unpatch for what pre_patch set up and no pre_unpatch at all', () => {
    const k = boot([lp('a')]);
    step(k, () => k.insmod('mod'));
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => k.insmod('a'));
    step(k, () => k.writeEnabled('a', '0'));
    step(k, () => k.unblockTask('task0'));
    step(k, () => expect(k.transitionStep()).toBe(true));
    checkSymmetry(k);
    expect(callbacks(k, 'a')).toEqual(['pre_patch', 'post_unpatch']);
    expect(callbacks(k, 'a', 'mod')).toEqual(['pre_patch', 'post_unpatch']);
    expect(k.sysfs('a')).toBeUndefined();
  });
});

describe('stacking (seed 002)', () => {
  it('only the topmost patch can be disabled: -EBUSY for any other', () => {
    const k = boot([lp('a'), lp('b', false, ['other'])], stacking.hooks);
    step(k, () => k.insmod('a'));
    step(k, () => k.insmod('b'));
    step(k, () => expect(k.writeEnabled('a', '0')).toEqual(fail('EBUSY')));
    expect(k.core.transition).toBeNull();
    expect(k.patch('a')!.enabled).toBe(true);
    step(k, () => expect(k.writeEnabled('b', '0')).toEqual(OK));
    step(k, () => expect(k.writeEnabled('a', '0')).toEqual(OK));
    expect(k.core.klp_patches).toEqual([]);
  });

  it('upstream lifts the rule: the same disable is allowed', () => {
    const k = boot([lp('a'), lp('b', false, ['other'])]);
    k.insmod('a');
    k.insmod('b');
    expect(k.writeEnabled('a', '0')).toEqual(OK);
  });
});

describe('forced patches can never be removed (facts B.2 "Force")', () => {
  it('forcing an unpatching transition marks the transition patch: its module stays forever', () => {
    const k = boot([lp('a')]);
    step(k, () => k.insmod('a'));
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => k.writeEnabled('a', '0'));
    step(k, () => k.writeForce('a', '1'));
    expect(k.patch('a')!.forced).toBe(true);
    step(k, () => expect(k.transitionStep()).toBe(true));
    expect(k.sysfs('a')).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(k.rmmod('a')).toEqual(fail('EBUSY'));
  });

  it('forcing a replace marks the replaced patches, not the new one', () => {
    const k = boot([lp('a'), lp('b', false, ['other']), lp('r', true, ['func'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.insmod('b'));
    step(k, () => k.blockTask('task0', FUNC));
    step(k, () => k.insmod('r'));
    step(k, () => k.writeForce('r', '1'));
    expect(k.log.at(-1)).toBe('livepatch: forcing remaining tasks to the patched state');
    expect(['a', 'b', 'r'].map((n) => k.patch(n)!.forced)).toEqual([true, true, false]);
    step(k, () => expect(k.transitionStep()).toBe(true));
    expect(k.rmmod('a')).toEqual(fail('EBUSY'));
    expect(k.rmmod('b')).toEqual(fail('EBUSY'));
    step(k, () => k.writeEnabled('r', '0'));
    expect(k.rmmod('r')).toEqual(OK);
  });

  it('forcing a non-replace enable marks nobody', () => {
    const k = boot([lp('a'), lp('b', false, ['other'])]);
    step(k, () => k.insmod('a'));
    step(k, () => k.blockTask('task0', 'vmlinux:other,0'));
    step(k, () => k.insmod('b'));
    step(k, () => k.writeForce('b', '1'));
    step(k, () => k.transitionStep());
    expect([k.patch('a')!.forced, k.patch('b')!.forced]).toEqual([false, false]);
  });
});
