/**
 * The verdict matrix as one self-contained HTML page: the table, each
 * violated cell linked to its counterexample's timeline further down the
 * same page (inline SVG and the explanation). No scripts, nothing from the
 * network, byte-stable.
 */
import type { Counterexample } from '../../harness/counterexample.ts';
import type { Cell, VerdictMatrix } from '../../harness/matrix.ts';
import { contextFor } from '../context.ts';
import { explanation } from '../explain.ts';
import { renderSvg, xml } from '../svg.ts';
import { htmlPage } from '../page.ts';
import { cellAt, classOf, longCell, violatedWords } from './cells.ts';

const CSS = [
  'body { font-family: sans-serif; margin: 1.5em; color: #111111; background: #ffffff; }',
  'table { border-collapse: collapse; font-size: 0.9em; }',
  'th, td { border: 1px solid #cccccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }',
  'th code { white-space: normal; word-break: break-word; }',
  'small { color: #555555; }',
  'td.holds { background: #e8f5e9; }',
  'td.violated { background: #ffebee; }',
  'td.design { background: #f3e5f5; }',
  'td.na { color: #888888; }',
  'td.vacuous { background: #fff8e1; }',
  'section { margin-top: 2em; border-top: 1px solid #dddddd; }',
  'figure { margin: 1em 0; overflow-x: auto; }',
  'code { font-family: monospace; }',
];

const PROMISE_LEGEND =
  'A violated property is a broken promise (red) when the semantics promises it (model/semantics/, each promise with its source), ' +
  'and a design choice (violet) when its rule never promised it.';

const anchor = (c: Cell) => `ce-${c.semantics}-${c.property}`;

function cellHtml(c: Cell | undefined, withTimeline: boolean): string {
  if (!c) return '<td>?</td>';
  if (c.verdict === 'not-applicable') return '<td class="na">n/a</td>';
  if (c.verdict === 'holds') {
    const counts = c.states !== undefined ? `${c.states} states` : `${c.sequences} seq, ${c.steps} steps`;
    const vacuous = c.vacuous?.length ? `<br><small>vacuous: ${xml(c.vacuous.join(', '))}</small>` : '';
    return `<td class="${vacuous ? 'vacuous' : 'holds'}" title="${xml(longCell(c))}">holds<br><small>${xml(counts)}</small>${vacuous}</td>`;
  }
  const text = `violated<br><small>${violatedWords(c)}, ${c.length} steps</small>`;
  return `<td class="${classOf(c) === 'design-choice' ? 'design' : 'violated'}" title="${xml(c.reason ?? '')}">${withTimeline ? `<a href="#${anchor(c)}">${text}</a>` : text}</td>`;
}

/** `counterexamples` maps a cell's counterexample path to the loaded record. */
export function matrixHtml(m: VerdictMatrix, counterexamples: ReadonlyMap<string, Counterexample>): string {
  const title = 'klpcheck: replace semantics compared';
  const how =
    m.mode === 'exhaustive'
      ? `Exhaustive: every sequence up to depth ${m.max_steps} in scope ${m.scope}.`
      : `Random runs: seed ${m.seed}, ${m.runs} sequences of up to ${m.max_steps} operations per cell.`;
  const has = (c: Cell | undefined) => c?.verdict === 'violated' && c.counterexample !== undefined && counterexamples.has(c.counterexample);
  // One row per semantics: the catalog grows, the invariants stay few.
  const rows = m.semantics.map((s) => `<tr><th>${xml(s)}</th>${m.properties.map((p) => cellHtml(cellAt(m, s, p), has(cellAt(m, s, p)))).join('')}</tr>`);
  const sections = m.cells.filter(has).map((cell) => {
    const c = counterexamples.get(cell.counterexample!)!;
    const ctx = contextFor(c);
    return [
      `<section id="${xml(anchor(cell))}">`,
      `<h2>${xml(cell.semantics)}: ${xml(ctx.invariant.title)} violated (${c.steps.length} steps)</h2>`,
      `<p>Counterexample file: <code>${xml(cell.counterexample!)}</code>. Render it for a mail with <code>klpcheck render ${xml(cell.counterexample!)}</code>.</p>`,
      '<figure>',
      renderSvg(c, ctx, false),
      '</figure>',
      ...explanation(c, ctx).map((p) => `<p>${xml(p)}</p>`),
      '</section>',
    ].join('\n');
  });
  return htmlPage(title, CSS, [
    `<p>${xml(how)} klpcheck ${xml(m.klpcheck)}.</p>`,
    `<p>${xml(PROMISE_LEGEND)}</p>`,
    '<table>',
    `<tr><th>semantics</th>${m.properties.map((p) => `<th><code>${xml(p)}</code></th>`).join('')}</tr>`,
    ...rows,
    '</table>',
    ...sections,
  ]);
}
