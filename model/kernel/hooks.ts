/**
 * The points where replace proposals differ inside the livepatch core. A
 * semantics (model/semantics/) supplies one ReplaceHooks; the rest of
 * model/kernel is shared. Each hook names the kernel function it stands for.
 */
import type { Errno } from './errno.ts';
import type { KPatch } from './runtime.ts';

/** How states are checked and which callbacks they have (facts C.2 versus C.3/C.4). */
export type StateRules = 'versions' | 'per-state';

export interface ReplaceHooks {
  readonly stateRules: StateRules;

  /**
   * klp_is_patch_compatible (facts B.1 step 7): false refuses the load with
   * "not compatible" and -EINVAL. `active` is klp_patches in list order.
   */
  isCompatible(active: readonly KPatch[], incoming: KPatch): boolean;

  /** klp_add_nops (facts B.1 step 10.2): the old patches whose funcs the new patch covers with nops. */
  nopSources(active: readonly KPatch[], incoming: KPatch): readonly KPatch[];

  /**
   * klp_unpatch_replaced_patches and klp_free_replaced_patches_async (facts
   * B.2): the patches before `incoming` on klp_patches that its completed
   * patching transition unpatches and frees. The per-state *_replaced helpers
   * (facts C.3) walk the same patches.
   */
  replaced(active: readonly KPatch[], incoming: KPatch): readonly KPatch[];

  /**
   * klp_force_transition with target PATCHED (facts B.2): the patches marked
   * forced. Upstream marks every other patch on klp_patches, not only the
   * ones before the transition patch.
   */
  forcedByForce(active: readonly KPatch[], transition: KPatch): readonly KPatch[];

  /** __klp_disable_patch: an extra refusal, e.g. the stacking rule's -EBUSY (seed 002). */
  disableRefusal(active: readonly KPatch[], patch: KPatch): Errno | null;

  /** The read-only sysfs files that show the replace attributes (upstream: `replace`, facts A). */
  sysfsAttrs(patch: KPatch): Readonly<Record<string, string>>;

  /** Sysfs attributes a semantics adds that can be written (hybrid mode's `replaceable`). */
  readonly writableAttrs: readonly string[];
}
