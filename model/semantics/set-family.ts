/**
 * The replace-set family: replace_set (v2), the replace_sets array under each
 * reading, slot + merge_slots, provides + obsoletes. They differ only in how
 * a new patch N relates to an active patch P through their set attributes:
 * - `replace`: N takes P over (P's set is one N replaces);
 * - `clash`: N touches P's sets but cannot take P over (the set reading of
 *   replace_sets: P spans sets N does not); the load is refused;
 * - `apart`: unrelated sets; P stays.
 * The rest is the rule of facts F.3 (rules 1-5, consistent with the v2 series
 * and Petr Mladek's June 2026 mails): N replaces exactly the `replace` patches
 * and gets nops only from them; N is refused (-EINVAL, "not compatible") when
 * it shares a function or a state id with a patch that stays; N carries the
 * states of the patches it replaces at no lower version (v2); completion
 * unpatches and frees exactly those, and force marks exactly those.
 */
import type { PatchAttrs, PatchDef } from '../kernel/definitions.ts';
import type { KPatch } from '../kernel/runtime.ts';
import { versionsCompatible } from '../kernel/states.ts';
import type { LoadVerdict } from '../spec/rule.ts';
import { carriesStates, sharesFunction, sharesStateId, viewOfDef, viewOfKPatch } from './rules.ts';
import type { Semantics } from './semantics.ts';

export type SetRelation = 'replace' | 'clash' | 'apart';

export interface SetFamilyMember extends Omit<Semantics, 'spec' | 'hooks'> {
  /** How an incoming patch relates to an active one, from their attributes. */
  relation(incoming: PatchAttrs, old: PatchAttrs): SetRelation;
  /** The read-only sysfs files showing the set attributes. */
  sysfs(attrs: PatchAttrs): Readonly<Record<string, string>>;
}

function familyLoad(m: SetFamilyMember): (active: readonly PatchDef[], incoming: PatchDef) => LoadVerdict {
  return (active, incoming) => {
    const n = viewOfDef(incoming);
    const replaces: string[] = [];
    for (const p of active.map(viewOfDef)) {
      const rel = m.relation(n.attrs, p.attrs);
      if (rel === 'clash') return { refuse: `${n.name} can replace only part of ${p.name}'s sets` };
      if (rel === 'apart' && sharesFunction(n, p))
        return { refuse: `${n.name} patches a function of ${p.name}, which it does not replace` };
      if (rel === 'apart' && sharesStateId(n, p)) return { refuse: `${n.name} uses a state id of ${p.name}, which it does not replace` };
      if (rel === 'replace' && !carriesStates(n, p, true)) return { refuse: `${n.name} does not carry the states of ${p.name}` };
      if (rel === 'replace') replaces.push(p.name);
    }
    return { replaces };
  };
}

/**
 * klp_is_patch_compatible as the v2 series writes it: for each old patch,
 * the states loop (same set: carried with version >=; other set: not used),
 * then the functions loop (other sets only). Functions are the static ones:
 * an old patch's nops exist only while it is the transition patch, and then
 * every nop covers a function of a patch that is still active and checked.
 */
function familyCompatible(m: SetFamilyMember, active: readonly KPatch[], incoming: KPatch): boolean {
  const n = viewOfKPatch(incoming);
  for (const old of active) {
    const rel = m.relation(incoming.attrs, old.attrs);
    if (rel === 'clash') return false;
    if (rel === 'replace' && !versionsCompatible([old], incoming, true)) return false;
    const o = viewOfKPatch(old);
    if (rel === 'apart' && (sharesStateId(n, o) || sharesFunction(n, o))) return false;
  }
  return true;
}

export function setFamily(m: SetFamilyMember): Semantics {
  const replacedBy = (incoming: KPatch) => (old: KPatch) => m.relation(incoming.attrs, old.attrs) === 'replace';
  const { relation, sysfs, ...rest } = m;
  void relation;
  return {
    ...rest,
    spec: {
      load: familyLoad(m),
      disable: () => null,
      authorizes: (incoming, old) => m.relation(incoming.attrs ?? {}, old.attrs ?? {}) === 'replace',
      perState: false,
    },
    hooks: {
      stateRules: 'versions',
      isCompatible: (active, incoming) => familyCompatible(m, active, incoming),
      nopSources: (active, incoming) => active.filter(replacedBy(incoming)),
      replaced: (active, incoming) => active.filter(replacedBy(incoming)),
      // `active` is every other patch: the transition patch itself is never marked (facts F.4.3).
      forcedByForce: (active, transition) => active.filter(replacedBy(transition)),
      disableRefusal: () => null,
      sysfsAttrs: (p) => sysfs(p.attrs),
      writableAttrs: [],
    },
  };
}
