/**
 * Delta debugging of a diverging op sequence on the real kernel (after Zeller's ddmin): each round
 * tries every removal of a chunk (halves, quarters, ... single ops) as one batch of candidates in ONE
 * boot, keeps the shortest candidate that still diverges, and stops when no single op can go
 * (1-minimal). `diverges` runs a batch and says which candidates still differ from the model.
 */
import type { Op } from '../harness/ops.ts';

export type BatchCheck = (candidates: readonly (readonly Op[])[]) => Promise<readonly boolean[]>;

/** Every sequence with one chunk removed, chunk sizes n/2, n/4 ... 1, without repeats. */
export function removals(ops: readonly Op[]): Op[][] {
  const out = new Map<string, Op[]>();
  for (let size = Math.max(1, Math.floor(ops.length / 2)); ; size = Math.max(1, Math.floor(size / 2))) {
    for (let start = 0; start < ops.length; start += size) {
      const c = [...ops.slice(0, start), ...ops.slice(start + size)];
      if (c.length > 0) out.set(JSON.stringify(c), c);
    }
    if (size === 1) break;
  }
  return [...out.values()];
}

/** The 1-minimal sequence; `rounds` counts the boots it took. */
export async function reduceOps(ops: readonly Op[], diverges: BatchCheck, maxRounds = 12): Promise<{ ops: readonly Op[]; rounds: number }> {
  let current = ops;
  let rounds = 0;
  while (rounds < maxRounds) {
    const candidates = removals(current);
    if (candidates.length === 0) break;
    const results = await diverges(candidates);
    rounds++;
    const still = candidates.filter((_, i) => results[i]);
    if (still.length === 0) break;
    current = still.reduce((a, b) => (b.length < a.length ? b : a));
  }
  return { ops: current, rounds };
}
