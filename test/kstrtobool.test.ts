/**
 * kstrtobool as lib/kstrtox.c has it: the first character decides (the
 * second for `o`), nothing is trimmed. The table holds the spellings the
 * issue names (`10`, `yep`, `0x`, `offline` accepted; ` 1` refused) and the
 * edges around them; then the same rule seen through enabled_store.
 */
import { describe, expect, it } from 'vitest';
import { fail, OK } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { parseBool } from '../model/kernel/kstrtobool.ts';
import { upstream } from '../model/semantics/upstream.ts';

const TABLE: readonly (readonly [string, boolean | null])[] = [
  ['1', true],
  ['1\n', true],
  ['10', true],
  ['y', true],
  ['Y', true],
  ['yes', true],
  ['yep', true],
  ['t', true],
  ['True', true],
  ['on', true],
  ['ON', true],
  ['onion', true],
  ['0', false],
  ['0x', false],
  ['0\n', false],
  ['n', false],
  ['No', false],
  ['f', false],
  ['FALSE', false],
  ['of', false],
  ['off', false],
  ['offline', false],
  ['OF', false],
  [' 1', null],
  ['\t0', null],
  ['\n', null],
  ['', null],
  ['o', null],
  ['ox', null],
  ['2', null],
  ['-1', null],
  ['enable', null],
  ['maybe', null],
];

describe('kstrtobool (lib/kstrtox.c)', () => {
  it.each(TABLE)('%j -> %s', (input, expected) => {
    expect(parseBool(input)).toBe(expected);
  });
});

describe('enabled_store parses with kstrtobool', () => {
  const universe = { patches: [{ name: 'lp', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f' }] }] }], modules: [] };

  it('accepts "offline" as 0 and disables the patch', () => {
    const k = new Kernel(universe, upstream.hooks);
    expect(k.insmod('lp')).toEqual(OK);
    expect(k.writeEnabled('lp', 'offline')).toEqual(OK);
    expect(k.sysfs('lp')).toBeUndefined();
  });

  it('refuses " 0" with -EINVAL and leaves the patch enabled', () => {
    const k = new Kernel(universe, upstream.hooks);
    expect(k.insmod('lp')).toEqual(OK);
    expect(k.writeEnabled('lp', ' 0')).toEqual(fail('EINVAL'));
    expect(k.sysfs('lp')?.enabled).toBe('1');
  });

  it('takes "10" as 1 and "0x" as 0 (force_store)', () => {
    const k = new Kernel(universe, upstream.hooks);
    expect(k.blockTask('task0', 'vmlinux:f,0')).toBe(true);
    expect(k.insmod('lp')).toEqual(OK);
    expect(k.writeForce('lp', '0x')).toEqual(OK);
    expect(k.core.transition?.name).toBe('lp');
    expect(k.writeForce('lp', '10')).toEqual(OK);
    expect(k.transitionStep()).toBe(true);
    expect(k.sysfs('lp')?.transition).toBe('0');
  });
});
