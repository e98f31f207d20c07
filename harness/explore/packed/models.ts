/**
 * The packed engine's models by name, for the searches that make their own
 * (the parallel search's workers, the bench, the command line): a
 * semantics' spec model alone (spec.ts), or in lockstep with the kernel and
 * checked for conformance and every invariant (lockstep.ts), which can also
 * count coverage.
 */
import type { ExploreScope } from '../scope.ts';
import type { PackedSpace } from './search.ts';
import { PackedLockstep } from './lockstep.ts';
import { PackedSpec } from './spec.ts';
import { semanticsByName } from '../../../model/semantics/registry.ts';
import type { Semantics } from '../../../model/semantics/semantics.ts';

export type PackedModelName = 'spec' | 'lockstep';

/** The semantics by name (default upstream: a worker gets names, not objects), and whether the lockstep counts coverage. */
export interface PackedModelOptions {
  readonly semantics?: string;
  readonly coverage?: boolean;
  /** The lockstep's properties (lockstep.ts PackedLockstepOptions.properties; default all). */
  readonly properties?: readonly string[];
}

/** The semantics named, upstream when none is; throws for a name no semantics has. */
function packedSemantics(name = 'upstream'): Semantics {
  const s = semanticsByName(name);
  if (!s) throw new Error(`packed: no semantics '${name}'`);
  return s;
}

/**
 * The packed model `name` of a search of `scope`; throws for another name
 * (an untyped caller's 'foo' had run the lockstep model) and for a scope the
 * packed engine does not have (DefinitionTree). Its `tree` is the
 * search's definitions (bench/packed-spec.ts counts its nodes).
 */
export function packedModel(
  name: PackedModelName,
  scope: ExploreScope,
  options: PackedModelOptions = {},
): PackedSpace & Pick<PackedSpec, 'tree'> {
  const semantics = packedSemantics(options.semantics);
  if (name === 'spec') return new PackedSpec(scope, 0, semantics);
  if (name === 'lockstep') return new PackedLockstep(scope, { coverage: options.coverage, semantics, properties: options.properties });
  throw new Error(`packed: no model '${String(name)}' (spec or lockstep)`);
}
