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

export function generateSequences(n: number, seed: number, maxOps: number): GeneratedSequence[] {
  const arb = fc.tuple(universeArb(upstream, DEFAULT_SCOPE), fc.array(opArb(upstream, DEFAULT_SCOPE), { minLength: 1, maxLength: maxOps }));
  if (n === 0) return [];
  return fc.sample(arb, { seed, numRuns: n }).map(([universe, drawn]) => {
    const ops = [...drawn, ...settleOps(DEFAULT_SCOPE)].filter((op) => !unsupportedOp([op]));
    return { universe, ops, leftOut: drawn.length + settleOps(DEFAULT_SCOPE).length - ops.length };
  });
}
