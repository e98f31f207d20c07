/**
 * Module parameters that set patch attributes at load (test_klp_atomic_replace.ko
 * replace=1; Petr Mladek's add_merge_slots=X[,Y], seed 001). One pure function
 * shared by the reference implementation's loader and the spec model, so that
 * both read `insmod p.ko add_merge_slots=2` the same way.
 */
import type { PatchAttrs, PatchDef } from './definitions.ts';
import { parseBool } from './kstrtobool.ts';
import { kstrtoint, kstrtouint } from './kstrtoint.ts';
import { LIST_ATTRS, NUMBER_ATTRS } from './module-params.ts';

/**
 * A number as the parameter's kstrto* read it (module-params.ts: parse_args
 * refused any value it does not take, so `010` is 8 and `0x4` 4, as the
 * kernel reads them, where Number() read 10 and took `4e0`: helper-131); NaN
 * only for a definition's own default, which parse_args never reads.
 */
const asNumber = (v: number | string): number => (typeof v === 'number' ? v : NaN);

function parseAttr(attr: string, current: unknown, value: string): unknown {
  if (LIST_ATTRS.has(attr)) return value === '' ? [] : value.split(',').map((e) => asNumber(kstrtouint(e)));
  if (NUMBER_ATTRS.has(attr)) return asNumber(kstrtoint(value));
  // `replace` is a bool upstream and a u32 tag in seed 000: keep the type the definition gives it.
  if (typeof current === 'boolean') return parseBool(value) ?? false;
  if (typeof current === 'number') return asNumber(kstrtoint(value));
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
