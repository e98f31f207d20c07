/**
 * What each semantics written in Promela decides differently, as Promela text
 * written again from its rule (not generated from klpcheck's spec model):
 * the load verdict, the patches a load replaces, when a disable may start
 * and (per-state's block_disable) when it is refused outright. The rest of
 * the model (promela/model.ts) is the livepatch core's, which the semantics
 * share: the transition, reverse, force, module load and removal, hybrid
 * mode's writable replaceable flag and per-state's shadow variables.
 */
import type { PatchAttrs, PatchDef } from '../model/kernel/definitions.ts';
import { KlpcheckError } from '../harness/errors.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { perState } from '../model/semantics/per-state.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { replaceSet, replaceSetUnfilteredNops } from '../model/semantics/replace-set.ts';
import { replaceSetsFlat, replaceSetsPositional, replaceSetsSet } from '../model/semantics/replace-sets.ts';
import { slots } from '../model/semantics/slots.ts';
import { replaceTagSong, replaceTagStrict } from '../model/semantics/replace-tag.ts';
import { replaceTagDraft } from '../model/semantics/replace-tag-draft.ts';
import { tagOf, type ConflictDefinition } from '../model/semantics/rules.ts';
import { providesObsoletes } from '../model/semantics/provides-obsoletes.ts';
import { hybrid } from '../model/semantics/hybrid.ts';
import {
  hybridAutoPartial,
  hybridAutoShared,
  hybridGatedPartial,
  hybridGatedShared,
  hybridListedPartial,
  hybridListedShared,
} from '../model/semantics/hybrid-safer.ts';

/** One semantics in Promela. */
export interface PromelaRule {
  /** The semantics whose patch definitions the model's tables hold (harness/explore/candidates.ts newPatchDefs). */
  readonly semantics: Semantics;
  /** What the model's header says it is, where the semantics' own title does not say it at the spec level. */
  readonly title?: string;
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
   * rules read as dsets, a mask, and dfirst, 0 for an empty list): the
   * replace-set family's sets, the replace tag, or the patches a listed
   * hybrid names (k for p<k>); none, set 0, for the others.
   */
  readonly setsOf?: (d: PatchDef) => readonly number[];
  /** A Promela condition: patch k, registered, enabled and not in a transition, may start to be disabled (else -EBUSY); none: always. */
  readonly mayDisable?: string;
  /**
   * A Promela condition: a disable of patch k is refused (-EINVAL) before
   * any other check, its transition's reverse included (per-state's
   * block_disable, facts C.4); none: never.
   */
  readonly blocksDisable?: string;
}

/** Promela rows of the definitions tables: the patch being loaded, k, and the one at place r on klp_patches. */
const NEW = 'pdef[k]';
const LISTED = 'pdef[klp[r]]';

/** Promela: the new patch and the listed one patch a function in common (model/semantics/rules.ts sharesFunction). */
const SHARES = `(dfuncs[${NEW}] & dfuncs[${LISTED}]) != 0`;

/** `text` with every line but the first indented by `spaces`. */
const indented = (text: string, spaces: number) => text.replaceAll('\n', `\n${' '.repeat(spaces)}`);

/** Promela: `body` once for each patch on klp_patches, in list order (LISTED; r its place). */
const eachListed = (body: string) => `  r = 0;\n  do\n  :: r < nklp ->\n     ${indented(body, 5)};\n     r++\n  :: else -> break\n  od`;

/** Promela: `body` once for each state id x, 1 to S. */
const eachStateId = (body: string) => `x = 1;\ndo\n:: x <= S ->\n   ${indented(body, 3)};\n   x++\n:: else -> break\nod`;

/** Promela: the version of state id x in definition row `row`, 0 when the patch has no such state. */
const version = (row: string) => `dver[${row} * (S + 1) + x]`;

/** The header's words for a semantics whose lockstep breaks no conformance (verdicts/expected.json: 20,000 random runs; the whole spaces). */
export const NEVER_BREAKS = 'it breaks it nowhere the tests and the random runs have looked';

/**
 * A rule whose state check is upstream's (facts C.2): for each patch on
 * klp_patches, the new one is refused when `refuses` holds (a Promela
 * condition over NEW and LISTED, and the listed patch's replaceable flag
 * REPLACEABLE), must carry every state of it at no lower version when
 * `mustCarry` holds, may never lower a state it carries, and replaces it
 * when `takes` holds.
 */
