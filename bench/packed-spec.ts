/**
 * The packed engine's figures (issue 11): its upstream spec model
 * (harness/explore/packed/) beside Spin on the same model, interleaved
 * (Spin, packed, Spin), and its reach at scopes the lockstep explorer cannot
 * cover. Each packed search runs in a process of its own
 * (bench/packed-spec-child.ts), so that its peak memory is its own. Times are
 * cpu seconds of one thread; Spin's are pan's own report.
 *
 * These are the spec model's figures alone: the packed engine does not yet
 * have the kernel, conformance or the invariants, so they bound from below
 * what the whole packed search will cost.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packedSearchParallel } from '../harness/explore/packed/parallel.ts';
import { packedSearch, type PackedSearchResult } from '../harness/explore/packed/search.ts';
import { PackedUpstreamSpec } from '../harness/explore/packed/upstream-spec.ts';
import { formatScope, type ExploreScope } from '../harness/explore/scope.ts';
import { besideSpin, type SpinSide } from './explore-scaling.ts';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface PackedSpecRow {
  readonly scope: string;
  readonly spec_states: number;
  readonly transitions: number;
  readonly fixpoint: boolean;
  readonly depth_reached: number;
  readonly wall_seconds: number;
  /** Every thread's, the workers' included. */
  readonly cpu_seconds: number;
  readonly states_per_cpu_second: number;
  /** The visited set (arena, offsets, table) over the states. */
  readonly bytes_per_stored_state: number;
  /** The state bytes alone (the arena, with a length byte each). */
  readonly key_bytes_per_state: number;
  /** A frontier entry is a state number in an Int32Array. */
  readonly bytes_per_frontier_entry: 4;
  readonly max_rss_mib: number;
  readonly states_per_depth: readonly number[];
}

/** One packed search of `scope` in this process (the child's work). */
export function packedSpecOnce(scope: ExploreScope): Omit<PackedSpecRow, 'max_rss_mib'> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = packedSearch(new PackedUpstreamSpec(scope), { depth: scope.depth });
  return row(scope, r, process.cpuUsage(c0), performance.now() - t0);
}

/** The same search on `workers` worker threads (the child's work). */
export async function packedSpecParallelOnce(scope: ExploreScope, workers: number): Promise<Omit<PackedSpecRow, 'max_rss_mib'>> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await packedSearchParallel({ scope, workers });
  return row(scope, r, process.cpuUsage(c0), performance.now() - t0);
}

function row(scope: ExploreScope, r: PackedSearchResult, c: NodeJS.CpuUsage, wallMs: number): Omit<PackedSpecRow, 'max_rss_mib'> {
  // The cpu time of every thread of the process (with workers, theirs too).
  const secs = (c.user + c.system) / 1e6;
  return {
    wall_seconds: round(wallMs / 1000),
    scope: formatScope(scope),
    spec_states: r.distinctStates,
    transitions: r.transitions,
    fixpoint: r.fixpoint,
    depth_reached: r.depthReached,
    cpu_seconds: round(secs),
    states_per_cpu_second: Math.round(r.distinctStates / secs),
    bytes_per_stored_state: round(r.visitedBytes / r.distinctStates, 1),
    key_bytes_per_state: round(r.arenaBytes / r.distinctStates, 1),
    bytes_per_frontier_entry: 4,
    states_per_depth: r.statesPerDepth,
  };
}

const CHILD = fileURLToPath(new URL('./packed-spec-child.ts', import.meta.url));

/** One packed search in a child process (on `workers` worker threads if given); throws with the child's last stderr line when it fails. */
export function packedSpec(scope: ExploreScope, workers?: number): PackedSpecRow {
  const args = ['--max-old-space-size=12288', '--import', 'tsx', CHILD, formatScope(scope), ...(workers ? [String(workers)] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packed search ${formatScope(scope)}: exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout) as PackedSpecRow;
}

export interface PackedAgainstSpinRow extends SpinSide {
  readonly packed: PackedSpecRow;
  /** Spin's states per second over the packed engine's states per cpu-second: how many times faster Spin is. */
  readonly spin_speed_over_packed: number;
}

/** Spin and the packed spec model on one whole space, interleaved (explore-scaling.ts besideSpin). */
export function packedAgainstSpin(scope: ExploreScope): PackedAgainstSpinRow | { readonly scope: string; readonly skipped: string } {
  const whole = { ...scope, depth: undefined };
  const r = besideSpin(whole, () => packedSpec(whole));
  if ('skipped' in r) return r;
  const packed = r.measured;
  // Spin's extra state is its initial one, before init fills the tables (test/promela.test.ts). pan rounds a count
  // of 100,000,000 or more to 8 digits (spin.ts readPanReport), so such a count is compared to that precision.
  if (Number((packed.spec_states + 1).toPrecision(8)) !== r.spin.spin_states)
    throw new Error(`${formatScope(whole)}: Spin stored ${r.spin.spin_states}, packed ${packed.spec_states} + 1`);
  return {
    ...r.spin,
    packed,
    spin_speed_over_packed: round(r.spinStatesPerSecond / (packed.spec_states / packed.cpu_seconds), 2),
  };
}

export interface PackedTwoCoresRow {
  readonly scope: string;
  readonly states: number;
  /** Medians of the interleaved runs below, wall seconds. */
  readonly wall_seconds_one_thread: number;
  readonly wall_seconds_two_workers: number;
  readonly speed_up: number;
  readonly runs: { readonly one_thread: readonly number[]; readonly two_workers: readonly number[] };
}

/** The search in one thread against two worker threads, in `pairs` alternating pairs, each run in its own process. */
export function packedTwoCores(scope: ExploreScope, pairs = 3): PackedTwoCoresRow {
  const one: number[] = [];
  const two: number[] = [];
  let states = 0;
  for (let i = 0; i < pairs; i++) {
    const a = packedSpec(scope);
    const b = packedSpec(scope, 2);
    if (a.spec_states !== b.spec_states) throw new Error(`two cores: ${a.spec_states} states in one thread, ${b.spec_states} on two`);
    states = a.spec_states;
    one.push(a.wall_seconds);
    two.push(b.wall_seconds);
  }
  const median = (xs: readonly number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  return {
    scope: formatScope(scope),
    states,
    wall_seconds_one_thread: median(one),
    wall_seconds_two_workers: median(two),
    speed_up: round(median(one) / median(two)),
    runs: { one_thread: one, two_workers: two },
  };
}
