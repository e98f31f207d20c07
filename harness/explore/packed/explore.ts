/**
 * `klpcheck explore --engine packed`: the packed engine's search of a
 * semantics' lockstep model (lockstep.ts: conformance and every
 * invariant of the catalog on every transition) on worker threads
 * (parallel.ts), reported as the object explorer reports (summary.ts
 * ExploreSummary), so that the command's report, exit codes and saved
 * counterexamples are the same. What the packed engine does not have yet is
 * refused with E_USAGE, never run with less than was asked: the task model
 * and shards. One property alone (--invariant) runs as the explorer runs it:
 * without conformance the kernel alone, from the roots on, and a checker's
 * memory only when that checker is the one checked (lockstep.ts).
 *
 * Each violation's path is decoded to ops and replayed on the object
 * implementation for its reason (confirmed-violation.ts): a path that does
 * not violate there is a bug of the packed engine, and throws.
 */
import { availableParallelism } from 'node:os';
import { KlpcheckError } from '../../errors.ts';
import { semanticsByName } from '../../../model/semantics/registry.ts';
import { applicableProperties } from '../../../properties/catalog.ts';
import type { ParallelOptions, Running } from '../parallel.ts';
import { formatScope } from '../scope.ts';
import type { ExploreSummary } from '../summary.ts';
import { confirmedViolation } from './confirmed-violation.ts';
import { VisitedSet } from '../visited.ts';
import { COVERAGE_SLOTS, packedCoverageData } from './coverage.ts';
import { packedSearchParallel } from './parallel.ts';
import type { PackedSearchResult } from './search.ts';
import { PackedLockstep } from './lockstep.ts';

/**
 * Why the packed engine cannot run this search as asked (E_USAGE), or
 * undefined when it can. The command line asks before it starts anything.
 * Without `semantics` it answers for every semantics of the registry, which
 * all run packed: the scope and `sharing` alone decide (compare --exhaustive).
 */
export function packedRefusal(
  o: Partial<Pick<ParallelOptions, 'semantics' | 'properties'>> &
    Pick<ParallelOptions, 'scope'> & {
      /** A shard of a shared search, or a result file to write (--shard, --out). */
      readonly sharing?: boolean;
    },
): PackedRefusal | undefined {
  // Every semantics of the registry runs packed (per-state since 2026-12-02).
  if (o.semantics !== undefined && !semanticsByName(o.semantics)) return new PackedRefusal([`it has no semantics named ${o.semantics}`]);
  // Every reason at once: told one at a time, the next came only once the first was put right (hostile-user finding).
  const reasons = [
    ...(o.scope.taskModel ? ['it has no task model (taskModel=1) yet'] : []),
    // A plain --out shares nothing: "does not share a search across machines" misled (helper-130, stop 72).
    ...(o.sharing ? ['it writes no result file (--out, --shard) yet'] : []),
  ];
  return reasons.length ? new PackedRefusal(reasons) : undefined;
}

/** E_USAGE for the packed engine's reasons, joined, and the way out; `reasons` for a command that falls back on the object engine. */
export class PackedRefusal extends KlpcheckError {
  constructor(readonly reasons: readonly string[]) {
    super('E_USAGE', `--engine packed: ${reasons.join(', and ')}; use --engine object`);
  }
}

/** Runs the search; `done` resolves with the explorer's summary, `stop()` ends it after the chunks in flight (INCOMPLETE). */
export function packedExploreInParallel(given: ParallelOptions): Running {
  const refused = packedRefusal({ ...given, sharing: given.shard !== undefined });
  if (refused) throw refused;
  // compare --invariants lists properties for every semantics: each search checks those that apply to its own,
  // as the object explorer does (hostile-user finding: the lockstep threw on shadow-lifetime under upstream).
  const sem = semanticsByName(given.semantics)!;
  const o = given.properties ? { ...given, properties: applicableProperties(sem, given.properties) } : given;
  let stopped = false;
  const t0 = performance.now();
  // Started on the next tick, as exploreInParallel starts: a stop() before it began stops before depth 1.
  const done = Promise.resolve()
    .then(() =>
      packedSearchParallel({
        scope: o.scope,
        model: 'lockstep',
        semantics: o.semantics,
        workers: Math.max(1, o.workers ?? availableParallelism()),
        secondWorkerAfter: o.secondWorkerAfter,
        maxStates: o.maxStates,
        storeEveryState: o.storeEveryState,
        paths: true,
        coverage: true,
        properties: o.properties,
        shouldStop: () => stopped,
        onProgress: o.onProgress,
        onWorkerRestart: o.onWorkerRestart,
        onOutOfMemory: o.onOutOfMemory,
        workerHeapMiB: o.workerHeapMiB,
      }),
    )
    .then((r) => summarize(r, o, (performance.now() - t0) / 1000));
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** The search's result as the explorer's summary (summary.ts summarize). */
function summarize(r: PackedSearchResult, o: ParallelOptions, seconds: number): ExploreSummary {
  const sem = semanticsByName(o.semantics)!;
  // The explorer's list (properties/catalog.ts applicableProperties), as the lockstep takes it.
  const model = new PackedLockstep(o.scope, { semantics: sem, properties: o.properties });
  const properties = [...model.properties];
  // Each path starts at the root the state it was found from names in its key's first byte (per-state's roots
  // differ in which state ids are is_shadow), as the object explorer's starts at that state's root.
  const violations = r.violations.map((v) =>
    confirmedViolation(
      model,
      sem,
      o.scope,
      v.property,
      v.path!,
      r.visited.get(v.from!)[0]!,
      () => `packed: the path to ${v.property} at ${formatScope(o.scope)} does not violate it on the object implementation`,
    ),
  );
  // No coverage at all when no state was expanded (stopped before depth 1).
  const coverage = packedCoverageData(r.coverage ?? new Float64Array(COVERAGE_SLOTS));
  return {
    semantics: sem.name,
    scope: o.scope,
    shards: [],
    ...(r.stateBudget ? { stateBudget: r.stateBudget } : {}),
    complete: r.complete,
    fixpoint: r.fixpoint,
    depthReached: r.depthReached,
    distinctStates: r.distinctStates,
    ...(r.covered ? { covered: r.covered } : {}),
    specStates: specStates(r, model),
    transitions: r.transitions,
    statesPerDepth: r.statesPerDepth,
    properties,
    violations,
    outcomes: coverage.outcomes,
    reached: coverage.reached,
    // Not written anywhere: packedRefusal keeps a packed search from --out.
    states: new Uint8Array(0),
    memories: [],
    seconds,
  };
}

/**
 * The distinct spec-level states among the states counted (the Promela
 * model's count): each lockstep key not past a conformance break begins
 * with its spec-level key (lockstep.ts specLevelLength).
 */
function specStates(r: PackedSearchResult, model: PackedLockstep): number {
  const spec = new VisitedSet();
  for (let i = 0; i < r.distinctStates; i++) {
    const key = r.visited.get(i);
    const n = model.specLevelLength(key);
    if (n) spec.insert(key, n);
  }
  return spec.size;
}
