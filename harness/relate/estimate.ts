/**
 * How many sequences relate's behaviour() (behaviour.ts) will hold, guessed
 * before any is held, so that a bound too large for memory is refused at once
 * (budget.ts). With patches=4 at depth 8 the first universe alone passed the
 * budget, and the refusal came only after 76 s of work (stop 40, left open).
 *
 * The guess is Knuth's estimator of the size of a tree (D. E. Knuth,
 * "Estimating the efficiency of backtrack programs", Math. Comp. 29, 1975):
 * behaviour() holds one sequence for every node of a tree whose root is the
 * empty sequence and whose node has one child per op tried (opsOf), unless it
 * was refused or is at the depth bound. A walk from the root that takes a
 * child at random, and finds d1, d2, ... children on its way, gives
 * 1 + d1 + d1*d2 + ...; its mean over every walk is the tree's size. Here
 * each walk also picks its universe at random, so the mean times the
 * universes is the whole count. It is a guess, never a bound: a walk that
 * meets few refusals counts high, one that meets many counts low.
 */
import fc from 'fast-check';
import { applyToKernel } from '../ops.ts';
import { Kernel } from '../../model/kernel/kernel.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { opCount, opsOf, universeAt, universeCount, type RelateBound } from './bound.ts';

/** Random walks per semantics: about 0.1 s of work at depth 8; at 256 the guesses of one bound spread over 15x. */
export const ESTIMATE_WALKS = 4096;

/**
 * The sequences behaviour(sem, b) holds, estimated from `walks` random walks
 * chosen by fast-check from `seed` (the same seed, the same answer).
 */
export function estimateSequences(sem: Semantics, b: RelateBound, walks = ESTIMATE_WALKS, seed = 1): number {
  const universes = universeCount(b);
  const children = opCount(b);
  // Uniform draws (noBias): fast-check favours small values by default, and the walks then took the first op
  // (an insmod) too often and counted a tenth low at depth 3.
  const choices = fc.sample(
    fc.record({
      universe: fc.noBias(fc.nat({ max: universes - 1 })),
      picks: fc.array(fc.noBias(fc.nat({ max: children - 1 })), { minLength: b.depth, maxLength: b.depth }),
    }),
    { numRuns: walks, seed },
  );
  let sum = 0;
  for (const { universe, picks } of choices) {
    const u = universeAt(b, universe);
    const ops = opsOf(u);
    if (ops.length !== children) throw new Error(`relate: ${ops.length} ops, not the ${children} of opCount`);
    let k = new Kernel(u, sem.hooks);
    // The root's sequence, then each level's: the product of the children counts on the way.
    let size = 1;
    let level = 1;
    for (let depth = 0; depth < b.depth; depth++) {
      level *= ops.length;
      size += level;
      const next = k.clone();
      if (!applyToKernel(ops[picks[depth]!]!, next).ok) break;
      k = next;
    }
    sum += size;
  }
  return (sum / walks) * universes;
}
