/**
 * The timeline as a standalone SVG: one lane per slot with each patch's life
 * as a bar (solid while enabled, hatched while patching or unpatching, a
 * dashed tail while the freed patch's module stays loaded), lanes for tasks
 * asleep in a function, refusals marked, the violating step highlighted,
 * step numbers on the axis, a legend and the list of steps below.
 *
 * Byte-stable: integer coordinates, fixed ids, no dates; the text is
 * monospace, so widths are computed from character counts.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import type { PatchStatus } from '../model/spec/abstract-state.ts';
import type { RenderContext } from './context.ts';
import { attrSummary, patchDef, slotWords, stepsOf } from './derive.ts';
import { semanticsLabel, stepLine, stepPhrase } from './phrases.ts';
import { timelineOf, type Item, type Lane } from './timeline.ts';
import { wrap } from './wrap.ts';

const CHAR_W = 7.3; // 12px monospace, generously
const FONT = 'font-family="monospace" font-size="12"';
const TITLE_FONT = 'font-family="monospace" font-size="14" font-weight="bold"';
const COL_W = 96;
const ROW_H = 30;
const BAR_H = 20;
const LANE_PAD = 6;
const MIN_W = 720;

const RED = '#d62728';

const textWidth = (s: string) => Math.ceil(s.length * CHAR_W);

export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cuts a label to a width, with `..` to show it was cut. */
function fit(s: string, width: number): string {
  const n = Math.floor(width / CHAR_W);
  if (s.length <= n) return s;
  return n <= 2 ? '' : `${s.slice(0, n - 2)}..`;
}

const FILL: Readonly<Record<PatchStatus, string>> = {
  enabled: '#4c78a8',
  patching: 'url(#klp-patching)',
  unpatching: 'url(#klp-unpatching)',
  stale: RED,
  freed: '#bbbbbb',
};

const DEFS = [
  '<defs>',
  '<pattern id="klp-patching" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
  '<rect width="8" height="8" fill="#c6dbef"/><rect width="4" height="8" fill="#4c78a8"/></pattern>',
  '<pattern id="klp-unpatching" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">',
  '<rect width="8" height="8" fill="#fdd0a2"/><rect width="4" height="8" fill="#e6550d"/></pattern>',
  '</defs>',
];

/** A label with a white halo, readable on solid and hatched bars alike. */
function label(x: number, y: number, s: string, o: { fill?: string; anchor?: 'middle'; bold?: boolean } = {}): string {
  const extra = `${o.anchor ? ` text-anchor="${o.anchor}"` : ''}${o.bold ? ' font-weight="bold"' : ''}`;
  return `<text x="${x}" y="${y}" ${FONT} fill="${o.fill ?? '#111111'}" stroke="#ffffff" stroke-width="3" paint-order="stroke"${extra}>${xml(s)}</text>`;
}

interface Geometry {
  readonly left: number;
  readonly colX: (step: number) => number;
}

