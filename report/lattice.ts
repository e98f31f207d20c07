/**
 * How the proposals relate (harness/relate/), for a mail and a page: the
 * classes of equal semantics, the Hasse diagram of refinement (text, and an
 * SVG for the HTML), and each separating sequence with what both sides do.
 * Every statement is bounded; the bound is printed with every edge.
 */
import { formatBound, describeUniverse, type RelateBound } from '../harness/relate/bound.ts';
import type { Lattice, PairRelation, Separation } from '../harness/relate/relation.ts';
import { sequenceOf, type ReplayedStep } from '../harness/relate/replay.ts';
import { htmlPage } from './page.ts';
import { markdownCell } from './markdown-text.ts';
import { xml } from './svg.ts';
import { plural } from '../harness/plural.ts';

/** Replays a separating sequence on a semantics (injected, so that the renderers stay pure). */
export type Replayer = (semantics: string, key: string) => readonly ReplayedStep[];

const name = (cls: readonly string[]) => cls.join(' = ');
const classOf = (l: Lattice, head: string) => l.classes.find((c) => c[0] === head)!;

/**
 * Who allows a separating sequence: one side, or both into different states
 * when the shortest sequence each way is the same one (it was shown twice,
 * each side "not allowing alike": stop 42's hostile user).
 */
function whoAllows(allows: string, refuses: string, both: boolean): string {
  return both ? `${allows} and ${refuses} both allow, into different states` : `${allows} allows, ${refuses} does not allow alike`;
}

/** The separations of a pair to show: each way, or one when both ways are the same sequence. */
function separationsOf(
  p: PairRelation,
): { readonly sep: Separation; readonly allows: string; readonly refuses: string; readonly both: boolean }[] {
  const both = p.aNotB !== null && p.bNotA !== null && p.aNotB.key === p.bNotA.key;
  return [
    ...(p.aNotB ? [{ sep: p.aNotB, allows: p.a, refuses: p.b, both }] : []),
    ...(p.bNotA && !both ? [{ sep: p.bNotA, allows: p.b, refuses: p.a, both }] : []),
  ];
}

function separationLines(sep: Separation, allows: string, refuses: string, both: boolean, b: RelateBound, replay: Replayer): string[] {
  const { universe } = sequenceOf(sep.key, b);
  const mine = replay(allows, sep.key);
  const theirs = replay(refuses, sep.key);
  const last = (s: readonly ReplayedStep[]) => s[s.length - 1]!;
  return [
    `    ${whoAllows(allows, refuses, both)} (${plural(sep.ops, 'op')}): ${describeUniverse(universe)}`,
    `      ${mine.map((s) => s.op).join('; ')}`,
    `      ${allows}: ${last(mine).outcome}, enabled ${last(mine).enabled.join(' ') || '-'}; ${refuses}: ${last(theirs).outcome}, enabled ${last(theirs).enabled.join(' ') || '-'}`,
  ];
}

function pairLines(p: PairRelation, b: RelateBound, replay: Replayer): string[] {
  if (p.equal) return [`  ${p.a} = ${p.b}`];
  const kind = !p.aNotB ? `${p.a} refines ${p.b}` : !p.bNotA ? `${p.b} refines ${p.a}` : `${p.a} and ${p.b} are incomparable`;
  return [`  ${kind}`, ...separationsOf(p).flatMap((x) => separationLines(x.sep, x.allows, x.refuses, x.both, b, replay))];
}

