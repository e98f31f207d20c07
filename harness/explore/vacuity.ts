/**
 * Passes that are vacuous in their scope: the property has nothing to check
 * in any universe the search can build, so "holds for every sequence of any
 * length" would claim what was never checked. Each invariant says what a
 * universe must have (properties/invariant.ts Invariant.lacks); this file
 * says what a scope's universes can have, and the least scope that would
 * give the property something to check. Alloy and TLC say the same of a
 * check with no instance or an action never enabled. Found by the hostile
 * user of stop 31: no-silent-downgrade at the default scope, patches=2, where
 * p1 is the vendor's and p2 a user's, so no owner has two releases.
 */
import { invariantById } from '../../properties/catalog.ts';
import type { Universe } from '../../model/kernel/definitions.ts';
import type { UniverseBounds } from '../../properties/invariant.ts';
import { patchName } from './candidates.ts';
import { rootUniverse } from './expand.ts';
import { everyLoadOrder, type LoadOrderLabels } from './load-order-labels.ts';
import { LIMITS, type ExploreScope } from './scope.ts';
import { plural } from '../plural.ts';
import { DEFAULT_SCOPE } from '../generators.ts';

/**
 * How many patches a sequence of the scope can load: `scope.patches`, or
 * fewer under a depth bound, since a patch is defined when it first loads,
 * one insmod a step (candidates.ts). Found by the hostile user of stop 32:
 * patches=3,depth=2 said no-silent-downgrade held, where p3 never loads.
 */
export function loadablePatches(scope: ExploreScope): number {
  return scope.depth === undefined ? scope.patches : Math.min(scope.patches, scope.depth);
}

/**
 * What a universe of `scope` can hold: loadablePatches(scope) patches named
 * p1, p2, ... in the order they first load, each with the owners and release
 * of the generated name it stands for in load order `order` (the identity by
 * default: p1 the vendor's release 1, ...; load-order-labels.ts),
 * `scope.states` state ids, and the root universe's forbid_downgrade.
 */
export function scopeBounds(scope: ExploreScope, order: LoadOrderLabels = everyLoadOrder(scope.patches)[0]!): UniverseBounds {
  return {
    patches: Array.from({ length: loadablePatches(scope) }, (_, i) => ({
      name: patchName(i + 1),
      owners: [...order.owners[i]!],
      release: order.releases[i]!,
    })),
    stateIds: scope.states,
    forbidDowngrade: rootUniverse(scope).forbid_downgrade === true,
  };
}

/**
 * What no universe of `scope` has, in `lacks`'s words for the generated
 * owners in load order; null when a universe of some load order has it
 * (patches=3,depth=2 loads two of p1, p2, p3, which may be the vendor's two:
 * hostile-user finding, stop 36).
 */
function lacksInEvery(lacks: (b: UniverseBounds) => string | null, scope: ExploreScope): string | null {
  const orders = everyLoadOrder(scope.patches);
  return orders.every((o) => lacks(scopeBounds(scope, o)) !== null) ? lacks(scopeBounds(scope, orders[0]!)) : null;
}

/**
 * What one universe holds, as UniverseBounds: its patches, the distinct state
 * ids they declare, and its forbid_downgrade. A property violated in `u` must
 * not lack anything in universeBounds(u) (test/vacuity.test.ts holds every
 * saved counterexample and every broken implementation's case to that).
 */
export function universeBounds(u: Universe): UniverseBounds {
  return {
    patches: u.patches,
    stateIds: new Set(u.patches.flatMap((p) => (p.states ?? []).map((s) => s.id))).size,
    forbidDowngrade: u.forbid_downgrade === true,
  };
}

/** Why a property's pass is vacuous in a scope: what it lacks, and the least larger scope that has it. */
export interface VacuousInScope {
  /** What no universe of the scope has, as Invariant.lacks words it: "two releases of one owner". */
  readonly lacks: string;
  /**
   * The depth bound, when it keeps patches the scope names from loading and
   * so changes what is lacking: alone, or beside another key (the remedy
   * then raises both). Absent when the scope lacks the same without it.
   */
  readonly depth?: number;
  /** With `depth`: the scope lacks something even without the bound (states=0 has no state id at any depth). */
  readonly scopeToo?: true;
  /** The scope keys to raise, `patches=3`, `patches=2,states=1` or `depth=3`; absent when no scope within LIMITS has it. */
  readonly remedy?: string;
  /** Set when the scope has it but the search stopped short of the scope's bound (vacuousInReach): `depth` is where. */
  readonly stopped?: true;
}

/**
 * Whether `property` has nothing to check in `scope`, and if so why; null
 * when it has (conformance and the invariants without `lacks` always have).
 * The remedy is the least scope within LIMITS that has it: the fewest
 * patches, then the lowest depth bound, then the fewest states.
 */
