/** Derived facts about a universe that the spec model and the observers share. */
import { funcKey, type PatchDef, type Universe } from '../kernel/definitions.ts';

const funcsCache = new WeakMap<PatchDef, readonly string[]>();

/** The function keys a patch patches (its static funcs; nops are not its own). Cached: definitions are immutable. */
export function patchFuncs(p: PatchDef): readonly string[] {
  let keys = funcsCache.get(p);
  if (!keys) {
    keys = (p.objects ?? []).flatMap((o) => (o.funcs ?? []).map((f) => funcKey(o.name, f.old_name ?? '', f.old_sympos ?? 0)));
    funcsCache.set(p, keys);
  }
  return keys;
}

/** Every function any patch of the universe patches, sorted. */
export function universeFuncs(u: Universe): string[] {
  return [...new Set(u.patches.flatMap(patchFuncs))].sort();
}

export function objectOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/** The user tasks task0.. and then the kernel threads kthread0.. a universe boots with. */
export function taskNames(u: Universe): string[] {
  return [
    ...Array.from({ length: u.kernel?.tasks ?? 2 }, (_, i) => `task${i}`),
    ...Array.from({ length: u.kernel?.kthreads ?? 0 }, (_, i) => `kthread${i}`),
  ];
}
