/**
 * The words of a step, as the maintainers write traces in mail (seed
 * 001_3e784c1c435e3259.txt: `klp-2a: cumulative (replace_sets={1,2}) <-
 * replaces klp-1a`): the action, then what it did, then `-> -EINVAL` for a
 * refusal. Every renderer prints steps with these words, so the text, the
 * tables, the diagrams and the selftest comments say the same thing.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { describeOp } from '../harness/ops.ts';
import type { RenderContext } from './context.ts';
import {
  andList,
  attrSummary,
  blockedAt,
  funcLabel,
  isPatch,
  listedPatches,
  patchDef,
  roleOf,
  shareFunction,
  slotOf,
  slotWords,
  type StepFacts,
} from './derive.ts';
import { plural } from '../harness/plural.ts';

export interface StepPhrase {
  /** What was done: `insmod p2.ko`, `task0 sleeps in vmlinux:f1 (running p1)`. */
  readonly action: string;
  /** What it did, in order; joined with `; `. */
  readonly effects: readonly string[];
  /** `-EINVAL` when the operation was refused. */
  readonly refusal: string | null;
}

/** `cumulative (replace=true)`: a patch's role and attributes. */
export function patchLabel(c: Counterexample, name: string, ctx: RenderContext): string {
  const def = patchDef(c, name);
  const attrs = attrSummary(def, ctx);
  const role = roleOf(slotOf(c, name, ctx), name, ctx, def);
  return attrs ? `${role} (${attrs})` : role;
}

function taskWithWhere(f: StepFacts, task: string): string {
  const t = f.after.tasks.find((x) => x.name === task);
  const at = t ? blockedAt(t) : null;
  return at ? `${task} (asleep in ${at.func})` : task;
}

function waiting(f: StepFacts, still: boolean): string | null {
  const p = f.pending;
  if (!p) return null;
  const who = p.tasks.length ? andList(p.tasks.map((t) => taskWithWhere(f, t))) : 'the transition work';
  return `${p.patch} ${p.direction}${still ? ' still' : ''} waits for ${who}`;
}

/** How a freshly loaded, completed patch relates to the others on klp_patches. */
function relation(c: Counterexample, f: StepFacts, name: string): string | null {
  if (f.replaced.length) return `<- replaces ${andList(f.replaced)}`;
  const others = listedPatches(f.after)
    .map((p) => p.name)
    .filter((n) => n !== name);
  if (!others.length) return null;
  const me = patchDef(c, name);
  const under = others.filter((n) => shareFunction(me, patchDef(c, n)));
  return under.length ? `<- stacks on ${andList(under)}` : `<- coexists with ${andList(others)}`;
}

function transitions(c: Counterexample, f: StepFacts, skipLoadOf?: string): string[] {
  const out: string[] = [];
  for (const t of f.completed) {
    if (t.patch === skipLoadOf) continue;
    const rel = t.direction === 'patching' && f.replaced.length ? ` <- replaces ${andList(f.replaced)}` : '';
    out.push(`${t.patch} ${t.direction} complete${rel}`);
  }
  for (const t of f.reversed) out.push(`${t.patch} reverses to ${t.direction}`);
  for (const name of f.forced) out.push(`${name} marked forced`);
  if (f.freed.length) out.push(`${andList(f.freed)} freed`);
  return out;
}

function sideEffects(f: StepFacts): string[] {
  const out: string[] = [];
  for (const id of f.statesAdded) out.push(`state ${id} appears`);
  for (const id of f.statesGone) out.push(`state ${id} disappears`);
  for (const s of f.shadowsAdded) out.push(`shadow variable ${shadowLabel(s)} allocated`);
  for (const s of f.shadowsGone) out.push(`shadow variable ${shadowLabel(s)} freed`);
  return out;
}

/** `1/2` (the abstract state's obj/id) as `<obj 1, id 2>`. */
function shadowLabel(s: string): string {
  const [obj, id] = s.split('/');
  return `<obj ${obj}, id ${id}>`;
}

function action(f: StepFacts): string {
  const op = f.op;
  switch (op.op) {
    case 'block_task': {
      const t = f.after.tasks.find((x) => x.name === op.task);
      const at = t ? blockedAt(t) : null;
      const how = op.sleep === 'interruptible' ? ' interruptibly' : '';
      return `${op.task} sleeps${how} in ${funcLabel(op.func)}${at ? ` (running ${at.code})` : ''}`;
    }
    case 'run_task':
      return `${op.task} runs on a CPU`;
    case 'sleep_task':
      return `${op.task} leaves the CPU`;
    case 'cond_resched':
      return `${op.task} reaches cond_resched`;
    case 'unblock_task': {
      const t = f.before.tasks.find((x) => x.name === op.task);
      const at = t ? blockedAt(t) : null;
      return `${op.task} wakes up${at ? ` and leaves ${at.func}` : ''}`;
    }
    case 'transition_step':
      return 'transition work runs';
    default:
      return describeOp(op);
  }
}