export function vacuousInScope(property: string, scope: ExploreScope): VacuousInScope | null {
  const lacksIn = invariantById(property)?.lacks;
  const lacks = lacksIn && lacksInEvery(lacksIn, scope);
  if (!lacksIn || !lacks) return null;
  // The depth bound is named when it changes what is lacking: alone (patches=2,depth=1 loads one patch), or beside
  // another key (patches=2,states=0,depth=1 lacks two patches and a state id, where depth=any lacks a state id).
  const unbounded = lacksInEvery(lacksIn, { ...scope, depth: undefined });
  const depth = unbounded === lacks ? {} : { depth: scope.depth!, ...(unbounded ? { scopeToo: true as const } : {}) };
  for (let patches = scope.patches; patches <= LIMITS.patches[1]; patches++) {
    // A depth bound is raised as far as the patches, at most: one insmod a step loads them all.
    const depths =
      scope.depth === undefined ? [undefined] : Array.from({ length: Math.max(1, patches - scope.depth + 1) }, (_, i) => scope.depth! + i);
    for (const d of depths)
      for (let states = scope.states; states <= LIMITS.states[1]; states++) {
        const wider: ExploreScope = { ...scope, patches, states, ...(d !== undefined ? { depth: d } : {}) };
        if (lacksInEvery(lacksIn, wider)) continue;
        const raised = (['patches', 'states', 'depth'] as const).filter((k) => wider[k] !== scope[k]);
        return { lacks, ...depth, remedy: raised.map((k) => `${k}=${wider[k]}`).join(',') };
      }
  }
  // No scope within LIMITS has it (no invariant of the catalog lacks such a thing today).
  return { lacks, ...depth };
}

/**
 * Whether `property` had nothing to check in the part of its scope a search
 * covered, and if so why; null when it had. A search that a state budget,
 * the visited set's capacity or an interrupt stopped claims only the
 * `depthReached` levels it expanded in full, so it is held to that depth
 * bound: "holds for every sequence up to depth 1" of a property no sequence
 * of 1 step can break claimed a pass where an explicit depth=1 is refused as
 * vacuous (helper-76, stop 47). A search that reached its bound or its
 * fixpoint is held to its scope (vacuousInScope).
 */
export function vacuousInReach(
  property: string,
  s: { readonly scope: ExploreScope; readonly fixpoint: boolean; readonly depthReached: number },
): VacuousInScope | null {
  const inScope = vacuousInScope(property, s.scope);
  if (inScope || s.fixpoint || s.depthReached >= (s.scope.depth ?? Infinity)) return inScope;
  const reached = vacuousInScope(property, { ...s.scope, depth: s.depthReached });
  if (!reached) return null;
  // No remedy in the scope's keys: the scope has it; what stopped the search is the report's to say (--max-states).
  const { remedy: _scopes, ...why } = reached;
  return { ...why, depth: s.depthReached, stopped: true };
}

/**
 * Why random runs of sequences of at most `maxCommands` operations (run and
 * compare --steps) have nothing to check of `property`, in vacuousWords'
 * words with `--steps N` for the remedy; null when they have. Their
 * universes are the default scope's (generators.ts DEFAULT_SCOPE: three
 * patches, owners and releases by name as explore's load order gives them,
 * two state ids, forbid_downgrade) and the settling operations that end
 * each sequence load no patch (generators.ts settleOps), so a sequence loads
 * at most `maxCommands` patches, as an explore of that depth does: `run
 * --steps 1` said "holds" of one-active-patch-per-slot, which no sequence of
 * one load can break (helper-76, stop 47).
 */
export function vacuousInRandomRuns(property: string, maxCommands: number): string | null {
  const { patches, functions, states, tasks } = DEFAULT_SCOPE;
  const v = vacuousInScope(property, { patches, functions, states, tasks, depth: maxCommands });
  if (!v) return null;
  // Only the sequences' length can be short here: the universes have what the catalog's invariants need.
  const steps = v.remedy?.match(/^depth=(\d+)$/)?.[1];
  return `nothing to check, as ${lackingWords(v)}${steps ? ` (--steps ${steps} would)` : ''}`;
}

/**
 * The words after a property's name in a report: "nothing to check, as no
 * universe of the scope has X (patches=3 would)", or, when the depth bound
 * alone is short, "nothing to check, as no sequence of at most 1 step loads
 * X (depth=2 would)", or, when both are, "... as no universe of the scope
 * that a sequence of at most 1 step builds has X (states=1,depth=2 would)".
 */
export function vacuousWords(v: VacuousInScope): string {
  const why = lackingWords(v);
  if (v.stopped) return `nothing checked, as the search stopped at depth ${v.depth} and ${why}`;
  return `nothing to check, as ${why}${v.remedy ? ` (${v.remedy} would)` : ''}`;
}

/** What is lacking, in the words vacuousWords gives after "as": "no sequence of at most 1 step loads two patches". */
export function lackingWords(v: VacuousInScope): string {
  // Both the bound and the scope: neither alone is to blame ("no sequence ... loads a state id" blamed the length for
  // what states=0 lacks at any depth: stop 37's second hostile user).
  return v.depth === undefined
    ? `no universe of the scope has ${v.lacks}`
    : v.scopeToo
      ? `no universe of the scope that a sequence of at most ${plural(v.depth, 'step')} builds has ${v.lacks}`
      : `no sequence of at most ${plural(v.depth, 'step')} loads ${v.lacks}`;
}
