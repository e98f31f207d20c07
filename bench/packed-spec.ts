/**
 * The packed engine's figures (issue 11): upstream's packed spec model
 * alone, and in lockstep with the packed kernel, conformance and every
 * invariant that applies to upstream checked (harness/explore/packed/
 * models.ts; what `explore --engine packed` runs), beside Spin on the same spec model,
 * interleaved (Spin, packed, Spin), and the spec model's reach at scopes the
 * lockstep explorer cannot cover. Each packed search runs in a process of
 * its own (bench/packed-spec-child.ts), so that its peak memory is its own.
 * Times are cpu seconds of one thread; Spin's are pan's own report.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { packedSearchParallel } from '../harness/explore/packed/parallel.ts';
import { packedSearch, type PackedSearchOptions, type PackedSearchResult } from '../harness/explore/packed/search.ts';
import { packedModel, type PackedModelName } from '../harness/explore/packed/models.ts';
import { DEFAULT_EXPLORE_SCOPE, DEFAULT_STATE_BUDGETS, formatScope, type ExploreScope } from '../harness/explore/scope.ts';
import { besideSpin, type SpinSide } from './explore-scaling.ts';
import type { SkippedRow } from './results-merge.ts';
import { promelaModel } from '../promela/model.ts';
import { promelaRule } from '../promela/rules.ts';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
/** The middle one of `xs` (the higher middle of an even count). */
const median = (xs: readonly number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;

export interface PackedSpecRow {
  readonly semantics: string;
  readonly scope: string;
  readonly model: PackedModelName;
  /** Distinct states of the model: spec-level ones for the spec model, lockstep ones (spec model and kernel) for lockstep. */
  readonly states: number;
  readonly transitions: number;
  readonly fixpoint: boolean;
  readonly depth_reached: number;
  readonly wall_seconds: number;
  /** Every thread's, the workers' included. */
  readonly cpu_seconds: number;
  /**
   * `states` over the cpu seconds: under a budget stop the states claimed, not
   * those the set holds, which include a level only partly expanded (and
   * made the budget rows' rate read 18 to 29% above the closed rows': helper-110).
   */
  readonly states_per_cpu_second: number;
  /** The visited set (arena, offsets, table) over the states it holds. */
  readonly bytes_per_stored_state: number;
  /** The state bytes alone (the arena, with a length byte each), over the states the set holds. */
  readonly key_bytes_per_state: number;
  /**
   * Only where a state budget stopped the search: the states the visited set
   * holds, those of the level under way included (search.ts
   * PackedSearchResult.visited), which `states` leaves out and the bytes per
   * state divide by.
   */
  readonly stored_states?: number;
  /**
   * The lockstep's successors past a conformance break not stored, as a stored
   * state covers them (harness/explore/packed/covered-past-break.ts), and its
   * index's bytes over the states stored, beside bytes_per_stored_state;
   * absent when it covered none.
   */
  readonly covered?: number;
  readonly covering_bytes_per_stored_state?: number;
  /** A frontier entry is a state number in an Int32Array. */
  readonly bytes_per_frontier_entry: 4;
  readonly max_rss_mib: number;
  readonly states_per_depth: readonly number[];
  /** Each property's first violation, as [property, depth]. */
  readonly violations: readonly (readonly [string, number])[];
  /**
   * With the child's --warm: the cpu seconds of the same search run again in
   * the same process, its code compiled by V8 (pan's own time, spin_seconds,
   * leaves out gcc's compile of pan.c in the same way).
   */
  readonly warm_cpu_seconds?: number;
  /** Where a state budget stopped the search (search.ts stateBudget): its states, and the depth under way then. */
  readonly state_budget?: { readonly states: number; readonly in_depth: number };
  /**
   * The definition tree's nodes the search made (definition-tree.ts
   * DefinitionNode, about 250 bytes of heap each), which bytes_per_stored_state
   * leaves out and max_rss_mib holds; absent on worker threads. A lockstep
   * that covers states past a conformance break reads keys with a second
   * model of its own (lockstep.ts covering), whose tree, as large at most,
   * is not counted.
   */
  readonly definition_nodes?: number;
  /**
   * On worker threads: the seconds each worker spent expanding chunks
   * (packed/parallel.ts workerBusySeconds), the rest of wall_seconds it
   * waited or had not started.
   */
  readonly worker_busy_seconds?: readonly number[];
}

/** One packed search of `scope` in this process (the child's work). */
export function packedSpecOnce(
  scope: ExploreScope,
  model: PackedModelName,
  semantics = 'upstream',
  onLevel?: PackedSearchOptions['onLevel'],
  maxStates?: number,
): Omit<PackedSpecRow, 'max_rss_mib'> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const bounds = { depth: scope.depth, ...(onLevel ? { onLevel } : {}), ...(maxStates !== undefined ? { maxStates } : {}) };
  const space = packedModel(model, scope, { semantics });
  const r = packedSearch(space, bounds);
  return { ...row(semantics, scope, model, r, process.cpuUsage(c0), performance.now() - t0), definition_nodes: space.tree.nodes };
}