export function stepPhrase(c: Counterexample, f: StepFacts, ctx: RenderContext): StepPhrase {
  const op = f.op;
  const refusal = f.outcome === 'ok' ? null : `-${f.outcome}`;
  const effects: string[] = [];
  if (op.op === 'insmod' && isPatch(c, op.module)) {
    const loadedDone = f.loaded.includes(op.module) && f.completed.some((t) => t.patch === op.module);
    const rel = loadedDone ? relation(c, f, op.module) : null;
    effects.push(`${patchLabel(c, op.module, ctx)}${rel ? ` ${rel}` : ''}`);
    effects.push(...transitions(c, f, loadedDone ? op.module : undefined));
  } else {
    effects.push(...transitions(c, f));
  }
  if (op.op === 'task_return' || op.op === 'cond_resched') {
    const was = f.before.tasks.find((t) => t.name === op.task)?.state;
    const now = f.after.tasks.find((t) => t.name === op.task)?.state;
    if (was !== now && now !== 'idle') effects.push(`${op.task} switches to ${now}`);
  }
  if (op.op === 'fork') {
    // klp_copy_process: the child starts in its parent's patch state.
    const now = f.after.tasks.find((t) => t.name === op.child)?.state;
    if (now && now !== 'idle') effects.push(`${op.child} starts ${now}, as its parent`);
  }
  // Only where the transition's progress is the news: when it starts, turns or retries.
  const retry = op.op === 'transition_step';
  const wait = retry || f.started.length || f.reversed.length ? waiting(f, retry && !f.started.length && !f.reversed.length) : null;
  if (wait) effects.push(wait);
  else if (op.op === 'transition_step' && !f.completed.length) effects.push('no transition pending');
  effects.push(...sideEffects(f));
  return { action: action(f), effects, refusal };
}

/** The one-line form: `3. insmod p2.ko: cumulative (replace=true) <- replaces p1`. */
export function stepLine(p: StepPhrase): string {
  const what = p.effects.length ? `: ${p.effects.join('; ')}` : '';
  return `${p.action}${what}${p.refusal ? ` -> ${p.refusal}` : ''}`;
}

/** `upstream: atomic replace (bool replace, state versions)`. */
export function semanticsLabel(c: Counterexample, ctx: RenderContext): string {
  return ctx.semantics ? `${c.semantics}: ${ctx.semantics.title}` : `${c.semantics} (unknown to this klpcheck)`;
}

/**
 * `random run, seed 1, path 250:0:2 (fast-check 4.10.2, klpcheck 0.1.0)`, `exhaustive search, scope patches=2,... (klpcheck 0.1.0)`,
 * or `random walk 12 of up to 100 steps, scope patches=3,..., seed 1 (klpcheck 0.1.0)`.
 */
export function provenanceLine(c: Counterexample, withSeed = true): string {
  const p = c.provenance;
  const walk = `random walk${p.runs !== undefined ? ` ${p.runs}` : ''}${p.max_steps !== undefined ? ` of up to ${plural(p.max_steps, 'step')}` : ''}`;
  const how =
    p.source === 'random' ? 'random run' : p.source === 'exhaustive' ? 'exhaustive search' : p.source === 'walk' ? walk : 'scenario';
  const parts = [
    how,
    // An exhaustive find names its scope, so that a reader can run the search again (hostile-user nit, stop 36); a walk too.
    ...((p.source === 'exhaustive' || p.source === 'walk') && p.scope ? [`scope ${p.scope}`] : []),
    ...(p.seed !== undefined && withSeed ? [`seed ${p.seed}`] : []),
    ...(p.path ? [`path ${p.path}`] : []),
    ...(p.shrunk_from !== undefined ? [`shrunk from ${plural(p.shrunk_from, 'step')}`] : []),
  ];
  // fast-check generates only random runs; pure-rand draws the walks.
  const versions =
    p.source === 'random'
      ? `fast-check ${p.fast_check}, klpcheck ${p.klpcheck}`
      : p.source === 'walk' && p.pure_rand
        ? `pure-rand ${p.pure_rand}, klpcheck ${p.klpcheck}`
        : `klpcheck ${p.klpcheck}`;
  return `${parts.join(', ')} (${versions})`;
}

/**
 * An invariant's source as a list reader can follow it: the authors, dates
 * and kernel files it rests on, without klpcheck's own file names (the seed
 * thread files, the facts sections, DESIGN.md), which mean nothing outside
 * the repository. Empty when nothing public is left (conformance is
 * klpcheck's own check).
 */
export function publicSource(source: string): string {
  const outside = source
    .replace(/DESIGN\.md\s*\([^)]*\)/g, '')
    .match(/\(([^)]*)\)/g)
    ?.map((g) => g.slice(1, -1).trim())
    .filter(Boolean);
  return [...new Set(outside ?? [])].join('; ');
}

/** A function key as klpcheck writes it: `vmlinux:f2,0`. */
const FUNC_KEY = /\b([\w.-]+):([\w.]+),(\d+)\b/;

/**
 * One line that explains klpcheck's function notation, with the first key
 * of `text` as the example, or null when the text has none.
 */
export function funcKeyNote(text: string): string | null {
  const m = FUNC_KEY.exec(text);
  if (!m) return null;
  const [key, obj, name, pos] = m;
  const which = pos === '0' ? 'the only or first symbol of that name, old_sympos 0' : `old_sympos ${pos}`;
  return `${key} is function ${name} in ${obj === 'vmlinux' ? 'vmlinux' : `module ${obj}`} (${which}): klpcheck names functions object:name,sympos.`;
}

/** `in slot tag:1`, `in a slot of its own` (a slot named after the patch), `in no slot`. */
export function slotPhrase(slot: string | undefined, name: string): string {
  if (slot === undefined) return 'in no slot';
  return slot === `patch:${name}` ? 'in a slot of its own' : `in ${slotWords(slot)}`;
}

/**
 * What follows a patch's label in the Patches list: its slot, unless the
 * label already says it (`slot tag:1 (replace=1)`, `cumulative`).
 */
export function slotNote(label: string, slot: string | undefined, name: string): string {
  const said = slot !== undefined && (label.includes(slot) || label.includes(slotWords(slot)));
  return said && slot !== `patch:${name}` ? '' : `, ${slotPhrase(slot, name)}`;
}