/** `pairs` to detail: every pair by default is long; the CLI passes the ones asked for. */
export function latticeText(l: Lattice, b: RelateBound, detail: readonly PairRelation[], replay: Replayer): string {
  const bound = formatBound(b);
  return [
    `How the semantics relate, bounded: every sequence of up to ${plural(b.depth, 'op')} (loads, loads with the admin's`,
    `parameter, disables, rmmods, a task sleeping in f1) on every universe of ${plural(b.patches, 'patch', 'patches')} over ${plural(b.functions, 'function')}${b.states ? ' and state 1' : ''}`,
    `(${bound}). Equal: same outcomes and states on all of them. A refines B: what A allows, B allows alike.`,
    '',
    'Equal within the bound:',
    ...l.classes.filter((c) => c.length > 1).map((c) => `  ${name(c)}`),
    ...(l.classes.some((c) => c.length > 1) ? [] : ['  (none)']),
    '',
    'Refinement (Hasse diagram edges, lower refines upper):',
    ...l.edges.map((e) => `  ${name(classOf(l, e.below))}  <  ${name(classOf(l, e.above))}   [${bound}]`),
    ...(l.edges.length ? [] : ['  (none)']),
    '',
    `Incomparable with every other: ${incomparable(l).map(name).join(', ') || '(none)'}`,
    ...(detail.length ? ['', 'Pairs:', ...detail.flatMap((p) => pairLines(p, b, replay))] : []),
    '',
  ].join('\n');
}

/**
 * The same as markdown, for a review: the covering edges as a table, the
 * equal classes, the classes incomparable with every other and, for the
 * pairs asked for (`detail`, as latticeText), what each is with a shortest
 * separating sequence each way. Without the last two the table of a pair of
 * incomparable semantics was empty and said nothing of them (stop 40's
 * hostile user).
 */
export function latticeMarkdown(l: Lattice, b: RelateBound, detail: readonly PairRelation[], replay: Replayer): string {
  const bound = formatBound(b);
  return [
    `Bounded: every sequence of up to ${plural(b.depth, 'op')} on every universe of ${plural(b.patches, 'patch', 'patches')} over ${plural(b.functions, 'function')}${b.states ? ' and state 1' : ''} (\`${bound}\`).`,
    '',
    ...(l.edges.length
      ? [
          '| lower (refines) | upper | bound |',
          '|---|---|---|',
          ...l.edges.map((e) => `| ${name(classOf(l, e.below))} | ${name(classOf(l, e.above))} | \`${bound}\` |`),
        ]
      : ['Refinement within the bound: none.']),
    '',
    `Equal within the bound: ${
      l.classes
        .filter((c) => c.length > 1)
        .map((c) => `**${name(c)}**`)
        .join('; ') || 'none'
    }.`,
    '',
    `Incomparable with every other: ${
      incomparable(l)
        .map((c) => `**${name(c)}**`)
        .join('; ') || 'none'
    }.`,
    '',
    ...(detail.length
      ? [
          '| pair | relation | shortest separating sequences |',
          '|---|---|---|',
          ...detail.map((p) => `| ${markdownCell(`${p.a}, ${p.b}`)} | ${relationOf(p)} | ${separations(p, b, replay)} |`),
          '',
        ]
      : []),
  ].join('\n');
}

/** The classes with no refinement edge, when there is more than one class (with one there is no other). */
function incomparable(l: Lattice): (readonly string[])[] {
  const related = new Set(l.edges.flatMap((e) => [e.below, e.above]));
  return l.classes.length > 1 ? l.classes.filter((c) => !related.has(c[0]!)) : [];
}

const relationOf = (p: PairRelation): string =>
  p.equal ? 'equal' : !p.aNotB ? `${p.a} refines ${p.b}` : !p.bNotA ? `${p.b} refines ${p.a}` : 'incomparable';

/** A pair's separating sequences in one cell: who allows what the other does not, the universe and the ops. */
function separations(p: PairRelation, b: RelateBound, replay: Replayer): string {
  const one = (sep: Separation, allows: string, refuses: string, both: boolean) => {
    const steps = replay(allows, sep.key);
    const theirs = replay(refuses, sep.key);
    const { universe } = sequenceOf(sep.key, b);
    // What each side did at the end, as the text says: "does not allow alike" may be another state, not a refusal.
    const end = (who: string, s: readonly ReplayedStep[]) => `${who}: ${s.at(-1)!.outcome}, enabled ${s.at(-1)!.enabled.join(' ') || '-'}`;
    return markdownCell(
      `${whoAllows(allows, refuses, both)} (${plural(sep.ops, 'op')}): ${describeUniverse(universe)}: ${steps.map((s) => s.op).join('; ')} (${end(allows, steps)}; ${end(refuses, theirs)})`,
    );
  };
  const parts = separationsOf(p).map((x) => one(x.sep, x.allows, x.refuses, x.both));
  return parts.join('<br>') || '-';
}

