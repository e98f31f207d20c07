/**
 * The replace_sets array (a zero-terminated `unsigned int *replace_sets`),
 * under each of the three readings of seed 001_3e784c1c435e3259.txt.
 *
 * Sources: Petr Mladek proposes the array on 2026-06-17 ("would allow to
 * build a cumulative livepatch which replaces known hotfixes out of box");
 * Joe Lawrence asks what it means and gives two readings, positional and
 * flat (2026-06-17); Petr answers with a third, set (2026-06-18). Yafang
 * Shao's comment quoted by Joe supports flat with dynamically chosen sets.
 *
 * - positional: { set [, eviction_set ...] }: the first element is the
 *   patch's own set, the rest are evicted on load. klp-2a {1,2} replaces the
 *   patches of sets 1 and 2 and then occupies set 1 only.
 * - flat: the patch belongs to every listed set equally, and replaces every
 *   active patch that shares a set with it. klp-2b {2} then replaces the whole
 *   cumulative klp-2a {1,2}, as Joe feared.
 * - set: the patch replaces the given set of replace_sets; an active patch is
 *   replaced when all its sets are in the new patch's list. Reading of the
 *   mail: a patch that shares some but not all of an active patch's sets
 *   (klp-2b {2} after klp-2a {1,2}) can replace only part of it and is refused
 *   with -EINVAL; Petr says such a hotfix "would need to use a new
 *   replace_set, e.g. 3".
 * All three: an empty array means {0} (Petr: 0 is then "a special set which
 * could never be replaced by anything else than another zero replace set"),
 * and the F.3 conflict rules of set-family.ts. The admin's override parameter
 * Petr suggests here (override_replace_sets, later add_/supplement_) is
 * modelled once, as add_merge_slots in slots.ts.
 */
import type { PatchAttrs } from '../kernel/definitions.ts';
import { intersects, subset } from './rules.ts';
import type { Semantics } from './semantics.ts';
import { setFamily, type SetRelation } from './set-family.ts';
import { CORE_PROMISES, OWNER_PROMISES, SET_PROMISES } from './promises.ts';

export type SetsReading = 'positional' | 'flat' | 'set';

/** Set 0, what an empty or absent array means: one array, so that its slot's name is remembered too (sortedSets). */
const SET_ZERO: readonly number[] = [0];

const setsOf = (a: PatchAttrs): readonly number[] => (a.replace_sets?.length ? a.replace_sets : SET_ZERO);

const RELATION: Readonly<Record<SetsReading, (n: readonly number[], p: readonly number[]) => SetRelation>> = {
  positional: (n, p) => (n.includes(p[0]!) ? 'replace' : 'apart'),
  flat: (n, p) => (intersects(n, p) ? 'replace' : 'apart'),
  set: (n, p) => (subset(p, n) ? 'replace' : intersects(n, p) ? 'clash' : 'apart'),
};

const WORDS: Readonly<Record<SetsReading, string>> = {
  positional:
    "The first element is the patch's own set and the rest are sets it evicts: it replaces every active patch whose own set is in its list, and afterwards occupies only its own set.",
  flat: 'The patch belongs to every listed set equally: it replaces every active patch that shares a set with it.',
  set: 'The patch replaces the given set of replace_sets: it replaces every active patch all of whose sets it lists; an active patch it shares only some sets with cannot be replaced, and the load is refused with -EINVAL.',
};

/**
 * A list of sets as its slot names it: ascending, joined with commas.
 * Remembered per array (a patch's attributes are never changed in place:
 * model/kernel/definitions.ts PatchAttrs): observe and conformance ask for
 * every loaded patch's slot on every step, and sorting a copy each time was
 * 7% of a random run of replace-sets-set checked for conformance (bench
 * throughput, 2026-12-07).
 */
const sortedSets = new WeakMap<readonly number[], string>();
function sorted(xs: readonly number[]): string {
  let s = sortedSets.get(xs);
  if (s === undefined) sortedSets.set(xs, (s = [...xs].sort((a, b) => a - b).join(',')));
  return s;
}

function replaceSetsReading(reading: SetsReading): Semantics {
  const authors = { positional: 'Joe Lawrence', flat: 'Joe Lawrence, Yafang Shao', set: 'Petr Mladek' }[reading];
  return setFamily({
    name: `replace-sets-${reading}`,
    title: `replace_sets array, ${reading} reading`,
    sources: [{ ref: '001_3e784c1c435e3259.txt', author: authors, date: reading === 'set' ? '2026-06-18' : '2026-06-17' }],
    rule:
      `${WORDS[reading]} An empty array means set 0, which only another set-0 patch replaces. A patch that shares a function ` +
      'or a state id with an active patch it does not replace is refused with -EINVAL; it carries the states of the patches it ' +
      'replaces at no lower version.',
    // Petr Mladek's array came with the owner rules in the same mail (2026-06-17).
    promises: [...CORE_PROMISES, ...SET_PROMISES, ...OWNER_PROMISES],
    attrs: ['replace_sets'],
    attrChoices:
      reading === 'positional'
        ? [{ replace_sets: [1] }, { replace_sets: [2] }, { replace_sets: [1, 2] }, { replace_sets: [2, 1] }]
        : [{ replace_sets: [1] }, { replace_sets: [2] }, { replace_sets: [1, 2] }],
    relation: (n, p) => RELATION[reading](setsOf(n), setsOf(p)),
    sysfs: (a) => ({ replace_sets: setsOf(a).join(',') }),
    slotOf: (_name, attrs) => (reading === 'positional' ? `set:${setsOf(attrs)[0]}` : `sets:${sorted(setsOf(attrs))}`),
  });
}

export const replaceSetsPositional = replaceSetsReading('positional');
export const replaceSetsFlat = replaceSetsReading('flat');
export const replaceSetsSet = replaceSetsReading('set');
