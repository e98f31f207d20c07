/**
 * The verdict matrix for a terminal: one row per semantics, one narrow
 * column per property (numbered, with a legend), then every violation with
 * the counterexample to quote first, the fixed counterexamples, why each
 * vacuous pass is, and why each n/a cell does not apply.
 */
import type { VerdictMatrix } from '../../harness/matrix.ts';
import {
  cellAt,
  fixedFiles,
  howChecked,
  MARKS,
  notApplicableGroups,
  shortCell,
  vacuousGroups,
  violatedWords,
  violations,
} from './cells.ts';
import { plural } from '../../harness/plural.ts';

export interface TextStyle {
  readonly holds: (s: string) => string;
  readonly violated: (s: string) => string;
  readonly dim: (s: string) => string;
}

const PLAIN: TextStyle = { holds: (s) => s, violated: (s) => s, dim: (s) => s };

export function matrixText(m: VerdictMatrix, style: TextStyle = PLAIN): string {
  const width = Math.max(9, ...m.semantics.map((s) => s.length)) + 2;
  const col = 5;
  const head = ''.padEnd(width) + m.properties.map((_, i) => `P${i}`.padStart(col)).join('');
  const rows = m.semantics.map(
    (s) =>
      s.padEnd(width) +
      m.properties
        .map((p) => {
          const cell = cellAt(m, s, p);
          const text = shortCell(cell).padStart(col);
          if (cell?.verdict === 'violated') return style.violated(text);
          return cell?.verdict === 'holds-random' || cell?.verdict === 'holds-bounded' ? style.holds(text) : style.dim(text);
        })
        .join(''),
  );
  const fixed = fixedFiles(m).map(({ cell, file }) => `  ${cell.semantics} / ${cell.property}: ${file}`);
  // Only the marks this matrix can show.
  // ok? without an exploration: a random pass whose sequences applied no operation (cells.ts NO_OPERATION), or too
  // short to break the property (vacuous_in_scope; its legend was missing: helper-77, stop 47).
  const vacuousRandom = m.cells.some((c) => c.verdict === 'holds-random' && (c.vacuous?.length || c.vacuous_in_scope));
  const marks = Object.values(MARKS).filter(
    (k) =>
      (m.exhaustive || k !== MARKS.bounded) &&
      (m.exhaustive || vacuousRandom || k !== MARKS.vacuous) &&
      (fixed.length || k !== MARKS.fixed),
  );
  const legend = [...marks.map((k) => `  ${k.mark.padEnd(4)}${k.means}`), ...m.properties.map((p, i) => `  ${`P${i}`.padEnd(4)}${p}`)];
  const details = violations(m).flatMap((c) => [
    `  ${c.semantics} / ${c.property} (${violatedWords(c)}): ${c.counterexamples.map((r) => `${r.file ?? '(not saved)'}, ${plural(r.length, 'step')}`).join('; ')}`,
    `      ${c.reason}`,
  ]);
  const na = notApplicableGroups(m).map((g) => `  ${g.property} (${g.semantics.join(', ')}): ${g.why}`);
  const vacuous = vacuousGroups(m).map((g) => `  ${g.property ?? 'every pass'} (${g.semantics.join(', ')}): ${g.why}`);
  return [
    'Verdicts',
    howChecked(m),
    '',
    head,
    ...rows,
    '',
    ...legend,
    ...(details.length ? ['', 'Violations (the counterexample to quote first):', ...details] : []),
    ...(fixed.length ? ['', 'Fixed (saved counterexamples that no longer reproduce):', ...fixed] : []),
    ...(vacuous.length ? ['', 'Vacuous (nothing or too little checked):', ...vacuous] : []),
    ...(na.length ? ['', 'Not applicable:', ...na] : []),
    '',
  ].join('\n');
}
