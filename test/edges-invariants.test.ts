/**
 * Each invariant at each edge of its meaning. test/invariants.test.ts shows
 * one broken fixture per invariant; an invariant weakened at another clause
 * of its meaning (a switch back to the original code, a module removed
 * during a transition, a stale patch, callbacks after a reversed enable ...)
 * would still pass there. Here every clause of each invariant's `meaning`
 * has a deliberately broken kernel or semantics that violates just that
 * clause (`rejects`), and the boundary cases the invariant must allow have
 * a correct run that it accepts (`accepts`), so that neither a weakened nor
 * a strengthened invariant passes.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../harness/ops.ts';
import { runSequence } from '../harness/run-sequence.ts';
import type { PatchDef, Universe } from '../model/kernel/definitions.ts';
import type { Kernel } from '../model/kernel/kernel.ts';
import { perState } from '../model/semantics/per-state.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { replaceSet } from '../model/semantics/replace-set.ts';
import { INVARIANTS, invariantById } from '../properties/catalog.ts';
import {
  ComingReordersStacks,
  ignoresBlockDisable,
  replaceEverything,
  DisableIgnoresBlockDisable,
  DoubleShadowFree,
  FreesSharedShadow,
  GoingRevertsEverything,
  kernelOf,
  LeavesTaskPatched,
  leavesStale,
  RetryKeepsReplaced,
  ReverseRunsPreUnpatch,
  RmmodIgnoresRefcount,
  StaleAndRemovable,
  StatePrePatchAlways,
  WarnsOnReverse,
} from './fixtures/broken.ts';
import { lp, ops, universe } from './support/universe.ts';

type KernelFactory = (u: Universe, s: Semantics) => Kernel;

interface Edge {
  readonly invariant: string;
  /** The clause of the invariant's meaning this case sits on. */
  readonly edge: string;
  readonly universe: Universe;
  readonly ops: readonly Op[];
  readonly semantics: Semantics;
  /**
   * A broken kernel that violates the clause, or 'semantics' when the
   * semantics itself does (then `correct` is one that does not); absent for a
   * boundary case the invariant must accept.
   */
  readonly broken?: KernelFactory | 'semantics';
  readonly correct?: Semantics;
  /** The violation's reason, for a rejected case. */
  readonly reason?: RegExp;
}

const shadowState = (id: number, extra: Partial<{ block_disable: boolean; is_shadow: boolean }> = {}) => ({
  id,
  is_shadow: true,
  callbacks: 'trace' as const,
  ...extra,
});

