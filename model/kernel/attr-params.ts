/**
 * Module parameters that set patch attributes at load (test_klp_atomic_replace.ko
 * replace=1; Petr Mladek's add_merge_slots=X[,Y], seed 001). One pure function
 * shared by the reference implementation's loader and the spec model, so that
 * both read `insmod p.ko add_merge_slots=2` the same way.
 */
import type { PatchAttrs, PatchDef } from './definitions.ts';
import { parseBool } from './kstrtobool.ts';

/** Attributes that hold a list of numbers: a parameter gives them as X[,Y]... */
const LISTS: ReadonlySet<string> = new Set(['replace_sets', 'merge_slots', 'obsoletes', 'also_obsoletes', 'add_merge_slots']);
/** Attributes that hold one number. */
const NUMBERS: ReadonlySet<string> = new Set(['replace_set', 'slot', 'provides']);

function parseAttr(attr: string, current: unknown, value: string): unknown {
  if (LISTS.has(attr)) return value === '' ? [] : value.split(',').map(Number);
  if (NUMBERS.has(attr)) return Number(value);
  // `replace` is a bool upstream and a u32 tag in seed 000: keep the type the definition gives it.
  if (typeof current === 'boolean') return parseBool(value) ?? false;
  if (typeof current === 'number') return Number(value);
  return parseBool(value) ?? Number(value);
}

/** The attributes a patch carries when its module is loaded with `params` (the definition's defaults included). */
export function attrsAtLoad(def: PatchDef, params: Readonly<Record<string, string>> | ReadonlyMap<string, string>): PatchAttrs {
  const given = params instanceof Map ? params : new Map(Object.entries(params));
  const attrs: Record<string, unknown> = { ...(def.attrs ?? {}) };
  for (const [param, attr] of Object.entries(def.attr_params ?? {})) {
    const v = given.get(param) ?? def.params?.[param];
    if (v !== undefined) attrs[attr] = parseAttr(attr, attrs[attr], v);
  }
  return attrs as PatchAttrs;
}
