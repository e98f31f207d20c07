/**
 * A patch or target module's own name is a module name, which modpost refuses
 * to build at MODULE_NAME_LEN (56) characters or more (scripts/mod/modpost.c
 * check_modname_len, include/linux/module.h): no kernel loads such a module,
 * so a universe declaring one is E_INEXPRESSIBLE. 55 characters load. An
 * object naming a longer module is the kernel's own -EINVAL at load
 * (klp_init_object; model/kernel/enable.ts), so it stays expressible. A
 * name that starts with '-' is E_INEXPRESSIBLE too: kmod's tools read it as
 * an option.
 */
import { describe, expect, it } from 'vitest';
import { universeNames } from '../harness/references.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { applyToKernel } from '../harness/ops.ts';

const universe = (patch: string, module = 'mod', object = 'vmlinux'): Universe =>
  ({
    patches: [{ name: patch, objects: [{ name: object, funcs: [{ old_name: 'f1' }] }] }],
    modules: [{ name: module }],
  }) as unknown as Universe;

describe('module names of MODULE_NAME_LEN or more', () => {
  it('declares a patch or module of 55 characters, and refuses one of 56 at its place', () => {
    expect(universeNames(universe('p'.repeat(55)), 'u.json', ['universe']).patches.size).toBe(1);
    expect(() => universeNames(universe('p'.repeat(56)), 'u.json', ['universe'])).toThrow(
      expect.objectContaining({ code: 'E_INEXPRESSIBLE', where: '/universe/patches/0/name' }),
    );
    expect(universeNames(universe('p1', 'm'.repeat(55)), 'u.json', []).modules.size).toBe(2);
    expect(() => universeNames(universe('p1', 'm'.repeat(56)), 'u.json', [])).toThrow(
      expect.objectContaining({ code: 'E_INEXPRESSIBLE', where: '/modules/0/name' }),
    );
  });

  it('takes an object naming a module of 56 characters, which the kernel refuses at load with -EINVAL', () => {
    const u = universe('p1', 'mod', 'o'.repeat(56));
    expect(() => universeNames(u, 'u.json', [])).not.toThrow();
    const k = new Kernel(u, upstream.hooks);
    expect(applyToKernel({ op: 'insmod', module: 'p1' }, k)).toMatchObject({ errno: 'EINVAL' });
  });
});

describe("module names that start with '-'", () => {
  it('are refused at their place: kmod reads them as options, and functions.sh unloads with rmmod "$mod" (rmmod -f is --force)', () => {
    for (const [u, where] of [
      [universe('-f'), '/universe/patches/0/name'],
      [universe('p1', '-mod'), '/universe/modules/0/name'],
    ] as const)
      expect(() => universeNames(u, 'u.json', ['universe'])).toThrow(
        expect.objectContaining({ code: 'E_INEXPRESSIBLE', where, message: expect.stringMatching(/starts with '-'.*rmmod -f is --force/) }),
      );
    // A '-' further in is the kernel's '_' (kernelModuleName), and loads.
    expect(universeNames(universe('lp-1', 'mod-a'), 'u.json', ['universe']).modules.size).toBe(2);
  });
});
