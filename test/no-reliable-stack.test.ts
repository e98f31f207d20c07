/**
 * Without reliable stack traces (kernel.reliable_stacktrace false) every
 * stack check fails: klp_try_switch_task switches no task, so the transition
 * started by insmod does not complete there. Tasks switch on their way back to
 * user space (klp_update_patch_state); a kernel thread never goes there and
 * needs force. Sources: transition.c klp_try_switch_task and klp_check_stack;
 * Documentation/livepatch/livepatch.rst 3.1; facts B.1 step 5.
 */
import { describe, expect, it } from 'vitest';
import { runSequence } from '../harness/run-sequence.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import { OK } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { lp, ops } from './support/universe.ts';

const universe = (reliable: boolean): Universe => ({
  patches: [lp('p1', ['f1'])],
  modules: [],
  kernel: { tasks: 2, reliable_stacktrace: reliable },
});

describe('no reliable stack traces', () => {
  it('insmod warns and leaves the transition open; tasks switch on return to user space', () => {
    const k = new Kernel(universe(false), upstream.hooks);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.log.filter((l) => /livepatch:/.test(l))).toEqual([
      "livepatch: This architecture doesn't have support for the livepatch consistency model.",
      'livepatch: The livepatch transition may never complete.',
      "livepatch: enabling patch 'p1'",
      "livepatch: 'p1': initializing patching transition",
      "livepatch: 'p1': starting patching transition",
    ]);
    expect(k.sysfs('p1')?.transition).toBe('1');
    for (let i = 0; i < 5; i++) expect(k.transitionStep()).toBe(false);
    expect(k.runningCode('task0', 'vmlinux:f1,0')).toBe('original');
    expect(k.taskReturnToUser('task0')).toBe(true);
    expect(k.runningCode('task0', 'vmlinux:f1,0')).toEqual({ patch: 'p1' });
    expect(k.transitionStep()).toBe(false);
    expect(k.taskReturnToUser('task1')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    expect(k.log.at(-1)).toBe("livepatch: 'p1': patching complete");
  });

  it('with reliable stacks the same insmod completes at once', () => {
    const k = new Kernel(universe(true), upstream.hooks);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.sysfs('p1')?.transition).toBe('0');
  });

  it('the spec model agrees, step by step, and every invariant holds', () => {
    const r = runSequence(universe(false), upstream, ops('insmod p1', 'step', 'return task0', 'step', 'return task1', 'step'), {
      invariants: INVARIANTS,
      conformance: true,
    });
    expect(r.violation).toBeNull();
    expect(r.steps.map((s) => s.state.patches[0]!.status)).toEqual(['patching', 'patching', 'patching', 'patching', 'patching', 'enabled']);
    expect(r.steps[2]!.state.tasks.map((t) => t.state)).toEqual(['patched', 'unpatched']);
  });
});
