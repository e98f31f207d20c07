/**
 * A packed kernel state as the catalog's invariants read it: the packed
 * counterpart of the abstract state that model/spec/observe.ts makes of the
 * object kernel (each loaded patch's status, place on klp_patches and forced
 * flag; each task's transition state; the code each task runs in each
 * function; the live state ids and shadow variables), read once into flat arrays so that the invariants, which
 * compare a step's before and after, do not ask the kernel twice.
 */
import { PatchStatusCode } from './codes.ts';
import type { DefinitionNode } from './definition-tree.ts';
import type { PackedKernel } from './kernel.ts';

/** A patch's status when its module is not loaded (observe.ts lists only loaded modules). */
export const NOT_LOADED = 0xff;

export class KernelSnapshot {
  /** Per patch k = 1..P (index 0 unused): its PatchStatusCode, or NOT_LOADED. */
  readonly status: Uint8Array;
  /** Per patch: its place on klp_patches, 1-based, 0 when it is not there. */
  readonly order: Uint8Array;
  /** Per patch: 1 when forced. */
  readonly forced: Uint8Array;
  /** The loaded patches' writable attribute values, 4 bits a patch (replace-rules.ts; 0 for a patch not loaded). */
  attrBits = 0;
  /** Per task t: its patch_state + 1 (codes.ts IDLE, UNPATCHED, PATCHED). */
  readonly taskState: Uint8Array;
  /** The code task t runs in function byte f (1..NF) at [t * NF + f - 1]: codes.ts ORIGINAL, ABSENT, or 1 + k for pk's. */
  readonly code: Uint8Array;
  /** The state ids of the patches on klp_patches, bit id - 1. */
  states = 0;
  /** The live shadow variables <1, id>, bit id - 1. */
  shadows = 0;

  constructor(
    private readonly kernel: PackedKernel,
    readonly patches: number,
    readonly tasks: number,
    /** Function slots: vmlinux f1..fF, then mod:m1. */
    readonly functions: number,
  ) {
    this.status = new Uint8Array(patches + 1);
    this.order = new Uint8Array(patches + 1);
    this.forced = new Uint8Array(patches + 1);
    this.taskState = new Uint8Array(tasks);
    this.code = new Uint8Array(tasks * functions);
  }

  /** Reads the kernel part of state `s`, whose patches have the definitions of `node`. */
  read(s: Uint8Array, node: DefinitionNode): this {
    const k = this.kernel;
    for (let p = 1; p <= this.patches; p++) {
      const loaded = k.patchLoaded(s, p);
      this.status[p] = loaded ? k.patchStatus(s, p) : NOT_LOADED;
      this.order[p] = loaded ? k.patchOrder(s, p) : 0;
      this.forced[p] = loaded && k.patchForced(s, p) ? 1 : 0;
    }
    this.attrBits = k.attrBits(s);
    this.states = k.liveStates(s, node);
    this.shadows = k.shadowBits(s);
    const NF = this.functions;
    for (let t = 0; t < this.tasks; t++) {
      this.taskState[t] = k.taskByte(s, t, 0);
      for (let f = 1; f <= NF; f++) this.code[t * NF + f - 1] = k.runs(s, t, f);
    }
    return this;
  }

  /** Whether patch k is in a transition (patching or unpatching). */
  inTransition(k: number): boolean {
    const st = this.status[k];
    return st === PatchStatusCode.Patching || st === PatchStatusCode.Unpatching;
  }
}