/** The same search on `workers` worker threads (the child's work). */
export async function packedSpecParallelOnce(
  scope: ExploreScope,
  model: PackedModelName,
  workers: number,
): Promise<Omit<PackedSpecRow, 'max_rss_mib'>> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await packedSearchParallel({ scope, model, workers });
  const busy = r.workerBusySeconds.map((x) => round(x));
  return { ...row('upstream', scope, model, r, process.cpuUsage(c0), performance.now() - t0), worker_busy_seconds: busy };
}

function row(
  semantics: string,
  scope: ExploreScope,
  model: PackedModelName,
  r: PackedSearchResult,
  c: NodeJS.CpuUsage,
  wallMs: number,
): Omit<PackedSpecRow, 'max_rss_mib'> {
  // The cpu time of every thread of the process (with workers, theirs too).
  const secs = (c.user + c.system) / 1e6;
  // Under a budget `states` counts the levels expanded in full, but the set and its bytes hold the level under way's
  // too: over `states`, the three 24,000,000-state rows of hybrid's family read 98 to 107 bytes a stored state where
  // the set held 83 (bench/results.json before 2026-12-07). The rate stays over `states`, the lower figure.
  const held = r.visited.size;
  return {
    wall_seconds: round(wallMs / 1000),
    semantics,
    scope: formatScope(scope),
    model,
    states: r.distinctStates,
    transitions: r.transitions,
    fixpoint: r.fixpoint,
    depth_reached: r.depthReached,
    cpu_seconds: round(secs),
    ...(held !== r.distinctStates ? { stored_states: held } : {}),
    states_per_cpu_second: Math.round(r.distinctStates / secs),
    bytes_per_stored_state: round(r.visitedBytes / held, 1),
    key_bytes_per_state: round(r.arenaBytes / held, 1),
    ...(r.covered ? { covered: r.covered, covering_bytes_per_stored_state: round(r.coveringBytes / held, 1) } : {}),
    bytes_per_frontier_entry: 4,
    states_per_depth: r.statesPerDepth,
    violations: r.violations.map((v) => [v.property, v.depth] as const),
    ...(r.stateBudget ? { state_budget: { states: r.stateBudget.states, in_depth: r.stateBudget.inDepth } } : {}),
  };
}

const CHILD = fileURLToPath(new URL('./packed-spec-child.ts', import.meta.url));

/**
 * One packed search of upstream, or of `semantics`, in a child process (on
 * `workers` worker threads if given, upstream's only; run twice, the second
 * time warm, with `'warm'`); throws with the child's last stderr line when
 * it fails.
 */
