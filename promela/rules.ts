/**
 * What each semantics written in Promela decides differently, as Promela text
 * written again from its rule (not generated from klpcheck's spec model):
 * the load verdict and when a disable may start. The rest of the model
 * (promela/model.ts) is the livepatch core's, which the semantics share: the
 * transition, reverse, force, module load and removal.
 */
import type { PatchAttrs, PatchDef } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { replaceSet, replaceSetUnfilteredNops } from '../model/semantics/replace-set.ts';
import { replaceSetsFlat, replaceSetsPositional, replaceSetsSet } from '../model/semantics/replace-sets.ts';
import { slots } from '../model/semantics/slots.ts';
import { replaceTagSong, replaceTagStrict } from '../model/semantics/replace-tag.ts';
import { tagOf } from '../model/semantics/rules.ts';
import { providesObsoletes } from '../model/semantics/provides-obsoletes.ts';

/** One semantics in Promela. */
export interface PromelaRule {
  /** The semantics whose patch definitions the model's tables hold (harness/explore/candidates.ts newPatchDefs). */
  readonly semantics: Semantics;
  /** What the model's header says it is. */
  readonly title: string;
  /** Where the lockstep breaks conformance, or that it does not (the model's header: where explore's count is Spin's less one). */
  readonly conforms: string;
  /** The body of `inline load_ok(k)`: sets ok = 0 when the load of patch k is refused (-EINVAL), else ok = 1. */
  readonly loadOk: string;
  /**
   * The body of `inline replaced(k)`: puts the patches on klp_patches that a
   * load of patch k replaces into rep[0 .. nrep - 1], in list order (rep is
   * empty, nrep 0, before). Completion unpatches and frees them, force marks
   * them forced, and k's nops cover their functions.
   */
  readonly replaces: string;
  /**
   * The sets a definition's attributes list, its own first (table facts the
   * rules read as dsets and dfirst): the replace-set family's; none, set 0,
   * for the others.
   */
  readonly setsOf?: (d: PatchDef) => readonly number[];
  /** A Promela condition: patch k, registered, enabled and not in a transition, may start to be disabled (else -EBUSY); none: always. */
  readonly mayDisable?: string;
}

/** Promela rows of the definitions tables: the patch being loaded, k, and the one at place r on klp_patches. */
const NEW = 'pdef[k]';
const LISTED = 'pdef[klp[r]]';

/** `text` with every line but the first indented by `spaces`. */
const indented = (text: string, spaces: number) => text.replaceAll('\n', `\n${' '.repeat(spaces)}`);

/** Promela: `body` once for each patch on klp_patches, in list order (LISTED; r its place). */
const eachListed = (body: string) => `  r = 0;\n  do\n  :: r < nklp ->\n     ${indented(body, 5)};\n     r++\n  :: else -> break\n  od`;

/** Promela: `body` once for each state id x, 1 to S. */
const eachStateId = (body: string) => `x = 1;\ndo\n:: x <= S ->\n   ${indented(body, 3)};\n   x++\n:: else -> break\nod`;

/** Promela: the version of state id x in definition row `row`, 0 when the patch has no such state. */
const version = (row: string) => `dver[${row} * (S + 1) + x]`;

/** The header's words for a semantics whose lockstep breaks no conformance (verdicts/expected.json: 20,000 random runs; the whole spaces). */
const NEVER_BREAKS = 'it breaks it nowhere the tests and the random runs have looked';

/**
 * Upstream (facts B.1, C.2, Documentation/livepatch/system-state.rst;
 * model/semantics/upstream.ts): a replace patch must carry every live state
 * at no lower version, no patch may lower a version it carries; any patch may
 * be disabled.
 */
const UPSTREAM: PromelaRule = {
  semantics: upstream,
  title: 'The upstream livepatch replace semantics',
  conforms: 'upstream breaks it from two patches on',
  loadOk: `  ok = 1;
${eachListed(
  eachStateId(`if
:: ${version(LISTED)} != 0 && ${version(NEW)} == 0 && drep[${NEW}] -> ok = 0 /* a replace patch drops the state */
:: ${version(LISTED)} != 0 && ${version(NEW)} != 0 && ${version(NEW)} < ${version(LISTED)} -> ok = 0 /* it lowers it */
:: else
fi`),
)}`,
  // A replace patch replaces every patch on klp_patches (facts B.1); another replaces none.
  replaces: eachListed(`if :: drep[${NEW}] -> rep[nrep] = klp[r]; nrep++ :: else fi`),
};

/**
 * Stacking, before atomic replace (seed 002_1eea65d10ed1c246.txt, Petr
 * Mladek, 2019-01-09; model/semantics/stacking.ts): no patch replaces, no
 * load is refused for its states (there was no state API), and only the last
 * patch on klp_patches may be disabled.
 */