/** `room`: the first column after the item that another item of its row (or the end) takes. */
function drawItem(c: Counterexample, ctx: RenderContext, g: Geometry, item: Item, top: number, room: number): string[] {
  const y = top + Math.floor((ROW_H - BAR_H) / 2);
  const mid = y + BAR_H / 2;
  const x0 = g.colX(item.from) + 2;
  const x1 = g.colX(item.to) + COL_W - 2;
  if (item.kind === 'refusal') {
    const cx = g.colX(item.from) + 9;
    return [
      `<path d="M${cx - 5} ${mid - 5} L${cx + 5} ${mid + 5} M${cx - 5} ${mid + 5} L${cx + 5} ${mid - 5}" stroke="${RED}" stroke-width="2"/>`,
      label(cx + 9, mid + 4, fit(`${item.patch} ${item.errno}`, g.colX(room) - cx - 12), { fill: RED }),
    ];
  }
  if (item.kind === 'sleep') {
    const s = item.sleep;
    return [
      `<rect x="${x0}" y="${y}" width="${x1 - x0}" height="${BAR_H}" rx="3" fill="#dddddd" stroke="#888888"/>`,
      label(x0 + 4, mid + 4, fit(`asleep in ${s.func} (${s.code})`, x1 - x0 - 8)),
    ];
  }
  const life = item.life;
  const out: string[] = [];
  life.statuses.forEach((status, i) => {
    const sx = g.colX(life.from + i) + (i === 0 ? 2 : 0);
    const ex = g.colX(life.from + i) + COL_W - (i === life.statuses.length - 1 ? 2 : 0);
    out.push(`<rect x="${sx}" y="${y}" width="${ex - sx}" height="${BAR_H}" fill="${FILL[status]}"/>`);
  });
  out.push(`<rect x="${x0}" y="${y}" width="${x1 - x0}" height="${BAR_H}" rx="3" fill="none" stroke="#1f3b5c"/>`);
  if (life.lingerTo !== null) {
    const tx = g.colX(life.lingerTo) + COL_W - 4;
    out.push(`<line x1="${x1}" y1="${mid}" x2="${tx}" y2="${mid}" stroke="#777777" stroke-width="2" stroke-dasharray="4 3"/>`);
  }
  if (life.forcedAt !== null) {
    const fx = g.colX(life.forcedAt) + (life.forcedAt === life.from ? 2 : 0);
    out.push(`<rect x="${fx}" y="${y - 2}" width="${x1 - fx}" height="${BAR_H + 4}" fill="none" stroke="${RED}" stroke-width="2"/>`);
  }
  const attrs = attrSummary(patchDef(c, life.patch), ctx);
  const inside = x1 - x0 - 8;
  const text = attrs && textWidth(`${life.patch} ${attrs}`) <= inside ? `${life.patch} ${attrs}` : fit(life.patch, inside);
  // White on a solid bar; dark with a white halo on a hatched one.
  const solid = life.statuses[0] === 'enabled' || life.statuses[0] === 'stale';
  out.push(solid ? `<text x="${x0 + 4}" y="${mid + 4}" ${FONT} fill="#ffffff">${xml(text)}</text>` : label(x0 + 4, mid + 4, text));
  return out;
}

function laneHeight(l: Lane): number {
  return l.rows.length * ROW_H + 2 * LANE_PAD;
}

/** The legend's entries: a name and how to draw its 24x12 swatch at (x, y-top). */
const LEGEND: readonly (readonly [string, (x: number, y: number) => string])[] = [
  ...(['enabled', 'patching', 'unpatching'] as const).map(
    (st) => [st, (x: number, y: number) => `<rect x="${x}" y="${y}" width="24" height="12" fill="${FILL[st]}" stroke="#1f3b5c"/>`] as const,
  ),
  ['stale (a bug)', (x, y) => `<rect x="${x}" y="${y}" width="24" height="12" fill="${FILL.stale}" stroke="#1f3b5c"/>`],
  ['freed, module loaded', (x, y) => `<line x1="${x}" y1="${y + 6}" x2="${x + 24}" y2="${y + 6}" stroke="#777777" stroke-width="2" stroke-dasharray="4 3"/>`],
  ['forced', (x, y) => `<rect x="${x}" y="${y - 1}" width="24" height="14" fill="none" stroke="${RED}" stroke-width="2"/>`],
  ['asleep', (x, y) => `<rect x="${x}" y="${y}" width="24" height="12" rx="3" fill="#dddddd" stroke="#888888"/>`],
];

/** The legend, flowing onto more lines when it does not fit; returns the last line's baseline. */
function legend(x: number, y: number, width: number, out: string[]): number {
  let at = x;
  for (const [name, swatch] of LEGEND) {
    const w = 30 + textWidth(name) + 18;
    if (at > x && at + w > width) {
      at = x;
      y += 20;
    }
    out.push(swatch(at, y - 10), `<text x="${at + 30}" y="${y}" ${FONT}>${xml(name)}</text>`);
    at += w;
  }
  return y;
}

/**
 * The SVG element alone. `heading` puts the title, the semantics and the
 * violation above the lanes, for a file seen on its own; the HTML page says
 * them in its own header instead.
 */
