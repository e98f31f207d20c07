/**
 * One scenario under every semantics, side by side, for a terminal or a
 * mail: per step, the semantics grouped by what happened, and the first
 * step where they diverge marked. Columns would not fit twenty semantics in
 * 72 columns; groups do.
 */
import { escapeControls } from '../harness/errors.ts';

export interface SideBySide {
  readonly title: string;
  readonly source: string;
  readonly semantics: readonly string[];
  readonly steps: readonly { readonly op: string; readonly outcome: Readonly<Record<string, string>> }[];
  /** Per semantics, the first property it violates, or nothing. */
  readonly verdicts: Readonly<Record<string, string | null>>;
}

/** Words joined into lines of at most `width` columns: the first starts with `first`, the others with `rest`. */
function wrap(words: readonly string[], first: string, rest = first, width = 72): string[] {
  const out: string[] = [];
  let line = first;
  let fresh = true;
  for (const w of words) {
    if (!fresh && line.length + w.length + 1 > width) {
      out.push(line.trimEnd());
      line = rest;
    }
    line += `${w} `;
    fresh = false;
  }
  out.push(line.trimEnd());
  return out;
}

/** `v` with each string escaped (escapeControls). */
function inert(v: SideBySide): SideBySide {
  const esc = (o: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(o).map(([k, x]) => [k, escapeControls(x)]));
  return {
    ...v,
    title: escapeControls(v.title),
    source: escapeControls(v.source),
    steps: v.steps.map((s) => ({ op: escapeControls(s.op), outcome: esc(s.outcome) })),
    verdicts: Object.fromEntries(Object.entries(v.verdicts).map(([k, x]) => [k, x === null ? null : escapeControls(x)])),
  };
}

function groups(sems: readonly string[], outcome: Readonly<Record<string, string>>): [string, string[]][] {
  const by = new Map<string, string[]>();
  for (const s of sems) by.set(outcome[s] ?? '?', [...(by.get(outcome[s] ?? '?') ?? []), s]);
  return [...by];
}

/**
 * The side-by-side view as text. Every text that came from the file (its
 * name and the scenario's, step values that reach the ops and the kernel's
 * log lines) is shown with its control characters escaped, here and only
 * here, so that each line is one line: a newline in a step's value split
 * the table (hostile-user finding, 2026-12-03).
 */
export function sideBySideText(view: SideBySide): string {
  const v = inert(view);
  const lines = [
    ...wrap(v.title.split(' '), '', '  '),
    ...wrap(v.source.split(' '), '  source: ', '    '),
    `  ${v.semantics.length} semantics`,
    '',
  ];
  let diverged = -1;
  v.steps.forEach((step, i) => {
    const g = groups(v.semantics, step.outcome);
    const mark = g.length > 1 && diverged < 0 ? '>>' : '  ';
    if (mark === '>>') diverged = i;
    lines.push(`${mark}${String(i + 1).padStart(3)}. ${step.op}`);
    for (const [what, sems] of g) {
      lines.push(...wrap(what.split(' '), '        '));
      lines.push(
        ...wrap(g.length === 1 ? ['(every', 'semantics)'] : sems.map((x, j) => (j < sems.length - 1 ? `${x},` : x)), '          '),
      );
    }
  });
  lines.push(
    '',
    diverged < 0 ? 'The semantics never diverge.' : `The semantics first diverge at step ${diverged + 1} (>>).`,
    '',
    'First violation:',
  );
  const width = Math.max(...v.semantics.map((s) => s.length));
  for (const s of v.semantics) lines.push(...wrap((v.verdicts[s] ?? 'none').split(' '), `  ${s.padEnd(width)}  `, ' '.repeat(width + 4)));
  return `${lines.join('\n')}\n`;
}
