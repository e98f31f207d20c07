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
  mayDisable: 'klp[nklp - 1] == k',
};

/** The semantics `klpcheck promela` writes, by name. */
export const PROMELA_RULES: ReadonlyMap<string, PromelaRule> = new Map([UPSTREAM, STACKING].map((r) => [r.semantics.name, r]));
