/**
 * The verdict matrix for a terminal: one row per semantics, one narrow
 * column per property (numbered, with a legend), then every violation with
 * its counterexample file and reason.
 */
import type { VerdictMatrix } from '../../harness/matrix.ts';
import { cellAt, shortCell, violatedWords, violations } from './cells.ts';

export interface TextStyle {
  readonly holds: (s: string) => string;
  readonly violated: (s: string) => string;
  readonly dim: (s: string) => string;
}

const PLAIN: TextStyle = { holds: (s) => s, violated: (s) => s, dim: (s) => s };

export function matrixText(m: VerdictMatrix, style: TextStyle = PLAIN): string {
  const width = Math.max(9, ...m.semantics.map((s) => s.length)) + 2;
  const col = 4;
  const head = ''.padEnd(width) + m.properties.map((_, i) => `P${i}`.padStart(col)).join('');
  const rows = m.semantics.map(
    (s) =>
      s.padEnd(width) +
      m.properties
        .map((p) => {
          const cell = cellAt(m, s, p);
          const text = shortCell(cell).padStart(col);
          return cell?.verdict === 'violated' ? style.violated(text) : cell?.verdict === 'holds' ? style.holds(text) : style.dim(text);
        })
        .join(''),
  );
  const legend = m.properties.map((p, i) => `  P${i}  ${p}`);
  const details = violations(m).map(
    (c) => `  ${c.semantics} / ${c.property}: ${violatedWords(c)}, ${c.length} steps${c.counterexample ? `, ${c.counterexample}` : ''}\n      ${c.reason}`,
  );
  const title =
    m.mode === 'exhaustive'
      ? `Verdicts (exhaustive: every sequence up to depth ${m.max_steps} in scope ${m.scope})`
      : `Verdicts (seed ${m.seed}, ${m.runs} sequences of up to ${m.max_steps} operations per cell)`;
  return [
    title,
    '',
    head,
    ...rows,
    '',
    'ok: holds for every sequence run   ok?: holds, but vacuous   -: not applicable',
    'Xn: violated, a broken promise (the rule promises it); minimal counterexample of n steps',
    'Dn: violated, a design choice (the rule does not promise it); minimal counterexample of n steps',
    ...legend,
    ...(details.length ? ['', 'Violations:', ...details] : []),
    '',
  ].join('\n');
}
