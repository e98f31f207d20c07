/**
 * The verdict matrix: every semantics against every property, each cell a
 * random run (harness/suite.ts). A violated cell names its minimal
 * counterexample; a holding cell says how many sequences and steps it took.
 * verdicts/expected.json is a recorded matrix that the tests check.
 */
import { relative } from 'node:path';
import type { DeepReadonly } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type * as G from '../schema/generated/verdict-matrix.ts';
import { formatScope } from './explore/scope.ts';
import { missingMilestones, type ExploreSummary } from './explore/summary.ts';
import { ALL_PROPERTIES, runProperty, type PropertyResult } from './suite.ts';
import { KLPCHECK_VERSION } from './versions.ts';

export type VerdictMatrix = DeepReadonly<G.VerdictMatrix>;
export type Cell = DeepReadonly<G.Cell>;

export interface MatrixOptions {
  readonly semantics: readonly Semantics[];
  readonly properties?: readonly string[];
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly saveDir?: string;
  /** Paths in cells are relative to this folder (the repository). */
  readonly root: string;
  readonly onCell?: (done: number, total: number, cell: Cell) => void;
}

export function cellOf(r: PropertyResult, root: string): Cell {
  const base = { semantics: r.semantics, property: r.property };
  if (r.verdict === 'not-applicable') return { ...base, verdict: r.verdict };
  if (r.verdict === 'holds') return { ...base, verdict: r.verdict, sequences: r.runs, steps: r.steps };
  const c = r.counterexample!;
  return {
    ...base,
    verdict: 'violated',
    ...(r.saved ? { counterexample: relative(root, r.saved.file) } : {}),
    length: c.steps.length,
    reason: c.violation.reason,
  };
}

export function computeMatrix(o: MatrixOptions): VerdictMatrix {
  const properties = o.properties ?? ALL_PROPERTIES;
  const total = o.semantics.length * properties.length;
  const cells: Cell[] = [];
  for (const semantics of o.semantics) {
    for (const property of properties) {
      const r = runProperty({ semantics, runs: o.runs, seed: o.seed, maxCommands: o.maxSteps, saveDir: o.saveDir }, property);
      const cell = cellOf(r, o.root);
      cells.push(cell);
      o.onCell?.(cells.length, total, cell);
    }
  }
  return {
    format: 1,
    klpcheck: KLPCHECK_VERSION,
    seed: o.seed,
    runs: o.runs,
    max_steps: o.maxSteps,
    semantics: o.semantics.map((s) => s.name),
    properties: [...properties],
    cells,
  };
}

export function cellAt(m: VerdictMatrix, semantics: string, property: string): Cell | undefined {
  return m.cells.find((c) => c.semantics === semantics && c.property === property);
}

/** A matrix from exhaustive explorations, one per semantics (klpcheck compare --exhaustive). */
export function exhaustiveMatrix(
  results: readonly { readonly summary: ExploreSummary; readonly files: ReadonlyMap<string, string> }[],
  properties: readonly string[],
  root: string,
): VerdictMatrix {
  const cells: Cell[] = [];
  for (const { summary: s, files } of results) {
    const missing = missingMilestones(s);
    for (const property of properties) {
      const base = { semantics: s.semantics, property };
      const v = s.violations.find((x) => x.property === property);
      if (!s.properties.includes(property)) cells.push({ ...base, verdict: 'not-applicable' });
      else if (v) {
        const file = files.get(property);
        cells.push({ ...base, verdict: 'violated', ...(file ? { counterexample: relative(root, file) } : {}), length: v.ops.length, reason: v.reason });
      } else cells.push({ ...base, verdict: 'holds', states: s.distinctStates, transitions: s.transitions, ...(missing.length ? { vacuous: missing } : {}) });
    }
  }
  const first = results[0]?.summary;
  return {
    format: 1,
    klpcheck: KLPCHECK_VERSION,
    mode: 'exhaustive',
    ...(first ? { scope: formatScope(first.scope) } : {}),
    seed: 0,
    runs: 1,
    // depth=any: the longest sequences the search needed before its fixpoint.
    max_steps: first?.scope.depth ?? first?.depthReached ?? 1,
    semantics: results.map((r) => r.summary.semantics),
    properties: [...properties],
    cells,
  };
}
