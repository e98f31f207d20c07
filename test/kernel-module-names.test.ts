/**
 * The reference implementation's log names a module as the kernel does: kbuild
 * makes KBUILD_MODNAME of a module file's name with '-' as '_'
 * (scripts/Makefile.lib name-fix), and mod->name is what every livepatch
 * message and every module's pr_fmt prints. kpatch-built modules are named
 * `livepatch-...`, so a scenario's dashed name is no corner case. Until stop
 * 47 the model logged the name as written and only `render` rewrote it
 * (report/kernel-log.ts), so `scenario` showed a log no kernel prints.
 */
import { describe, expect, it } from 'vitest';
import { applyToKernel, type Op } from '../harness/ops.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { upstream } from '../model/semantics/upstream.ts';

describe("the kernel's log spells a dashed module name with '_'", () => {
  it('in livepatch messages, callbacks, parameters, the taint notice and a module init line', () => {
    const k = new Kernel(
      {
        patches: [{ name: 'lp-a', objects: [{ name: 'my-mod', funcs: [{ old_name: 'm1' }], callbacks: 'demo' }] }],
        modules: [{ name: 'my-mod', init_log: ['hello'] }],
        kernel: { tasks: 1 },
      },
      upstream.hooks,
    );
    // The ops name the modules as written, as insmod takes the file's name.
    const steps: Op[] = [
      { op: 'insmod', module: 'lp-a', params: { bogus: '1' } },
      { op: 'insmod', module: 'my-mod' },
      { op: 'rmmod', module: 'my-mod' },
      { op: 'disable', patch: 'lp-a' },
    ];
    for (const op of steps) expect(applyToKernel(op, k)).toEqual({ ok: true });
    const going = '-> [MODULE_STATE_GOING] Going away';
    const coming = '-> [MODULE_STATE_COMING] Full formed, running module_init';
    expect(k.log).toEqual([
      'lp_a: tainting kernel with TAINT_LIVEPATCH',
      "lp_a: unknown parameter 'bogus' ignored",
      "livepatch: enabling patch 'lp_a'",
      "livepatch: 'lp_a': initializing patching transition",
      "livepatch: 'lp_a': starting patching transition",
      "livepatch: 'lp_a': completing patching transition",
      "livepatch: 'lp_a': patching complete",
      "livepatch: applying patch 'lp_a' to loading module 'my_mod'",
      `lp_a: pre_patch_callback: my_mod ${coming}`,
      `lp_a: post_patch_callback: my_mod ${coming}`,
      'my_mod: hello',
      `lp_a: pre_unpatch_callback: my_mod ${going}`,
      "livepatch: reverting patch 'lp_a' on unloading module 'my_mod'",
      `lp_a: post_unpatch_callback: my_mod ${going}`,
      "livepatch: 'lp_a': initializing unpatching transition",
      "livepatch: 'lp_a': starting unpatching transition",
      "livepatch: 'lp_a': completing unpatching transition",
      "livepatch: 'lp_a': unpatching complete",
    ]);
  });

  it('in the refusals that name a patch or an object', () => {
    const k = new Kernel(
      {
        patches: [
          { name: 'lp-a', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }], livepatch_modinfo: false },
          { name: 'lp-b', objects: [{ name: 'my-mod', funcs: [{ old_name: 'm1' }] }] },
        ],
        modules: [{ name: 'my-mod', symbols: { m1: 2 } }],
        kernel: { tasks: 1 },
      },
      upstream.hooks,
    );
    const steps: Op[] = [
      { op: 'insmod', module: 'lp-a' },
      { op: 'insmod', module: 'my-mod' },
      { op: 'insmod', module: 'lp-b' },
    ];
    expect(steps.map((op) => applyToKernel(op, k).ok)).toEqual([false, true, false]);
    expect(k.log).toEqual([
      'livepatch: module lp_a is not marked as a livepatch module',
      'lp_b: tainting kernel with TAINT_LIVEPATCH',
      "livepatch: unresolvable ambiguity for symbol 'm1' in object 'my_mod'",
    ]);
  });
});
