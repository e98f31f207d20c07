/** Patch definitions from lists of function keys: what generated universes and test universes are made of. */
import type { FuncDef, ObjectDef, PatchDef, StateDef } from '../model/kernel/definitions.ts';

/** The plain target module of generated universes (it has one function, m1). */
export const TARGET_MODULE = 'mod';

/**
 * The owners of the i-th generated patch (0-based): p2, p4 ... are a user's,
 * the others the vendor's, so that every generated universe of two or more
 * patches mixes them and has two vendor patches from three on. Patches are
 * symmetric in everything else, so a fixed assignment draws nothing from the
 * random stream and loses no pair the owner invariants look at.
 */
export const generatedOwners = (i: number): [string] => [i % 2 === 1 ? 'user' : 'vendor'];

/** Generated patches are releases in load-name order: p1 is release 1 (no-silent-downgrade). */
export const generatedRelease = (i: number): number => i + 1;

/**
 * A patch of `obj:name` or `obj:name,N` functions (N the old_sympos, left out
 * when 0), grouped by object, each object with demo callbacks; none gives a
 * callbacks-only vmlinux object.
 */
export function patchFromFuncs(
  name: string,
  funcs: readonly string[],
  states: readonly StateDef[],
  attrs: PatchDef['attrs'],
  owners?: PatchDef['owners'],
  release?: number,
): PatchDef {
  const byObj = new Map<string, FuncDef[]>();
  for (const f of funcs) {
    const [obj, spec] = f.split(':') as [string, string];
    const [fn, pos] = spec.split(',') as [string, string | undefined];
    const func: FuncDef = pos && pos !== '0' ? { old_name: fn, old_sympos: Number(pos) } : { old_name: fn };
    byObj.set(obj, [...(byObj.get(obj) ?? []), func]);
  }
  const objects: ObjectDef[] = [...byObj].map(([obj, fs]) => ({ name: obj, funcs: fs, callbacks: 'demo' }));
  if (!objects.length) objects.push({ name: 'vmlinux', funcs: [], callbacks: 'demo' });
  return { name, objects, states, attrs, ...(owners ? { owners } : {}), ...(release ? { release } : {}) };
}
