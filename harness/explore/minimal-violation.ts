/**
 * The trace an exhaustive search's violation is saved with: its ops, already
 * as short as any in the scope (the search is breadth first), over the
 * smallest universe under which they still break the property (minimize.ts:
 * no patch, module or task the ops never name, no function or state a patch
 * does not need). Until stop 46 the file kept the scope's whole universe and
 * its functions, so one finding found at tasks=1 and at tasks=2 was two
 * files (helper-71, stop 45), and a default-scope file listed a second task
 * no step used.
 */
import { universeFuncs } from '../../model/spec/universe-view.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import { minimize } from '../minimize.ts';
import type { Op } from '../ops.ts';
import { runSequence, type RunResult } from '../run-sequence.ts';
import type { Universe } from '../../model/kernel/definitions.ts';
import type { ViolationSummary } from './summary.ts';

/** A violation's saved trace: its universe, and the run of its ops with its property alone. */
export interface MinimalViolation {
  readonly universe: Universe;
  readonly result: RunResult;
}

/**
 * `v` over the smallest universe that still breaks its property, replayed
 * over that universe's own functions, as a random run's counterexample is;
 * the ops are `v.ops` but for the tasks a smaller universe renames. The
 * search ran over the scope's functions, of which the universe's are a
 * part: the rest no patch patches, so every task runs their original code
 * (or none, in a module not loaded) on both sides, and no property reads a
 * difference there. Throws when the ops do not break the property
 * (minimize.ts).
 */
export function minimalViolation(v: ViolationSummary, sem: Semantics): MinimalViolation {
  const inv = INVARIANTS.find((i) => i.id === v.property);
  const replay = (u: Universe, ops: readonly Op[]) =>
    runSequence(u, sem, ops, { invariants: inv ? [inv] : [], conformance: v.property === CONFORMANCE, funcs: universeFuncs(u) });
  return minimize(v.universe, v.ops, v.property, replay);
}
