/**
 * How a bench run's rows join bench/results.json (bench/run.ts): rows are
 * kept per scope (and semantics, for the rows that name one), and a run that
 * measured a scope replaces that scope's row.
 */

/** A row Spin's absence skipped: the scope and the reason, no figures (explore-scaling.ts besideSpin). */
export interface SkippedRow {
  readonly scope: string;
  /** Absent: upstream (rows from before a second semantics was measured beside Spin). */
  readonly semantics?: string;
  readonly skipped: string;
}

/** A row's place in its key: its scope, and its semantics where it names one. */
const sameRow = (a: { readonly scope: string; readonly semantics?: string }, b: typeof a) =>
  a.scope === b.scope && (a.semantics ?? 'upstream') === (b.semantics ?? 'upstream');

/**
 * The rows of one key of the file after a run: `kept` (the file's rows the
 * run keeps: all of them under --quick and the options that measure one
 * thing, none in a full run) for the scopes not measured now, then `fresh`.
 * A fresh row that was skipped gives way to the measured row of its scope in
 * `existing` (the file as it was, whatever the run keeps), which `said` is
 * told of: a full run on a machine without Spin replaced every Spin figure
 * with its reason (2026-12-05).
 */
export function mergeByScope<T extends { readonly scope: string; readonly semantics?: string }>(
  existing: readonly T[],
  kept: readonly T[],
  fresh: readonly T[],
  said: (row: T & SkippedRow) => void = () => undefined,
): T[] {
  const measured = existing.filter((r) => !isSkipped(r));
  const rows = fresh.map((r) => {
    const before = isSkipped(r) ? measured.find((x) => sameRow(x, r)) : undefined;
    if (before) said(r as T & SkippedRow);
    return before ?? r;
  });
  return [...kept.filter((r) => !rows.some((x) => sameRow(x, r))), ...rows];
}

function isSkipped(r: object): boolean {
  return 'skipped' in r;
}
