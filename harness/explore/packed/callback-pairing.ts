/**
 * callback-pairing (properties/callback-pairing.ts) over the packed kernel:
 * the one catalog invariant that remembers. Its memory is the callback
 * phase of each (patch, object): closed, pre (a pre callback ran, a post
 * callback is due) or post (post_patch ran; pre_unpatch comes next). It is
 * kept in the lockstep state, one byte per patch (the vmlinux object's phase
 * in bits 0-1, the target module's in bits 2-3), and written at the end of
 * the key, as the explorer appends the checkers' memory to its key: two
 * states that differ only in it are two states.
 *
 * The rule, as the catalog's checker has it: pre_patch only when closed
 * (it returns 0 here: the generated patches' callbacks never fail),
 * post_patch only after pre, pre_unpatch only after post, post_unpatch
 * never when closed; a freed patch's phases are forgotten (a replaced patch
 * never gets its unpatch callbacks, and a reloaded module starts afresh).
 * Upstream's states carry versions, not callbacks, so the state-id half of
 * the catalog's checker has nothing to see here. On a violation the
 * checker stops at the bad callback, as the catalog's returns there: the
 * callbacks after it, and the forgetting, are not done.
 */
import { CallbackCode, PatchStatusCode } from './codes.ts';
import type { KernelSnapshot } from './kernel-snapshot.ts';
import type { KernelStepEvents } from './kernel.ts';
import { patchName } from '../candidates.ts';

/** A (patch, object)'s phase, two bits. */
const CLOSED = 0;
const PRE = 1;
const POST = 2;

const PHASE_NAMES = ['closed', 'pre', 'post'] as const;
/** An object byte's name in the catalog checker's memory (model/kernel/runtime.ts object names). */
const OBJECT_NAMES = ['vmlinux', 'mod'] as const;

export class PackedCallbackPairing {
  /**
   * @param at where a state's P memory bytes begin (patch k's at at + k - 1)
   */
  constructor(
    private readonly patches: number,
    private readonly at: number,
  ) {}

  /** Applies the step's callbacks to the memory in `x` (the state after the step); true on a violation. */
  violated(x: Uint8Array, events: KernelStepEvents, after: KernelSnapshot): boolean {
    const cbs = events.callbacks;
    for (let i = 0; i < 3 * events.count; i += 3) {
      const at = this.at + cbs[i]! - 1;
      const shift = 2 * cbs[i + 1]!;
      const phase = (x[at]! >>> shift) & 3;
      let next: number;
      switch (cbs[i + 2]) {
        case CallbackCode.PrePatch:
          if (phase !== CLOSED) return true;
          next = PRE;
          break;
        case CallbackCode.PostPatch:
          if (phase !== PRE) return true;
          next = POST;
          break;
        case CallbackCode.PreUnpatch:
          if (phase !== POST) return true;
          next = PRE;
          break;
        default:
          if (phase === CLOSED) return true;
          next = CLOSED;
      }
      x[at] = (x[at]! & ~(3 << shift)) | (next << shift);
    }
    for (let k = 1; k <= this.patches; k++) if (after.status[k] === PatchStatusCode.Freed) x[this.at + k - 1] = 0;
    return false;
  }

  /** The memory at s[at..] (a state's, by default) as the catalog checker's memory() writes it: `p1/vmlinux=post p2/mod=pre`, sorted. */
  text(s: Uint8Array, at = this.at): string {
    const open: string[] = [];
    for (let k = 1; k <= this.patches; k++)
      for (let o = 0; o < 2; o++) {
        const phase = (s[at + k - 1]! >>> (2 * o)) & 3;
        if (phase !== CLOSED) open.push(`${patchName(k)}/${OBJECT_NAMES[o]}=${PHASE_NAMES[phase]}`);
      }
    return open.sort().join(' ');
  }
}
