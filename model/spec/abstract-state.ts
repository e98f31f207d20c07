/**
 * The abstract state both the spec model and the reference implementation
 * map to after every step. It holds only what the properties need: which
 * patches are loaded, listed, in transition or forced and which slot each is
 * in; which code each task runs for each function; the tasks' transition
 * state; the loaded target modules; the live states and shadow variables.
 * Arrays are in a fixed order, so JSON.stringify is a canonical form.
 * Patches are listed in load order with their slot, status (enabled,
 * patching, unpatching, freed with the module still loaded, or stale: listed
 * but neither enabled nor in transition, a bug), 1-based klp_patches order
 * and forced flag; `running` maps each function key to the code each task
 * runs (a patch name, `original` or `absent`); a blocked task shows
 * `func@code`.
 */

import type { DeepReadonly } from '../kernel/definitions.ts';
import type * as G from '../../schema/generated/counterexample.ts';

// The shapes are defined once, in schema/counterexample.schema.json.
export type AbstractState = DeepReadonly<G.AbstractState>;
export type AbstractPatch = DeepReadonly<G.AbstractPatch>;
export type AbstractTask = DeepReadonly<G.AbstractTask>;
export type PatchStatus = AbstractPatch['status'];
export type TaskState = AbstractTask['state'];

/** A blocked task's place as the abstract state shows it: `func@code` (the function's key, the code it sleeps in). */
export const blockedPlace = (func: string, code: string): string => `${func}@${code}`;

/** Whether `shown` is blockedPlace(func, code), without making that string: conformance asks for every blocked task of every step. */
export function isBlockedPlace(shown: string | null, func: string, code: string): boolean {
  return (
    shown !== null &&
    shown.length === func.length + 1 + code.length &&
    shown.startsWith(func) &&
    shown.charCodeAt(func.length) === 64 /* '@' */ &&
    shown.endsWith(code)
  );
}

/**
 * Whether two abstract states are equal, field by field of the schema's
 * shape, without building their JSON: conformance compares the two sides
 * after every step, and the exhaustive explorer does that hundreds of
 * millions of times (issue 11). `running` is compared by key, in any order.
 */
export function sameState(a: AbstractState, b: AbstractState): boolean {
  if (a === b) return true;
  const pa = a.patches;
  const pb = b.patches;
  if (pa.length !== pb.length) return false;
  for (let i = 0; i < pa.length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x.name !== y.name || x.slot !== y.slot || x.status !== y.status || x.order !== y.order || x.forced !== y.forced) return false;
  }
  const ta = a.tasks;
  const tb = b.tasks;
  if (ta.length !== tb.length) return false;
  for (let i = 0; i < ta.length; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x.name !== y.name || x.state !== y.state || x.blocked !== y.blocked) return false;
  }
  if (!sameList(a.modules, b.modules) || !sameList(a.states, b.states) || !sameList(a.shadows, b.shadows)) return false;
  let keys = 0;
  for (const f in a.running) {
    const y = b.running[f];
    if (y === undefined || !sameList(a.running[f]!, y)) return false;
    keys++;
  }
  for (const f in b.running) keys--;
  return keys === 0;
}

/**
 * Puts `id` into `ids`, which is ascending with each id once, in its place:
 * how both sides build an abstract state's `states`. A state has a handful
 * of ids; a Set spread and sorted was an eighth of observe()'s time (stop 40).
 */
export function addAscending(ids: number[], id: number): void {
  let i = ids.length;
  while (i > 0 && ids[i - 1]! > id) i--;
  if (i > 0 && ids[i - 1] === id) return;
  ids.splice(i, 0, id);
}

/**
 * Whether `list` is strictly ascending: each item once, strings in the order
 * of Array.prototype.sort's default (UTF-16 code units), numbers as numbers,
 * as an abstract state lists its modules, states and shadow variables.
 */
export function strictlyAscending(list: readonly (string | number)[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
}

function sameList<T extends string | number>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first difference between two states, as a path and both values, or null. */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; spec: unknown; impl: unknown } | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return { path: path || '/', spec: a, impl: b };
}