function carryRule(
  semantics: Semantics,
  conforms: string,
  { refuses, mustCarry, takes }: { readonly refuses?: string; readonly mustCarry: string; readonly takes: string },
  { title, setsOf }: Pick<PromelaRule, 'title' | 'setsOf'> = {},
): PromelaRule {
  return {
    semantics,
    ...(title ? { title } : {}),
    conforms,
    ...(setsOf ? { setsOf } : {}),
    loadOk: `  ok = 1;
${eachListed(
  `${
    refuses
      ? `if :: ${refuses} -> ok = 0 :: else fi;
`
      : ''
  }${eachStateId(`if
:: ${version(LISTED)} != 0 && ${mustCarry} && ${version(NEW)} < ${version(LISTED)} -> ok = 0 /* it drops or lowers a state it must carry */
:: ${version(LISTED)} != 0 && ${version(NEW)} != 0 && ${version(NEW)} < ${version(LISTED)} -> ok = 0 /* it lowers one */
:: else
fi`)}`,
)}`,
    replaces: eachListed(`if :: ${takes} -> rep[nrep] = klp[r]; nrep++ :: else fi`),
  };
}

/**
 * Upstream (facts B.1, C.2, Documentation/livepatch/system-state.rst;
 * model/semantics/upstream.ts): a replace patch replaces every patch on
 * klp_patches and must carry every live state at no lower version, no patch
 * may lower a version it carries; any patch may be disabled.
 */
const UPSTREAM = carryRule(
  upstream,
  'upstream breaks it from two patches on',
  { mustCarry: `drep[${NEW}]`, takes: `drep[${NEW}]` },
  { title: 'The upstream livepatch replace semantics' },
);

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

/** Where a semantics' lockstep first breaks conformance at explore's default scope (README, whole spaces: shortest violations; bench/results.json packed_default_scope). */
const breaksIn = (steps: number) => `it breaks it in ${steps} steps at patches=2,functions=2,states=1,tasks=2`;

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
   if :: ${SHARES} -> ok = 0 :: else fi;
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
  conforms: breaksIn(3),
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
  setFamilyRule(replaceSetsPositional, 'replace_sets, positional reading', replaceSetsOf, listsOwnSet, breaksIn(6)),
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
    breaksIn(6),
  ),
  setFamilyRule(
    providesObsoletes,
    'provides + obsoletes',
    (a) => [a.provides ?? 0, ...(a.obsoletes ?? []), ...(a.also_obsoletes ?? [])],
    listsOwnSet,
    breaksIn(6),
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
  return carryRule(
    semantics,
    conforms,
    { refuses: `!(${sameTag}) && ${SHARES}`, mustCarry: takesOver, takes: takesOver },
    { title, setsOf: (d) => [tagOf(d.attrs ?? {})] },
  );
}

const REPLACE_TAG = tagRule(replaceTagSong, "replace tag, Song Liu's rule", true, breaksIn(7));

/**
 * The replace tag as first posted (seed 000_2d55233d1d974b9b.txt, Yafang
 * Shao's draft, 2026-04-07; model/semantics/replace-tag-draft.ts): its spec
 * model is Song Liu's rule, which the draft set out to implement, so its
 * model is replace-tag's; only its lockstep breaks conformance, where the
 * draft's kernel falls short of the rule.
 */
const REPLACE_TAG_DRAFT: PromelaRule = {
  ...REPLACE_TAG,
  semantics: replaceTagDraft,
  title: "replace tag as first posted, spec level (Song Liu's rule, which the draft's kernel falls short of)",
  conforms: breaksIn(2),
};

const TAGS = [REPLACE_TAG, REPLACE_TAG_DRAFT, tagRule(replaceTagStrict, "replace tag, Song Liu's rule, tag 0 no tag", false, NEVER_BREAKS)];

/**
 * Promela: the listed patch's replaceable flag as it is now, written by
 * set_attr since its load (the model's wr, which it holds for a semantics
 * with the writable flag: SpecRule.writableAttrs).
 */
const REPLACEABLE = 'wr[klp[r]]';

/**
 * Petr Mladek's two conflicts (seed 003_3f95dad9b56cb0c5.txt, 2025-02-07;
 * model/semantics/rules.ts conflicts): shared, a function in common;
 * partial, a function in common and not every function of the listed patch.
 */
const conflict = (def: ConflictDefinition) => (def === 'shared' ? SHARES : `${SHARES} && (dfuncs[${LISTED}] & ~dfuncs[${NEW}]) != 0`);

/**
 * Hybrid mode (facts F.1, Yafang Shao, 2025-01-27; model/semantics/
 * hybrid.ts): a replace patch replaces the patches whose replaceable flag is
 * set when it loads, and carries every live state, as upstream's does.
 */