/** The Hasse diagram: classes with an edge in layers (minimal ones at the bottom), the others in a row below. */
export function latticeSvg(l: Lattice, b: RelateBound): string {
  const related = l.classes.filter((c) => l.edges.some((e) => e.below === c[0] || e.above === c[0]));
  const alone = l.classes.filter((c) => !related.includes(c));
  const rank = new Map<string, number>();
  const rankOf = (h: string): number => {
    if (!rank.has(h)) rank.set(h, Math.max(0, ...l.edges.filter((e) => e.above === h).map((e) => rankOf(e.below) + 1)));
    return rank.get(h)!;
  };
  const layers: string[][] = [];
  for (const c of related) (layers[rankOf(c[0]!)] ??= []).push(c[0]!);
  // Box width from the longest label: about 6.5 px a character at font-size 11.
  const W = Math.max(230, Math.ceil(Math.max(...l.classes.map((c) => name(c).length)) * 6.5) + 24);
  const H = 70;
  const width = Math.max(1, ...layers.map((x) => x.length), Math.min(alone.length, 4)) * W + 40;
  const aloneRows = Math.ceil(alone.length / 4);
  const height = layers.length * H + aloneRows * 40 + 90;
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, r) => layer.forEach((h, i) => pos.set(h, { x: 20 + i * W + W / 2, y: 30 + (layers.length - 1 - r) * H + 15 })));
  const label = (h: string) => name(classOf(l, h));
  const bound = formatBound(b);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<text x="20" y="16">Refinement within ${xml(bound)}: lower refines upper</text>`,
    ...l.edges.map((e) => {
      const a = pos.get(e.below)!;
      const c = pos.get(e.above)!;
      return `<line x1="${a.x}" y1="${a.y - 10}" x2="${c.x}" y2="${c.y + 10}" stroke="#555555"/><text x="${(a.x + c.x) / 2 + 4}" y="${(a.y + c.y) / 2}" fill="#777777" font-size="9">d&lt;=${b.depth}</text>`;
    }),
    ...[...pos].map(
      ([h, p]) =>
        `<rect x="${p.x - W / 2 + 8}" y="${p.y - 10}" width="${W - 16}" height="20" fill="#eef3fb" stroke="#4a6fa5"/><text x="${p.x}" y="${p.y + 4}" text-anchor="middle">${xml(label(h))}</text>`,
    ),
    `<text x="20" y="${layers.length * H + 45}">Incomparable with every other:</text>`,
    ...alone.map((c, i) => {
      const x = 20 + (i % 4) * W;
      const y = layers.length * H + 60 + Math.floor(i / 4) * 40;
      return `<rect x="${x + 8}" y="${y}" width="${W - 16}" height="20" fill="#f5f5f5" stroke="#999999"/><text x="${x + W / 2}" y="${y + 14}" text-anchor="middle">${xml(name(c))}</text>`;
    }),
    '</svg>',
  ];
  return parts.join('\n');
}

export function latticeHtml(l: Lattice, b: RelateBound, text: string): string {
  return htmlPage(
    'klpcheck: how the replace proposals relate',
    ['body { font-family: sans-serif; margin: 1.5em; }', 'pre { font-size: 0.85em; }'],
    [
      '<h1>How the replace proposals relate</h1>',
      `<p>Bounded: ${xml(formatBound(b))}. An edge goes up from a semantics to one it refines.</p>`,
      latticeSvg(l, b),
      `<pre>${xml(text)}</pre>`,
    ],
  );
}
