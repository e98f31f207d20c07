/**
 * Facts every renderer needs, derived once from a counterexample's states:
 * what each step did to the patches (loaded, started or finished a
 * transition, replaced, freed, removed), which tasks a pending transition
 * waits for, what runs for each function, and how a patch is described
 * (its attributes, functions and states). Renderers only choose words and
 * layout; they never compare states themselves.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import type { Op } from '../harness/ops.ts';
import type { PatchAttrs, PatchDef } from '../model/kernel/definitions.ts';
import type { AbstractPatch, AbstractState, PatchStatus } from '../model/spec/abstract-state.ts';
import { patchFuncs } from '../model/spec/universe-view.ts';
import { tagOf } from '../model/semantics/rules.ts';
import type { RenderContext } from './context.ts';

export type Direction = 'patching' | 'unpatching';

export interface TransitionFact {
  readonly patch: string;
  readonly direction: Direction;
}

export interface StepFacts {
  /** 1-based, as printed. */
  readonly number: number;
  readonly op: Op;
  /** `ok` or the errno name. */
  readonly outcome: string;
  readonly before: AbstractState;
  readonly after: AbstractState;
  /** Patches whose module appeared in this step. */
  readonly loaded: readonly string[];
  readonly started: readonly TransitionFact[];
  readonly completed: readonly TransitionFact[];
  /** The new direction of a transition turned around in this step. */
  readonly reversed: readonly TransitionFact[];
  /** Patches freed because another patch's patching completed in this step. */
  readonly replaced: readonly string[];
  /** Patches freed for any other reason than a completed transition or a replace. */
  readonly freed: readonly string[];
  /** Livepatch modules unloaded in this step. */
  readonly removed: readonly string[];
  readonly forced: readonly string[];
  /** The transition still pending after the step, and the tasks it waits for. */
  readonly pending: { readonly patch: string; readonly direction: Direction; readonly tasks: readonly string[] } | null;
  readonly statesAdded: readonly number[];
  readonly statesGone: readonly number[];
  readonly shadowsAdded: readonly string[];
  readonly shadowsGone: readonly string[];
  readonly modulesLoaded: readonly string[];
  readonly modulesRemoved: readonly string[];
  readonly violated: boolean;
}

const listed = (p: AbstractPatch | undefined): boolean => p !== undefined && p.order > 0;
const inTransition = (s: PatchStatus | undefined): s is Direction => s === 'patching' || s === 'unpatching';
const byName = (s: AbstractState) => new Map(s.patches.map((p) => [p.name, p] as const));
const minus = <T>(a: readonly T[], b: readonly T[]): T[] => a.filter((x) => !b.includes(x));

/** What happened to one patch between two states, from its status before and after. */
function classify(before: PatchStatus | undefined, after: PatchStatus | undefined): 'start' | 'complete' | 'reverse' | 'gone' | 'load' | null {
  if (before === undefined) return after === undefined ? null : 'load';
  if (before === after) return null;
  if (inTransition(after)) return inTransition(before) ? 'reverse' : 'start';
  if (before === 'patching' && after === 'enabled') return 'complete';
  if (before === 'unpatching' && (after === 'freed' || after === undefined)) return 'complete';
  if (after === 'freed' || after === undefined) return 'gone';
  return null;
}

