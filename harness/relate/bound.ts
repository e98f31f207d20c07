/**
 * The bound of a comparison between semantics (issue 12, §5): small
 * universes whose patches carry the attributes of every proposal at once
 * (harness/protocols/attrs.ts), and every sequence of loads (plain, or with
 * the admin's parameter absorbing set 2), disables and module removals up
 * to a depth. Every semantics runs on the same universes and sequences.
 */
import type { PatchDef, StateDef, Universe } from '../../model/kernel/definitions.ts';
import type { Op } from '../ops.ts';
import { attrsOf } from '../protocols/attrs.ts';
import type { SetChoice } from '../protocols/protocol.ts';

export interface RelateBound {
  /** Patches per universe (p1..pN). */
  readonly patches: number;
  /** vmlinux functions f1..fN each patch picks a non-empty subset of (at most two). */
  readonly functions: number;
  /** Longest sequence. */
  readonly depth: number;
  /**
   * 0: no states. 1: each patch may also carry state 1 at version 1, or at
   * version 2 with block_disable (so that version rules and per-state rules
   * both have something to decide).
   */
  readonly states: number;
}

export const DEFAULT_BOUND: RelateBound = { patches: 2, functions: 2, depth: 3, states: 0 };

export const formatBound = (b: RelateBound): string => `patches=${b.patches},functions=${b.functions},states=${b.states},depth=${b.depth}`;

/**
 * The patch shapes, in the thread's words: a cumulative in set 1, a hotfix in
 * set 2, and a cumulative in set 1 that absorbs set 2 (replace_sets={1,2}).
 */
export const SHAPES: readonly SetChoice[] = [
  { own: 1, absorbs: [], cumulative: true },
  { own: 2, absorbs: [], cumulative: false },
  { own: 1, absorbs: [2], cumulative: true },
];

/** The admin's override at load, under each proposal's name for it. */
const ADMIN_PARAMS = { add_merge_slots: '2', also_obsoletes: '2' };

function subsets(n: number): string[][] {
  const fs = Array.from({ length: n }, (_, i) => `f${i + 1}`);
  const out: string[][] = fs.map((f) => [f]);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([fs[i]!, fs[j]!]);
  return out;
}

/** The state choices of a patch within the bound. */
function stateChoices(b: RelateBound): StateDef[][] {
  return b.states
    ? [[], [{ id: 1, version: 1, callbacks: 'trace' }], [{ id: 1, version: 2, block_disable: true, callbacks: 'trace' }]]
    : [[]];
}

function patch(i: number, funcs: readonly string[], shape: SetChoice, states: StateDef[]): PatchDef {
  return {
    name: `p${i + 1}`,
    objects: [{ name: 'vmlinux', funcs: funcs.map((f) => ({ old_name: f })) }],
    ...(states.length ? { states } : {}),
    // Idea 3 (`replaces`) names the other patches when the shape absorbs or shares their set: set as loaded below.
    attrs: attrsOf(shape, []),
    attr_params: { add_merge_slots: 'add_merge_slots', also_obsoletes: 'also_obsoletes' },
  };
}

/** One patch's choice: its functions, its shape and its states. */
interface PatchChoice {
  readonly funcs: string[];
  readonly shape: SetChoice;
  readonly states: StateDef[];
}

/** Each patch's choices within the bound, made once per functions and states (the estimate asks thousands of times). */
const choicesMade = new Map<string, readonly PatchChoice[]>();

function patchChoices(b: RelateBound): readonly PatchChoice[] {
  const key = `${b.functions},${b.states}`;
  let made = choicesMade.get(key);
  if (!made) {
    made = subsets(b.functions).flatMap((funcs) => SHAPES.flatMap((shape) => stateChoices(b).map((states) => ({ funcs, shape, states }))));
    choicesMade.set(key, made);
  }
  return made;
}

/** How many universes universes(b) makes, without making them: each patch's choices to the power of the patches. */
export function universeCount(b: RelateBound): number {
  return patchChoices(b).length ** b.patches;
}

/** Every universe of the bound, in a fixed order: universeAt(b, 0) to universeAt(b, universeCount(b) - 1). */
export function universes(b: RelateBound): Universe[] {
  return Array.from({ length: universeCount(b) }, (_, i) => universeAt(b, i));
}

/**
 * The universe numbered `index` in universes(b)'s order, made alone (relate's
 * estimate picks universes at random among millions): each patch's choice
 * of functions, shape and states is a digit of `index`, p1's the most
 * significant. Throws RangeError outside 0 to universeCount(b) - 1.
 */
export function universeAt(b: RelateBound, index: number): Universe {
  const options = patchChoices(b);
  const count = universeCount(b);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`relate: no universe ${index} (there are ${count})`);
  const c = Array.from(
    { length: b.patches },
    (_, i) => options[Math.floor(index / options.length ** (b.patches - 1 - i)) % options.length]!,
  );
  const patches = c.map((o, i) => patch(i, o.funcs, o.shape, o.states));
  // Idea 3: a cumulative names every other patch whose own set it covers.
  const named = patches.map((p, i) => {
    const s = c[i]!.shape;
    const covered = [s.own, ...s.absorbs];
    const replaces = s.cumulative ? patches.filter((q, j) => j !== i && covered.includes(c[j]!.shape.own)).map((q) => q.name) : [];
    return { ...p, attrs: { ...p.attrs, replaces } };
  });
  return { patches: named, modules: [], kernel: { tasks: 1 } };
}

/** How many ops opsOf gives each universe of the bound. */
export const opCount = (b: RelateBound): number => 4 * b.patches + 3;

/** The ops tried after every accepted prefix: a task sleeping in f1 holds a transition open. */
export function opsOf(u: Universe): Op[] {
  return [
    ...u.patches.flatMap((p): Op[] => [
      { op: 'insmod', module: p.name },
      { op: 'insmod', module: p.name, params: { ...ADMIN_PARAMS } },
      { op: 'disable', patch: p.name },
      { op: 'rmmod', module: p.name },
    ]),
    { op: 'block_task', task: 'task0', func: 'vmlinux:f1,0' },
    { op: 'unblock_task', task: 'task0' },
    { op: 'transition_step' },
  ];
}

/** A universe in one line: `p1 f1 {1} cumulative; p2 f1,f2 {2}`. */
export function describeUniverse(u: Universe): string {
  return u.patches
    .map((p) => {
      const sets = p.attrs?.replace_sets ?? [];
      const funcs = (p.objects ?? []).flatMap((o) => (o.funcs ?? []).map((f) => f.old_name)).join(',');
      const states = (p.states ?? []).map((st) => ` state ${st.id} v${st.version}${st.block_disable ? ' block_disable' : ''}`).join('');
      return `${p.name} ${funcs} {${sets.join(',')}}${p.attrs?.replace ? ' cumulative' : ''}${states}`;
    })
    .join('; ');
}
