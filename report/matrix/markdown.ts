/** The verdict matrix as a markdown table, each cell saying how far it was checked, each violation linked to its counterexample. */
import type { VerdictMatrix } from '../../harness/matrix.ts';
import { quoted } from '../../harness/matrix.ts';
import { markdownCell, markdownLink, markdownText } from '../markdown-text.ts';
import { cellAt, howChecked, longCell, violatedText } from './cells.ts';

/** Each cell's words go as text (markdown-text.ts), as the counterexample's markdown puts its cells. */
export function matrixMarkdown(m: VerdictMatrix): string {
  const header = `| property | ${m.semantics.join(' | ')} |`;
  const rule = `|---|${m.semantics.map(() => '---').join('|')}|`;
  const rows = m.properties.map((p) => {
    const cells = m.semantics.map((s) => {
      const c = cellAt(m, s, p);
      if (!c) return '?';
      if (c.verdict !== 'violated') return markdownCell(longCell(m, c));
      const file = quoted(c).file;
      const rest = longCell(m, c).slice(violatedText(c).length);
      return `${markdownLink(`**${markdownCell(violatedText(c))}**`, file)}${markdownCell(rest)}`;
    });
    return `| ${p} | ${cells.join(' | ')} |`;
  });
  return [
    `# klpcheck verdicts`,
    '',
    // The header names the folders replayed: --out's is the user's, any name at all.
    markdownText(`${howChecked(m)} klpcheck ${m.klpcheck}.`),
    '',
    'A violated property is a *broken promise* when the semantics promises it, a *design choice* when its rule never did.',
    '',
    header,
    rule,
    ...rows,
    '',
  ].join('\n');
}
