/** Patch definitions from lists of function keys: what generated universes and test universes are made of. */
import type { FuncDef, ObjectDef, PatchDef, StateDef } from '../model/kernel/definitions.ts';

/** The plain target module of generated universes (it has one function, m1). */
export const TARGET_MODULE = 'mod';

/** A patch of `obj:name` functions, grouped by object, each object with demo callbacks; none gives a callbacks-only vmlinux object. */
export function patchFromFuncs(name: string, funcs: readonly string[], states: readonly StateDef[], attrs: PatchDef['attrs']): PatchDef {
  const byObj = new Map<string, FuncDef[]>();
  for (const f of funcs) {
    const [obj, fn] = f.split(':') as [string, string];
    byObj.set(obj, [...(byObj.get(obj) ?? []), { old_name: fn }]);
  }
  const objects: ObjectDef[] = [...byObj].map(([obj, fs]) => ({ name: obj, funcs: fs, callbacks: 'demo' }));
  if (!objects.length) objects.push({ name: 'vmlinux', funcs: [], callbacks: 'demo' });
  return { name, objects, states, attrs };
}