const HYBRID = carryRule(
  hybrid,
  breaksIn(4),
  { mustCarry: `drep[${NEW}]`, takes: `drep[${NEW}] && ${REPLACEABLE}` },
  { title: 'hybrid mode (a replace patch replaces the replaceable patches)' },
);

/**
 * Petr Mladek's three ideas to make hybrid mode safer, under each of his
 * conflicts (seed 003_3f95dad9b56cb0c5.txt, 2025-02-07; model/semantics/
 * hybrid-safer.ts): gated, hybrid mode where a replace patch that conflicts
 * with a patch not replaceable is refused; auto, every patch replaces the
 * patches it conflicts with and carries their states; listed, a patch
 * replaces the patches it names in `replaces` (bit k of dsets for p<k>) and
 * carries their states, and a conflict with one it does not name refuses it.
 */
const gated = (semantics: Semantics, def: ConflictDefinition): PromelaRule =>
  carryRule(semantics, breaksIn(5), {
    refuses: `drep[${NEW}] && ${conflict(def)} && !${REPLACEABLE}`,
    mustCarry: `drep[${NEW}]`,
    takes: `drep[${NEW}] && ${REPLACEABLE}`,
  });
const auto = (semantics: Semantics, def: ConflictDefinition, conforms: string): PromelaRule =>
  carryRule(semantics, conforms, { mustCarry: `(${conflict(def)})`, takes: `(${conflict(def)})` });
const NAMES_LISTED = `((dsets[${NEW}] >> klp[r]) & 1)`;
const listed = (semantics: Semantics, def: ConflictDefinition): PromelaRule =>
  carryRule(
    semantics,
    breaksIn(6),
    { refuses: `!${NAMES_LISTED} && ${conflict(def)}`, mustCarry: NAMES_LISTED, takes: NAMES_LISTED },
    { setsOf: (d) => (d.attrs?.replaces ?? []).map(patchNumber) },
  );

/** The number k of patch p<k>, as the explorer names the patches it defines (harness/explore/candidates.ts). */
function patchNumber(name: string): number {
  const m = /^p([1-9][0-9]*)$/.exec(name);
  if (!m) throw new Error(`promela: a patch named ${JSON.stringify(name)} in replaces is not one of p1, p2, ...`);
  return Number(m[1]);
}

const HYBRIDS = [
  HYBRID,
  gated(hybridGatedShared, 'shared'),
  gated(hybridGatedPartial, 'partial'),
  auto(hybridAutoShared, 'shared', NEVER_BREAKS),
  auto(hybridAutoPartial, 'partial', breaksIn(8)),
  listed(hybridListedShared, 'shared'),
  listed(hybridListedPartial, 'partial'),
];

/**
 * Atomic replace with Petr Mladek's per-state rules (seed 004_7e5a7d514636d047.txt,
 * 2023-11-10; facts C.3, C.4, 2025-01-15; model/semantics/per-state.ts):
 * versions are gone; a replace patch replaces every patch on klp_patches and
 * is refused when it drops a block_disable state of one, and a patch with a
 * block_disable state cannot be disabled. The model's core keeps the shadow
 * variables and frees an is_shadow state's with it (dst, dsh, dbd: a row's
 * state ids, those with is_shadow, those with block_disable).
 */
const PER_STATE: PromelaRule = {
  semantics: perState,
  conforms: breaksIn(6),
  loadOk: `  ok = 1;
${eachListed(`if :: drep[${NEW}] && (dbd[${LISTED}] & ~dst[${NEW}]) != 0 -> ok = 0 /* it drops a block_disable state */ :: else fi`)}`,
  replaces: UPSTREAM.replaces,
  blocksDisable: 'dbd[pdef[k]] != 0',
};

/** The semantics `klpcheck promela` writes, by name. */
export const PROMELA_RULES: ReadonlyMap<string, PromelaRule> = new Map(
  [UPSTREAM, STACKING, REPLACE_SET, REPLACE_SET_UNFILTERED_NOPS, ...REPLACE_SETS, ...SLOTS, ...TAGS, ...HYBRIDS, PER_STATE].map((r) => [
    r.semantics.name,
    r,
  ]),
);

/**
 * The rule of the semantics named `name` (PROMELA_RULES). Every semantics of
 * the registry is written in Promela; a proposal added without a rule (README,
 * "Adding a proposal") is refused: E_USAGE, naming the ones written.
 */
export function promelaRule(name: string): PromelaRule {
  const rule = PROMELA_RULES.get(name);
  if (!rule)
    throw new KlpcheckError('E_USAGE', `${name} is not written in Promela yet: promela writes ${[...PROMELA_RULES.keys()].join(', ')}`);
  return rule;
}