/** f1 at sympos 1 and at sympos 2: two functions of one name (facts A, klp_find_func). */
function sympos(name: string, pos: number): PatchDef {
  return { name, objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f1', old_sympos: pos }] }] };
}

const EDGES: readonly Edge[] = [
  // one-active-patch-per-slot: outside a transition, at most one enabled patch per slot.
  {
    invariant: 'one-active-patch-per-slot',
    edge: 'a replace completed by a retry, after a stall, must have freed what it replaced',
    universe: universe(lp('p1', ['f1'], { replace: true }), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod p1', 'block task0 f2', 'insmod p2', 'unblock task0', 'step'),
    semantics: upstream,
    broken: kernelOf(RetryKeepsReplaced),
    reason: /slot cumulative holds both p1 and p2/,
  },
  {
    invariant: 'one-active-patch-per-slot',
    edge: 'during the replace transition both patches of the slot are listed, which is allowed',
    universe: universe(lp('p1', ['f1'], { replace: true }), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod p1', 'block task0 f2', 'insmod p2'),
    semantics: upstream,
  },
  // no-function-shared-across-slots
  {
    invariant: 'no-function-shared-across-slots',
    edge: "a module's function counts like a vmlinux one, loaded or not",
    universe: universe(lp('p1', ['mod:m1']), lp('p2', ['f2', 'mod:m1'])),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
    broken: 'semantics',
    correct: replaceEverything,
    reason: /p1 \(slot patch:p1\) and p2 \(slot patch:p2\) both use mod:m1,0/,
  },
  {
    invariant: 'no-function-shared-across-slots',
    edge: 'one name at two sympos is two functions',
    universe: { ...universe(sympos('p1', 1), sympos('p2', 2)), kernel: { tasks: 2, vmlinux_symbols: { f1: 2 } } },
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
  },
  {
    invariant: 'no-function-shared-across-slots',
    edge: 'a replace in transition overlaps the patch it replaces, which is allowed',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f1'], { replace: true })),
    ops: ops('insmod p1', 'block task0 f1', 'insmod p2'),
    semantics: upstream,
  },
  {
    invariant: 'no-function-shared-across-slots',
    edge: 'two enabled patches of one slot that share a function are one slot, not two (one-active-patch-per-slot speaks of them)',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f1'])),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: { ...stacking, name: 'one-slot', slotOf: () => 'slot:1' },
  },
  // no-state-shared-across-slots
  {
    invariant: 'no-state-shared-across-slots',
    edge: 'the sharing pair need not be the first two patches',
    universe: universe(lp('p1', ['f1'], {}, [{ id: 2, version: 1 }]), lp('p2', ['f2']), lp('p3', ['f3'], {}, [{ id: 2, version: 1 }])),
    ops: ops('insmod p1', 'insmod p2', 'insmod p3'),
    semantics: upstream,
    broken: 'semantics',
    correct: replaceEverything,
    reason: /p1 \(slot patch:p1\) and p3 \(slot patch:p3\) both use state 2$/,
  },
  {
    invariant: 'no-state-shared-across-slots',
    edge: 'a replace in transition carries the state it takes over, which is allowed',
    universe: universe(lp('p1', ['f1'], {}, [{ id: 1, version: 1 }]), lp('p2', ['f2'], { replace: true }, [{ id: 1, version: 1 }])),
    ops: ops('insmod p1', 'block task0 f2', 'insmod p2'),
    semantics: upstream,
  },
  // shadow-lifetime
  {
    invariant: 'shadow-lifetime',
    edge: 'never freed while another active patch still declares the state',
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1)]), lp('p2', ['f2'], {}, [shadowState(1)])),
    ops: ops('insmod p1', 'insmod p2', 'alloc p1 5 1', 'disable p1'),
    semantics: perState,
    broken: kernelOf(FreesSharedShadow),
    reason: /shadow variable <5\/1> freed while state 1 is still declared by an active patch/,
  },
  {
    invariant: 'shadow-lifetime',
    edge: 'freed exactly once',
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1)])),
    ops: ops('insmod p1', 'alloc p1 5 1', 'disable p1'),
    semantics: perState,
    broken: kernelOf(DoubleShadowFree),
    reason: /shadow variable <5\/1> freed twice/,
  },
  {
    invariant: 'shadow-lifetime',
    edge: "a state without is_shadow does not own its id's shadow variables: they may outlive it",
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1, { is_shadow: false })])),
    ops: ops('insmod p1', 'alloc p1 5 1', 'disable p1'),
    semantics: perState,
  },
  {
    invariant: 'shadow-lifetime',
    edge: 'the last patch declaring the state goes: its variables go with it, once',
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1)]), lp('p2', ['f2'], {}, [shadowState(1)])),
    ops: ops('insmod p1', 'insmod p2', 'alloc p1 5 1', 'disable p1', 'alloc p2 6 1', 'disable p2'),
    semantics: perState,
  },
  // no-silent-version-switch
  {
    invariant: 'no-silent-version-switch',
    edge: 'a switch back to the original code',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod mod', 'insmod p1', 'rmmod mod'),
    semantics: upstream,
    broken: kernelOf(GoingRevertsEverything),
    reason: /task0 switched vmlinux:f1,0 from p1 to original/,
  },
  {
    invariant: 'no-silent-version-switch',
    edge: "a switch from one patch's version to another's",
    universe: universe(lp('p1', ['f1']), lp('p2', ['f1'])),
    ops: ops('insmod p1', 'insmod p2', 'insmod mod'),
    semantics: upstream,
    broken: kernelOf(ComingReordersStacks),
    reason: /task0 switched vmlinux:f1,0 from p2 to p1/,
  },
  {
    invariant: 'no-silent-version-switch',
    edge: "the function's own module coming and going is allowed",
    universe: universe(lp('p1', ['mod:m1'])),
    ops: ops('insmod p1', 'insmod mod', 'rmmod mod', 'insmod mod'),
    semantics: upstream,
  },
  {
    invariant: 'no-silent-version-switch',
    edge: 'a task that switches in a reversed transition is allowed its switch back',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('block task0 f1', 'insmod p1', 'disable p1', 'unblock task0', 'step'),
    semantics: upstream,
  },
  // no-lost-fix
  {
    invariant: 'no-lost-fix',
    edge: "only the function's own module going may take a fix away, not any module",
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod mod', 'insmod p1', 'rmmod mod'),
    semantics: upstream,
    broken: kernelOf(GoingRevertsEverything),
    reason: /p1's fix of vmlinux:f1,0 stopped running \(now original\) for task0; no replacing patch may not replace p1/,
  },
  {
    invariant: 'no-lost-fix',
    edge: 'an older patch never takes over from a newer one',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f1'])),
    ops: ops('insmod p1', 'insmod p2', 'insmod mod'),
    semantics: upstream,
    broken: kernelOf(ComingReordersStacks),
    reason: /p2's fix of vmlinux:f1,0 stopped running \(now p1\)/,
  },
  {
    invariant: 'no-lost-fix',
    edge: 'a newer patch of the same function takes over, and disabling it gives the older fix back',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f1'])),
    ops: ops('insmod p1', 'insmod p2', 'disable p2'),
    semantics: upstream,
  },
  {
    invariant: 'no-lost-fix',
    edge: 'a replace that declares it may (replace=true) takes the fix away',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
  },
  // block-disable-honoured
  {
    invariant: 'block-disable-honoured',
    edge: 'not by a disable',
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1, { block_disable: true })])),
    ops: ops('insmod p1', 'disable p1'),
    semantics: perState,
    broken: kernelOf(DisableIgnoresBlockDisable),
    reason: /state 1 disappeared although p1 blocks its disable/,
  },
  {
    invariant: 'block-disable-honoured',
    edge: 'not by reversing the transition that introduced it',
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1, { block_disable: true })])),
    ops: ops('block task0 f1', 'insmod p1', 'disable p1', 'unblock task0', 'step'),
    semantics: perState,
    broken: kernelOf(DisableIgnoresBlockDisable),
    reason: /state 1 disappeared although p1 blocks its disable/,
  },
  {
    invariant: 'block-disable-honoured',
    edge: 'a later patch that took the state over without the flag may remove it',
    universe: universe(
      lp('p1', ['f1'], { replace: true }, [shadowState(1, { block_disable: true })]),
      lp('p2', ['f2'], { replace: true }, [shadowState(1)]),
    ),
    ops: ops('insmod p1', 'insmod p2', 'disable p2'),
    semantics: perState,
  },
  {
    invariant: 'block-disable-honoured',
    edge: 'only the patches still on klp_patches count: a freed one that had the state without the flag does not',
    universe: universe(
      lp('p1', ['f1'], { replace: true }, [shadowState(1)]),
      lp('p2', ['f2'], { replace: true }, [shadowState(1, { block_disable: true })]),
    ),
    ops: ops('insmod p1', 'insmod p2', 'disable p2'),
    semantics: perState,
    broken: kernelOf(DisableIgnoresBlockDisable),
    reason: /state 1 disappeared although p2 blocks its disable/,
  },
  {
    invariant: 'block-disable-honoured',
    edge: 'a state that a patch without the flag also declares is not protected',
    universe: universe(
      lp('p1', ['f1'], {}, [shadowState(1, { block_disable: true })]),
      lp('p2', ['f2'], {}, [shadowState(1)]),
      lp('p3', ['f3'], { replace: true }),
    ),
    ops: ops('insmod p1', 'insmod p2', 'insmod p3'),
    // Only a compatibility check that forgets block_disable lets p3 drop the state at all.
    semantics: ignoresBlockDisable,
  },
  // transition-sanity
  {
    invariant: 'transition-sanity',
    edge: 'a stale patch on klp_patches (listed, neither enabled nor in transition)',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'disable p1'),
    semantics: upstream,
    broken: kernelOf(leavesStale(true)),
    reason: /p1 is on klp_patches but neither enabled nor in transition/,
  },
  {
    invariant: 'transition-sanity',
    edge: 'a stale patch off klp_patches (its sysfs directory left behind)',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'disable p1'),
    semantics: upstream,
    broken: kernelOf(leavesStale(false)),
    reason: /p1 is off klp_patches but neither enabled nor in transition/,
  },
  {
    invariant: 'transition-sanity',
    edge: 'every task idle outside a transition',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('block task0 f1', 'insmod p1', 'unblock task0', 'step'),
    semantics: upstream,
    broken: kernelOf(LeavesTaskPatched),
    reason: /task0 is patched with no transition in progress/,
  },
  {
    invariant: 'transition-sanity',
    edge: 'the core never WARNs',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('block task0 f1', 'insmod p1', 'disable p1'),
    semantics: upstream,
    broken: kernelOf(WarnsOnReverse),
    reason: /WARN: klp_init_transition with a transition in progress/,
  },
  {
    invariant: 'transition-sanity',
    edge: 'tasks are not idle during a transition, which is allowed',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('block task0 f1', 'insmod p1', 'disable p1', 'enable p1', 'unblock task0', 'step'),
    semantics: upstream,
  },
  // callback-pairing
  {
    invariant: 'callback-pairing',
    edge: 'after a reversed enable: no pre_unpatch (there was no post_patch)',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('block task0 f1', 'insmod p1', 'disable p1'),
    semantics: upstream,
    broken: kernelOf(ReverseRunsPreUnpatch),
    reason: /p1 object vmlinux: pre_unpatch without post_patch/,
  },
  {
    invariant: 'callback-pairing',
    edge: 'state pre_patch only for an id no active patch has',
    universe: universe(lp('p1', ['f1'], {}, [shadowState(1)]), lp('p2', ['f2'], {}, [shadowState(1)])),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: perState,
    broken: kernelOf(StatePrePatchAlways),
    reason: /p2: pre_patch of state 1, which an active patch already has/,
  },
  {
    invariant: 'callback-pairing',
    edge: 'a reversed enable ends in post_unpatch after pre_patch, a reversed disable in post_patch after pre_unpatch',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f2'])),
    ops: ops(
      'block task0 f1',
      'insmod p1',
      'disable p1',
      'unblock task0',
      'step',
      'insmod p1',
      'insmod p2',
      'block task1 f2',
      'disable p2',
      'enable p2',
      'unblock task1',
      'step',
      'disable p2',
    ),
    semantics: upstream,
  },
  {
    invariant: 'callback-pairing',
    edge: "a replaced patch's objects get no unpatch callbacks, and a module reloaded afterwards starts afresh",
    universe: universe(lp('p1', ['f1', 'mod:m1']), lp('p2', ['f2', 'mod:m1'], { replace: true })),
    ops: ops('insmod mod', 'insmod p1', 'insmod p2', 'rmmod mod', 'insmod mod', 'disable p2'),
    semantics: upstream,
  },
  // module-safety
  {
    invariant: 'module-safety',
    edge: 'not while its patch is enabled',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'rmmod p1'),
    semantics: upstream,
    broken: kernelOf(RmmodIgnoresRefcount),
    reason: /p1 was removed while enabled/,
  },
  {
    invariant: 'module-safety',
    edge: 'not during its patching transition',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('block task0 f1', 'insmod p1', 'rmmod p1'),
    semantics: upstream,
    broken: kernelOf(RmmodIgnoresRefcount),
    reason: /p1 was removed while patching/,
  },
  {
    invariant: 'module-safety',
    edge: 'not during its unpatching transition',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'block task0 f1', 'disable p1', 'rmmod p1'),
    semantics: upstream,
    broken: kernelOf(RmmodIgnoresRefcount),
    reason: /p1 was removed while unpatching/,
  },
  {
    invariant: 'module-safety',
    edge: 'not while its patch is stale',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'disable p1', 'rmmod p1'),
    semantics: upstream,
    broken: kernelOf(StaleAndRemovable),
    reason: /p1 was removed while stale/,
  },
  {
    invariant: 'module-safety',
    edge: 'a replaced patch, freed and not forced, may go; so may a target module',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod mod', 'insmod p1', 'insmod p2', 'rmmod p1', 'rmmod mod'),
    semantics: upstream,
  },
  // no-foreign-removal (issue 12): no patch takes away a patch it shares no owner with, unless the admin asked.
  {
    invariant: 'no-foreign-removal',
    edge: "the vendor's cumulative patch wipes the user's hotfix (Joe Lawrence's set-3 question, upstream)",
    universe: universe({ ...lp('p1', ['f1']), owners: ['user'] }, { ...lp('p2', ['f2'], { replace: true }), owners: ['vendor'] }),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
    broken: 'semantics',
    correct: stacking,
    reason: /^p2 \(vendor\) replaced and freed p1 \(user\)/,
  },
  {
    invariant: 'no-foreign-removal',
    edge: "the vendor's cumulative patch replaces the vendor's own earlier patch",
    universe: universe({ ...lp('p1', ['f1']), owners: ['vendor'] }, { ...lp('p2', ['f2'], { replace: true }), owners: ['vendor'] }),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
  },
  // no-foreign-overlap (issue 12): patches of different owners never patch one function.
  {
    invariant: 'no-foreign-overlap',
    edge: "the vendor's patch stacks on the user's function",
    universe: universe(
      { ...lp('p1', ['f1'], { replace_set: 1 }), owners: ['user'] },
      { ...lp('p2', ['f1'], { replace_set: 2 }), owners: ['vendor'] },
    ),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
    broken: 'semantics',
    correct: replaceSet,
    reason: /p1 \(user\) and p2 \(vendor\) both patch vmlinux:f1,0/,
  },
  {
    invariant: 'no-foreign-overlap',
    edge: 'two patches of one owner stack on one function',
    universe: universe({ ...lp('p1', ['f1']), owners: ['vendor'] }, { ...lp('p2', ['f1']), owners: ['vendor'] }),
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
  },
  // no-silent-downgrade (issue 12, opt-in): an older release never silently takes back a newer one.
  {
    invariant: 'no-silent-downgrade',
    edge: "release 1 replaces release 2 where only block_disable would stop it (per-state, Petr Mladek's klp-5a then klp-3a)",
    universe: {
      ...universe(
        { ...lp('p1', ['f1'], { replace: true }, [{ id: 1, version: 1 }]), release: 1 },
        { ...lp('p2', ['f1'], { replace: true }, [{ id: 1, version: 2 }]), release: 2 },
      ),
      forbid_downgrade: true,
    },
    ops: ops('insmod p2', 'insmod p1'),
    semantics: perState,
    broken: 'semantics',
    correct: upstream,
    reason: /^p1 \(release 1\) replaced and freed p2 \(release 2\)/,
  },
  {
    invariant: 'no-silent-downgrade',
    edge: 'a newer release replaces an older one',
    universe: {
      ...universe({ ...lp('p1', ['f1'], { replace: true }), release: 1 }, { ...lp('p2', ['f1'], { replace: true }), release: 2 }),
      forbid_downgrade: true,
    },
    ops: ops('insmod p1', 'insmod p2'),
    semantics: upstream,
  },
];