const STACKING: PromelaRule = {
  semantics: stacking,
  title: 'Stacking (the livepatch rule before atomic replace)',
  conforms: NEVER_BREAKS,
  loadOk: '  ok = 1',
  replaces: '  skip',
  mayDisable: 'klp[nklp - 1] == k',
};

/** Where a member that breaks conformance breaks it first (README, whole spaces: shortest violations). */
const BREAKS_IN_6 = 'it breaks it in 6 steps at patches=2,functions=2,states=1,tasks=2';

/** How a new patch relates to an active one in the set family (model/semantics/set-family.ts SetRelation), as `rel`'s values. */
const APART = 0;
const REPLACES = 1;
const CLASH = 2;

/**
 * A member of the replace-set family (model/semantics/set-family.ts, facts
 * F.3, rules 1-5): for each patch on klp_patches, `relation` (a Promela
 * expression of the new patch's definition row `a` and the active one's `b`,
 * over dsets and dfirst) says whether the new one replaces it, clashes with
 * it (the load is refused) or stands apart from it. A patch it stands apart
 * from may share no function and no state id with it; one it replaces has
 * every state carried at no lower version. It replaces exactly the patches
 * it relates to as REPLACES.
 */
function setFamilyRule(
  semantics: Semantics,
  title: string,
  setsOf: (a: PatchAttrs) => readonly number[],
  relation: (a: string, b: string) => string,
  conforms = NEVER_BREAKS,
): PromelaRule {
  const rel = `rel = ${relation(NEW, LISTED)}`;
  return {
    semantics,
    title,
    conforms,
    setsOf: (d) => setsOf(d.attrs ?? {}),
    loadOk: `  ok = 1;
${eachListed(`${rel};
if
:: rel == ${CLASH} -> ok = 0 /* it would replace only part of the listed patch's sets */
:: rel == ${APART} ->
   /* the listed patch stays: no function and no state id in common */
   if :: (dfuncs[${LISTED}] & dfuncs[${NEW}]) != 0 -> ok = 0 :: else fi;
   ${indented(eachStateId(`if :: ${version(LISTED)} != 0 && ${version(NEW)} != 0 -> ok = 0 :: else fi`), 3)}
:: else ->
   /* it is replaced: every state of it carried, at no lower version */
   ${indented(eachStateId(`if :: ${version(NEW)} < ${version(LISTED)} -> ok = 0 :: else fi`), 3)}
fi`)}`,
    replaces: eachListed(`${rel}; if :: rel == ${REPLACES} -> rep[nrep] = klp[r]; nrep++ :: else fi`),
  };
}

/**
 * replace_set (seed 000_2d55233d1d974b9b.txt, Petr Mladek, 2026-04-07; facts
 * F.3, Yafang Shao's v2, 2026-05-29; model/semantics/replace-set.ts): one
 * set a patch; it replaces the patches of its own set.
 */
const REPLACE_SET = setFamilyRule(
  replaceSet,
  'replace_set (every patch replaces its own set; no function or state id shared across sets)',
  (a) => [a.replace_set ?? 0],
  (a, b) => `(dsets[${a}] == dsets[${b}] -> ${REPLACES} : ${APART})`,
);

/**
 * replace_set with klp_add_nops left unfiltered (model/semantics/
 * replace-set.ts): the same spec model, since the flaw is the kernel's (its
 * nops switch another set's functions); only its lockstep breaks conformance.
 */
const REPLACE_SET_UNFILTERED_NOPS: PromelaRule = {
  ...REPLACE_SET,
  semantics: replaceSetUnfilteredNops,
  title: 'replace_set, spec level (its implementation leaves klp_add_nops unfiltered)',
  conforms: 'it breaks it in 3 steps at patches=2,functions=2,states=1,tasks=2',
};

/** The positional reading's relation: the new patch lists the active one's own set (the first it lists). */
const listsOwnSet = (a: string, b: string) => `((dsets[${a}] >> dfirst[${b}]) & 1 -> ${REPLACES} : ${APART})`;

/** replace_sets as listed, its first the own set (positional); an empty array is set 0. */
const replaceSetsOf = (a: PatchAttrs): readonly number[] => (a.replace_sets?.length ? a.replace_sets : [0]);

/**
 * The replace_sets array (seed 001_3e784c1c435e3259.txt; model/semantics/
 * replace-sets.ts), three readings: positional (Joe Lawrence, 2026-06-17:
 * the first element is the patch's own set, and it replaces the patches
 * whose own set it lists), flat (Joe Lawrence, Yafang Shao, 2026-06-17: it
 * replaces every patch it shares a set with) and set (Petr Mladek,
 * 2026-06-18: it replaces every patch all of whose sets it lists, and one
 * it shares only some sets with clashes).
 */
