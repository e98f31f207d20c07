/**
 * provides / obsoletes / also_obsoletes, the package-management analogy.
 *
 * Source: seed 001_3e784c1c435e3259.txt, Joe Lawrence, 2026-06-18, after
 * Petr Mladek likened replace_set to an RPM package name ("It can even
 * upgrade/downgrade a package with another name when 'provides' are
 * defined"):
 *   @provides:       id                 < only one active livepatch per id
 *   @obsoletes:      { id [, id ...] }  < replace given livepatch id(s)
 *   @also_obsoletes: { id [, id ...] }  < replace addt'l livepatch id(s)
 *
 * Reading: a patch replaces the active patch with its own id (as a package
 * upgrades or downgrades one of the same name) and those whose id it
 * obsoletes; also_obsoletes plays the part of Petr's admin parameter and can
 * be given at load (also_obsoletes=X). The conflict rules are those of facts
 * F.3 (set-family.ts). Read this way it is slot + merge_slots under other
 * names; klpcheck keeps both so that the verdicts show it.
 */
import type { PatchAttrs } from '../kernel/definitions.ts';
import { union } from './rules.ts';
import type { Semantics } from './semantics.ts';
import { setFamily } from './set-family.ts';
import { CORE_PROMISES, OWNER_PROMISES, SET_PROMISES } from './promises.ts';

const idOf = (a: PatchAttrs): number => a.provides ?? 0;

export const providesObsoletes: Semantics = setFamily({
  name: 'provides-obsoletes',
  title: 'provides / obsoletes / also_obsoletes (the RPM analogy)',
  sources: [{ ref: '001_3e784c1c435e3259.txt', author: 'Joe Lawrence', date: '2026-06-18' }],
  rule:
    'Every patch provides one id (0 by default), and only one active patch may provide an id. A patch replaces ' +
    'the active patch with its own id and the active patches whose ids it lists in obsoletes or in also_obsoletes ' +
    '(which the admin may give at load). A patch that shares a function or a state id with an active patch it ' +
    'does not replace is refused with -EINVAL; it carries the states of the patches it replaces at no lower version.',
  // also_obsoletes is the admin's override of Petr Mladek's owner rule, under Joe Lawrence's names.
  promises: [...CORE_PROMISES, ...SET_PROMISES, ...OWNER_PROMISES],
  attrs: ['provides', 'obsoletes', 'also_obsoletes'],
  attrChoices: [{ provides: 1 }, { provides: 2 }, { provides: 1, obsoletes: [2] }],
  attrParams: { also_obsoletes: 'also_obsoletes' },
  paramChoices: [{ also_obsoletes: '1' }, { also_obsoletes: '2' }],
  relation: (n, p) => (union([idOf(n)], n.obsoletes, n.also_obsoletes).includes(idOf(p)) ? 'replace' : 'apart'),
  sysfs: (a) => ({ provides: String(idOf(a)), obsoletes: union(a.obsoletes, a.also_obsoletes).join(',') }),
  slotOf: (_name, attrs) => `id:${idOf(attrs)}`,
});