function check(e: Edge, semantics: Semantics, kernel?: KernelFactory) {
  const inv = invariantById(e.invariant)!;
  return runSequence(e.universe, semantics, e.ops, { invariants: [inv], conformance: false, kernel });
}

describe('every invariant at each edge of its meaning', () => {
  it('every invariant has at least two broken fixtures and one boundary case it accepts', () => {
    for (const inv of INVARIANTS) {
      const mine = EDGES.filter((e) => e.invariant === inv.id);
      // block-disable-honoured and one-active-patch-per-slot have a rejecting case in test/invariants.test.ts too.
      expect(mine.filter((e) => e.broken).length, inv.id).toBeGreaterThanOrEqual(1);
      expect(mine.filter((e) => !e.broken).length, inv.id).toBeGreaterThanOrEqual(1);
    }
  });

  for (const e of EDGES) {
    if (e.broken) {
      it(`${e.invariant} rejects: ${e.edge}`, () => {
        const v = check(e, e.semantics, e.broken === 'semantics' ? undefined : e.broken).violation;
        expect(v?.invariant, v?.reason).toBe(e.invariant);
        expect(v?.reason).toMatch(e.reason!);
      });
      it(`${e.invariant} accepts the same sequence on the correct ${e.correct ? 'semantics' : 'kernel'} (${e.edge})`, () => {
        const r = check(e, e.correct ?? e.semantics);
        expect(r.violation).toBeNull();
        expect(r.steps).toHaveLength(e.ops.length);
      });
    } else {
      it(`${e.invariant} accepts: ${e.edge}`, () => {
        const r = check(e, e.semantics);
        expect(r.violation).toBeNull();
        expect(r.steps).toHaveLength(e.ops.length);
      });
    }
  }
});
