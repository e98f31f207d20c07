/**
 * Every invariant rejects a deliberately broken semantics or implementation
 * (test/fixtures/broken.ts), and accepts the same sequence on the correct
 * one, so that none of them can pass vacuously.
 */
import { describe, expect, it } from 'vitest';
import { runSequence } from '../harness/run-sequence.ts';
import type { Kernel } from '../model/kernel/kernel.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import { perState } from '../model/semantics/per-state.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { replaceSet } from '../model/semantics/replace-set.ts';
import { invariantById, INVARIANTS } from '../properties/catalog.ts';
import {
  DoublePostUnpatch,
  ignoresBlockDisable,
  ignoresVersions,
  KeepsFreedPatchListed,
  kernelOf,
  noShadowFree,
  noCrossSetCheck,
  nopsFromAll,
  replaceEverything,
  replaceWithoutFree,
  RmmodIgnoresForced,
  specHooksMismatch,
} from './fixtures/broken.ts';
import { lp, ops, universe } from './support/universe.ts';
import { universeBounds } from '../harness/explore/vacuity.ts';
import type { Op } from '../harness/ops.ts';

type KernelFactory = (u: Universe, s: Semantics) => Kernel;

function check(id: string, sem: Semantics, u: Universe, seq: readonly Op[], kernel?: KernelFactory) {
  const inv = id === 'conformance' ? null : invariantById(id)!;
  return runSequence(u, sem, seq, { invariants: inv ? [inv] : [], conformance: !inv, kernel }).violation;
}

interface Case {
  readonly id: string;
  readonly why: string;
  readonly universe: Universe;
  readonly ops: readonly Op[];
  readonly broken: Semantics;
  readonly brokenKernel?: KernelFactory;
  readonly correct: Semantics;
  readonly reason: RegExp;
}

const CASES: readonly Case[] = [
  {
    id: 'conformance',
    why: "upstream's promise run on the stacking rule's hooks",
    universe: universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod p1', 'insmod p2'),
    broken: specHooksMismatch,
    correct: upstream,
    reason: /spec has/,
  },
  {
    id: 'one-active-patch-per-slot',
    why: 'a replace that never frees the patch it replaces',
    universe: universe(lp('p1', ['f1'], { replace: true }), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod p1', 'insmod p2'),
    broken: replaceWithoutFree,
    correct: upstream,
    reason: /slot cumulative holds both p1 and p2/,
  },
  {
    id: 'no-function-shared-across-slots',
    why: 'two stacked non-replace patches of one function (upstream allows it)',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f1'])),
    ops: ops('insmod p1', 'insmod p2'),
    broken: upstream,
    correct: replaceEverything,
    reason: /both use vmlinux:f1,0/,
  },
  {
    id: 'no-state-shared-across-slots',
    why: 'two stacked non-replace patches with one state id (upstream allows it)',
    universe: universe(lp('p1', ['f1'], {}, [{ id: 1, version: 1 }]), lp('p2', ['f2'], {}, [{ id: 1, version: 1 }])),
    ops: ops('insmod p1', 'insmod p2'),
    broken: upstream,
    correct: replaceEverything,
    reason: /both use state 1$/,
  },
  {
    id: 'shadow-lifetime',
    why: 'per-state callbacks whose core never frees is_shadow shadow variables',
    universe: universe(lp('p1', ['f1'], {}, [{ id: 1, is_shadow: true, callbacks: 'trace' }])),
    ops: ops('insmod p1', 'alloc p1 1 1', 'disable p1'),
    broken: noShadowFree,
    correct: perState,
    reason: /left behind/,
  },
  {
    id: 'no-silent-version-switch',
    why: "nops from every patch but only replace patches replaced: Petr Mladek's lp1/lp2/lp3 shape",
    universe: universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })),
    ops: ops('insmod p1', 'block task1 f2', 'insmod p2', 'unblock task1', 'step'),
    broken: nopsFromAll,
    correct: upstream,
    reason: /task0 switched vmlinux:f1,0 from original to p1/,
  },
  {
    id: 'no-lost-fix',
    why: 'a non-replace patch that replaces everything',
    universe: universe(lp('p1', ['f1']), lp('p2', ['f2'])),
    ops: ops('insmod p1', 'insmod p2'),
    broken: replaceEverything,
    correct: upstream,
    reason: /p1's fix of vmlinux:f1,0 stopped running/,
  },
  {
    id: 'block-disable-honoured',
    why: 'a compatibility check that lets a replace drop a block_disable state',
    universe: universe(
      lp('p1', ['f1'], { replace: true }, [{ id: 1, block_disable: true, callbacks: 'trace' }]),
      lp('p2', ['f1'], { replace: true }),
    ),
    ops: ops('insmod p1', 'insmod p2'),
    broken: ignoresBlockDisable,
    correct: perState,
    reason: /state 1 disappeared although p1 blocks its disable/,
  },
  {
    id: 'transition-sanity',
    why: 'a kernel that leaves a freed patch on klp_patches',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'disable p1'),
    broken: upstream,
    brokenKernel: kernelOf(KeepsFreedPatchListed),
    correct: upstream,
    reason: /p1 is on klp_patches but freed/,
  },
  {
    id: 'callback-pairing',
    why: 'a kernel that runs post_unpatch twice',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'disable p1'),
    broken: upstream,
    brokenKernel: kernelOf(DoublePostUnpatch),
    correct: upstream,
    reason: /post_unpatch without a successful pre_patch/,
  },
  {
    id: 'module-safety',
    why: 'a kernel whose rmmod forgets that a forced patch pins its module',
    universe: universe(lp('p1', ['f1'])),
    ops: ops('insmod p1', 'block task0 f1', 'disable p1', 'force p1', 'step', 'rmmod p1'),
    broken: upstream,
    brokenKernel: kernelOf(RmmodIgnoresForced),
    correct: upstream,
    reason: /p1 was removed although its patch was forced/,
  },
  {
    id: 'no-foreign-removal',
    why: "a vendor's non-replace patch that replaces the user's patch anyway",
    universe: universe({ ...lp('p1', ['f1']), owners: ['user'] }, { ...lp('p2', ['f2']), owners: ['vendor'] }),
    ops: ops('insmod p1', 'insmod p2'),
    broken: replaceEverything,
    correct: upstream,
    reason: /^p2 \(vendor\) replaced and freed p1 \(user\)/,
  },
  {
    id: 'no-foreign-overlap',
    why: "replace_set without the cross-set check: the vendor's set-2 patch on the user's set-1 function",
    universe: universe(
      { ...lp('p1', ['f1'], { replace_set: 1 }), owners: ['user'] },
      { ...lp('p2', ['f1'], { replace_set: 2 }), owners: ['vendor'] },
    ),
    ops: ops('insmod p1', 'insmod p2'),
    broken: noCrossSetCheck,
    correct: replaceSet,
    reason: /p1 \(user\) and p2 \(vendor\) both patch vmlinux:f1,0/,
  },
  {
    id: 'no-silent-downgrade',
    why: 'upstream without the version check: release 1 replaces release 2, which raised state 1 to version 2',
    universe: {
      ...universe(
        { ...lp('p1', ['f1'], { replace: true }, [{ id: 1, version: 1 }]), release: 1 },
        { ...lp('p2', ['f1'], { replace: true }, [{ id: 1, version: 2 }]), release: 2 },
      ),
      forbid_downgrade: true,
    },
    ops: ops('insmod p2', 'insmod p1'),
    broken: ignoresVersions,
    correct: upstream,
    reason: /^p1 \(release 1\) replaced and freed p2 \(release 2\)/,
  },
];

