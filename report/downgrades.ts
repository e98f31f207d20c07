/** The downgrade table (harness/downgrades.ts) for a terminal or a mail, and as markdown. */
import { DOWNGRADE_VARIANTS, type DowngradeRow } from '../harness/downgrades.ts';

const cell = (o: DowngradeRow['outcomes'][number]) => (o.downgraded ? 'DOWNGRADED' : o.outcome === 'ok' ? 'kept' : `refused ${o.outcome}`);
const stops = (r: DowngradeRow) => (r.stoppers.length ? r.stoppers.join(', ') : 'nothing');

const TITLE = 'klp-3a loaded after klp-5a (seed 001), per variant: DOWNGRADED, refused, or kept (loaded without taking fixes back)';

export function downgradesText(rows: readonly DowngradeRow[]): string {
  const heads = ['semantics', ...DOWNGRADE_VARIANTS.map((v) => v.label), 'stopped by'];
  const table = rows.map((r) => [r.semantics, ...r.outcomes.map(cell), stops(r)]);
  const widths = heads.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cols: readonly string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [TITLE, '', line(heads), ...table.map(line), ''].join('\n');
}

export function downgradesMarkdown(rows: readonly DowngradeRow[]): string {
  return [
    `${TITLE}.`,
    '',
    `| semantics | ${DOWNGRADE_VARIANTS.map((v) => v.label).join(' | ')} | stopped by |`,
    `|---|${DOWNGRADE_VARIANTS.map(() => '---').join('|')}|---|`,
    ...rows.map((r) => `| ${r.semantics} | ${r.outcomes.map(cell).join(' | ')} | ${stops(r)} |`),
    '',
  ].join('\n');
}
