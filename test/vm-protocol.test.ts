import { describe, expect, it } from 'vitest';
import { parseGuestOutput } from '../vm/protocol.ts';
import { resultOf, observeKernel } from '../vm/kernel-side.ts';
import type { ModuleSet } from '../vm/cgen/contract.ts';
import type { VmCase } from '../vm/case.ts';

const GUEST = [
  'noise from the serial port',
  '@boot 6.1.0-57-cloud-amd64',
  '@begin c0-a',
  '@step 0 0 ',
  '@log % insmod test_modules/klp-1.ko',
  "@log livepatch: enabling patch 'klp_1'",
  "@log livepatch: applying patch 'klp_1' to loading module 'klpcheck_vmlinux'",
  '@log random: crng init done',
  '@sysfs klp_1/enabled -rw-r--r-- 1',
  '@sysfs klp_1/force --w------- ',
  '@sysfs klp_1/klpcheck_vmlinux/patched -r--r--r-- 1',
  '@probe vmlinux:f1 klp-1: f1',
  '@step 1 1 insmod: ERROR: could not insert module test_modules/klp-2.ko: Invalid parameters',
  '@probe vmlinux:f1 ',
  '@end c0-a',
  '@begin c1-b',
  '@step x 0',
  '@step 0 0 ',
  '@dirty c1-b  klp_1',
].join('\n');

describe('guest protocol', () => {
  it('parses cases, steps, log, sysfs and probes, and keeps going after a malformed line', () => {
    const r = parseGuestOutput(GUEST);
    expect(r.release).toBe('6.1.0-57-cloud-amd64');
    expect(r.done).toBe(false);
    expect(r.cases.map((c) => [c.id, c.ended, c.dirty])).toEqual([
      ['c0-a', true, undefined],
      ['c1-b', false, 'klp_1'],
    ]);
    const [s0, s1] = r.cases[0]!.steps;
    expect(s0!.log).toHaveLength(4);
    expect(s0!.sysfs['klp_1/force']).toEqual({ mode: '--w-------', value: '' });
    expect(s0!.probes['vmlinux:f1']).toBe('klp-1: f1');
    expect(s1!.rc).toBe(1);
    expect(s1!.probes['vmlinux:f1']).toBe('');
    expect(r.cases[1]!.errors).toEqual(['malformed step line: @step x 0']);
    expect(r.cases[1]!.steps).toHaveLength(1);
  });

  it('maps insmod, rmmod and shell error texts to errnos, and says when it cannot', () => {
    expect(resultOf(0, '')).toBe('ok');
    expect(resultOf(1, 'insmod: ERROR: could not insert module test_modules/x.ko: Invalid parameters')).toBe('EINVAL');
    expect(resultOf(1, 'sh: write error: Invalid argument')).toBe('EINVAL');
    expect(resultOf(1, 'insmod: ERROR: could not insert module x.ko: Device or resource busy')).toBe('EBUSY');
    expect(resultOf(1, 'rmmod: ERROR: Module x is in use')).toBe('EBUSY');
    expect(resultOf(1, "sh: can't create /sys/kernel/livepatch/x/enabled: nonexistent directory")).toBe('ENOENT');
    expect(resultOf(1, 'sh: write error: Resource temporarily unavailable')).toBe('EAGAIN');
    expect(resultOf(1, 'something else')).toBe('unknown: something else');
  });

  it("maps the kernel's spellings back to the universe's names and derives the load order", () => {
    const modules: ModuleSet = {
      files: {},
      modules: [
        { name: 'klpcheck_core', kind: 'core' },
        { name: 'klpcheck_vmlinux', kind: 'stand-in', standsInFor: 'vmlinux' },
        { name: 'klp-1', kind: 'livepatch' },
        { name: 'klp-2', kind: 'livepatch' },
      ],
      probes: [
        {
          key: 'vmlinux:f1',
          command: 'cat /proc/klpcheck/call/vmlinux/f1',
          klpObject: 'klpcheck_vmlinux',
          versions: { 'klp-1: f1': 'klp-1' },
        },
      ],
    };
    const c = {
      steps: [
        { index: 0, action: { kind: 'insmod', module: 'klp-1', params: {}, logError: false }, settle: 'done' },
        { index: 1, action: { kind: 'insmod', module: 'klp-2', params: {}, logError: false }, settle: 'done' },
      ],
      model: [
        { index: 0, command: 'insmod klp-1.ko' },
        { index: 1, command: 'insmod klp-2.ko' },
      ],
    } as unknown as VmCase;
    const obs = observeKernel(c, parseGuestOutput(GUEST).cases[0]!, modules);
    expect(obs).toHaveLength(2);
    // The log keeps the kernel's '_', as the model's does (model/kernel/log.ts); the stand-in is the object it stands in for.
    expect(obs[0]!.log).toEqual(["livepatch: enabling patch 'klp_1'", "livepatch: applying patch 'klp_1' to loading module 'vmlinux'"]);
    expect(Object.keys(obs[0]!.sysfs)).toEqual(['klp-1/enabled', 'klp-1/force', 'klp-1/vmlinux/patched']);
    expect(obs[0]!.order).toEqual(['klp-1']);
    expect(obs[0]!.running).toEqual({ 'vmlinux:f1': 'klp-1' });
    // The failed insmod does not join the order; an empty probe line is an absent function.
    expect(obs[1]!.result).toBe('EINVAL');
    expect(obs[1]!.order).toEqual(['klp-1']);
    expect(obs[1]!.running).toEqual({ 'vmlinux:f1': 'absent' });
  });
});