export function packedSpec(
  scope: ExploreScope,
  model: PackedModelName = 'spec',
  workers?: number | 'warm',
  semantics?: string,
): PackedSpecRow {
  const r = packedSpecChild(scope, model, workers, semantics);
  if (r.status !== 0) throw new Error(`packed search ${formatScope(scope)}: exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout) as PackedSpecRow;
}

/** A whole space not closed: no fixpoint within the time limit, or the child failed (out of memory). */
export interface PackedNotClosed {
  readonly semantics: string;
  readonly scope: string;
  readonly not_closed: string;
  /** How far it got: the last level expanded in full, the states stored and the transitions made by then (absent before depth 1). */
  readonly reached?: { readonly depth: number; readonly states: number; readonly transitions: number };
}

/** The child's progress line on stderr after each level (packed-spec-child.ts --semantics). */
export const LEVEL_LINE = /^level (\d+): (\d+) states, (\d+) transitions$/;

/**
 * A semantics' whole space in a child process, given `limitSeconds` of wall
 * time: in lockstep (conformance and every invariant), or with `model` spec
 * the spec model alone (the states Spin's model would store).
 */
export function packedWholeSpace(
  scope: ExploreScope,
  semantics: string,
  limitSeconds: number,
  model: PackedModelName = 'lockstep',
): PackedSpecRow | PackedNotClosed {
  const whole = { ...scope, depth: undefined };
  const r = packedSpecChild(whole, model, undefined, semantics, limitSeconds);
  if (r.status === 0) return JSON.parse(r.stdout) as PackedSpecRow;
  const lines = r.stderr.trim().split('\n');
  const m = lines
    .map((l) => LEVEL_LINE.exec(l))
    .filter((x) => x !== null)
    .at(-1);
  const reached = m ? { reached: { depth: Number(m[1]), states: Number(m[2]), transitions: Number(m[3]) } } : {};
  const why = r.error ? `no fixpoint within ${limitSeconds} s` : `exit ${r.status}: ${lines.filter((l) => !LEVEL_LINE.test(l)).at(-1)}`;
  return { semantics, scope: formatScope(whole), not_closed: why, ...reached };
}

/**
 * `explore --semantics NAME`'s own search with no options (issue 11: whole
 * spaces the default): DEFAULT_EXPLORE_SCOPE with its DEFAULT_STATE_BUDGETS.packed, in
 * lockstep, on one thread in a child process, given `limitSeconds` of wall time.
 */
export function packedDefaultSearch(semantics: string, limitSeconds: number): PackedSpecRow | PackedNotClosed {
  const r = packedSpecChild(DEFAULT_EXPLORE_SCOPE, 'lockstep', undefined, semantics, limitSeconds, DEFAULT_STATE_BUDGETS.packed);
  if (r.status === 0) return JSON.parse(r.stdout) as PackedSpecRow;
  const why = r.error ? `not ended within ${limitSeconds} s` : `exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`;
  return { semantics, scope: formatScope(DEFAULT_EXPLORE_SCOPE), not_closed: why };
}

/** The child's arguments (packed-spec-child.ts's usage) for a search as packedSpecChild takes it. */
function packedSpecArgs(
  scope: ExploreScope,
  model: PackedModelName,
  workers?: number | 'warm',
  semantics?: string,
  maxStates?: number,
): string[] {
  const budget = maxStates !== undefined ? ['--max-states', String(maxStates)] : [];
  const rest =
    workers === 'warm'
      ? ['--warm', ...(semantics ? [semantics] : [])]
      : workers
        ? [String(workers)]
        : semantics
          ? ['--semantics', semantics, ...budget]
          : [];
  return ['--max-old-space-size=12288', '--import', 'tsx', CHILD, formatScope(scope), model, ...rest];
}

/** The child process of one search: on `workers` threads, or of `semantics` in one thread (within `maxStates`), killed after `limitSeconds`. */
function packedSpecChild(
  scope: ExploreScope,
  model: PackedModelName,
  workers?: number | 'warm',
  semantics?: string,
  limitSeconds?: number,
  maxStates?: number,
) {
  const args = packedSpecArgs(scope, model, workers, semantics, maxStates);
  return spawnSync(process.execPath, args, { encoding: 'utf8', ...(limitSeconds ? { timeout: limitSeconds * 1000 } : {}) });
}

/**
 * Two one-thread searches of the same scope at once, each in a process of
 * its own, against one alone: how much two searches slow each other on this
 * machine's two cores with nothing shared between them, through what the
 * cores do share (caches, memory bandwidth; a search waits on the visited
 * set's cache and TLB misses). Beside packedTwoCores it tells whether what
 * two worker threads fall short of x2 is the machine's or the parallel
 * search's (parallel.ts) own.
 */
export interface PackedContentionRow {
  readonly scope: string;
  readonly model: PackedModelName;
  readonly states: number;
  /** Medians of the runs below, wall seconds of each search (its own clock: process start-up left out). */
  readonly wall_seconds_alone: number;
  readonly wall_seconds_together: number;
  /** wall_seconds_together over wall_seconds_alone: 1 for two cores that do not slow each other. */
  readonly slow_down: number;
  /** Per round: the search alone, then the two started together, in the order they ran. */
  readonly runs: { readonly alone: readonly number[]; readonly together: readonly (readonly [number, number])[] };
}

const execFileAsync = promisify(execFile);

/** One search in its own process, started now, as packedSpec runs it, without waiting: its row. */
async function packedSpecStarted(scope: ExploreScope, model: PackedModelName): Promise<PackedSpecRow> {
  const { stdout } = await execFileAsync(process.execPath, packedSpecArgs(scope, model), { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(stdout) as PackedSpecRow;
}

/** `rounds` rounds of a one-thread search alone, then two of it at once (PackedContentionRow). */
export async function packedContention(scope: ExploreScope, model: PackedModelName = 'lockstep', rounds = 2): Promise<PackedContentionRow> {
  const alone: number[] = [];
  const together: [number, number][] = [];
  let states = 0;
  for (let i = 0; i < rounds; i++) {
    const a = packedSpec(scope, model);
    const [b, c] = await Promise.all([packedSpecStarted(scope, model), packedSpecStarted(scope, model)]);
    if (b.states !== a.states || c.states !== a.states)
      throw new Error(`contention: ${a.states} states alone, ${b.states} and ${c.states} together`);
    states = a.states;
    alone.push(a.wall_seconds);
    together.push([b.wall_seconds, c.wall_seconds]);
  }
  const both = median(together.flat());
  return {
    scope: formatScope(scope),
    model,
    states,
    wall_seconds_alone: median(alone),
    wall_seconds_together: both,
    slow_down: round(both / median(alone)),
    runs: { alone, together },
  };
}

export interface PackedAgainstSpinRow extends SpinSide {
  /** The semantics, when not upstream (promela/rules.ts: the semantics written in Promela). */
  readonly semantics?: string;
  /** The spec model's fastest run (least cpu_seconds) of the rounds, with the fastest warm_cpu_seconds of them. */
  readonly packed: PackedSpecRow;
  /** Every round's cpu seconds of the spec model, cold (each in a fresh process) and warm, in the order they ran. */
  readonly packed_runs_cpu_seconds?: { readonly cold: readonly number[]; readonly warm: readonly number[] };
  /** Spin's states per second over the packed spec model's states per cpu-second: how many times faster Spin is. */
  readonly spin_speed_over_packed: number;
  /** The same with the spec model's warm time: both sides' times then leave out compiling the search's code. */
  readonly spin_speed_over_packed_warm?: number;
  /** The lockstep model (spec model, kernel, conformance and every invariant) on the same space, when measured: its fastest round. */
  readonly lockstep?: PackedSpecRow;
  /**
   * The lockstep search's cpu seconds over Spin's seconds for the same whole
   * space: Spin's speed over the lockstep engine's per spec-level state, as
   * both cover the same spec-level states (the lockstep one more kernel states).
   */
  readonly spin_speed_over_lockstep?: number;
}

/** Rounds of the Spin comparison: each side's fastest run is kept (explore-scaling.ts besideSpin). */
export const SPIN_ROUNDS = 3;

/**
 * Spin and the packed spec model (and, with `lockstep`, the lockstep model)
 * of `semantics`, one written in Promela (promela/rules.ts), on one whole
 * space, interleaved in `rounds` rounds (explore-scaling.ts besideSpin: Spin,
 * then spec model, lockstep and Spin each round), each side's fastest run
 * kept. Throws when Spin's count is not the spec model's, or for a semantics
 * not written in Promela.
 */
export function packedAgainstSpin(
  scope: ExploreScope,
  lockstep = false,
  rounds = SPIN_ROUNDS,
  semantics = 'upstream',
): PackedAgainstSpinRow | SkippedRow {
  const rule = promelaRule(semantics);
  const whole = { ...scope, depth: undefined };
  // Upstream's rows are the file's first, from before the semantics was named: they stay without it.
  const named = semantics === 'upstream' ? undefined : semantics;
  const r = besideSpin(
    whole,
    () => ({
      spec: packedSpec(whole, 'spec', 'warm', named),
      lockstep: lockstep ? packedSpec(whole, 'lockstep', undefined, named) : undefined,
    }),
    rounds,
    promelaModel(rule, whole),
  );
  if ('skipped' in r) return { ...(named ? { semantics: named } : {}), ...r };
  const fastest = (rows: readonly PackedSpecRow[]) => rows.reduce((a, b) => (b.cpu_seconds < a.cpu_seconds ? b : a));
  const specs = r.measured.map((m) => m.spec);
  const warm = Math.min(...specs.map((s) => s.warm_cpu_seconds!));
  const packed = { ...fastest(specs), warm_cpu_seconds: warm };
  // Spin's extra state is its initial one, before init fills the tables (test/promela.test.ts). pan rounds a count
  // of 100,000,000 or more to 8 digits (spin.ts readPanReport), so such a count is compared to that precision.
  if (Number((packed.states + 1).toPrecision(8)) !== r.spin.spin_states)
    throw new Error(`${formatScope(whole)}: Spin stored ${r.spin.spin_states}, packed ${packed.states} + 1`);
  const locksteps = r.measured.flatMap((m) => (m.lockstep ? [m.lockstep] : []));
  const l = locksteps.length ? fastest(locksteps) : undefined;
  const over = (cpu: number) => round(r.spinStatesPerSecond / (packed.states / cpu), 2);
  return {
    ...(named ? { semantics: named } : {}),
    ...r.spin,
    packed,
    packed_runs_cpu_seconds: { cold: specs.map((s) => s.cpu_seconds), warm: specs.map((s) => s.warm_cpu_seconds!) },
    spin_speed_over_packed: over(packed.cpu_seconds),
    spin_speed_over_packed_warm: over(warm),
    ...(l ? { lockstep: l, spin_speed_over_lockstep: round(l.cpu_seconds / r.spin.spin_seconds, 2) } : {}),
  };
}

export interface PackedTwoCoresRow {
  readonly scope: string;
  readonly model: PackedModelName;
  readonly states: number;
  /** Medians of the interleaved runs below, wall seconds. */
  readonly wall_seconds_one_thread: number;
  readonly wall_seconds_two_workers: number;
  readonly speed_up: number;
  /**
   * The median, over the two-worker runs, of the workers' busy seconds
   * together over twice the wall seconds: how much of the time the workers
   * spent on chunks rather than waiting for one (the main thread, which
   * stores the states, is not counted). Wall time, as Node 20 gives a thread
   * no cpu time of its own: a worker that waits for a core in the middle of
   * a chunk counts as busy.
   */
  readonly workers_busy_share: number;
  readonly runs: {
    readonly one_thread: readonly number[];
    readonly two_workers: readonly number[];
    /** Each two-worker run's busy seconds, per worker (PackedSpecRow.worker_busy_seconds). */
    readonly two_workers_busy: readonly (readonly number[])[];
  };
}

/** The search in one thread against two worker threads, in `pairs` alternating pairs, each run in its own process. */
export function packedTwoCores(scope: ExploreScope, model: PackedModelName = 'spec', pairs = 3): PackedTwoCoresRow {
  const one: number[] = [];
  const two: number[] = [];
  const busy: (readonly number[])[] = [];
  let states = 0;
  for (let i = 0; i < pairs; i++) {
    const a = packedSpec(scope, model);
    const b = packedSpec(scope, model, 2);
    if (a.states !== b.states) throw new Error(`two cores: ${a.states} states in one thread, ${b.states} on two`);
    states = a.states;
    one.push(a.wall_seconds);
    two.push(b.wall_seconds);
    busy.push(b.worker_busy_seconds ?? []);
  }
  const shares = busy.map((b, i) => b.reduce((x, y) => x + y, 0) / (2 * two[i]!));
  return {
    scope: formatScope(scope),
    model,
    states,
    wall_seconds_one_thread: median(one),
    wall_seconds_two_workers: median(two),
    speed_up: round(median(one) / median(two)),
    workers_busy_share: round(median(shares)),
    runs: { one_thread: one, two_workers: two, two_workers_busy: busy },
  };
}
