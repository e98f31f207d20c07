/**
 * The timeline's layout as data, before any drawing: one lane per slot (in
 * order of first appearance) and one per task that ever sleeps; in each
 * lane, rows holding the items that overlap in time (a replacing patch and
 * the one it replaces share a slot during the transition). Columns are
 * steps, 1-based.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import type { RenderContext } from './context.ts';
import { isPatch, livesOf, opSubject, sleepsOf, slotOf, stepsOf, type Life, type Sleep } from './derive.ts';

export type Item =
  | { readonly kind: 'life'; readonly from: number; readonly to: number; readonly life: Life }
  | { readonly kind: 'refusal'; readonly from: number; readonly to: number; readonly patch: string; readonly errno: string }
  | { readonly kind: 'sleep'; readonly from: number; readonly to: number; readonly sleep: Sleep };

export interface Lane {
  readonly label: string;
  readonly kind: 'slot' | 'task';
  readonly rows: readonly (readonly Item[])[];
}

export interface Timeline {
  readonly steps: number;
  readonly violated: number;
  readonly lanes: readonly Lane[];
  /** Refused operations that belong to no lane (target modules, tasks): step and errno. */
  readonly axisRefusals: readonly { readonly step: number; readonly errno: string }[];
}

/** The last column an item keeps busy, including a freed patch's loaded module. */
const end = (i: Item) => (i.kind === 'life' ? Math.max(i.to, i.life.lingerTo ?? 0) : i.to);

/** Greedy interval packing: each item goes to the first row where it fits. */
function pack(items: readonly Item[]): Item[][] {
  const rows: Item[][] = [];
  for (const item of [...items].sort((a, b) => a.from - b.from)) {
    const row = rows.find((r) => end(r[r.length - 1]!) < item.from);
    if (row) row.push(item);
    else rows.push([item]);
  }
  return rows;
}

export function timelineOf(c: Counterexample, ctx: RenderContext): Timeline {
  const bySlot = new Map<string, Item[]>();
  const add = (slot: string, item: Item) => bySlot.set(slot, [...(bySlot.get(slot) ?? []), item]);
  for (const life of livesOf(c)) add(life.slot, { kind: 'life', from: life.from, to: life.to, life });
  const axisRefusals: { step: number; errno: string }[] = [];
  for (const f of stepsOf(c)) {
    if (f.outcome === 'ok') continue;
    const subject = opSubject(f.op);
    const slot = subject && isPatch(c, subject) ? slotOf(c, subject, ctx) : undefined;
    const errno = `-${f.outcome}`;
    if (slot) add(slot, { kind: 'refusal', from: f.number, to: f.number, patch: subject!, errno });
    else axisRefusals.push({ step: f.number, errno });
  }
  const first = (items: readonly Item[]) => Math.min(...items.map((i) => i.from));
  const slotLanes: Lane[] = [...bySlot]
    .sort(([a, x], [b, y]) => first(x) - first(y) || a.localeCompare(b))
    .map(([slot, items]) => ({ label: slot, kind: 'slot', rows: pack(items) }));
  const byTask = new Map<string, Item[]>();
  for (const sleep of sleepsOf(c)) byTask.set(sleep.task, [...(byTask.get(sleep.task) ?? []), { kind: 'sleep', from: sleep.from, to: sleep.to, sleep }]);
  const taskLanes: Lane[] = [...byTask].map(([task, items]) => ({ label: task, kind: 'task', rows: pack(items) }));
  return { steps: c.steps.length, violated: c.violation.step + 1, lanes: [...slotLanes, ...taskLanes], axisRefusals };
}
