/**
 * One self-contained HTML page: inline CSS, the inline SVG timeline and the
 * text rendering below it. No scripts, no fonts or anything else from the
 * network, no dates: it reads the same without JavaScript, offline, and
 * byte for byte on every run.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { staleCaution, type RenderContext } from './context.ts';
import { explanation } from './explain.ts';
import { provenanceLine, semanticsLabel } from './phrases.ts';
import { renderSvg, xml } from './svg.ts';
import { htmlPage } from './page.ts';
import { renderText } from './text.ts';

const CSS = [
  'body { font-family: sans-serif; margin: 1.5em; color: #111111; background: #ffffff; max-width: 100%; }',
  'h1 { font-size: 1.3em; margin: 0 0 0.5em 0; }',
  'h2 { font-size: 1.1em; margin: 1.5em 0 0.5em 0; }',
  'dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; margin: 0; }',
  'dt { font-weight: bold; }',
  'dd { margin: 0; }',
  'code, pre { font-family: monospace; }',
  'figure { margin: 1em 0; overflow-x: auto; }',
  'pre { background: #f6f6f6; border: 1px solid #dddddd; padding: 0.8em; overflow-x: auto; }',
  '.violated { color: #b00000; }',
];

export function renderHtml(c: Counterexample, ctx: RenderContext): string {
  const title = `klpcheck: ${ctx.invariant.title} violated under ${c.semantics}`;
  const field = (name: string, value: string, cls = '') => `<dt>${xml(name)}</dt><dd${cls ? ` class="${cls}"` : ''}>${value}</dd>`;
  return htmlPage(title, CSS, [
    '<dl>',
    ...(ctx.stale ? [field('CAUTION', xml(staleCaution(ctx.stale)), 'violated')] : []),
    field('Semantics', xml(semanticsLabel(c, ctx))),
    field('Invariant', `<code>${xml(ctx.invariant.id)}</code>: ${xml(ctx.invariant.meaning)}`),
    field('Violated', xml(`after step ${c.violation.step + 1} of ${c.steps.length}: ${c.violation.reason}`), 'violated'),
    ...(c.provenance.seed !== undefined ? [field('Seed', xml(String(c.provenance.seed)))] : []),
    field('Found by', xml(provenanceLine(c, false))),
    '</dl>',
    '<h2>Timeline</h2>',
    '<figure>',
    renderSvg(c, ctx, false),
    '<figcaption>One lane per slot; each bar is a patch from its load to its free or removal. Hatched: in transition. The violating step is shaded.</figcaption>',
    '</figure>',
    '<h2>Why it breaks</h2>',
    ...explanation(c, ctx).map((p) => `<p>${xml(p)}</p>`),
    '<h2>As plain text (for a mail reply)</h2>',
    `<pre>${xml(renderText(c, ctx))}</pre>`,
  ]);
}
