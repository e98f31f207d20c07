/**
 * A guest kernel that oopses, BUGs or panics during a case makes the case
 * differ, with the step and the line (vm/kernel-side.ts kernelTrouble):
 * stop 39's hostile user saw an oops reported only as an unknown result.
 */
import { describe, expect, it } from 'vitest';
import { kernelTrouble } from '../vm/kernel-side.ts';
import type { GuestCase, GuestStep } from '../vm/protocol.ts';

const step = (index: number, log: string[]): GuestStep => ({ index, rc: 0, error: '', log, sysfs: {}, probes: {} });
const kase = (...steps: GuestStep[]): GuestCase => ({ id: 'c', steps, ended: true, errors: [] });

describe('kernelTrouble', () => {
  it.each([
    'BUG: kernel NULL pointer dereference, address: 0000000000000000',
    'Oops: 0000 [#1] PREEMPT SMP NOPTI',
    'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP',
    'Kernel panic - not syncing: Fatal exception',
  ])('names the first failure line with its step: %s', (line) => {
    expect(kernelTrouble(kase(step(0, ['livepatch: enabling patch']), step(1, ['x', line, 'Oops: later'])))).toEqual([
      `the guest kernel failed at step 1: ${line}`,
    ]);
  });

  it('finds nothing in an ordinary log, warnings and words like "oopsie" or "DEBUG:" included', () => {
    expect(
      kernelTrouble(
        kase(
          step(0, [
            "livepatch: 'p': starting patching transition",
            'WARNING: CPU: 0 PID: 1 at kernel/livepatch/patch.c:80',
            'oopsie',
            'DEBUG: x',
          ]),
        ),
      ),
    ).toEqual([]);
  });
});
