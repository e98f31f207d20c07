/**
 * callback-pairing (properties/callback-pairing.ts) over the packed kernel:
 * an invariant that remembers. Its memory is the callback phase of each
 * (patch, object) and, under per-state rules, of each state id: closed, pre
 * (a pre callback ran, a post callback is due) or post (post_patch ran;
 * pre_unpatch comes next). It is kept in the lockstep state, one byte per
 * patch (the vmlinux object's phase in bits 0-1, the target module's in bits
 * 2-3), then for per-state one byte of the state ids' phases (id 1 in bits
 * 0-1, ...), and written at the end of the key, as the explorer appends the
 * checkers' memory to its key: two states that differ only in it are two states.
 *
 * The rule, as the catalog's checker has it: pre_patch only when closed
 * (it returns 0 here: the generated patches' callbacks, object and state
 * ones, never fail), post_patch only after pre, pre_unpatch only after post,
 * post_unpatch never when closed; a state id whose series is open must not
 * disappear from klp_patches (its post_unpatch is due); a freed patch's
 * object phases are forgotten (a replaced patch never gets its unpatch
 * callbacks, and a reloaded module starts afresh). The catalog's extra
 * refusal of a state's pre_patch while an active patch has the id needs an
 * open phase too, so the phase rule covers it. On a violation the checker
 * stops at the bad callback, as the catalog's returns there: the callbacks
 * after it, and the rest, are not done.
 */
import { CallbackCode, PatchStatusCode } from './codes.ts';
import type { KernelSnapshot } from './kernel-snapshot.ts';
import { STATE_CALLBACK, type KernelStepEvents } from './kernel.ts';
import { patchName } from '../candidates.ts';

/** A (patch, object)'s or a state id's phase, two bits. */
const CLOSED = 0;
const PRE = 1;
const POST = 2;

const PHASE_NAMES = ['closed', 'pre', 'post'] as const;
/** An object byte's name in the catalog checker's memory (model/kernel/runtime.ts object names). */
const OBJECT_NAMES = ['vmlinux', 'mod'] as const;

export class PackedCallbackPairing {
  /** How many bytes of memory a state keeps: one a patch, and one for the state ids' phases when there are any. */
  readonly bytes: number;

  /**
   * @param at where a state's memory bytes begin (patch k's at at + k - 1, the state ids' at at + patches)
   * @param states how many state ids have callbacks (the scope's, under per-state rules; else 0)
   */
  constructor(
    private readonly patches: number,
    private readonly at: number,
    private readonly states = 0,
  ) {
    this.bytes = patches + (states ? 1 : 0);
  }

  /** Applies the step's callbacks to the memory in `x` (the state after the step); true on a violation. */
  violated(x: Uint8Array, events: KernelStepEvents, after: KernelSnapshot): boolean {
    const cbs = events.callbacks;
    const stateAt = this.at + this.patches;
    for (let i = 0; i < 3 * events.count; i += 3) {
      const code = cbs[i + 2]!;
      const state = code >= STATE_CALLBACK;
      // A state id's phase is in the state byte; an object's in its patch's byte.
      const at = state ? stateAt : this.at + cbs[i]! - 1;
      const shift = 2 * (state ? cbs[i + 1]! - 1 : cbs[i + 1]!);
      const phase = (x[at]! >>> shift) & 3;
      let next: number;
      switch (state ? code - STATE_CALLBACK : code) {
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
    for (let id = 1; id <= this.states; id++) if ((x[stateAt]! >>> (2 * (id - 1))) & 3 && !(after.states & (1 << (id - 1)))) return true;
    for (let k = 1; k <= this.patches; k++) if (after.status[k] === PatchStatusCode.Freed) x[this.at + k - 1] = 0;
    return false;
  }

  /** The memory at s[at..] (a state's, by default) as the catalog checker's memory() writes it: `p1/vmlinux=post p2/mod=pre 1=pre`, objects sorted, then state ids. */
  text(s: Uint8Array, at = this.at): string {
    const open: string[] = [];
    for (let k = 1; k <= this.patches; k++)
      for (let o = 0; o < 2; o++) {
        const phase = (s[at + k - 1]! >>> (2 * o)) & 3;
        if (phase !== CLOSED) open.push(`${patchName(k)}/${OBJECT_NAMES[o]}=${PHASE_NAMES[phase]}`);
      }
    open.sort();
    for (let id = 1; id <= this.states; id++) {
      const phase = (s[at + this.patches]! >>> (2 * (id - 1))) & 3;
      if (phase !== CLOSED) open.push(`${id}=${PHASE_NAMES[phase]}`);
    }
    return open.join(' ');
  }
}