describe('every invariant catches its deliberately broken variant', () => {
  it('covers the whole catalog and conformance', () => {
    expect(new Set(CASES.map((c) => c.id))).toEqual(new Set(['conformance', ...INVARIANTS.map((i) => i.id)]));
  });
  for (const c of CASES) {
    it(`${c.id}: rejects ${c.why}`, () => {
      const v = check(c.id, c.broken, c.universe, c.ops, c.brokenKernel);
      expect(v?.invariant).toBe(c.id);
      expect(v?.reason).toMatch(c.reason);
      // A verdict calls a pass vacuous only where no universe has what a violation needs (harness/explore/vacuity.ts).
      expect(invariantById(c.id)?.lacks?.(universeBounds(c.universe)) ?? null).toBeNull();
    });
    it(`${c.id}: accepts the same sequence on ${c.correct.name}`, () => {
      expect(check(c.id, c.correct, c.universe, c.ops)).toBeNull();
    });
  }
});

describe('findings on the real semantics', () => {
  it('per-state: a replace of two patches sharing a state removes it without post_unpatch (facts C.3)', () => {
    const s = { id: 2, is_shadow: true, callbacks: 'trace' as const };
    const u = universe(lp('p1', ['f1'], { replace: true }), lp('p2', ['f2'], {}, [s]), lp('p3', ['f3'], {}, [s]));
    const v = check('callback-pairing', perState, u, ops('insmod p2', 'insmod p3', 'insmod p1'));
    expect(v?.reason).toBe('state 2 disappeared without post_unpatch');
  });
  it("per-state: the same replace leaves the state's shadow variables behind", () => {
    const s = { id: 2, is_shadow: true, callbacks: 'trace' as const };
    const u = universe(lp('p1', ['f1'], { replace: true }), lp('p2', ['f2'], {}, [s]), lp('p3', ['f3'], {}, [s]));
    const v = check('shadow-lifetime', perState, u, ops('insmod p2', 'insmod p3', 'alloc p2 1 2', 'insmod p1'));
    expect(v?.reason).toMatch(/left behind/);
  });
  it('upstream: forcing a reversed disable marks a patch loaded later as forced, though nothing replaces it (klp_force_transition)', () => {
    const u = universe(lp('p1', ['f1'], { replace: true }), lp('p2', ['f2']));
    const v = check('conformance', upstream, u, ops('insmod p1', 'insmod p2', 'block task0 f1', 'disable p1', 'enable p1', 'force p1'));
    expect(v?.reason).toBe('at /patches/1/forced the spec has false, the implementation true');
  });
});
