/** The verdict matrix as a markdown table, each violation linked to its counterexample. */
import type { VerdictMatrix } from '../../harness/matrix.ts';
import { cellAt, longCell, violatedWords } from './cells.ts';

export function matrixMarkdown(m: VerdictMatrix): string {
  const header = `| property | ${m.semantics.join(' | ')} |`;
  const rule = `|---|${m.semantics.map(() => '---').join('|')}|`;
  const rows = m.properties.map((p) => {
    const cells = m.semantics.map((s) => {
      const c = cellAt(m, s, p);
      if (!c) return '?';
      if (c.verdict !== 'violated') return longCell(c);
      const text = `**violated**, ${violatedWords(c)} (${c.length} steps)`;
      return c.counterexample ? `[${text}](${c.counterexample})` : text;
    });
    return `| ${p} | ${cells.join(' | ')} |`;
  });
  return [
    `# klpcheck verdicts`,
    '',
    m.mode === 'exhaustive'
      ? `Exhaustive: every sequence up to depth ${m.max_steps} in scope ${m.scope}; klpcheck ${m.klpcheck}.`
      : `Seed ${m.seed}; ${m.runs} sequences of up to ${m.max_steps} operations per cell; klpcheck ${m.klpcheck}.`,
    '',
    'A violated property is a *broken promise* when the semantics promises it, a *design choice* when its rule never did.',
    '',
    header,
    rule,
    ...rows,
    '',
  ].join('\n');
}
