/**
 * What each semantics written in Promela decides differently, as Promela text
 * written again from its rule (not generated from klpcheck's spec model):
 * the load verdict and when a disable may start. The rest of the model
 * (promela/model.ts) is the livepatch core's, which the semantics share: the
 * transition, reverse, force, module load and removal.
 */
import type { Semantics } from '../model/semantics/semantics.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { replaceSet } from '../model/semantics/replace-set.ts';

/** One semantics in Promela. */
export interface PromelaRule {
  /** The semantics whose patch definitions the model's tables hold (harness/explore/candidates.ts newPatchDefs). */
  readonly semantics: Semantics;
  /** What the model's header says it is. */
  readonly title: string;
  /** Where the semantics never breaks conformance, so that Spin's count is explore's plus one (the model's header). */
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
  /** A Promela condition: patch k, registered, enabled and not in a transition, may start to be disabled (else -EBUSY); none: always. */
  readonly mayDisable?: string;
}

/**
 * Upstream (facts B.1, C.2, Documentation/livepatch/system-state.rst;
 * model/semantics/upstream.ts): a replace patch must carry every live state
 * at no lower version, no patch may lower a version it carries; any patch may
 * be disabled.
 */
const UPSTREAM: PromelaRule = {
  semantics: upstream,
  title: 'The upstream livepatch replace semantics',
  conforms: 'with one patch',
  loadOk: `  ok = 1; r = 0;
  do
  :: r < nklp ->
     x = 1;
     do
     :: x <= S ->
        if
        :: dver[pdef[klp[r]] * (S + 1) + x] != 0 ->
           if
           :: dver[pdef[k] * (S + 1) + x] == 0 && drep[pdef[k]] -> ok = 0
           :: dver[pdef[k] * (S + 1) + x] != 0 && dver[pdef[k] * (S + 1) + x] < dver[pdef[klp[r]] * (S + 1) + x] -> ok = 0
           :: else
           fi
        :: else
        fi;
        x++
     :: else -> break
     od;
     r++
  :: else -> break
  od`,
  // A replace patch replaces every patch on klp_patches (facts B.1); another replaces none.
  replaces: `  if
  :: drep[pdef[k]] -> nrep = nklp; r = 0; do :: r < nklp -> rep[r] = klp[r]; r++ :: else -> break od
  :: else
  fi`,
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
  conforms: 'at any scope the tests explore',
  loadOk: '  ok = 1',
  replaces: '  skip',
  mayDisable: 'klp[nklp - 1] == k',
};

/**
 * replace_set (seed 000_2d55233d1d974b9b.txt, Petr Mladek, 2026-04-07; facts
 * F.3, Yafang Shao's v2, 2026-05-29; model/semantics/replace-set.ts and
 * set-family.ts): every patch replaces the patches of its own set; a patch
 * that shares a function or a state id with a patch of another set is
 * refused (-EINVAL), and it carries every state of its own set's patches at
 * no lower version.
 */
const REPLACE_SET: PromelaRule = {
  semantics: replaceSet,
  title: 'replace_set (every patch replaces its own set; no function or state id shared across sets)',
  conforms: 'at any scope the tests explore',
  loadOk: `  ok = 1; r = 0;
  do
  :: r < nklp ->
     if
     :: dset[pdef[klp[r]]] != dset[pdef[k]] ->
        /* another set: no function and no state id in common */
        if :: (dfuncs[pdef[klp[r]]] & dfuncs[pdef[k]]) != 0 -> ok = 0 :: else fi;
        x = 1;
        do
        :: x <= S ->
           if :: dver[pdef[klp[r]] * (S + 1) + x] != 0 && dver[pdef[k] * (S + 1) + x] != 0 -> ok = 0 :: else fi;
           x++
        :: else -> break
        od
     :: else ->
        /* its own set: every state carried, at no lower version */
        x = 1;
        do
        :: x <= S ->
           if :: dver[pdef[k] * (S + 1) + x] < dver[pdef[klp[r]] * (S + 1) + x] -> ok = 0 :: else fi;
           x++
        :: else -> break
        od
     fi;
     r++
  :: else -> break
  od`,
  replaces: `  r = 0;
  do
  :: r < nklp -> if :: dset[pdef[klp[r]]] == dset[pdef[k]] -> rep[nrep] = klp[r]; nrep++ :: else fi; r++
  :: else -> break
  od`,
};

/** The semantics `klpcheck promela` writes, by name. */
export const PROMELA_RULES: ReadonlyMap<string, PromelaRule> = new Map([UPSTREAM, STACKING, REPLACE_SET].map((r) => [r.semantics.name, r]));
