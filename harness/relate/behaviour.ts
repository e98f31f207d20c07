/**
 * What a semantics does within a bound (bound.ts): for every universe, the
 * tree of op sequences in which every op succeeded, each node with the
 * abstract state it reaches (slot names left out, as each proposal names
 * its slots its own way), and each refused extension with its errno. Two
 * semantics compare node by node (relation.ts). The reference
 * implementation runs, branched by deep copy (model/kernel/clone.ts).
 */
import { createHash } from 'node:crypto';
import { Kernel } from '../../model/kernel/kernel.ts';
import type { Universe } from '../../model/kernel/definitions.ts';
import { observe } from '../../model/spec/observe.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { applyToKernel, describeOp, type Op } from '../ops.ts';
import { opsOf, universes, type RelateBound } from './bound.ts';
import { SequenceBudget } from './budget.ts';

/** Separates the universe index and the ops in a sequence key. */
export const SEP = ' | ';

/** Sequence key (universe index, then op descriptions) -> the state reached (hashed), or `refused: ERRNO`. */
export type Behaviour = ReadonlyMap<string, string>;

/** The abstract state without slot names, hashed: 64 bits are plenty for the few hundred thousand states of a bound. */
function stateKey(k: Kernel, sem: Semantics): string {
  const s = observe(k, sem);
  const text = JSON.stringify({ ...s, patches: s.patches.map(({ slot, ...rest }) => (void slot, rest)) });
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/**
 * The semantics' behaviour within the bound. `budget` (budget.ts) counts
 * every sequence held, over all the run's semantics, and throws E_USAGE
 * before memory runs out; `semanticsLeft` is this semantics and those the
 * run will hold after it, for the budget's projection after the first
 * universe.
 */
export function behaviour(sem: Semantics, b: RelateBound, budget = new SequenceBudget(b, 1), semanticsLeft = 1): Behaviour {
  const out = new Map<string, string>();
  const hold = (key: string, value: string) => {
    budget.take();
    out.set(key, value);
  };
  universes(b).forEach((u: Universe, ui) => {
    const ops = opsOf(u);
    const walk = (k: Kernel, prefix: string, depth: number) => {
      hold(prefix, stateKey(k, sem));
      if (depth === b.depth) return;
      for (const op of ops) {
        const next = k.clone();
        const outcome = applyToKernel(op, next);
        const key = `${prefix}${SEP}${describeOp(op as Op)}`;
        if (outcome.ok) walk(next, key, depth + 1);
        else hold(key, `refused: ${outcome.errno}`);
      }
    };
    walk(new Kernel(u, sem.hooks), `u${ui}`, 0);
    if (ui === 0) budget.project(out.size, semanticsLeft);
  });
  return out;
}
