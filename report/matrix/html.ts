/**
 * The verdict matrix as one self-contained HTML page: the table (each cell
 * saying how far it was checked, random-only passes apart from bounded
 * ones), a legend, then for each violated cell the counterexample to quote:
 * its timeline (inline SVG) and the explanation. No scripts, nothing from
 * the network, byte-stable, every element id unique.
 */
import type { Counterexample } from '../../harness/counterexample.ts';
import { quoted, type Cell, type VerdictMatrix } from '../../harness/matrix.ts';
import { contextFor, staleCaution } from '../context.ts';
import { explanation } from '../explain.ts';
import { renderSvg, xml } from '../svg.ts';
import { htmlPage } from '../page.ts';
import {
  cellAt,
  classOf,
  exhaustiveReach,
  fixedFiles,
  howChecked,
  longCell,
  notApplicableGroups,
  storedStates,
  vacuousGroups,
  violatedWords,
} from './cells.ts';
import { plural } from '../../harness/plural.ts';
import { shellWord } from '../../harness/shell.ts';

const CSS = [
  'body { font-family: sans-serif; margin: 1.5em; color: #111111; background: #ffffff; }',
  'table { border-collapse: collapse; font-size: 0.9em; }',
  'th, td { border: 1px solid #cccccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }',
  // Property names are long; they stay on one line and the table scrolls.
  'th code { white-space: nowrap; }',
  'div.scroll { overflow-x: auto; }',
  'small { color: #555555; }',
  'td.holds-bounded { background: #c8e6c9; }',
  'td.holds-random { background: #f1f8e9; }',
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

/**
 * The timeline SVG declares its hatch patterns by id (klp-patching, ...);
 * one page holds many timelines, so each gets its own ids.
 */
function ownIds(svg: string, prefix: string): string {
  return svg.replace(/(id="|url\(#)klp-/g, `$1${prefix}-klp-`);
}

function cellHtml(m: VerdictMatrix, c: Cell | undefined, withTimeline: boolean): string {
  if (!c) return '<td>?</td>';
  const title = xml(longCell(m, c));
  const fixed = c.fixed?.length ? `<br><small>${c.fixed.length} fixed</small>` : '';
  switch (c.verdict) {
    case 'not-applicable':
      return `<td class="na" title="${title}">n/a${fixed}</td>`;
    case 'holds-random':
      // Not "holds": sequences this short cannot break it (helper-77, stop 47).
      if (c.vacuous_in_scope && !c.vacuous?.length)
        return `<td class="vacuous" title="${title}">vacuous (random)<br><small>${c.sequences} seq, too short</small>${fixed}</td>`;
      return c.vacuous?.length
        ? `<td class="vacuous" title="${title}">holds (random)<br><small>${c.sequences} seq, no operation</small><br><small>vacuous</small>${fixed}</td>`
        : `<td class="holds-random" title="${title}">holds (random)<br><small>${c.sequences} seq</small>${fixed}</td>`;
    case 'holds-bounded': {
      const vacuous =
        (c.vacuous?.length ? `<br><small>vacuous: ${xml(c.vacuous.join(', '))}</small>` : '') +
        (c.vacuous_in_scope ? '<br><small>vacuous in scope</small>' : '');
      return `<td class="${vacuous ? 'vacuous' : 'holds-bounded'}" title="${title}">holds (bounded)<br><small>${storedStates(c)}</small>${vacuous}${fixed}</td>`;
    }
    case 'violated': {
      const more = c.counterexamples.length > 1 ? `, +${c.counterexamples.length - 1}` : '';
      const text = `violated<br><small>${violatedWords(c)}, ${plural(quoted(c).length, 'step')}${more}</small>`;
      return `<td class="${classOf(c) === 'design-choice' ? 'design' : 'violated'}" title="${title}">${withTimeline ? `<a href="#${anchor(c)}">${text}</a>` : text}${fixed}</td>`;
    }
  }
}

function legendHtml(m: VerdictMatrix): string[] {
  const items = [
    '<li><b>holds (random)</b>: no counterexample in the random runs and none saved that reproduces; not a proof.</li>',
    ...(m.exhaustive ? [`<li><b>holds (bounded)</b>: also holds exhaustively, ${xml(exhaustiveReach(m)!)}.</li>`] : []),
    '<li><b>violated</b>: the counterexample to quote (the shortest) has that many steps; the others are listed with it.</li>',
    '<li><b>n/a</b>: the semantics has nothing the property speaks of (why: below).</li>',
  ];
  const na = notApplicableGroups(m).map((g) => `<li><code>${xml(g.property)}</code> (${xml(g.semantics.join(', '))}): ${xml(g.why)}</li>`);
  const vacuous = vacuousGroups(m).map(
    (g) => `<li>${g.property ? `<code>${xml(g.property)}</code>` : 'every pass'} (${xml(g.semantics.join(', '))}): ${xml(g.why)}</li>`,
  );
  const fixed = fixedFiles(m).map(
    ({ cell, file }) => `<li>${xml(cell.semantics)} / <code>${xml(cell.property)}</code>: <code>${xml(file)}</code></li>`,
  );
  return [
    '<ul>',
    ...items,
    '</ul>',
    ...(fixed.length ? ['<p>Fixed: saved counterexamples that no longer reproduce.</p>', '<ul>', ...fixed, '</ul>'] : []),
    ...(vacuous.length ? ['<p>Vacuous: nothing or too little checked.</p>', '<ul>', ...vacuous, '</ul>'] : []),
    ...(na.length ? ['<p>Not applicable:</p>', '<ul>', ...na, '</ul>'] : []),
  ];
}

/**
 * The page's sentence on how to render a counterexample for a mail, with its
 * path (as the page shows it) in a `klpcheck render` command: a word bash
 * reads back as the path (harness/shell.ts shellWord), and never an option.
 * A compare --out folder with a space or '(' made a command that bash
 * refused to paste (helper-128, 2026-12-07). A path with a control character
 * is shown with its escape (late-errors.ts shownPath), which no quoting
 * turns back into the character: then the sentence says to type the path
 * (helper-129; a name with a backslash of its own gets the note too).
 */
function renderSentence(file: string): string {
  const command = `klpcheck render ${shellWord(file.startsWith('-') ? `./${file}` : file)}`;
  if (!/\\(?:[nrtbf]|u[0-9a-fA-F]{4})/.test(file)) return `Render it for a mail with <code>${xml(command)}</code>.`;
  return `Render it for a mail with <code>klpcheck render</code> and its path, typed: the path holds a control character, shown above as its escape, which a pasted command would not give back.`;
}

/** `counterexamples` maps a counterexample path (as in the cells) to the loaded record; each violated cell shows its quoted one. */
export function matrixHtml(
  m: VerdictMatrix,
  counterexamples: ReadonlyMap<string, Counterexample>,
  /** By file, as `counterexamples`: the CAUTION a record today's replay does not reproduce opens with (replay.ts recordCaution), when it has one. */
  cautions: ReadonlyMap<string, string> = new Map(),
): string {
  const title = 'klpcheck: replace semantics compared';
  const shown = (c: Cell | undefined) =>
    c?.verdict === 'violated' && quoted(c).file !== undefined ? counterexamples.get(quoted(c).file!) : undefined;
  // One row per semantics: the catalog grows, the invariants stay few.
  const rows = m.semantics.map(
    (s) =>
      `<tr><th>${xml(s)}</th>${m.properties.map((p) => cellHtml(m, cellAt(m, s, p), shown(cellAt(m, s, p)) !== undefined)).join('')}</tr>`,
  );
  const sections = m.cells.flatMap((cell) => {
    const c = shown(cell);
    if (!c || cell.verdict !== 'violated') return [];
    const ctx = contextFor(c);
    const file = quoted(cell).file!;
    const others = cell.counterexamples.slice(1).map((r) => `<code>${xml(r.file ?? '(not saved)')}</code> (${plural(r.length, 'step')})`);
    return [
      [
        `<section id="${xml(anchor(cell))}">`,
        `<h2>${xml(cell.semantics)}: ${xml(ctx.invariant.title)} violated (${plural(c.steps.length, 'step')})</h2>`,
        // The section shows the record, its reason too: a record today's replay does not give says so first, as render's
        // CAUTION does (helper-128: an edited reason was shown as klpcheck's, beside the matrix's own reason).
        ...(cautions.has(file) ? [`<p><strong>CAUTION:</strong> ${xml(staleCaution(cautions.get(file)!))}</p>`] : []),
        `<p>Counterexample to quote: <code>${xml(file)}</code>. ${renderSentence(file)}${others.length ? ` Also: ${others.join(', ')}.` : ''}</p>`,
        '<figure>',
        ownIds(renderSvg(c, ctx, false), anchor(cell)),
        '</figure>',
        ...explanation(c, ctx).map((p) => `<p>${xml(p)}</p>`),
        '</section>',
      ].join('\n'),
    ];
  });
  return htmlPage(title, CSS, [
    `<p>${xml(howChecked(m))} klpcheck ${xml(m.klpcheck)}.</p>`,
    `<p>${xml(PROMISE_LEGEND)}</p>`,
    '<div class="scroll"><table>',
    `<tr><th>semantics</th>${m.properties.map((p) => `<th><code>${xml(p)}</code></th>`).join('')}</tr>`,
    ...rows,
    '</table></div>',
    ...legendHtml(m),
    ...sections,
  ]);
}
