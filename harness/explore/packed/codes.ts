/**
 * The numbers the packed models write for what both sides of a lockstep
 * state share, so that conformance compares them as they are: a task's
 * transition state and the code it runs (the keys' encodings,
 * model/spec/pack.ts and model/kernel/pack.ts), a patch's status in the
 * abstract state (model/spec/abstract-state.ts) and an op's errno.
 */

/** A task's transition state as the keys write it: patch_state + 1 (KLP_TRANSITION_IDLE -1, UNPATCHED 0, PATCHED 1). */
export const IDLE = 0;
export const UNPATCHED = 1;
export const PATCHED = 2;

/** Code a task runs or sleeps in (model/spec/pack.ts codeIndex): the original, absent (its module is not loaded), 1 + k for patch pk's. */
export const ORIGINAL = 0;
export const ABSENT = 1;

/** A patch's status in the abstract state, as a number. */
export const PatchStatusCode = { Freed: 0, Enabled: 1, Patching: 2, Unpatching: 3, Stale: 4 } as const;

/** Errnos the packed models' ops return, as numbers (0 for success): the outcomes the explored ops can have. */
export const PackedErrno = { EAGAIN: 11, EBUSY: 16, EINVAL: 22 } as const;

/** An object callback (model/kernel/log.ts CallbackName), as the packed kernel records it. */
export const CallbackCode = { PrePatch: 0, PostPatch: 1, PreUnpatch: 2, PostUnpatch: 3 } as const;

/**
 * Removes patch number `k` from the list of patch numbers at s[at] whose
 * length is s[countAt] (klp_patches, the load order), keeping the others'
 * order and zeroing the freed tail, as the keys expect.
 */
export function removeFromList(s: Uint8Array, countAt: number, at: number, k: number): void {
  let y = 0;
  const n = s[countAt]!;
  for (let j = 0; j < n; j++) {
    const v = s[at + j]!;
    if (v !== k) s[at + y++] = v;
  }
  s.fill(0, at + y, at + n);
  s[countAt] = y;
}