export function renderSvg(c: Counterexample, ctx: RenderContext, heading = true): string {
  const t = timelineOf(c, ctx);
  const left = Math.max(120, ...t.lanes.map((l) => textWidth(laneTitle(l)) + 24));
  const width = Math.max(MIN_W, left + t.steps * COL_W + 24);
  const chars = Math.floor((width - 24) / CHAR_W);
  const g: Geometry = { left, colX: (step) => left + (step - 1) * COL_W };
  const out: string[] = [];
  let y = 0;
  if (heading) {
    out.push(`<text x="12" y="${(y += 22)}" ${TITLE_FONT}>${xml(fit(`klpcheck: ${ctx.invariant.id} under ${c.semantics}`, width - 24))}</text>`);
    for (const line of wrap(semanticsLabel(c, ctx), '', '  ', chars)) out.push(`<text x="12" y="${(y += 18)}" ${FONT}>${xml(line)}</text>`);
    const why = `violated after step ${t.violated} of ${t.steps}: ${c.violation.reason}`;
    for (const line of wrap(why, '', '  ', chars)) out.push(`<text x="12" y="${(y += 18)}" ${FONT} fill="${RED}">${xml(line)}</text>`);
  }
  const lanesTop = y + 30;
  const lanesBottom = lanesTop + t.lanes.reduce((h, l) => h + laneHeight(l), 0);
  // The violating step first, so that bars are drawn over it.
  const vx = g.colX(t.violated);
  out.push(`<rect x="${vx}" y="${lanesTop - 18}" width="${COL_W}" height="${lanesBottom - lanesTop + 18}" fill="#fde0dd" stroke="${RED}"/>`);
  out.push(`<text x="${vx + COL_W / 2}" y="${lanesTop - 5}" ${FONT} text-anchor="middle" fill="${RED}" font-weight="bold">violated</text>`);
  for (let s = 1; s <= t.steps + 1; s++) {
    const x = g.colX(s);
    out.push(`<line x1="${x}" y1="${lanesTop}" x2="${x}" y2="${lanesBottom}" stroke="#e3e3e3"/>`);
  }
  let top = lanesTop;
  t.lanes.forEach((lane, i) => {
    const h = laneHeight(lane);
    if (i % 2 === 1) out.push(`<rect x="0" y="${top}" width="${left}" height="${h}" fill="#f4f4f4"/>`);
    out.push(`<line x1="0" y1="${top}" x2="${width}" y2="${top}" stroke="#c8c8c8"/>`);
    out.push(`<text x="12" y="${top + LANE_PAD + ROW_H / 2 + 4}" ${FONT}${lane.kind === 'task' ? ' font-style="italic"' : ''}>${xml(laneTitle(lane))}</text>`);
    lane.rows.forEach((row, r) => {
      row.forEach((item, k) => out.push(...drawItem(c, ctx, g, item, top + LANE_PAD + r * ROW_H, row[k + 1]?.from ?? t.steps + 1)));
    });
    top += h;
  });
  out.push(`<line x1="0" y1="${lanesBottom}" x2="${width}" y2="${lanesBottom}" stroke="#c8c8c8"/>`);
  y = lanesBottom + 18;
  out.push(`<text x="12" y="${y}" ${FONT}>step</text>`);
  for (let s = 1; s <= t.steps; s++) {
    out.push(`<text x="${g.colX(s) + COL_W / 2}" y="${y}" ${FONT} text-anchor="middle"${s === t.violated ? ` fill="${RED}" font-weight="bold"` : ''}>${s}</text>`);
  }
  for (const r of t.axisRefusals) out.push(label(g.colX(r.step) + COL_W / 2, y + 16, r.errno, { fill: RED, anchor: 'middle' }));
  y = legend(12, y + 40, width - 12, out) + 14;
  for (const f of stepsOf(c)) {
    const line = stepLine(stepPhrase(c, f, ctx));
    for (const l of wrap(line, `${String(f.number).padStart(3)}. `, '       ', chars)) {
      out.push(`<text x="12" y="${(y += 16)}" ${FONT} xml:space="preserve"${f.violated ? ` fill="${RED}"` : ''}>${xml(l)}</text>`);
    }
  }
  const height = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xml(`klpcheck timeline: ${ctx.invariant.id} under ${c.semantics}`)}">`,
    `<title>${xml(`klpcheck: ${ctx.invariant.title} violated under ${c.semantics} at step ${t.violated}`)}</title>`,
    ...DEFS,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
  ].join('\n');
}

function laneTitle(l: Lane): string {
  if (l.kind === 'task') return l.label;
  const own = /^patch:(.*)$/.exec(l.label);
  return own ? `${own[1]}'s own slot` : slotWords(l.label);
}

/** The standalone file: an XML declaration and a final newline. */
export function renderSvgFile(c: Counterexample, ctx: RenderContext): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderSvg(c, ctx)}\n`;
}
