/**
 * klp_state handling: the two compatibility rules (upstream versions, facts
 * C.2; Petr Mladek's block_disable, facts C.4) and the per-state callbacks
 * with the automatic shadow-variable free (facts C.3, Petr Mladek's v1 series
 * 20250115082431.5550-1-pmladek@suse.com).
 */
import { runShadowDtor, runStateCallback } from './callbacks.ts';
import type { KernelCore } from './core.ts';
import type { KPatch, KState } from './runtime.ts';

/**
 * klp_is_patch_compatible upstream (facts C.2): a state of an old patch that
 * the new patch lacks is allowed only when the new patch does not replace; a
 * state it carries needs a version at least as high.
 */
export function versionsCompatible(olds: readonly KPatch[], incoming: KPatch, replacing: boolean): boolean {
  return olds.every((old) =>
    old.states.every((s) => {
      const n = incoming.states.find((x) => x.id === s.id);
      if (!n) return !replacing;
      return (n.def.version ?? 0) >= (s.def.version ?? 0);
    }),
  );
}

/**
 * The per-state rule (facts C.4): only a replacing patch is checked, and it
 * may drop a state unless that state has block_disable.
 */
export function blockDisableCompatible(replaced: readonly KPatch[], incoming: KPatch): boolean {
  return replaced.every((old) =>
    old.states.every((s) => !s.def.block_disable || incoming.states.some((x) => x.id === s.id)),
  );
}

/** is_state_in_other_patches: any other patch on klp_patches has the id (facts C.3). */
function inOtherPatches(k: KernelCore, state: KState): boolean {
  return k.klp_patches.some((p) => p !== state.patch && p.states.some((s) => s.id === state.id));
}

/** True when the patch has a state with block_disable (facts C.4). */
export function blocksDisable(patch: KPatch): boolean {
  return patch.states.some((s) => s.def.block_disable === true);
}

/** klp_states_pre_patch: returns the first failure; the failing state stays !pre_patch_succeeded. */
export function statesPrePatch(k: KernelCore, patch: KPatch): number {
  for (const s of patch.states) {
    if (!inOtherPatches(k, s)) {
      const ret = runStateCallback(k, s, 'pre_patch');
      if (ret) return ret;
    }
    s.pre_patch_succeeded = true;
  }
  return 0;
}

/** klp_states_pre_unpatch_replaced: the states a replace drops get the old patch's pre_unpatch. */
export function statesPreUnpatchReplaced(k: KernelCore, replaced: readonly KPatch[]): void {
  for (const old of replaced) {
    for (const s of old.states) {
      if (inOtherPatches(k, s)) continue;
      runStateCallback(k, s, 'pre_unpatch');
      s.pre_unpatch_done = true;
    }
  }
}

export function statesPreUnpatch(k: KernelCore, patch: KPatch): void {
  for (const s of patch.states) if (!inOtherPatches(k, s)) runStateCallback(k, s, 'pre_unpatch');
}

export function statesPostPatch(k: KernelCore, patch: KPatch): void {
  for (const s of patch.states) if (!inOtherPatches(k, s)) runStateCallback(k, s, 'post_patch');
}

/** klp_states_post_patch_replaced: a reverted replace gives the old states back (facts C.3). */
export function statesPostPatchReplaced(k: KernelCore, replaced: readonly KPatch[]): void {
  for (const old of replaced) {
    for (const s of old.states) {
      if (!s.pre_unpatch_done) continue;
      s.pre_unpatch_done = false;
      runStateCallback(k, s, 'post_patch');
    }
  }
}

/** post_unpatch plus, for is_shadow, klp_shadow_free_all(id, shadow_dtor); only after pre_patch succeeded. */
function removeState(k: KernelCore, s: KState): void {
  if (inOtherPatches(k, s) || !s.pre_patch_succeeded) return;
  runStateCallback(k, s, 'post_unpatch');
  if (s.def.is_shadow) k.shadow.freeAll(s.id, 'core', (obj, data) => runShadowDtor(k, s, obj, data));
  s.pre_patch_succeeded = false;
}

export function statesPostUnpatchReplaced(k: KernelCore, replaced: readonly KPatch[]): void {
  for (const old of replaced) for (const s of old.states) removeState(k, s);
}

export function statesPostUnpatch(k: KernelCore, patch: KPatch): void {
  for (const s of patch.states) removeState(k, s);
}
