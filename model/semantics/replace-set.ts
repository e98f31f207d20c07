/**
 * replace_set: one set number per patch; a patch atomically replaces the
 * active patches of its set, and patches of different sets may not share a
 * function or a state id.
 *
 * Sources: Petr Mladek's review of the replace tag draft, seed
 * 000_2d55233d1d974b9b.txt (2026-04-07, adUd0Mojbtrwmeod@pathway.suse.cz):
 * rename to replace_set, refuse cross-set conflicts in functions and state
 * ids, and "klp_add_nops() must skip livepatches with another @replace_set";
 * Yafang Shao's v2 series as facts F.3 describe it ("[PATCH v2 2/4]",
 * 2026-05-29, 20260529034542.68766-3-laoar.shao@gmail.com): default 0, every
 * patch replaces within its set, nops, unpatching, freeing and the forced
 * flag filtered by set.
 *
 * Notes from the reviews (facts F.3, F.4):
 * - forced flag: the RFC set `forced` on the transition patch itself, which
 *   leaks its module reference (Sashiko, 20260514205439.925F1C2BCB7@smtp.kernel.org);
 *   v2 marks only the other same-set patches, as here;
 * - NULL old_name: v2's function check runs before klp_init_patch validates
 *   the funcs, so a NULL old_name would oops in klp_find_func (Sashiko on v2,
 *   20260529043212.1F2ED1F00893@smtp.kernel.org). Here the check skips such a
 *   func and klp_init_object refuses it later with -EINVAL: klpcheck models
 *   the rule, not the crash.
 *
 * `replace-set-unfiltered-nops` is the same rule with klp_add_nops left as
 * upstream (nops from every active patch), the gap Petr's review names: the
 * new patch nops another set's functions until its nops are discarded.
 */
import type { PatchAttrs } from '../kernel/definitions.ts';
import type { Semantics } from './semantics.ts';
import { setFamily } from './set-family.ts';
import { CORE_PROMISES, SET_PROMISES } from './promises.ts';

const setOf = (a: PatchAttrs): number => a.replace_set ?? 0;

export const replaceSet: Semantics = setFamily({
  name: 'replace-set',
  title: "replace_set (Petr Mladek's review, v2): one set per patch, no cross-set functions or states",
  sources: [
    { ref: '000_2d55233d1d974b9b.txt', author: 'Petr Mladek', date: '2026-04-07', messageId: 'adUd0Mojbtrwmeod@pathway.suse.cz' },
    { ref: 'facts F.3 (v2 2/4)', author: 'Yafang Shao', date: '2026-05-29', messageId: '20260529034542.68766-3-laoar.shao@gmail.com' },
  ],
  rule:
    'Every patch has an unsigned replace_set, 0 by default, and every patch is a replace patch within its set: ' +
    'when its transition completes, the earlier active patches of the same set are unpatched and freed, and its ' +
    'nops cover only their functions. A patch that patches a function or uses a state id of an active patch in ' +
    'another set is refused with -EINVAL; it carries the states of its own set at no lower version. At most one ' +
    'patch is active per set.',
  promises: [...CORE_PROMISES, ...SET_PROMISES],
  attrs: ['replace_set'],
  attrChoices: [{ replace_set: 0 }, { replace_set: 1 }],
  relation: (incoming, old) => (setOf(incoming) === setOf(old) ? 'replace' : 'apart'),
  sysfs: (a) => ({ replace_set: String(setOf(a)) }),
  slotOf: (_name, attrs) => `set:${setOf(attrs)}`,
});

export const replaceSetUnfilteredNops: Semantics = {
  ...replaceSet,
  name: 'replace-set-unfiltered-nops',
  title: 'replace_set without the per-set filter in klp_add_nops',
  rule: `${replaceSet.rule} (Implemented with klp_add_nops unfiltered: nops from every active patch, of every set.)`,
  hooks: { ...replaceSet.hooks, nopSources: (active) => active },
};
