/**
 * Exhaustive exploration figures: distinct states per second, time and
 * states per semantics at the default scope (one thread, and on every core),
 * and how states and time grow as each bound of the scope grows.
 */
import { explore } from '../harness/explore/explorer.ts';
import { exploreInParallel } from '../harness/explore/parallel.ts';
import { DEFAULT_EXPLORE_SCOPE, formatScope, type ExploreScope } from '../harness/explore/scope.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

export interface ExploreRow {
  readonly semantics: string;
  readonly scope: string;
  readonly threads: number;
  readonly distinct_states: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly states_per_second: number;
}

function row(sem: string, scope: ExploreScope, threads: number, states: number, transitions: number, seconds: number): ExploreRow {
  return {
    semantics: sem,
    scope: formatScope(scope),
    threads,
    distinct_states: states,
    transitions,
    seconds: Math.round(seconds * 100) / 100,
    states_per_second: Math.round(states / seconds),
  };
}

export function exploreOnce(sem: Semantics, scope: ExploreScope): ExploreRow {
  const t0 = performance.now();
  const r = explore({ semantics: sem, scope });
  return row(sem.name, scope, 1, r.distinctStates, r.transitions, (performance.now() - t0) / 1000);
}

export async function exploreParallel(sem: Semantics, scope: ExploreScope): Promise<ExploreRow> {
  const t0 = performance.now();
  const s = await exploreInParallel({ semantics: sem.name, scope }).done;
  return row(sem.name, scope, s.shards.length || 2, s.distinctStates, s.transitions, (performance.now() - t0) / 1000);
}

/**
 * One bound at a time, from the default scope: depth, then patches,
 * functions, states, tasks. Three patches are measured at depth 3: at depth
 * 4 the breadth-first frontier of full kernel copies outgrows the heap.
 */
export function growthScopes(): ExploreScope[] {
  const d = DEFAULT_EXPLORE_SCOPE;
  return [
    ...[1, 2, 3, 4, 5].map((depth) => ({ ...d, depth })),
    { ...d, patches: 1 },
    { ...d, patches: 3, depth: 3 },
    ...[1, 3].map((functions) => ({ ...d, functions })),
    ...[0, 2].map((states) => ({ ...d, states })),
    ...[1, 3].map((tasks) => ({ ...d, tasks })),
  ];
}
