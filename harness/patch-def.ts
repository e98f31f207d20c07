/** Patch definitions from lists of function keys: what generated universes and test universes are made of. */
import type { FuncDef, ObjectDef, PatchDef, StateDef } from '../model/kernel/definitions.ts';

/** The plain target module of generated universes (it has one function, m1). */
export const TARGET_MODULE = 'mod';

/**
 * A patch of `obj:name` or `obj:name,N` functions (N the old_sympos, left out
 * when 0), grouped by object, each object with demo callbacks; none gives a
 * callbacks-only vmlinux object.
 */
export function patchFromFuncs(name: string, funcs: readonly string[], states: readonly StateDef[], attrs: PatchDef['attrs']): PatchDef {
  const byObj = new Map<string, FuncDef[]>();
  for (const f of funcs) {
    const [obj, spec] = f.split(':') as [string, string];
    const [fn, pos] = spec.split(',') as [string, string | undefined];
    const func: FuncDef = pos && pos !== '0' ? { old_name: fn, old_sympos: Number(pos) } : { old_name: fn };
    byObj.set(obj, [...(byObj.get(obj) ?? []), func]);
  }
  const objects: ObjectDef[] = [...byObj].map(([obj, fs]) => ({ name: obj, funcs: fs, callbacks: 'demo' }));
  if (!objects.length) objects.push({ name: 'vmlinux', funcs: [], callbacks: 'demo' });
  return { name, objects, states, attrs };
}