function stepFacts(c: Counterexample, index: number): StepFacts {
  const step = c.steps[index]!;
  const before = index === 0 ? c.initial : c.steps[index - 1]!.state;
  const after = step.state;
  const b = byName(before);
  const a = byName(after);
  const names = [...new Set([...before.patches.map((p) => p.name), ...after.patches.map((p) => p.name)])];
  const loaded: string[] = [];
  const started: TransitionFact[] = [];
  const completed: TransitionFact[] = [];
  const reversed: TransitionFact[] = [];
  const gone: string[] = [];
  for (const name of names) {
    const from = b.get(name)?.status;
    const to = a.get(name)?.status;
    switch (classify(from, to)) {
      case 'load':
        loaded.push(name);
        // A load that finishes its transition within the step (no task in the way) completes it too.
        if (to === 'enabled') completed.push({ patch: name, direction: 'patching' });
        if (inTransition(to)) started.push({ patch: name, direction: to });
        break;
      case 'start':
        started.push({ patch: name, direction: to as Direction });
        break;
      case 'reverse':
        reversed.push({ patch: name, direction: to as Direction });
        break;
      case 'complete':
        completed.push({ patch: name, direction: from as Direction });
        break;
      case 'gone':
        if (listed(b.get(name))) gone.push(name);
        break;
    }
  }
  // A disable that runs its whole transition within the step: enabled -> freed.
  const op = step.op;
  const selfDisabled = op.op === 'disable' && gone.includes(op.patch) && !completed.some((t) => t.patch === op.patch);
  if (selfDisabled) completed.push({ patch: op.patch, direction: 'unpatching' });
  const patchingDone = completed.some((t) => t.direction === 'patching');
  const leftOver = gone.filter((n) => !(selfDisabled && n === (op as { patch: string }).patch));
  const replaced = patchingDone ? leftOver : [];
  const freed = patchingDone ? [] : leftOver;
  const removed = before.patches.filter((p) => !a.has(p.name)).map((p) => p.name);
  const forced = after.patches.filter((p) => p.forced && !b.get(p.name)?.forced).map((p) => p.name);
  const transition = after.patches.find((p) => inTransition(p.status));
  const pending = transition
    ? {
        patch: transition.name,
        direction: transition.status as Direction,
        // A task waits to switch while it is in the state the transition leaves.
        tasks: after.tasks.filter((t) => t.state === (transition.status === 'patching' ? 'unpatched' : 'patched')).map((t) => t.name),
      }
    : null;
  return {
    number: index + 1,
    op,
    outcome: step.outcome,
    before,
    after,
    loaded,
    started,
    completed,
    reversed,
    replaced,
    freed,
    removed,
    forced,
    pending,
    statesAdded: minus(after.states, before.states),
    statesGone: minus(before.states, after.states),
    shadowsAdded: minus(after.shadows, before.shadows),
    shadowsGone: minus(before.shadows, after.shadows),
    modulesLoaded: minus(after.modules, before.modules),
    modulesRemoved: minus(before.modules, after.modules),
    violated: index === c.violation.step,
  };
}

/** The facts of every step, in order. */
export function stepsOf(c: Counterexample): readonly StepFacts[] {
  return c.steps.map((_, i) => stepFacts(c, i));
}

// --- what runs ---------------------------------------------------------------

/** `vmlinux:f1,0` as a maintainer writes it: `vmlinux:f1`, and `vmlinux:f1,2` only for a real sympos. */
export function funcLabel(key: string): string {
  return key.endsWith(',0') ? key.slice(0, -2) : key;
}

/** A code name of the abstract state (patch name, `original`, `absent`) in words. */
export function codeLabel(code: string, func: string): string {
  if (code === 'absent') return `(${func.slice(0, func.indexOf(':'))} not loaded)`;
  return code;
}

export interface RunningRow {
  readonly func: string;
  /** One entry when every task runs the same code; otherwise one per task. */
  readonly code: readonly { readonly task?: string; readonly code: string }[];
}

/** What runs for each function in a state, per task only where tasks differ. */
export function runningRows(s: AbstractState): readonly RunningRow[] {
  return Object.entries(s.running).map(([key, codes]) => {
    const func = funcLabel(key);
    const label = (code: string) => codeLabel(code, key);
    if (codes.length > 0 && codes.every((x) => x === codes[0])) return { func, code: [{ code: label(codes[0]!) }] };
    return { func, code: codes.map((x, i) => ({ task: s.tasks[i]?.name ?? `task${i}`, code: label(x) })) };
  });
}

