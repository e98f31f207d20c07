/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/bench-goals.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

export type Name = string;
/**
 * A measured figure: a number of 0 or more.
 */
export type Figure = number;

/**
 * The figures of bench/results.json that the README's table of issue 11's goals is made from (bench/goals-table.ts). bench/run.ts writes the file, with more keys and more fields than these, which are let through. A figure is a number of 0 or more: null, a string or a negative figure is refused at its JSON pointer, never printed as "NaN" or counted as met (helper-112).
 */
export interface BenchGoals {
  /**
   * The packed spec model beside Spin on whole spaces (bench/packed-spec.ts packedAgainstSpin).
   *
   * @minItems 1
   */
  packed_spec_against_spin: [SkippedRow | SpinRow, ...(SkippedRow | SpinRow)[]];
  /**
   * explore --semantics NAME with no options, one row a semantics (bench/packed-spec.ts packedDefaultSearch): its figures, or why it did not end (a search past its wall time, a child that failed).
   *
   * @minItems 1
   */
  packed_default_scope: [NotClosedRow | DefaultRow, ...(NotClosedRow | DefaultRow)[]];
  /**
   * The lockstep at issue 11's larger scopes, one thread.
   *
   * @minItems 1
   */
  packed_lockstep_reach: [ReachRow, ...ReachRow[]];
  /**
   * One thread against two workers.
   *
   * @minItems 1
   */
  packed_spec_two_cores: [TwoCoresRow, ...TwoCoresRow[]];
  /**
   * Random runs against the bare reference implementation (bench/ops-throughput.ts).
   *
   * @minItems 1
   */
  throughput: [ThroughputRow, ...ThroughputRow[]];
  /**
   * The packed lockstep's random walks against the bare kernel (bench/packed-walks.ts).
   *
   * @minItems 1
   */
  packed_walks: [WalksRow, ...WalksRow[]];
}
/**
 * A scope the bench did not measure beside Spin (no Spin on the machine), and why.
 */
export interface SkippedRow {
  skipped: Name;
}
/**
 * A measured row: it has no `skipped` (a row with one, of any value, is a SkippedRow, which the table leaves out).
 */
export interface SpinRow {
  /**
   * Left out by upstream's rows, from before the semantics was named.
   */
  semantics?: string;
  /**
   * Spin's states, stored: the packed spec model's count and Spin's initial state.
   */
  spin_states: number;
  /**
   * Spin's spec-level states a second over the spec model's, its search cold.
   */
  spin_speed_over_packed: number;
  /**
   * The same, the spec model's search run a second time in its process.
   */
  spin_speed_over_packed_warm: number;
}
/**
 * A search that did not end within its wall time, or whose child failed, and why: the goal counts it as not closed.
 */
export interface NotClosedRow {
  semantics: Name;
  not_closed: Name;
}
/**
 * A search's figures: it has no `not_closed`.
 */
export interface DefaultRow {
  semantics: Name;
  /**
   * Whether the search closed (else it stopped at its state budget).
   */
  fixpoint: boolean;
  cpu_seconds: Figure;
  bytes_per_stored_state: Figure;
  /**
   * A measured figure: a number of 0 or more.
   */
  covering_bytes_per_stored_state?: number;
  bytes_per_frontier_entry: Figure;
  /**
   * The budget a search that did not close stopped at.
   */
  state_budget?: {
    states: Figure;
  };
}
export interface ReachRow {
  scope: Name;
  cpu_seconds: Figure;
}
export interface TwoCoresRow {
  scope: Name;
  model: Name;
  speed_up: Figure;
  wall_seconds_two_workers: Figure;
}
export interface ThroughputRow {
  checked_over_bare: Figure;
  conformance_over_bare: Figure;
}
export interface WalksRow {
  packed_over_bare: Figure;
}
