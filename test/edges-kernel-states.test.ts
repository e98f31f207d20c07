/**
 * model/kernel/states.ts at the edges the selftests leave open: the
 * block_disable compatibility rule over several patches and several states
 * (facts C.4: every state of every replaced patch), the disable refusal of a
 * patch with one blocking state among others, and the per-state callbacks of
 * reversed replaces (facts C.3: klp_states_post_patch_replaced re-runs
 * post_patch only for the states whose pre_unpatch the replace ran, once).
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef, StateDef } from '../model/kernel/definitions.ts';
import { fail, OK } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { perState } from '../model/semantics/per-state.ts';
import { lp } from './support/universe.ts';

const st = (id: number, block_disable = false): StateDef => ({ id, block_disable, callbacks: 'trace' });
const boot = (...patches: PatchDef[]) => new Kernel({ patches, modules: [], kernel: { tasks: 2 } }, perState.hooks);
const stateCallbacks = (k: Kernel) =>
  k.core.log.events.flatMap((e) => (e.kind === 'state_callback' ? [`${e.patch} ${e.state} ${e.cb}`] : []));

describe('block_disable compatibility and disable (facts C.4)', () => {
  it('a replace is checked against every active patch: one blocking patch among others refuses it', () => {
    const k = boot(
      lp('soft', ['f1'], {}, [st(1)]),
      lp('keeper', ['f2'], {}, [st(2, true)]),
      lp('dropper', ['f3'], { replace: true }, [st(1)]),
    );
    expect(k.insmod('soft')).toEqual(OK);
    expect(k.insmod('keeper')).toEqual(OK);
    expect(k.insmod('dropper')).toEqual(fail('EINVAL'));
  });

  it('every state of a patch is checked: the blocking one of two must be carried, the other may be dropped', () => {
    const two = lp('two', ['f1'], {}, [st(1, true), st(2)]);
    const k = boot(two, lp('drops1', ['f2'], { replace: true }, [st(2)]), lp('drops2', ['f3'], { replace: true }, [st(1)]));
    expect(k.insmod('two')).toEqual(OK);
    expect(k.insmod('drops1')).toEqual(fail('EINVAL'));
    expect(k.insmod('drops2')).toEqual(OK);
  });

  it('a patch with one blocking state among others cannot be disabled', () => {
    const k = boot(lp('two', ['f1'], {}, [st(1), st(2, true)]));
    expect(k.insmod('two')).toEqual(OK);
    expect(k.writeEnabled('two', '0')).toEqual(fail('EINVAL'));
    expect(k.log.at(-1)).toBe("livepatch: The livepatch 'two' does not support disable");
  });
});

describe('reversed replaces and the per-state callbacks (facts C.3)', () => {
  it('the reversal gives post_patch back only to the states the replace dropped', () => {
    const k = boot(lp('p1', ['f1'], {}, [st(1), st(2)]), lp('p2', ['f2'], { replace: true }, [st(1)]));
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.blockTask('task0', 'vmlinux:f2,0')).toBe(true);
    expect(k.insmod('p2')).toEqual(OK);
    expect(k.writeEnabled('p2', '0')).toEqual(OK);
    expect(k.unblockTask('task0')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    expect(stateCallbacks(k)).toEqual([
      'p1 1 pre_patch',
      'p1 2 pre_patch',
      'p1 1 post_patch',
      'p1 2 post_patch',
      'p1 2 pre_unpatch',
      'p1 2 post_patch',
    ]);
  });

  it('once given back, a state is not given back again by a later reversed replace that keeps it', () => {
    const k = boot(lp('p1', ['f1'], {}, [st(1)]), lp('p2', ['f2'], { replace: true }), lp('p3', ['f3'], { replace: true }, [st(1)]));
    expect(k.insmod('p1')).toEqual(OK);
    for (const name of ['p2', 'p3']) {
      expect(k.blockTask('task0', `vmlinux:f${name.slice(1)},0`)).toBe(true);
      expect(k.insmod(name)).toEqual(OK);
      expect(k.writeEnabled(name, '0')).toEqual(OK);
      expect(k.unblockTask('task0')).toBe(true);
      expect(k.transitionStep()).toBe(true);
    }
    // p2 dropped state 1 and was reversed: one pre_unpatch, one post_patch. p3 carried it: nothing.
    expect(stateCallbacks(k)).toEqual(['p1 1 pre_patch', 'p1 1 post_patch', 'p1 1 pre_unpatch', 'p1 1 post_patch']);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['p1']);
  });

  it('a failing state pre_patch stops the loop, and the cancelled enable runs no post_unpatch for that state', () => {
    const def: PatchDef = {
      ...lp('p1', ['f1'], {}, [
        { id: 10, callbacks: 'applause' },
        { id: 11, callbacks: 'applause' },
      ]),
      params: { pre_patch_ret: '0' },
    };
    const k = boot(def);
    // The speaker's pre_patch returns pre_patch_ret: both states fail alike, so the first failure stops the loop.
    expect(k.insmod('p1', { pre_patch_ret: '-19' })).toEqual(fail('ENODEV'));
    expect(stateCallbacks(k)).toEqual(['p1 10 pre_patch']);
  });
});