export function sameRunning(a: AbstractState, b: AbstractState): boolean {
  return JSON.stringify(a.running) === JSON.stringify(b.running);
}

/** `vmlinux:f1,0@p1` (a blocked task) as its function and the code it sleeps in. */
export function blockedAt(t: { readonly blocked: string | null }): { func: string; code: string } | null {
  if (t.blocked === null) return null;
  const at = t.blocked.lastIndexOf('@');
  return { func: funcLabel(t.blocked.slice(0, at)), code: t.blocked.slice(at + 1) };
}

// --- patch definitions -------------------------------------------------------

export function patchDef(c: Counterexample, name: string): PatchDef | undefined {
  return c.universe.patches.find((p) => p.name === name);
}

export const isPatch = (c: Counterexample, name: string): boolean => patchDef(c, name) !== undefined;

function attrValue(v: PatchAttrs[keyof PatchAttrs]): string {
  if (Array.isArray(v)) return `{${v.join(',')}}`;
  return String(v);
}

/**
 * `replace` as the semantics reads it: a u32 tag where its generated
 * attributes are numbers (the replace tag, seed 000: `true` reads as tag 1,
 * model/semantics/rules.ts tagOf), else upstream's bool (`1` reads as true).
 * Universes write either (protocols write 0 and 1 for every semantics), and
 * the same patch showed `replace=1` in one file and `replace=true` in
 * another (stop 36's hostile user). Unknown semantics: the value as written.
 */
function replaceValue(v: PatchAttrs['replace'], ctx: RenderContext): string {
  if (!ctx.semantics) return String(v ?? false);
  return ctx.semantics.attrChoices.some((c) => typeof c.replace === 'number') ? String(tagOf({ replace: v })) : String(Boolean(v));
}

/**
 * The attributes as the proposals write them (`replace=true`,
 * `replace_sets={1,2}`): those the semantics reads, or every one present when
 * the semantics is unknown. An attribute the semantics reads but the patch
 * leaves out is shown with the kernel's zero value only for `replace`
 * (replaceValue).
 */
export function attrSummary(def: PatchDef | undefined, ctx: RenderContext): string {
  const attrs = def?.attrs ?? {};
  const keys = ctx.semantics ? ctx.semantics.attrs : (Object.keys(attrs) as (keyof PatchAttrs)[]);
  return keys
    .flatMap((k) => {
      const v = attrs[k];
      if (k === 'replace') return [`replace=${replaceValue(v as PatchAttrs['replace'], ctx)}`];
      return v === undefined ? [] : [`${k}=${attrValue(v)}`];
    })
    .join(' ');
}

/** The slot a patch occupies: from the states where it appears, else from the semantics. */
export function slotOf(c: Counterexample, name: string, ctx: RenderContext): string | undefined {
  for (const s of [c.initial, ...c.steps.map((x) => x.state)]) {
    const p = s.patches.find((x) => x.name === name);
    if (p) return p.slot;
  }
  const def = patchDef(c, name);
  return def && ctx.semantics ? ctx.semantics.slotOf(name, def.attrs ?? {}) : undefined;
}

/**
 * A slot named in words: `slot tag:1`, `slot set:2`, and the slots
 * semantics' `slot:1` as `slot 1`, not `slot slot:1` (hostile-user nit,
 * 2026-12-04).
 */
export function slotWords(slot: string): string {
  return `slot ${slot.replace(/^slot:/, '')}`;
}

/**
 * A patch's role in the maintainers' words: `cumulative` for the slot
 * upstream calls so, `no-replace` for a patch alone in its slot that does
 * not replace (`replacing` when its replace attribute is set, as in hybrid
 * mode, where every patch has its own slot), `stacked` when nothing
 * replaces (stacking), else the slot's own name.
 */
