/**
 * A release's set choice as the attributes of every proposal at once, as the
 * thread scenarios write them (scenarios/threads/*.json): `replace` is
 * upstream's bool and the u32 tag of seed 000 (cumulative 1, others 0);
 * `replaceable` (hybrid mode) is true for cumulative patches; the own set is
 * replace_set, slot and provides; the absorbed sets are the rest of
 * replace_sets, merge_slots and obsoletes; `replaces` (Petr Mladek's idea 3)
 * names the loaded patches whose sets it absorbs or shares.
 */
import type { PatchAttrs, PatchDef } from '../../model/kernel/definitions.ts';
import type { SetChoice } from './protocol.ts';

export function attrsOf(c: SetChoice, replaces: readonly string[]): PatchAttrs {
  return {
    replace: c.cumulative ? 1 : 0,
    replaceable: c.cumulative,
    replace_set: c.own,
    replace_sets: [c.own, ...c.absorbs],
    slot: c.own,
    merge_slots: [...c.absorbs],
    provides: c.own,
    obsoletes: [...c.absorbs],
    replaces: [...replaces],
  };
}

/** Module parameter -> attribute: what a deployment script may set at load (model/kernel/attr-params.ts). */
export const DEPLOY_PARAMS: NonNullable<PatchDef['attr_params']> = {
  replace_set: 'replace_set',
  replace_sets: 'replace_sets',
  slot: 'slot',
  merge_slots: 'merge_slots',
  provides: 'provides',
  obsoletes: 'obsoletes',
};

/**
 * The parameters that give a patch the set choice `c` at load. An empty
 * list is no parameter: a list parameter is an array of uints, and
 * param_array refuses an empty value (kernel/params.c; model/kernel/
 * module-params.ts), so a script leaves it out. The patch keeps its built
 * list then, which is empty: a protocol that chooses at deploy time builds
 * its patches absorbing nothing (catalog.ts yafang-dynamic).
 */
export function paramsOf(c: SetChoice): Record<string, string> {
  const a = attrsOf(c, []);
  const list = (name: string, ids: readonly number[]) => (ids.length ? { [name]: ids.join(',') } : {});
  return {
    replace_set: String(a.replace_set),
    ...list('replace_sets', a.replace_sets!),
    slot: String(a.slot),
    ...list('merge_slots', a.merge_slots!),
    provides: String(a.provides),
    ...list('obsoletes', a.obsoletes!),
  };
}
