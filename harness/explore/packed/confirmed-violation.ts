/**
 * A packed engine's finding made a counterexample of the object
 * implementation (explore's shortest paths, simulate's walk prefixes): the
 * successor positions decoded to a universe and ops (PackedSpec.decodePath),
 * relabelled with the first load order that breaks an owner property
 * (summary.ts witnessUniverse), and replayed (summary.ts replayViolation)
 * for its reason. A path the object implementation does not find violated
 * at its last step is a bug of the packed engine, and throws.
 */
import type { Semantics } from '../../../model/semantics/semantics.ts';
import type { ExploreScope } from '../scope.ts';
import { replayViolation, witnessUniverse, type ViolationSummary } from '../summary.ts';
import type { PackedLockstep } from './lockstep.ts';

/**
 * `path` from root `root` of `model`, which violates `property` at its last
 * step, as the object implementation's counterexample with its reason.
 * Throws Error(`unconfirmed()`) when the replay does not violate `property`
 * there.
 */
export function confirmedViolation(
  model: PackedLockstep,
  sem: Semantics,
  scope: ExploreScope,
  property: string,
  path: readonly number[],
  root: number,
  unconfirmed: () => string,
): ViolationSummary {
  const { universe: decoded, ops } = model.decodePath(path, root);
  const universe = witnessUniverse({ property, depth: path.length, universe: decoded, ops, reason: '' }, sem, scope);
  const found: ViolationSummary = { property, depth: path.length, universe, ops, reason: '' };
  const replayed = replayViolation(found, sem, scope);
  if (replayed.violation?.invariant !== property || replayed.steps.length !== ops.length) throw new Error(unconfirmed());
  return { ...found, reason: replayed.violation.reason };
}