export function roleOf(slot: string | undefined, name: string, ctx: RenderContext, def?: PatchDef): string {
  if (slot === undefined) return 'patch';
  if (slot === 'cumulative') return 'cumulative';
  if (slot === `patch:${name}`) {
    if (ctx.semantics && ctx.semantics.attrs.length === 0) return 'stacked';
    return def?.attrs?.replace ? 'replacing' : 'no-replace';
  }
  return slotWords(slot);
}

export interface ObjectSummary {
  readonly name: string;
  readonly funcs: readonly string[];
  readonly callbacks: boolean;
}

export function objectsOf(def: PatchDef): readonly ObjectSummary[] {
  return (def.objects ?? []).map((o) => ({
    name: o.name,
    funcs: (o.funcs ?? []).map((f) => `${f.old_name ?? '(NULL old_name)'}${f.old_sympos ? `,${f.old_sympos}` : ''}`),
    callbacks: o.callbacks !== undefined && o.callbacks !== 'none',
  }));
}

/**
 * `owner: vendor, release 3` or `owners: user, vendor`: who a patch belongs
 * to and its place in the owner's releases (schema/universe.schema.json:
 * absent owners are the vendor), for an invariant that reads them
 * (InvariantInfo.readsOwners), else null. An explore counterexample may give
 * p1 the vendor's release 3 (harness/explore/load-order-labels.ts), which
 * only this line shows (stop 36's second helper).
 */
export function ownershipOf(def: PatchDef, ctx: RenderContext): string | null {
  if (!ctx.invariant.readsOwners) return null;
  const { owners, release } = ownersOf(def);
  return `${owners.length > 1 ? 'owners' : 'owner'}: ${[owners.join(', '), ...release].join(', ')}`;
}

/** A patch's owners (absent: the vendor, schema/universe.schema.json) and its release as words (`release 3`), if it has one. */
export function ownersOf(def: PatchDef): { readonly owners: readonly string[]; readonly release: readonly string[] } {
  return { owners: def.owners ?? ['vendor'], release: def.release !== undefined ? [`release ${def.release}`] : [] };
}

/** `1 (version 2)`, `2 (block_disable, is_shadow, callbacks)`. */
export function statesOf(def: PatchDef): readonly string[] {
  return (def.states ?? []).map((s) => {
    const notes = [
      ...(s.version !== undefined ? [`version ${s.version}`] : []),
      ...(s.block_disable ? ['block_disable'] : []),
      ...(s.is_shadow ? ['is_shadow'] : []),
      ...(s.callbacks && s.callbacks !== 'none' ? ['callbacks'] : []),
    ];
    return notes.length ? `${s.id} (${notes.join(', ')})` : String(s.id);
  });
}

/** The function keys a patch patches, as labels. */
export function funcsOf(def: PatchDef): readonly string[] {
  return patchFuncs(def).map(funcLabel);
}

/** Whether two patches patch a common function. */
export function shareFunction(a: PatchDef | undefined, b: PatchDef | undefined): boolean {
  if (!a || !b) return false;
  const mine = new Set(patchFuncs(a));
  return patchFuncs(b).some((f) => mine.has(f));
}

/** The patches on klp_patches in a state, in list order. */
export function listedPatches(s: AbstractState): readonly AbstractPatch[] {
  return s.patches.filter((p) => p.order > 0).sort((x, y) => x.order - y.order);
}

/** `p1`, `p1 and p2`, `p1, p2 and p3`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// --- lives, for the timeline -------------------------------------------------

export interface Life {
  readonly patch: string;
  readonly slot: string;
  /** 1-based step numbers, inclusive: the patch is loaded and not freed from `from` to `to`. */
  readonly from: number;
  readonly to: number;
  /** Status after each step of the life, index 0 = step `from`. */
  readonly statuses: readonly PatchStatus[];
  readonly forcedAt: number | null;
  /** Steps after `to` while the freed patch's module stays loaded. */
  readonly lingerTo: number | null;
}

