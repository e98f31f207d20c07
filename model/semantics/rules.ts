/**
 * Small pure predicates the proposals share: which functions and state ids a
 * patch has, what counts as a conflict, how attributes name sets. A
 * semantics' spec (over PatchDefs) and its hooks (over the kernel's KPatch
 * records) both look at a patch through a PatchView, so that "do these two
 * patches share a function" is written once while the spec and the hooks
 * stay two separate statements of the rule.
 */
import type { PatchAttrs, PatchDef, StateDef } from '../kernel/definitions.ts';
import type { KPatch } from '../kernel/runtime.ts';
import { patchFuncs } from '../spec/universe-view.ts';

export interface PatchView {
  readonly name: string;
  /** Current attributes: load-time parameters applied, sysfs-writable ones at their current value. */
  readonly attrs: PatchAttrs;
  /** funcs(P) of facts F: (object, old_name, old_sympos) keys, nops excluded. */
  readonly funcs: readonly string[];
  readonly states: readonly StateDef[];
}

/** A patch definition as the spec model holds it (its attrs already carry parameters and writes). */
export function viewOfDef(d: PatchDef): PatchView {
  return { name: d.name, attrs: d.attrs ?? {}, funcs: patchFuncs(d), states: d.states ?? [] };
}

/** A patch of the reference implementation: its static funcs (never the nops klp_add_nops adds). */
export function viewOfKPatch(p: KPatch): PatchView {
  const funcs: string[] = [];
  for (const o of p.objs) for (const f of o.funcs) if (!f.nop && f.old_name !== null) funcs.push(f.key);
  return { name: p.name, attrs: { ...p.attrs, ...Object.fromEntries(p.writable) }, funcs, states: p.states.map((s) => s.def) };
}

// ---- functions ----

export function sharesFunction(a: PatchView, b: PatchView): boolean {
  return a.funcs.some((f) => b.funcs.includes(f));
}

/** Every function of `old` is also patched by `incoming`. */
export function covers(incoming: PatchView, old: PatchView): boolean {
  return old.funcs.every((f) => incoming.funcs.includes(f));
}

/**
 * Petr Mladek's two definitions of a conflict (seed 003_3f95dad9b56cb0c5.txt,
 * 2025-02-07): `shared`, at least one function modified by both; `partial`,
 * the weaker one, the new patch provides only a partial replacement of an
 * old patch's functions (it shares some but does not cover them all).
 */
export type ConflictDefinition = 'shared' | 'partial';

export function conflicts(definition: ConflictDefinition, incoming: PatchView, old: PatchView): boolean {
  if (!sharesFunction(incoming, old)) return false;
  return definition === 'shared' || !covers(incoming, old);
}

// ---- states ----

export function sharesStateId(a: PatchView, b: PatchView): boolean {
  return a.states.some((s) => b.states.some((t) => t.id === s.id));
}

/**
 * The upstream version rule for one old patch (facts C.2): every state of
 * `old` the incoming patch carries has a version at least as high, and when
 * `mustCarry` (the incoming patch takes `old` over) it carries all of them.
 */
export function carriesStates(incoming: PatchView, old: PatchView, mustCarry: boolean): boolean {
  return old.states.every((s) => {
    const mine = incoming.states.find((x) => x.id === s.id);
    return mine ? (mine.version ?? 0) >= (s.version ?? 0) : !mustCarry;
  });
}

// ---- attributes ----

/** Seed 000: `replace` as a u32 tag; upstream's `true` reads as tag 1. */
export function tagOf(a: PatchAttrs): number {
  return typeof a.replace === 'number' ? a.replace : a.replace ? 1 : 0;
}

export const isReplacing = (a: PatchAttrs): boolean => tagOf(a) !== 0;

export const isReplaceable = (a: PatchAttrs): boolean => a.replaceable === true;

export function union(...lists: readonly (readonly number[] | undefined)[]): number[] {
  return [...new Set(lists.flatMap((l) => l ?? []))].sort((x, y) => x - y);
}

export function subset(a: readonly number[], b: readonly number[]): boolean {
  return a.every((x) => b.includes(x));
}

export function intersects(a: readonly number[], b: readonly number[]): boolean {
  return a.some((x) => b.includes(x));
}
