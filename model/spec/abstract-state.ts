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

/**
 * Whether two abstract states (plain JSON data) are equal, without building
 * their JSON: conformance compares the two sides after every step, and the
 * exhaustive explorer does that tens of millions of times (issue 11).
 */
export function sameState(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameState(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || !sameState((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
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
