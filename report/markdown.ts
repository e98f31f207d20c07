/**
 * The counterexample as markdown for an issue or a review page: the same
 * content as the text rendering, with tables for the patches and the steps
 * and a mermaid sequence diagram of the steps.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { escapeControls } from '../harness/errors.ts';
import { staleCaution, titleAfterId, type RenderContext } from './context.ts';
import { attrSummary, objectsOf, ownersOf, patchesInPlay, runningRows, slotOf, statesOf, stepsOf, targetsInPlay } from './derive.ts';
import { explanation } from './explain.ts';
import { kernelLog, kernelLogLines } from './kernel-log.ts';
import { markdownCell, markdownText } from './markdown-text.ts';
import { renderMermaid } from './mermaid.ts';
import { patchLabel, provenanceLine, semanticsLabel, stepPhrase } from './phrases.ts';

/**
 * A code span: one line (control characters escaped), a backtick in a name
 * cannot end it early, and a `|` cannot end a table cell (GFM takes `\|`
 * there, in a code span too).
 */
const code = (s: string) => `\`${escapeControls(s).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
/** A table row of cells already made markdown: code spans by code(), text by markdownCell. */
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(head.map(markdownCell)), row(head.map(() => '---')), ...rows.map(row)];
}

function patchesTable(c: Counterexample, ctx: RenderContext): string[] {
  // The owners column only for an invariant that reads them (derive.ts ownershipOf).
  const owners = ctx.invariant.readsOwners === true;
  return table(
    ['Patch', 'Role', 'Attributes', 'Slot', ...(owners ? ['Owner'] : []), 'Functions', 'States'],
    patchesInPlay(c).used.map((def) => [
      code(def.name),
      markdownCell(patchLabel(c, def.name, ctx).replace(/ \(.*\)$/, '')),
      attrSummary(def, ctx) ? code(attrSummary(def, ctx)) : '',
      code(slotOf(c, def.name, ctx) ?? '(none)'),
      // The file's own words as code spans, never markup (as the names; test/render.test.ts).
      ...(owners ? [[...ownersOf(def).owners.map(code), ...ownersOf(def).release.map(markdownCell)].join(', ')] : []),
      markdownCell(
        objectsOf(def)
          .map((o) => `${o.name}: ${o.funcs.length ? o.funcs.join(', ') : 'no functions'}${o.callbacks ? ' (+callbacks)' : ''}`)
          .join('; '),
      ),
      markdownCell(statesOf(def).join(', ')),
    ]),
  );
}

function stepsTable(c: Counterexample, ctx: RenderContext): string[] {
  return table(
    ['#', 'Action', 'What it did', 'Result', 'What runs after it'],
    stepsOf(c).map((f) => {
      const p = stepPhrase(c, f, ctx);
      const runs = runningRows(f.after)
        .map((r) => `${code(r.func)} ${markdownCell(r.code.map((x) => (x.task ? `${x.task}: ${x.code}` : x.code)).join(', '))}`)
        .join('; ');
      const mark = f.violated ? ` **violated: ${ctx.invariant.id}**` : '';
      return [`${f.number}`, markdownCell(p.action), `${markdownCell(p.effects.join('; '))}${mark}`, markdownCell(p.refusal ?? 'ok'), runs];
    }),
  );
}

/**
 * The steps' kernel log (kernel-log.ts) as one code block, numbered as the
 * steps are; none when no log can be shown or the steps logged nothing.
 * The fence is longer than any run of backticks in the block (a set_attr
 * value may hold some), counted in a loop: a spread of 130,000 runs into
 * Math.max overflowed the stack (helper-72, stop 45).
 */
function kernelLogSection(c: Counterexample, ctx: RenderContext): string[] {
  const logs = kernelLog(c, ctx);
  if (!logs?.length) return [];
  const block = kernelLogLines(c, logs);
  let longest = 2;
  for (const line of block) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return [
    '## Kernel log',
    '',
    'Each step that logged, and its lines as dmesg shows them with livepatch dynamic debug on, as the selftests run:',
    '',
    fence,
    ...block,
    fence,
  ];
}

export function renderMarkdown(c: Counterexample, ctx: RenderContext): string {
  const lines = [
    `# klpcheck counterexample: ${ctx.invariant.title}`,
    '',
    ...(ctx.stale ? [`- **CAUTION:** ${markdownText(staleCaution(ctx.stale))}`] : []),
    `- **Semantics:** ${semanticsLabel(c, ctx)}`,
    `- **Invariant:** ${code(ctx.invariant.id)}${titleAfterId(ctx.invariant)}`,
    `- **Violated:** after step ${c.violation.step + 1} of ${c.steps.length}: ${markdownText(c.violation.reason)}`,
    ...(c.provenance.seed !== undefined ? [`- **Seed:** ${c.provenance.seed}`] : []),
    `- **Found by:** ${markdownText(provenanceLine(c, false))}`,
    '',
    '## Patches',
    '',
    ...patchesTable(c, ctx),
    '',
    ...(patchesInPlay(c).unused.length ? [`Defined but never loaded: ${patchesInPlay(c).unused.map(code).join(', ')}.`, ''] : []),
    ...(targetsInPlay(c).length ? [`Target modules: ${targetsInPlay(c).map(code).join(', ')}.`, ''] : []),
    `Tasks: ${c.initial.tasks.map((t) => code(t.name)).join(', ') || '(none)'}.`,
    '',
    '## Steps',
    '',
    ...stepsTable(c, ctx),
    '',
    '```mermaid',
    ...renderMermaid(c, ctx).trimEnd().split('\n'),
    '```',
    '',
    '## Why it breaks',
    '',
    ...explanation(c, ctx).flatMap((p) => [markdownText(p), '']),
    ...kernelLogSection(c, ctx),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
