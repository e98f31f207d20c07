/**
 * The packed engine's models by name, for the searches that make their own
 * (the parallel search's workers, the bench, the command line): upstream's
 * spec model alone (spec.ts), or in lockstep with upstream's
 * kernel and checked for conformance and every invariant
 * (lockstep.ts), which can also count coverage.
 */
import type { ExploreScope } from '../scope.ts';
import type { PackedSpace } from './search.ts';
import { PackedLockstep } from './lockstep.ts';
import { PackedSpec } from './spec.ts';

export type PackedModelName = 'spec' | 'lockstep';

/**
 * The packed model `name` of a search of `scope`; throws for another name
 * (an untyped caller's 'foo' had run the lockstep model) and for a scope the
 * packed engine does not have (DefinitionTree).
 */
export function packedModel(name: PackedModelName, scope: ExploreScope, options: { readonly coverage?: boolean } = {}): PackedSpace {
  if (name === 'spec') return new PackedSpec(scope);
  if (name === 'lockstep') return new PackedLockstep(scope, options);
  throw new Error(`packed: no model '${String(name)}' (spec or lockstep)`);
}
