/**
 * Exhaustive exploration figures (issue 11): distinct states per cpu-second
 * for each semantics, with Spin on the same upstream spec model measured
 * interleaved in the same run; whole state spaces; bytes per stored state
 * and per frontier entry; the growth of upstream depth by depth; the
 * speed-up on two cores. Times are cpu seconds of this process (one thread)
 * unless named wall.
 */
import { explore, type ExploreResult } from '../harness/explore/explorer.ts';
import { exploreInParallel } from '../harness/explore/parallel.ts';
import { formatScope, type ExploreScope } from '../harness/explore/scope.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { runSpin, spinMissing } from '../promela/spin.ts';
import { upstreamPromela } from '../promela/model.ts';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface ExploreRow {
  readonly semantics: string;
  readonly scope: string;
  readonly distinct_states: number;
  readonly spec_states: number;
  readonly transitions: number;
  readonly fixpoint: boolean;
  readonly cpu_seconds: number;
  readonly states_per_cpu_second: number;
  /** The visited set (arena, offsets, table) and parent links, over distinct states. */
  readonly bytes_per_stored_state: number;
  /** The key bytes alone (arena, with a length byte). */
  readonly key_bytes_per_state: number;
  /** The extra set that counts spec-level states (for the Spin comparison), over distinct states. */
  readonly spec_count_bytes_per_state: number;
  readonly bytes_per_frontier_entry: number;
  readonly rss_mib: number;
  readonly states_per_depth: readonly number[];
}

function cpuSeconds<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1e6];
}

export function exploreOnce(sem: Semantics, scope: ExploreScope): ExploreRow {
  const [r, secs] = cpuSeconds((): ExploreResult => explore({ semantics: sem, scope }));
  return {
    semantics: sem.name,
    scope: formatScope(scope),
    distinct_states: r.distinctStates,
    spec_states: r.specStates,
    transitions: r.transitions,
    fixpoint: r.fixpoint,
    cpu_seconds: round(secs),
    states_per_cpu_second: Math.round(r.distinctStates / secs),
    bytes_per_stored_state: round(r.memory.visitedBytes / r.distinctStates, 1),
    key_bytes_per_state: round(r.memory.arenaBytes / r.distinctStates, 1),
    spec_count_bytes_per_state: round(r.memory.specCountBytes / r.distinctStates, 1),
    // A frontier entry is a state number in a JS array (8 bytes); its path is rebuilt from the parents kept per state.
    bytes_per_frontier_entry: 8,
    rss_mib: Math.round(process.memoryUsage().rss / 2 ** 20),
    states_per_depth: r.statesPerDepth,
  };
}

export interface SpinRow extends SpinSide {
  readonly klpcheck: ExploreRow;
  /** klpcheck's spec-level states per cpu-second over Spin's states per second: how many times faster Spin is. */
  readonly spin_speed_over_klpcheck: number;
}

/** Spin's side of a row measured beside Spin: its first run's figures and the fastest of its runs' times. */
export interface SpinSide {
  readonly scope: string;
  readonly spin_states: number;
  readonly spin_transitions: number;
  /** The fastest of spin_runs_seconds: pan's own elapsed time, which leaves out compiling pan.c. */
  readonly spin_seconds: number;
  /** Every run's seconds, in the order they ran (absent in rows from before stop 36, whose spin_seconds is the mean of two). */
  readonly spin_runs_seconds?: readonly number[];
  readonly spin_memory_mib: number;
}

/**
 * Spin on a whole space at `scope` (upstream's, or `model`'s), and `measure` between its runs
 * (Spin, then `rounds` times measure and Spin), so that both see the same
 * machine, and a run slowed by the machine's load is outweighed: Spin's time
 * is the fastest of its runs (this VM's times move by up to 35% from run to
 * run, stop 35), and the caller takes the fastest of `measured`.
 * `spinStatesPerSecond` is Spin's states per second. Skipped, with the
 * reason, when Spin is not installed.
 */
export function besideSpin<T>(
  scope: ExploreScope,
  measure: () => T,
  rounds = 1,
  /** The Promela model Spin runs (promela/model.ts): upstream's at `scope` unless given. */
  model = upstreamPromela(scope),
):
  | { readonly spin: SpinSide; readonly measured: readonly T[]; readonly spinStatesPerSecond: number }
  | { readonly scope: string; readonly skipped: string } {
  const missing = spinMissing();
  if (missing) return { scope: formatScope(scope), skipped: missing };
  const first = runSpin(model);
  const runs = [first.seconds];
  const measured: T[] = [];
  for (let i = 0; i < rounds; i++) {
    measured.push(measure());
    runs.push(runSpin(model).seconds);
  }
  const spinSeconds = Math.min(...runs);
  return {
    spin: {
      scope: formatScope(scope),
      spin_states: first.stored,
      spin_transitions: first.transitions,
      spin_seconds: round(spinSeconds, 3),
      spin_runs_seconds: runs,
      spin_memory_mib: first.memoryMb,
    },
    measured,
    spinStatesPerSecond: first.stored / Math.max(spinSeconds, 1e-3),
  };
}

/** Spin and klpcheck on one upstream whole space, interleaved (besideSpin). */
export function againstSpin(sem: Semantics, scope: ExploreScope): SpinRow | { readonly scope: string; readonly skipped: string } {
  const r = besideSpin(scope, () => exploreOnce(sem, scope));
  if ('skipped' in r) return r;
  const k = r.measured[0]!;
  return {
    ...r.spin,
    klpcheck: k,
    spin_speed_over_klpcheck: round(r.spinStatesPerSecond / (k.spec_states / k.cpu_seconds), 1),
  };
}

export interface ParallelRow {
  readonly scope: string;
  readonly distinct_states: number;
  /** Medians of the interleaved runs below. */
  readonly wall_seconds_one_worker: number;
  readonly wall_seconds_two_workers: number;
  readonly speed_up: number;
  /** Every run's wall seconds, one worker then two, in the order they ran (alternating). */
  readonly runs: { readonly one_worker: readonly number[]; readonly two_workers: readonly number[] };
}

/** Interleaved pairs per scope: this machine's timing moves by a quarter from run to run. */
const PAIRS = 3;

/**
 * The same search on one worker thread and on two, in PAIRS alternating
 * pairs (wall clock: the machine's load shows here), with the medians.
 */
export async function twoCores(sem: Semantics, scope: ExploreScope): Promise<ParallelRow> {
  const wall = async (workers: number) => {
    const t0 = performance.now();
    const s = await exploreInParallel({ semantics: sem.name, scope, workers }).done;
    return [s.distinctStates, (performance.now() - t0) / 1000] as const;
  };
  const one: number[] = [];
  const two: number[] = [];
  let states = 0;
  for (let i = 0; i < PAIRS; i++) {
    const [n, a] = await wall(1);
    const [m, b] = await wall(2);
    if (n !== m) throw new Error(`two cores: ${n} states on one worker, ${m} on two`);
    states = n;
    one.push(round(a));
    two.push(round(b));
  }
  const median = (xs: readonly number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  return {
    scope: formatScope(scope),
    distinct_states: states,
    wall_seconds_one_worker: median(one),
    wall_seconds_two_workers: median(two),
    speed_up: round(median(one) / median(two)),
    runs: { one_worker: one, two_workers: two },
  };
}
