/** Derived facts about a universe that the spec model and the observers share. */
import { funcKey, type PatchDef, type Universe } from '../kernel/definitions.ts';

const funcsCache = new WeakMap<object, readonly string[]>();
const NO_OBJECTS: NonNullable<PatchDef['objects']> = [];

/**
 * The function keys a patch patches (its static funcs; nops are not its own).
 * Cached by the objects array: definitions are immutable, and a patch as
 * loaded (run-sequence.ts Lockstep.def) is a new record around the same array.
 */
export function patchFuncs(p: PatchDef): readonly string[] {
  const objects = p.objects ?? NO_OBJECTS;
  let keys = funcsCache.get(objects);
  if (!keys) {
    keys = objects.flatMap((o) => (o.funcs ?? []).map((f) => funcKey(o.name, f.old_name ?? '', f.old_sympos ?? 0)));
    funcsCache.set(objects, keys);
  }
  return keys;
}

const universeFuncsCache = new WeakMap<Universe, readonly string[]>();

/** Every function any patch of the universe patches, sorted; cached by the universe (immutable, a new record per added patch). */
export function universeFuncs(u: Universe): readonly string[] {
  let funcs = universeFuncsCache.get(u);
  if (!funcs) universeFuncsCache.set(u, (funcs = [...new Set(u.patches.flatMap(patchFuncs))].sort()));
  return funcs;
}

export function objectOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}
