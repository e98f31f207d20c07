/**
 * The counterexample as plain text for a reply on the mailing list: ASCII,
 * at most 72 columns, numbered steps in the maintainers' style, what runs
 * for each function after each step, a closing paragraph on why the
 * invariant breaks, and last the steps' kernel log, whose commands and lines
 * are whole even past 72 columns (kernel-log.ts).
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { staleCaution, titleAfterId, type RenderContext } from './context.ts';
import {
  objectsOf,
  ownershipOf,
  patchesInPlay,
  runningRows,
  sameRunning,
  slotOf,
  statesOf,
  stepsOf,
  targetsInPlay,
  type RunningRow,
} from './derive.ts';
import { explanation } from './explain.ts';
import { kernelLog, kernelLogLines } from './kernel-log.ts';
import { funcKeyNote, patchLabel, provenanceLine, semanticsLabel, slotNote, stepLine, stepPhrase } from './phrases.ts';
import { ascii, WIDTH, wrap } from './wrap.ts';

function field(name: string, value: string): string[] {
  return wrap(value, `${name.padEnd(10)} `, ' '.repeat(11));
}

function header(c: Counterexample, ctx: RenderContext): string[] {
  return [
    'klpcheck counterexample',
    '',
    ...(ctx.stale ? field('CAUTION:', staleCaution(ctx.stale)) : []),
    ...field('Semantics:', semanticsLabel(c, ctx)),
    ...field('Invariant:', `${ctx.invariant.id}${titleAfterId(ctx.invariant)}`),
    ...field('Violated:', `after step ${c.violation.step + 1} of ${c.steps.length}`),
    ...(c.provenance.seed !== undefined ? field('Seed:', String(c.provenance.seed)) : []),
    ...field('Found by:', provenanceLine(c, false)),
  ];
}

function patches(c: Counterexample, ctx: RenderContext): string[] {
  const out = ['Patches:'];
  const { used, unused } = patchesInPlay(c);
  for (const def of used) {
    const label = patchLabel(c, def.name, ctx);
    out.push(...wrap(`${def.name}: ${label}${slotNote(label, slotOf(c, def.name, ctx), def.name)}`, '  ', '      '));
    const ownership = ownershipOf(def, ctx);
    if (ownership) out.push(...wrap(ownership, '      ', '        '));
    if (def.objects === null) out.push('      (no objects: patch->objs is NULL)');
    for (const o of objectsOf(def)) {
      const funcs = o.funcs.length
        ? `${o.funcs.join(', ')}${o.callbacks ? ' (+callbacks)' : ''}`
        : o.callbacks
          ? 'callbacks only'
          : 'nothing';
      out.push(...wrap(`${o.name}: ${funcs}`, '      ', '        '));
    }
    const states = statesOf(def);
    if (states.length) out.push(...wrap(`states: ${states.join(', ')}`, '      ', '        '));
  }
  if (unused.length) out.push(...wrap(`Defined but never loaded: ${unused.join(', ')}`, '  ', '    '));
  const targets = targetsInPlay(c);
  if (targets.length) out.push(...wrap(`Target modules: ${targets.join(', ')}`, '  ', '    '));
  out.push(...wrap(`Tasks: ${c.initial.tasks.map((t) => t.name).join(', ') || '(none)'}`, '  ', '    '));
  return out;
}

/** The columns the code of a function keeps beside the names' column, at least. */
const CODE_ROOM = 24;

function runningLines(rows: readonly RunningRow[], indent: string): string[] {
  // The names' column is as wide as the widest name, but leaves CODE_ROOM columns for the code beside it: a longer
  // name heads a line of its own, with its code below in the column (a 64-character name ran the line past 72
  // columns, and the code after it wrapped into a column 8 wide: hostile-user finding, stop 44).
  const fits = WIDTH - indent.length - 2 - CODE_ROOM;
  const width = Math.max(0, ...rows.map((r) => r.func.length).filter((n) => n <= fits));
  const hang = ' '.repeat(indent.length + width + 2);
  return rows.flatMap((r) => {
    const code = r.code.map((x) => (x.task ? `${x.task}: ${x.code}` : x.code)).join(', ');
    if (r.func.length <= width) return wrap(code, `${indent}${r.func.padEnd(width)}  `, hang);
    return [...wrap(r.func, indent), ...wrap(code, hang)];
  });
}

function steps(c: Counterexample, ctx: RenderContext): string[] {
  const anyFuncs = c.steps.some((s) => Object.keys(s.state.running).length > 0);
  const out = anyFuncs
    ? ['Steps (and after each, what runs for each function):']
    : ['Steps:', ...wrap('(No patch patches a function: only patches, states and callbacks change.)', '  ')];
  const facts = stepsOf(c);
  const numWidth = String(c.steps.length).length;
  for (const f of facts) {
    const num = `${String(f.number).padStart(numWidth)}. `;
    const lead = `  ${num}`;
    const hang = ' '.repeat(lead.length);
    out.push(...wrap(stepLine(stepPhrase(c, f, ctx)), lead, `${hang}  `));
    if (anyFuncs) {
      const unchanged = sameRunning(f.before, f.after) && f.number > 1 && !f.violated;
      out.push(...(unchanged ? [`${hang}  (no change)`] : runningLines(runningRows(f.after), `${hang}  `)));
    }
    if (f.violated) out.push(...wrap(`^^ ${ctx.invariant.id} violated here`, `${hang}`, `${hang}   `));
  }
  return out;
}

/**
 * The steps' kernel log (kernel-log.ts), last, numbered as the steps are:
 * its commands and lines whole, even past 72 columns (kernelLogLines). None
 * when no log can be shown or the steps logged nothing.
 */
function kernelLogSection(c: Counterexample, ctx: RenderContext): string[] {
  const logs = kernelLog(c, ctx);
  if (!logs?.length) return [];
  const head =
    'Kernel log (as dmesg shows it with livepatch dynamic debug on, as the selftests run; each command and line whole, even past 72 columns):';
  return ['', ...wrap(head, ''), ...kernelLogLines(c, logs).map((l) => `  ${l}`)];
}

export function renderText(c: Counterexample, ctx: RenderContext): string {
  const why = explanation(c, ctx).flatMap((p, i) => [...(i ? [''] : []), ...wrap(p, '  ')]);
  const lines = [...header(c, ctx), '', ...patches(c, ctx), '', ...steps(c, ctx), '', 'Why it breaks:', ...why];
  const note = funcKeyNote(lines.join('\n'));
  if (note) lines.push('', 'Notation:', ...wrap(note, '  '));
  // A loop, not a spread into push: a log may have a module's 130,000 init lines (helper-72, stop 45).
  for (const line of kernelLogSection(c, ctx)) lines.push(line);
  return `${lines.map((l) => ascii(l).trimEnd()).join('\n')}\n`;
}
