/**
 * `klpcheck vm --generate N --seed S`: N upstream sequences from the generators `klpcheck run` uses
 * (harness/generators.ts: universeArb, opArb, and the settling ops every sequence ends with), drawn
 * by fast-check's sampler from the seed, so the same seed gives the same sequences. Ops with no guest
 * form yet (vm/cases/ops.ts unsupportedOp) are left out and counted.
 */
import fc from 'fast-check';
import type { Universe } from '../model/kernel/definitions.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { DEFAULT_SCOPE, opArb, settleOps, universeArb } from '../harness/generators.ts';
import type { Op } from '../harness/ops.ts';
import { unsupportedOp } from './cases/ops.ts';

export interface GeneratedSequence {
  readonly universe: Universe;
  readonly ops: readonly Op[];
  /** How many drawn ops were left out for having no guest form. */
  readonly leftOut: number;
}

/**
 * The scope of `klpcheck run` less what an x86-64 guest cannot be made to have: kernel threads the
 * model names (the guest's block points have no task-to-kthread map yet), and a kernel without
 * reliable stack traces (vm/cgen refuses it: x86-64 always has them).
 */
const VM_SCOPE = { ...DEFAULT_SCOPE, kthreads: 0 };

const onX86 = (u: Universe): Universe => {
  const { reliable_stacktrace: _, ...kernel } = u.kernel ?? {};
  return { ...u, kernel };
};

export function generateSequences(n: number, seed: number, maxOps: number): GeneratedSequence[] {
  const arb = fc.tuple(
    universeArb(upstream, VM_SCOPE).map(onX86),
    fc.array(opArb(upstream, VM_SCOPE), { minLength: 1, maxLength: maxOps }),
  );
  if (n === 0) return [];
  return fc.sample(arb, { seed, numRuns: n }).map(([universe, drawn]) => {
    const ops = [...drawn, ...settleOps(VM_SCOPE)].filter((op) => !unsupportedOp([op]));
    return { universe, ops, leftOut: drawn.length + settleOps(VM_SCOPE).length - ops.length };
  });
}
