/**
 * slot + merge_slots, with the admin's add_merge_slots module parameter.
 *
 * Source: seed 001_3e784c1c435e3259.txt, Petr Mladek, 2026-06-18: "@slot:
 * Livepatches with the same slot replace each other. Livepatches with
 * different slots might be installed in parallel." and "@merge_slots: Replace
 * livepatches with the given slots. Plus, a module parameter
 * add_merge_slots=x[,y]..." (the name follows Joe Lawrence's remark that
 * override_ sounds as if it replaced the list rather than supplemented it).
 * Earlier in the thread, 2026-06-17: "the OS vendor should not touch
 * customer specific livepatches by default ... refuse to install two
 * conflicting livepatches ... allow to resolve [the conflict] using the
 * atomic replace ... by a module-specific parameter".
 *
 * Reading: after the load the patch occupies only its own slot (the merged
 * ones are emptied), and the conflict rules are those of facts F.3 (see
 * set-family.ts). The parameter supplements merge_slots; it never removes one.
 */
import type { PatchAttrs } from '../kernel/definitions.ts';
import { union } from './rules.ts';
import type { Semantics } from './semantics.ts';
import { setFamily } from './set-family.ts';
import { CORE_PROMISES, OWNER_PROMISES, SET_PROMISES } from './promises.ts';

const slotOf = (a: PatchAttrs): number => a.slot ?? 0;

export const slots: Semantics = setFamily({
  name: 'slots',
  title: 'slot + merge_slots, and the add_merge_slots module parameter',
  sources: [{ ref: '001_3e784c1c435e3259.txt', author: 'Petr Mladek', date: '2026-06-18' }],
  rule:
    'Every patch has one slot (0 by default); a patch replaces the active patch of its own slot and the active ' +
    'patches of the slots listed in merge_slots, plus those the admin adds at load with add_merge_slots=X[,Y]. ' +
    'Afterwards it occupies only its own slot. A patch that shares a function or a state id with an active patch ' +
    "it does not replace is refused with -EINVAL, so a vendor patch leaves a customer's slot alone unless the " +
    'admin says otherwise; it carries the states of the patches it replaces at no lower version.',
  promises: [...CORE_PROMISES, ...SET_PROMISES, ...OWNER_PROMISES],
  attrs: ['slot', 'merge_slots', 'add_merge_slots'],
  attrChoices: [{ slot: 1 }, { slot: 2 }, { slot: 1, merge_slots: [2] }],
  attrParams: { add_merge_slots: 'add_merge_slots' },
  paramChoices: [{ add_merge_slots: '1' }, { add_merge_slots: '2' }],
  relation: (n, p) => (union([slotOf(n)], n.merge_slots, n.add_merge_slots).includes(slotOf(p)) ? 'replace' : 'apart'),
  sysfs: (a) => ({ slot: String(slotOf(a)), merge_slots: union(a.merge_slots, a.add_merge_slots).join(',') }),
  slotOf: (_name, attrs) => `slot:${slotOf(attrs)}`,
});
