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
import { packedSearch } from '../harness/explore/packed/search.ts';
import { PackedUpstreamSpec } from '../harness/explore/packed/upstream-spec.ts';
import { formatScope, type ExploreScope } from '../harness/explore/scope.ts';
import { runSpin, spinMissing } from '../promela/spin.ts';
import { upstreamPromela } from '../promela/upstream.ts';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface PackedSpecRow {
  readonly scope: string;
  readonly spec_states: number;
  readonly transitions: number;
  readonly fixpoint: boolean;
  readonly depth_reached: number;
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
  const c0 = process.cpuUsage();
  const r = packedSearch(new PackedUpstreamSpec(scope), { depth: scope.depth });
  const c = process.cpuUsage(c0);
  const secs = (c.user + c.system) / 1e6;
  return {
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

/** One packed search in a child process; throws with the child's last stderr line when it fails. */
export function packedSpec(scope: ExploreScope): PackedSpecRow {
  const r = spawnSync(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', CHILD, formatScope(scope)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`packed search ${formatScope(scope)}: exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout) as PackedSpecRow;
}

export interface PackedAgainstSpinRow {
  readonly scope: string;
  readonly spin_states: number;
  readonly spin_transitions: number;
  readonly spin_seconds: number;
  readonly spin_memory_mib: number;
  readonly packed: PackedSpecRow;
  /** Spin's states per second over the packed engine's states per cpu-second: how many times faster Spin is. */
  readonly spin_speed_over_packed: number;
}

/** Spin and the packed spec model on one whole space, interleaved (Spin, packed, Spin; Spin's time is the mean). */
export function packedAgainstSpin(scope: ExploreScope): PackedAgainstSpinRow | { readonly scope: string; readonly skipped: string } {
  const whole = { ...scope, depth: undefined };
  const missing = spinMissing();
  if (missing) return { scope: formatScope(whole), skipped: missing };
  const model = upstreamPromela(whole);
  const a = runSpin(model);
  const packed = packedSpec(whole);
  const b = runSpin(model);
  // Spin's extra state is its initial one, before init fills the tables (test/promela.test.ts). pan rounds a count
  // of 100,000,000 or more to 8 digits (spin.ts readPanReport), so such a count is compared to that precision.
  if (Number((packed.spec_states + 1).toPrecision(8)) !== a.stored)
    throw new Error(`${formatScope(whole)}: Spin stored ${a.stored}, packed ${packed.spec_states} + 1`);
  const spinSeconds = (a.seconds + b.seconds) / 2;
  return {
    scope: formatScope(whole),
    spin_states: a.stored,
    spin_transitions: a.transitions,
    spin_seconds: round(spinSeconds, 3),
    spin_memory_mib: a.memoryMb,
    packed,
    spin_speed_over_packed: round(a.stored / Math.max(spinSeconds, 1e-3) / (packed.spec_states / packed.cpu_seconds), 2),
  };
}
