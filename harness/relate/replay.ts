/** A sequence key of behaviour.ts replayed on one semantics: each op's outcome and the patches enabled after. */
import { Kernel } from '../../model/kernel/kernel.ts';
import type { Universe } from '../../model/kernel/definitions.ts';
import { observe } from '../../model/spec/observe.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { applyToKernel, describeOp } from '../ops.ts';
import { SEP } from './behaviour.ts';
import { opsOf, universes, type RelateBound } from './bound.ts';

export interface ReplayedStep {
  readonly op: string;
  readonly outcome: string;
  readonly enabled: readonly string[];
}

export function sequenceOf(key: string, b: RelateBound): { universe: Universe; ops: string[] } {
  const [u, ...ops] = key.split(SEP);
  return { universe: universes(b)[Number(u!.slice(1))]!, ops };
}

export function replayKey(sem: Semantics, key: string, b: RelateBound): ReplayedStep[] {
  const { universe, ops } = sequenceOf(key, b);
  const k = new Kernel(universe, sem.hooks);
  const all = opsOf(universe);
  return ops.map((text) => {
    const o = applyToKernel(
      all.find((op) => describeOp(op) === text)!,
      k,
    );
    const enabled = observe(k, sem)
      .patches.filter((p) => p.order > 0 && p.status !== 'freed')
      .map((p) => `${p.name}${p.status === 'enabled' ? '' : ` (${p.status})`}`);
    return { op: text, outcome: o.ok ? 'ok' : o.errno!, enabled };
  });
}