/** Each patch's lives: maximal runs of steps where it is loaded and not freed. */
export function livesOf(c: Counterexample): readonly Life[] {
  const lives: Life[] = [];
  const open = new Map<string, { slot: string; from: number; statuses: PatchStatus[]; forcedAt: number | null }>();
  const lingering = new Map<string, number>();
  const close = (name: string, last: number) => {
    const l = open.get(name);
    if (!l) return;
    lives.push({ patch: name, slot: l.slot, from: l.from, to: last, statuses: l.statuses, forcedAt: l.forcedAt, lingerTo: null });
    open.delete(name);
    lingering.set(name, lives.length - 1);
  };
  c.steps.forEach((step, i) => {
    const n = i + 1;
    const here = byName(step.state);
    for (const name of [...open.keys()]) {
      const p = here.get(name);
      if (!p || p.status === 'freed') close(name, n - 1);
    }
    for (const [name, at] of [...lingering]) {
      const p = here.get(name);
      if (p && p.status === 'freed') lives[at] = { ...lives[at]!, lingerTo: n };
      else lingering.delete(name);
    }
    for (const p of step.state.patches) {
      if (p.status === 'freed') continue;
      const l = open.get(p.name) ?? { slot: p.slot, from: n, statuses: [], forcedAt: null };
      l.statuses.push(p.status);
      if (p.forced && l.forcedAt === null) l.forcedAt = n;
      open.set(p.name, l);
      lingering.delete(p.name);
    }
  });
  for (const name of [...open.keys()]) close(name, c.steps.length);
  return lives.sort((x, y) => x.from - y.from || x.patch.localeCompare(y.patch));
}

/** Tasks' sleeps: which task sleeps where, from which step to which (inclusive). */
export interface Sleep {
  readonly task: string;
  readonly func: string;
  readonly code: string;
  readonly from: number;
  readonly to: number;
}

export function sleepsOf(c: Counterexample): readonly Sleep[] {
  const sleeps: Sleep[] = [];
  const open = new Map<string, { func: string; code: string; from: number; key: string }>();
  c.steps.forEach((step, i) => {
    const n = i + 1;
    for (const t of step.state.tasks) {
      const cur = open.get(t.name);
      if (cur && cur.key !== t.blocked) {
        sleeps.push({ task: t.name, func: cur.func, code: cur.code, from: cur.from, to: n - 1 });
        open.delete(t.name);
      }
      const at = blockedAt(t);
      if (at && !open.has(t.name)) open.set(t.name, { ...at, from: n, key: t.blocked! });
    }
  });
  for (const [task, s] of open) sleeps.push({ task, func: s.func, code: s.code, from: s.from, to: c.steps.length });
  return sleeps.sort((x, y) => x.task.localeCompare(y.task) || x.from - y.from);
}

/** The patch or module an op names, if any. */
export function opSubject(op: Op): string | undefined {
  if (op.op === 'insmod' || op.op === 'rmmod') return op.module;
  return 'patch' in op ? op.patch : undefined;
}

// --- what the steps use ------------------------------------------------------

/** Modules and patches the operations name, so that renderings leave out what never takes part. */
export function namedByOps(ops: readonly Op[]): ReadonlySet<string> {
  return new Set(ops.flatMap((op) => (opSubject(op) === undefined ? [] : [opSubject(op)!])));
}

/** The universe's patches some step acts on, in universe order, and the others. */
export function patchesInPlay(c: Counterexample): { readonly used: readonly PatchDef[]; readonly unused: readonly string[] } {
  const named = namedByOps(c.steps.map((s) => s.op));
  return {
    used: c.universe.patches.filter((p) => named.has(p.name)),
    unused: c.universe.patches.filter((p) => !named.has(p.name)).map((p) => p.name),
  };
}

/** Target modules some step loads or unloads. */
export function targetsInPlay(c: Counterexample): readonly string[] {
  const named = namedByOps(c.steps.map((s) => s.op));
  return c.universe.modules.map((m) => m.name).filter((n) => named.has(n));
}
