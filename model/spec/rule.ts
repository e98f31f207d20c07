/**
 * What a semantics promises at the spec level, independent of how the
 * kernel's hooks implement it: whether a load is refused and whom it
 * replaces, whether a disable is refused, and whose fixes a patch may take
 * away (its declared intent, used by the no-lost-fix invariant).
 */
import type { Errno } from '../kernel/errno.ts';
import type { PatchDef } from '../kernel/definitions.ts';

export type LoadVerdict = { readonly refuse: string } | { readonly replaces: readonly string[] };

export interface SpecRule {
  /** `active`: klp_patches in list order, before the incoming patch. */
  load(active: readonly PatchDef[], incoming: PatchDef): LoadVerdict;
  disable(active: readonly PatchDef[], patch: PatchDef): { readonly errno: Errno; readonly reason: string } | null;
  /** True when `incoming` declares that it takes over `old`'s fixes (same slot, or named). */
  authorizes(incoming: PatchDef, old: PatchDef): boolean;
  /**
   * Per-state semantics (facts C.3, C.4): a patch with a block_disable state
   * cannot be disabled, and an is_shadow state's shadow variables die with it.
   */
  readonly perState: boolean;
  /**
   * Boolean attributes the admin may write in sysfs (hybrid mode's
   * replaceable, facts F.1). The rule sees their current values in `attrs`.
   */
  readonly writableAttrs?: readonly string[];
}

export const stateIds = (p: PatchDef): number[] => (p.states ?? []).map((s) => s.id);