const REPLACE_SETS = [
  setFamilyRule(replaceSetsPositional, 'replace_sets, positional reading', replaceSetsOf, listsOwnSet, BREAKS_IN_6),
  setFamilyRule(
    replaceSetsFlat,
    'replace_sets, flat reading',
    replaceSetsOf,
    (a, b) => `((dsets[${a}] & dsets[${b}]) != 0 -> ${REPLACES} : ${APART})`,
  ),
  setFamilyRule(
    replaceSetsSet,
    'replace_sets, set reading',
    replaceSetsOf,
    (a, b) => `((dsets[${b}] & ~dsets[${a}]) == 0 -> ${REPLACES} : ((dsets[${a}] & dsets[${b}]) != 0 -> ${CLASH} : ${APART}))`,
  ),
];

/**
 * slot + merge_slots (seed 001_3e784c1c435e3259.txt, Petr Mladek,
 * 2026-06-18; model/semantics/slots.ts) and provides + obsoletes (the same
 * seed, Joe Lawrence, 2026-06-18; provides-obsoletes.ts): a patch replaces
 * the patches whose slot (or provided id) is its own or one it merges (or
 * obsoletes), the admin's add_merge_slots (also_obsoletes) included as
 * slots.ts reads them (the explorer loads patches without module parameters,
 * so its definitions have none).
 */
const SLOTS = [
  setFamilyRule(
    slots,
    'slot + merge_slots',
    (a) => [a.slot ?? 0, ...(a.merge_slots ?? []), ...(a.add_merge_slots ?? [])],
    listsOwnSet,
    BREAKS_IN_6,
  ),
  setFamilyRule(
    providesObsoletes,
    'provides + obsoletes',
    (a) => [a.provides ?? 0, ...(a.obsoletes ?? []), ...(a.also_obsoletes ?? [])],
    listsOwnSet,
    BREAKS_IN_6,
  ),
];

/**
 * The replace tag with Song Liu's rule (seed 000_2d55233d1d974b9b.txt, Song
 * Liu, 2026-04-06, facts F.2; model/semantics/replace-tag.ts): `replace` is
 * a u32 tag (dfirst), 0 no replace. A patch replaces the active patches of
 * its own tag when its tag is not 0, and must carry their states; it may not
 * lower a state it carries of any other; it is refused when it shares a
 * function with a patch of another tag. With `zeroIsTag` (replace-tag) two
 * patches of tag 0 count as one tag and may share functions; without it
 * (replace-tag-strict) tag 0 is no tag, and conflicts with every patch.
 */
function tagRule(semantics: Semantics, title: string, zeroIsTag: boolean, conforms: string): PromelaRule {
  const sameTag = `dfirst[${NEW}] == dfirst[${LISTED}]${zeroIsTag ? '' : ` && dfirst[${NEW}] != 0`}`;
  const takesOver = `dfirst[${NEW}] != 0 && dfirst[${NEW}] == dfirst[${LISTED}]`;
  return {
    semantics,
    title,
    conforms,
    setsOf: (d) => [tagOf(d.attrs ?? {})],
    loadOk: `  ok = 1;
${eachListed(`if :: !(${sameTag}) && (dfuncs[${LISTED}] & dfuncs[${NEW}]) != 0 -> ok = 0 :: else fi;
${eachStateId(`if
:: ${version(LISTED)} != 0 && ${takesOver} && ${version(NEW)} < ${version(LISTED)} -> ok = 0 /* it takes over and drops or lowers it */
:: ${version(LISTED)} != 0 && ${version(NEW)} != 0 && ${version(NEW)} < ${version(LISTED)} -> ok = 0 /* it lowers it */
:: else
fi`)}`)}`,
    replaces: eachListed(`if :: ${takesOver} -> rep[nrep] = klp[r]; nrep++ :: else fi`),
  };
}

const TAGS = [
  tagRule(replaceTagSong, "replace tag, Song Liu's rule", true, 'it breaks it in 7 steps at patches=2,functions=2,states=1,tasks=2'),
  tagRule(replaceTagStrict, "replace tag, Song Liu's rule, tag 0 no tag", false, NEVER_BREAKS),
];

/** The semantics `klpcheck promela` writes, by name. */
export const PROMELA_RULES: ReadonlyMap<string, PromelaRule> = new Map(
  [UPSTREAM, STACKING, REPLACE_SET, REPLACE_SET_UNFILTERED_NOPS, ...REPLACE_SETS, ...SLOTS, ...TAGS].map((r) => [r.semantics.name, r]),
);
