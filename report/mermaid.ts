/**
 * The steps as a mermaid sequence diagram: the admin, one participant per
 * slot, and the target modules, the tasks and the transition work when
 * they take part. Each step is one arrow with its action; what it did is a
 * note over the participant it acted on; the violation is a note over all.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { escapeControls } from '../harness/errors.ts';
import type { RenderContext } from './context.ts';
import { isPatch, opSubject, slotOf, slotWords, stepsOf, type StepFacts } from './derive.ts';
import { stepPhrase } from './phrases.ts';

/** Ops that act on a task, drawn on the tasks' lane. */
const TASK_OPS: ReadonlySet<string> = new Set([
  'block_task',
  'unblock_task',
  'task_return',
  'run_task',
  'sleep_task',
  'cond_resched',
  'fork',
]);

// Mermaid reads `;` as a statement end and `#` as an entity's start: each is written as mermaid's entity code for
// itself, which shows the character (it was shown as `,` and `no. `; hostile user, stop 40).
// Every label holds the file's text, and mermaid reads '<' in a label as HTML's: an edited reason, or an op's
// parameter, was markup (hostile-user findings, 2026-12-03). A '<' that starts a tag (a letter, '/', '!' or '?' after
// it) is written as its entity code too, which mermaid shows as the character, as text (mermaid's docs, "Entity codes
// to escape characters"; `#60;` since mermaid 0.5.2, knsv/mermaid#193); it was shown as `‹` until 2026-12-07
// (helper-125). The phrases' own '<-' arrows stay as they are, readable in the diagram's source.
// Mermaid takes a `%%{...}%%` anywhere in a diagram's text as a directive (its settings: theme, wrap), and drops it
// from the label: a module parameter's value set the diagram's theme (helper-128, 2026-12-07). `%` is written as its
// entity code, so that no label holds `%%`.
// And one line: a newline in a function's name started a mermaid statement of its own.
const ENTITY_CODES: Readonly<Record<string, string>> = { ';': '#59;', '#': '#35;', '<': '#60;', '%': '#37;' };
const safe = (s: string) => escapeControls(s).replace(/[;#%]|<(?=[A-Za-z/!?])/g, (c) => ENTITY_CODES[c]!);

/** A participant's shown name: `slot patch:p1` reads `p1 (own slot)`; no `:` (cautious: the alias grammar is terse). */
function aliasOf(label: string): string {
  const own = /^slot patch:(.*)$/.exec(label);
  return safe(own ? `${own[1]} (own slot)` : label).replace(/:/g, ' ');
}

interface Participant {
  readonly id: string;
  readonly label: string;
}

/** The lane of patch `name`'s slot, named as derive.ts slotWords names it. */
function laneOf(c: Counterexample, name: string, ctx: RenderContext): string {
  return slotWords(slotOf(c, name, ctx) ?? name);
}

/** Where an arrow of a step goes: the slot of the patch it acts on, else modules, tasks or the transition work. */
function target(c: Counterexample, f: StepFacts, ctx: RenderContext): string {
  const op = f.op;
  if (op.op === 'transition_step') {
    const t = f.completed[0]?.patch ?? f.pending?.patch;
    return t ? laneOf(c, t, ctx) : 'transition work';
  }
  if (TASK_OPS.has(op.op)) return 'tasks';
  const subject = opSubject(op);
  if (subject && isPatch(c, subject)) return laneOf(c, subject, ctx);
  return 'target modules';
}

function source(f: StepFacts): string {
  const op = f.op.op;
  if (op === 'transition_step') return 'transition work';
  if (TASK_OPS.has(op)) return 'tasks';
  return 'admin';
}

export function renderMermaid(c: Counterexample, ctx: RenderContext): string {
  const facts = stepsOf(c);
  const arrows = facts.map((f) => ({ f, from: source(f), to: target(c, f, ctx) }));
  const used = new Set(arrows.flatMap((a) => [a.from, a.to]));
  const slots = [...new Set(c.universe.patches.map((p) => laneOf(c, p.name, ctx)))].filter((s) => used.has(s));
  const order = ['admin', ...slots, 'target modules', 'tasks', 'transition work'].filter((n) => used.has(n));
  const ids = new Map<string, Participant>(order.map((label, i) => [label, { id: `P${i}`, label }]));
  const id = (label: string) => ids.get(label)!.id;
  const lines = ['sequenceDiagram', ...[...ids.values()].map((p) => `  participant ${p.id} as ${aliasOf(p.label)}`)];
  for (const { f, from, to } of arrows) {
    const phrase = stepPhrase(c, f, ctx);
    lines.push(`  ${id(from)}->>${id(to)}: ${safe(`${f.number}. ${phrase.action}`)}`);
    const what = [...phrase.effects, ...(phrase.refusal ? [phrase.refusal] : [])].join(', ');
    if (what) lines.push(`  Note over ${id(to)}: ${safe(what)}`);
    if (f.violated) {
      const first = id(order[0]!);
      const last = id(order[order.length - 1]!);
      lines.push(
        `  Note over ${first === last ? first : `${first},${last}`}: ${safe(`VIOLATED ${ctx.invariant.id}: ${c.violation.reason}`)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
