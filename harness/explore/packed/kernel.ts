/**
 * The kernel over packed bytes: the packed engine's second part (issue 11).
 * It is a second statement of the reference implementation (model/kernel/:
 * loader.ts, enable.ts, func-stack.ts, transition.ts, module-notifier.ts,
 * sysfs.ts, states.ts, shadow.ts) for the explorer's universes, where a semantics' hooks
 * (isCompatible, nopSources, replaced, forcedByForce, disableRefusal) are
 * asked of its own code (replace-rules.ts), written over a fixed-layout
 * region of a state's bytes. Its key is the kernel part of the explorer's
 * lockstep key, byte for byte (model/kernel/pack.ts):
 *
 *   task columns [patch_state + 1, pending, blocked function, blocked code]
 *   shared      [func_stacks][target module][each patch: flags, objects,
 *                funcs, states][klp_patches][transition][target + 1]
 *                [shadow variables: count, then <1, id> each][taint, ftrace]
 *
 * so test/packed-kernel.test.ts checks it successor for successor against
 * the explorer's own Expander over the object kernel.
 *
 * What the explorer's universes leave out, and so does this: object
 * callbacks that fail or touch state (the generated patches' "demo"
 * callbacks only print, and pre_patch returns 0: model/kernel/callbacks.ts),
 * symbol tables (every name resolves once: symbols.ts), kprobes and a
 * disabled ftrace (patching never fails: func-stack.ts patchFunc), kernel
 * threads, running tasks and interruptible sleeps (the task model,
 * taskModel=1, which DefinitionTree refuses), state callbacks that fail or
 * allocate (the explorer's per-state states have the 'trace' callbacks,
 * which only print and return 0), and shadow variables of objects other
 * than 1 (the explorer's shadow ops name obj 1 only: candidates.ts), so the
 * shadow table is a bit per state id. Without interruptible sleepers the fake signal wakes
 * nobody, so the retry counter is not kept (model/kernel/pack.ts).
 *
 * Per-state semantics (hooks.stateRules 'per-state', facts C.3, C.4; Petr
 * Mladek, 2025-01-15) add what states.ts does: per-state callbacks when a
 * state id appears or disappears, each patch's states' pre_patch_succeeded
 * and pre_unpatch_done, the is_shadow states' klp_shadow_free_all, and
 * block_disable's refusal of a disable. Under other semantics those bytes
 * stay 0 and the key writes them as the object kernel does (no flags, no
 * shadow variables).
 *
 * The layout, from `base`: NF = F + 1 function slots (vmlinux f1..fF, then
 * mod:m1), numbered by the function byte 1..NF of definition-tree.ts.
 *
 *   STK   per function: entry count, then up to P patch numbers, head first
 *   MOD   the target module: 0 absent, 2 loaded and klp_alive
 *   TAINT 1 once a livepatch module has tainted the kernel
 *   KLPN, KLP[P]   klp_patches
 *   TRN   klp_transition_patch (0 none); TGT klp_target_state + 1
 *   SHD   the shadow variables: bit id - 1 for <1, id>
 *   KTS[T], KTP[T], KTF[T], KTC[T]   each task's patch_state + 1, TIF_PATCH_PENDING,
 *         the function it sleeps in (0 none) and the code it sleeps in
 *   per patch k: flags, object count, 2 objects of
 *         [name, flags, func count, NF x (function byte, flags)], then its
 *         states' flags, 2 bits an id (id 1 lowest): bits(pre_patch_succeeded, pre_unpatch_done)
 *
 * A func_stack entry is a patch number: a patch has at most one func per
 * function (klp_find_func), so the patch names the entry, and the entry's
 * nop and transition flags are that func's.
 */
import { ABSENT, CallbackCode, IDLE, ORIGINAL, PackedErrno, PATCHED, PatchStatusCode, removeFromList, UNPATCHED } from './codes.ts';
import { PackedOp, type CompiledSteps, type DefinitionNode, type DefinitionTree } from './definition-tree.ts';
import type { ExploreScope } from '../scope.ts';
import type { PackedReplaceRules } from './replace-rules.ts';

/** A patch's flags; the key writes 2 + bits(registered && enabled, forced, registered) for a loaded one. */
const EN = 1;
const FORCED = 2;
const REG = 4;
const LOADED = 8;
/** Writable attribute i's value (KPatch.writable; hybrid mode's replaceable) is bit ATTR_SHIFT + i. */
const ATTR_SHIFT = 4;

/** An object's flags, as the key writes them: bits(dynamic, loaded, patched, post_unpatch_enabled). */
const O_DYNAMIC = 1;
const O_LOADED = 2;
const O_PATCHED = 4;
const O_POST_UNPATCH = 8;

/** A func's flags, as the key writes them: bits(nop, patched, transition, hasNewFunc). */
const F_NOP = 1;
const F_PATCHED = 2;
const F_TRANSITION = 4;
const F_NEW_FUNC = 8;

/** An object's name byte, as the key writes it: vmlinux 0, a module 1 + its place (the one target module). */
const VMLINUX = 0;
const MODULE = 1;

/** The target module's byte: 1 + klp_alive when loaded (it is alive from its coming notifier until it goes). */
const MOD_ALIVE = 2;

/** A state's flags, as the key writes them: bits(pre_patch_succeeded, pre_unpatch_done). */
const PRE_PATCH_SUCCEEDED = 1;
const PRE_UNPATCH_DONE = 2;

/** The bytes a stack entry's func writes: bits(nop, transition). */
const stackBits = (fl: number) => (fl & F_NOP) | ((fl & F_TRANSITION) >>> 1);

/** The offsets of the kernel's fields in a state, from `base` (the file's comment); `end` is where its bytes end. */
function layout(scope: ExploreScope, base: number) {
  const { patches: P, tasks: T } = scope;
  const NF = scope.functions + 1;
  const STK = base;
  const MOD = STK + NF * (P + 1);
  const TAINT = MOD + 1;
  const KLPN = TAINT + 1;
  const KLP = KLPN + 1;
  const TRN = KLP + P;
  const TGT = TRN + 1;
  const SHD = TGT + 1;
  const KTS = SHD + 1;
  const KTP = KTS + T;
  const KTF = KTP + T;
  const KTC = KTF + T;
  const PB = KTC + T;
  const OS = 3 + 2 * NF;
  const PS = 3 + 2 * OS;
  return { STK, MOD, TAINT, KLPN, KLP, TRN, TGT, SHD, KTS, KTP, KTF, KTC, PB, OS, PS, end: PB + P * PS };
}

/** A task's column in a key: patch_state + 1, TIF_PATCH_PENDING, the function and the code it sleeps in (writeTask). */
export const KERNEL_TASK_BYTES = 4;

/** A callback record's code for a per-state callback: STATE_CALLBACK + its CallbackCode (object callbacks have the code alone). */
export const STATE_CALLBACK = 4;

/** A shadow event's code (log.ts shadow_alloc, and shadow_free with its `by`). */
export const ShadowEvent = { Alloc: 0, FreeByCode: 1, FreeByCore: 2 } as const;

/**
 * What the last `apply` did besides changing the state: the kernel events
 * (model/kernel/log.ts KernelEvent) that the catalog's invariants read. Only
 * the generated patches' own objects run callbacks (the "demo" ones, which
 * return 0); a dynamic object, made for nops, has none and logs nothing
 * (callbacks.ts runObjectCallback). A module's removal is not recorded: no
 * invariant reads it.
 */
export class KernelStepEvents {
  /** Bit t: task t switched (task_switch). */
  switched = 0;
  /** The core WARNed: the ftrace handler saw an idle task on a transition func, or a task was still pending at completion. */
  warned = false;
  /**
   * The callbacks that ran, in order, three bytes each: patch k, then for an
   * object callback its object byte (0 vmlinux, 1 the module) and CallbackCode,
   * for a per-state one (state_callback) the state id and STATE_CALLBACK + CallbackCode.
   */
  readonly callbacks: Uint8Array;
  /** How many callbacks ran. */
  count = 0;
  /** The shadow variables allocated and freed, in order, two bytes each: ShadowEvent, state id (the object is 1). */
  readonly shadows: Uint8Array;
  /** How many shadow events there were. */
  shadowCount = 0;

  constructor(patches: number, states = 0) {
    // At most two per object of each patch on a module's coming or going, and four for an insmod that completes;
    // per state id of each patch, two at an insmod (pre_patch, or a replaced one's pre_unpatch) and two at a completion.
    this.callbacks = new Uint8Array(3 * (4 * patches + 8 + 4 * patches * states));
    // One op's, or one per is_shadow state id a completion frees.
    this.shadows = new Uint8Array(2 * (states + 1));
  }

  /** Whether the last `apply` did nothing but change the state (or not even that): no switch, WARN, callback or shadow event. */
  none(): boolean {
    return !this.switched && !this.warned && !this.count && !this.shadowCount;
  }

  clear(): void {
    this.switched = 0;
    this.warned = false;
    this.count = 0;
    this.shadowCount = 0;
  }

  push(k: number, obj: number, cb: number): void {
    const i = 3 * this.count++;
    this.callbacks[i] = k;
    this.callbacks[i + 1] = obj;
    this.callbacks[i + 2] = cb;
  }

  pushShadow(event: number, id: number): void {
    const i = 2 * this.shadowCount++;
    this.shadows[i] = event;
    this.shadows[i + 1] = id;
  }
}

export class PackedKernel {
  /** The kernel's bytes in a state. */
  readonly bytes: number;
  private readonly P: number;
  private readonly T: number;
  private readonly S: number;
  private readonly NF: number;
  /** How many writable attributes a patch has (SpecRule.writableAttrs). */
  private readonly NA: number;
  private readonly STK: number;
  private readonly MOD: number;
  private readonly TAINT: number;
  private readonly KLPN: number;
  private readonly KLP: number;
  private readonly TRN: number;
  private readonly TGT: number;
  private readonly SHD: number;
  private readonly KTS: number;
  private readonly KTP: number;
  private readonly KTF: number;
  private readonly KTC: number;
  private readonly PB: number;
  /** Bytes of a patch's block and of one of its objects. */
  private readonly PS: number;
  private readonly OS: number;
  /** The patches a completing transition replaced (klp_unpatch_replaced_patches), reused. */
  private readonly replaced: Uint8Array;
  /** Whether the semantics has Petr Mladek's per-state rules (hooks.stateRules; transition.ts perState). */
  private readonly perState: boolean;
  /** The last `apply`'s events. */
  readonly events: KernelStepEvents;

  /** The kernel's bytes in a state of `scope` (the layout above, laid out from 0). */
  static bytesFor(scope: ExploreScope): number {
    return layout(scope, 0).end;
  }

  /** The kernel part of states whose bytes from `base` are its (the spec model's come first). */
  constructor(
    private readonly tree: DefinitionTree,
    private readonly rules: PackedReplaceRules,
    base: number,
  ) {
    const { patches: P, tasks: T, states: S, functions: F } = tree.scope;
    this.P = P;
    this.T = T;
    this.S = S;
    this.NF = F + 1;
    this.NA = (tree.semantics.spec.writableAttrs ?? []).length;
    const o = layout(tree.scope, base);
    [this.STK, this.MOD, this.TAINT, this.KLPN, this.KLP, this.TRN, this.TGT] = [o.STK, o.MOD, o.TAINT, o.KLPN, o.KLP, o.TRN, o.TGT];
    [this.SHD, this.KTS, this.KTP, this.KTF, this.KTC, this.PB, this.OS, this.PS] = [o.SHD, o.KTS, o.KTP, o.KTF, o.KTC, o.PB, o.OS, o.PS];
    this.bytes = o.end - base;
    this.replaced = new Uint8Array(P);
    this.perState = tree.semantics.hooks.stateRules === 'per-state';
    // A patch's state flags are one byte, 2 bits an id.
    if (S > 4) throw new Error('packed: more than 4 state ids');
    this.events = new KernelStepEvents(P, S);
  }

  /**
   * Applies successor `pos` of `steps` to the kernel in `s`, in place; `node`
   * is the state's node after the step (for an InsmodNew, the new patch's).
   * Returns the op's errno, 0 for success (applyToKernel's outcome); what
   * else it did is in `events`.
   */
  apply(s: Uint8Array, node: DefinitionNode, steps: CompiledSteps, pos: number): number {
    const a = steps.arg[pos]!;
    this.events.clear();
    switch (steps.op[pos]) {
      case PackedOp.InsmodPatch:
        return this.insmod(s, node, a);
      case PackedOp.InsmodNew:
        return this.insmod(s, node, node.defPos.length);
      case PackedOp.InsmodModule:
        this.moduleComing(s);
        return 0;
      case PackedOp.RmmodModule:
        this.moduleGoing(s);
        return 0;
      case PackedOp.RmmodPatch:
        return this.rmmodPatch(s, a);
      case PackedOp.Disable:
        return this.writeEnabled(s, node, a, false);
      case PackedOp.Enable:
        return this.writeEnabled(s, node, a, true);
      case PackedOp.Force:
        return this.force(s, node, a);
      case PackedOp.TransitionStep:
        this.tryComplete(s, node);
        return 0;
      case PackedOp.BlockTask: {
        const f = steps.func[pos]!;
        const code = this.runs(s, a, f);
        if (code === ABSENT) return PackedErrno.EAGAIN;
        // The ftrace handler's WARN (func-stack.ts runningCode): an idle task on a func in transition.
        const at = this.stackAt(f);
        if (s[at] && s[this.KTS + a] === IDLE && s[this.funcIn(s, s[at + 1]!, f) + 1]! & F_TRANSITION) this.events.warned = true;
        s[this.KTF + a] = f;
        s[this.KTC + a] = code;
        return 0;
      }
      case PackedOp.UnblockTask:
        s[this.KTF + a] = 0;
        s[this.KTC + a] = 0;
        return 0;
      case PackedOp.TaskReturn:
        this.updatePatchState(s, a);
        return 0;
      case PackedOp.SetAttr:
        return this.writeAttr(s, a, steps.func[pos]! >>> 1, steps.func[pos]! & 1);
      case PackedOp.ShadowAlloc: {
        // klp_shadow_get_or_alloc (ops.ts): an existing variable is returned, with no event.
        const id = steps.func[pos]!;
        if (s[this.SHD]! & (1 << (id - 1))) return 0;
        s[this.SHD]! |= 1 << (id - 1);
        this.events.pushShadow(ShadowEvent.Alloc, id);
        return 0;
      }
      case PackedOp.ShadowFree:
        this.freeShadow(s, steps.func[pos]!, ShadowEvent.FreeByCode);
        return 0;
      default:
        throw new Error(`packed: op ${steps.op[pos]} at position ${pos}`);
    }
  }

  /**
   * Whether the explorer tries successor `pos` of `steps` on the kernel in
   * `s`: expand.ts pointless (a module loaded twice or removed unloaded, a
   * sysfs file that does not exist) and ops.ts applicable, answered as
   * harness/kernel-preconditions.ts answers them.
   */
  applicable(s: Uint8Array, steps: CompiledSteps, pos: number): boolean {
    const a = steps.arg[pos]!;
    switch (steps.op[pos]) {
      case PackedOp.InsmodPatch:
        return !(s[this.patchAt(a)]! & LOADED);
      case PackedOp.InsmodNew:
        return true;
      case PackedOp.InsmodModule:
        return !s[this.MOD];
      case PackedOp.RmmodModule:
        if (!s[this.MOD]) return false;
        for (let t = 0; t < this.T; t++) if (s[this.KTF + t] === this.NF) return false;
        return true;
      case PackedOp.RmmodPatch:
        return (s[this.patchAt(a)]! & LOADED) !== 0;
      case PackedOp.Disable:
      case PackedOp.Enable:
      case PackedOp.Force:
      case PackedOp.SetAttr:
        return (s[this.patchAt(a)]! & REG) !== 0;
      case PackedOp.TransitionStep:
        return s[this.TRN] !== 0;
      case PackedOp.BlockTask:
        return !s[this.KTF + a] && this.objectAlive(s, this.objectOf(steps.func[pos]!));
      case PackedOp.UnblockTask:
        return s[this.KTF + a] !== 0;
      case PackedOp.TaskReturn:
        return !s[this.KTF + a] && s[this.TRN] !== 0;
      case PackedOp.ShadowAlloc:
      case PackedOp.ShadowFree:
        // ops.ts declares: the patch is on klp_patches (the op names one of its own state ids: candidates.ts).
        return this.patchOrder(s, a) !== 0;
      default:
        throw new Error(`packed: op ${steps.op[pos]} at position ${pos}`);
    }
  }

  // ---- what conformance compares (model/spec/observe.ts) ----

  patchLoaded(s: Uint8Array, k: number): boolean {
    return (s[this.patchAt(k)]! & LOADED) !== 0;
  }

  /** Loaded patch pk's status (PatchStatusCode): freed, in transition, enabled and listed, or stale. */
  patchStatus(s: Uint8Array, k: number): number {
    const fl = s[this.patchAt(k)]!;
    if (!(fl & REG)) return PatchStatusCode.Freed;
    if (s[this.TRN] === k) return s[this.TGT] === PATCHED ? PatchStatusCode.Patching : PatchStatusCode.Unpatching;
    return fl & EN && this.patchOrder(s, k) ? PatchStatusCode.Enabled : PatchStatusCode.Stale;
  }

  /** Patch pk's place on klp_patches, 1-based; 0 when it is not there. */
  patchOrder(s: Uint8Array, k: number): number {
    for (let j = 0; j < s[this.KLPN]!; j++) if (s[this.KLP + j] === k) return j + 1;
    return 0;
  }

  patchForced(s: Uint8Array, k: number): boolean {
    return (s[this.patchAt(k)]! & FORCED) !== 0;
  }

  /** Task t's [patch_state + 1, function it sleeps in, code it sleeps in]. */
  taskByte(s: Uint8Array, t: number, field: 0 | 1 | 2): number {
    return s[(field === 0 ? this.KTS : field === 1 ? this.KTF : this.KTC) + t]!;
  }

  moduleLoaded(s: Uint8Array): boolean {
    return s[this.MOD] !== 0;
  }

  /** The live shadow variables <1, id>, bit id - 1. */
  shadowBits(s: Uint8Array): number {
    return s[this.SHD]!;
  }

  /** The state ids of the patches on klp_patches (observe.ts states), bit id - 1. */
  liveStates(s: Uint8Array, node: DefinitionNode): number {
    let ids = 0;
    for (let j = 0; j < s[this.KLPN]!; j++) ids |= this.tree.states[node.rows[s[this.KLP + j]!]!]!;
    return ids;
  }

  // ---- the key ----

  /** Task t's kernel column as one number, ordered as the key orders columns. */
  column(s: Uint8Array, t: number): number {
    return (s[this.KTS + t]! << 24) | (s[this.KTP + t]! << 16) | (s[this.KTF + t]! << 8) | s[this.KTC + t]!;
  }

  /** Writes task t's column at out[i]; returns the length so far. */
  writeTask(s: Uint8Array, t: number, out: Uint8Array, i: number): number {
    out[i++] = s[this.KTS + t]!;
    out[i++] = s[this.KTP + t]!;
    out[i++] = s[this.KTF + t]!;
    out[i++] = s[this.KTC + t]!;
    return i;
  }

  /** Reads task t's column at key[i] into `w`; returns where it ends. */
  readTask(key: Uint8Array, i: number, t: number, w: Uint8Array): number {
    w[this.KTS + t] = key[i++]!;
    w[this.KTP + t] = key[i++]!;
    w[this.KTF + t] = key[i++]!;
    w[this.KTC + t] = key[i++]!;
    return i;
  }

  /** Puts task `from` of `x` at place `to` of `w`. */
  moveTask(w: Uint8Array, to: number, x: Uint8Array, from: number): void {
    w[this.KTS + to] = x[this.KTS + from]!;
    w[this.KTP + to] = x[this.KTP + from]!;
    w[this.KTF + to] = x[this.KTF + from]!;
    w[this.KTC + to] = x[this.KTC + from]!;
  }

  /** Writes everything but the tasks (packKernelShared's order) at out[i]; returns the length so far. */
  writeShared(s: Uint8Array, node: DefinitionNode, out: Uint8Array, i: number): number {
    const P = this.P;
    for (let f = 1; f <= this.NF; f++) {
      const at = this.stackAt(f);
      const n = s[at]!;
      out[i++] = n === 0 ? 255 : n;
      for (let j = 1; j <= n; j++) {
        const k = (out[i++] = s[at + j]!);
        out[i++] = stackBits(s[this.funcIn(s, k, f) + 1]!);
      }
    }
    out[i++] = s[this.MOD]!;
    for (let k = 1; k <= P; k++) {
      const pb = this.patchAt(k);
      const fl = s[pb]!;
      if (!(fl & LOADED)) {
        out[i++] = 0;
        continue;
      }
      out[i++] = 2 + (fl & REG ? (fl & EN) | REG : 0) + (fl & FORCED);
      for (let a = 0; a < this.NA; a++) out[i++] = 1 + ((fl >>> (ATTR_SHIFT + a)) & 1);
      if (!(fl & REG)) continue;
      const nobjs = (out[i++] = s[pb + 1]!);
      for (let o = 0; o < nobjs; o++) {
        const ob = this.objAt(k, o);
        out[i++] = s[ob]!;
        out[i++] = s[ob + 1]!;
        const nf = (out[i++] = s[ob + 2]!);
        for (let j = 0; j < nf; j++) {
          out[i++] = s[ob + 3 + 2 * j]! - 1;
          out[i++] = s[ob + 4 + 2 * j]!;
        }
      }
      // Its states: the definition's ids, ascending, with their per-state flags (0 under other rules).
      const ids = this.tree.states[node.rows[k]!]!;
      const sf = s[this.stateFlagsAt(k)]!;
      const countAt = i++;
      out[countAt] = 0;
      for (let id = 1; id <= this.S; id++) {
        if (!(ids & (1 << (id - 1)))) continue;
        out[countAt]!++;
        out[i++] = id;
        out[i++] = (sf >>> (2 * (id - 1))) & 3;
      }
    }
    const nklp = (out[i++] = s[this.KLPN]!);
    for (let j = 0; j < nklp; j++) out[i++] = s[this.KLP + j]!;
    out[i++] = s[this.TRN]!;
    out[i++] = s[this.TGT]!;
    // The shadow variables sorted by <obj, id>: all of object 1, so by id.
    const shd = s[this.SHD]!;
    const countAt = i++;
    out[countAt] = 0;
    for (let id = 1; shd && id <= this.S; id++) {
      if (!(shd & (1 << (id - 1)))) continue;
      out[countAt]!++;
      out[i++] = 1;
      out[i++] = id;
    }
    out[i++] = s[this.TAINT]! | 2;
    return i;
  }

  /** Reads what writeShared wrote at key[i] into `w` (its kernel bytes zeroed); returns where it ends. */
  readShared(key: Uint8Array, i: number, w: Uint8Array): number {
    const P = this.P;
    for (let f = 1; f <= this.NF; f++) {
      const at = this.stackAt(f);
      const b = key[i++]!;
      if (b === 255) continue;
      w[at] = b;
      for (let j = 1; j <= b; j++, i++) w[at + j] = key[i++]!;
    }
    w[this.MOD] = key[i++]!;
    for (let k = 1; k <= P; k++) {
      const pb = this.patchAt(k);
      const b = key[i++]!;
      if (b === 0) continue;
      const bits = b - 2;
      w[pb] = LOADED | (bits & (EN | FORCED | REG));
      for (let a = 0; a < this.NA; a++) w[pb]! |= (key[i++]! - 1) << (ATTR_SHIFT + a);
      if (!(bits & REG)) continue;
      const nobjs = (w[pb + 1] = key[i++]!);
      for (let o = 0; o < nobjs; o++) {
        const ob = this.objAt(k, o);
        w[ob] = key[i++]!;
        w[ob + 1] = key[i++]!;
        const nf = (w[ob + 2] = key[i++]!);
        for (let j = 0; j < nf; j++) {
          w[ob + 3 + 2 * j] = key[i++]! + 1;
          w[ob + 4 + 2 * j] = key[i++]!;
        }
      }
      const sf = this.stateFlagsAt(k);
      for (let n = key[i++]!; n > 0; n--, i += 2) w[sf]! |= key[i + 1]! << (2 * (key[i]! - 1));
    }
    const nklp = (w[this.KLPN] = key[i++]!);
    for (let j = 0; j < nklp; j++) w[this.KLP + j] = key[i++]!;
    w[this.TRN] = key[i++]!;
    w[this.TGT] = key[i++]!;
    for (let n = key[i++]!; n > 0; n--, i += 2) {
      if (key[i] !== 1) throw new Error('packed: a shadow variable of an object other than 1');
      w[this.SHD]! |= 1 << (key[i + 1]! - 1);
    }
    w[this.TAINT] = key[i++]! & 1;
    return i;
  }

  // ---- the records ----

  private stackAt(f: number): number {
    return this.STK + (f - 1) * (this.P + 1);
  }

  private patchAt(k: number): number {
    return this.PB + (k - 1) * this.PS;
  }

  private objAt(k: number, o: number): number {
    return this.patchAt(k) + 2 + o * this.OS;
  }

  /** Patch k's states' flags byte (after its two objects). */
  private stateFlagsAt(k: number): number {
    return this.patchAt(k) + 2 + 2 * this.OS;
  }

  /** The object byte of a function: mod:m1 is the target module's, the rest vmlinux's. */
  private objectOf(f: number): number {
    return f === this.NF ? MODULE : VMLINUX;
  }

  /** Patch k's object `name`: its offset, or -1. */
  private findObj(s: Uint8Array, k: number, name: number): number {
    const n = s[this.patchAt(k) + 1]!;
    for (let o = 0; o < n; o++) if (s[this.objAt(k, o)] === name) return this.objAt(k, o);
    return -1;
  }

  /** Where object `ob` has function f (its function byte; the flags follow), or -1. */
  private funcAt(s: Uint8Array, ob: number, f: number): number {
    const n = s[ob + 2]!;
    for (let j = 0; j < n; j++) if (s[ob + 3 + 2 * j] === f) return ob + 3 + 2 * j;
    return -1;
  }

  /** Patch k's func for function f, or -1. */
  private funcIn(s: Uint8Array, k: number, f: number): number {
    const ob = this.findObj(s, k, this.objectOf(f));
    return ob < 0 ? -1 : this.funcAt(s, ob, f);
  }

  /** Appends an object to patch k; returns its offset. */
  private addObj(s: Uint8Array, k: number, name: number, flags: number): number {
    const pb = this.patchAt(k);
    const ob = this.objAt(k, s[pb + 1]!++);
    s[ob] = name;
    s[ob + 1] = flags;
    s[ob + 2] = 0;
    return ob;
  }

  private addFunc(s: Uint8Array, ob: number, f: number, flags: number): void {
    const at = ob + 3 + 2 * s[ob + 2]!++;
    s[at] = f;
    s[at + 1] = flags;
  }

  /** The code patch k's func at `fa` redirects to: a nop's is the original (facts A). */
  private code(s: Uint8Array, k: number, fa: number): number {
    return s[fa + 1]! & F_NOP ? ORIGINAL : 1 + k;
  }

  /** Records object `ob` of patch k running a callback: only the patch's own objects have them (KernelStepEvents). */
  private callback(s: Uint8Array, k: number, ob: number, cb: number): void {
    if (!(s[ob + 1]! & O_DYNAMIC)) this.events.push(k, s[ob]!, cb);
  }

  private objectAlive(s: Uint8Array, name: number): boolean {
    return name === VMLINUX || s[this.MOD] === MOD_ALIVE;
  }

  // ---- func_stacks (func-stack.ts) ----

  /** klp_patch_object: every func pushed on its stack's head (patching never fails here). */
  private patchObject(s: Uint8Array, k: number, ob: number): void {
    const n = s[ob + 2]!;
    for (let j = 0; j < n; j++) {
      const fa = ob + 3 + 2 * j;
      const at = this.stackAt(s[fa]!);
      const c = s[at]!;
      s.copyWithin(at + 2, at + 1, at + 1 + c);
      s[at + 1] = k;
      s[at] = c + 1;
      s[fa + 1]! |= F_PATCHED;
    }
    s[ob + 1]! |= O_PATCHED;
  }

  /** __klp_unpatch_object: every func, or with nopsOnly the nops; each leaves its stack wherever it is. */
  private unpatchObject(s: Uint8Array, k: number, ob: number, nopsOnly: boolean): void {
    const n = s[ob + 2]!;
    for (let j = 0; j < n; j++) {
      const fa = ob + 3 + 2 * j;
      if (nopsOnly && !(s[fa + 1]! & F_NOP)) continue;
      if (!(s[fa + 1]! & F_PATCHED)) continue;
      const at = this.stackAt(s[fa]!);
      const c = s[at]!;
      for (let e = 1; e <= c; e++) {
        if (s[at + e] !== k) continue;
        s.copyWithin(at + e, at + e + 1, at + 1 + c);
        s[at + c] = 0;
        s[at] = c - 1;
        break;
      }
      s[fa + 1]! &= ~F_PATCHED;
    }
    if (s[ob + 1]! & O_DYNAMIC || !nopsOnly) s[ob + 1]! &= ~O_PATCHED;
  }

  /**
   * The code task t runs in function f, as the ftrace handler picks it
   * (func-stack.ts runningCode): the head, or for an unpatched task in its
   * transition the next entry. Conformance reads it too (observing: the WARN
   * is an event, not a state, and is not kept here).
   */
  runs(s: Uint8Array, t: number, f: number): number {
    const at = this.stackAt(f);
    const n = s[at]!;
    if (n === 0) return this.objectAlive(s, this.objectOf(f)) ? ORIGINAL : ABSENT;
    let k = s[at + 1]!;
    let fa = this.funcIn(s, k, f);
    // An idle task in a transition is a kernel WARN (an event, not a state); it runs the head.
    if (s[fa + 1]! & F_TRANSITION && s[this.KTS + t] === UNPATCHED) {
      if (n < 2) return ORIGINAL;
      k = s[at + 2]!;
      fa = this.funcIn(s, k, f);
    }
    return this.code(s, k, fa);
  }

  // ---- the transition (transition.ts) ----

  private initTransition(s: Uint8Array, k: number, target: number): void {
    s[this.TRN] = k;
    s[this.TGT] = target;
    s.fill(target === PATCHED ? UNPATCHED : PATCHED, this.KTS, this.KTS + this.T);
    this.markTransition(s, k, F_TRANSITION);
  }

  /** Sets (flag) or clears (0) every func's transition flag of patch k. */
  private markTransition(s: Uint8Array, k: number, flag: number): void {
    const nobjs = s[this.patchAt(k) + 1]!;
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      for (let j = 0; j < s[ob + 2]!; j++) {
        const fl = ob + 4 + 2 * j;
        s[fl] = (s[fl]! & ~F_TRANSITION) | flag;
      }
    }
  }

  /** klp_start_transition: TIF_PATCH_PENDING on every task not at the target. */
  private startTransition(s: Uint8Array): void {
    const target = s[this.TGT]!;
    for (let t = 0; t < this.T; t++) if (s[this.KTS + t] !== target) s[this.KTP + t] = 1;
  }

  /** klp_check_stack_func: task t sleeps in a function of the transition patch, in the code it would stop using. */
  private stackBlocksSwitch(s: Uint8Array, t: number): boolean {
    const f = s[this.KTF + t]!;
    if (!f) return false;
    const k = s[this.TRN]!;
    const nobjs = s[this.patchAt(k) + 1]!;
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      if (!(s[ob + 1]! & O_PATCHED)) continue;
      const fa = this.funcAt(s, ob, f);
      if (fa < 0) continue;
      let forbidden: number;
      if (s[this.TGT] === UNPATCHED) forbidden = this.code(s, k, fa);
      else {
        const at = this.stackAt(f);
        const n = s[at]!;
        let e = 0;
        while (e < n && s[at + 1 + e] !== k) e++;
        // stack.indexOf(func) + 1, where a func not on the stack (-1) gives the head.
        const below = e < n ? e + 1 : 0;
        forbidden = n <= 1 || below >= n ? ORIGINAL : this.code(s, s[at + 1 + below]!, this.funcIn(s, s[at + 1 + below]!, f));
      }
      if (forbidden === s[this.KTC + t]) return true;
    }
    return false;
  }

  /** klp_update_patch_state: a pending task switches itself, with no stack check. */
  private updatePatchState(s: Uint8Array, t: number): void {
    if (!s[this.KTP + t]) return;
    s[this.KTP + t] = 0;
    s[this.KTS + t] = s[this.TGT]!;
    this.events.switched |= 1 << t;
  }

  /** klp_try_complete_transition: one retry (the fake signal wakes nobody here: no interruptible sleeper). */
  private tryComplete(s: Uint8Array, node: DefinitionNode): void {
    const k = s[this.TRN]!;
    if (!k) return;
    const target = s[this.TGT]!;
    let complete = true;
    for (let t = 0; t < this.T; t++) {
      if (s[this.KTS + t] === target) continue;
      if (this.stackBlocksSwitch(s, t)) complete = false;
      else {
        s[this.KTP + t] = 0;
        s[this.KTS + t] = target;
        this.events.switched |= 1 << t;
      }
    }
    if (!complete) return;
    const nrep = this.completeTransition(s, node);
    if (!(s[this.patchAt(k)]! & EN)) this.free(s, k);
    else for (let j = 0; j < nrep; j++) this.free(s, this.replaced[j]!);
  }

  /** klp_complete_transition; returns how many patches it replaced (this.replaced). */
  private completeTransition(s: Uint8Array, node: DefinitionNode): number {
    const k = s[this.TRN]!;
    const patched = s[this.TGT] === PATCHED;
    let nrep = 0;
    // The hook's replaced(): among the patches before the transition patch on klp_patches.
    let before = 0;
    while (before < s[this.KLPN]! && s[this.KLP + before] !== k) before++;
    const mask = this.rules.replaced(node, k, s, this.KLP, before, this.attrBits(s));
    for (let j = 0; j < before; j++) if (mask & (1 << (s[this.KLP + j]! - 1))) this.replaced[nrep++] = s[this.KLP + j]!;
    if (patched) {
      for (let j = 0; j < nrep; j++) {
        const old = this.replaced[j]!;
        s[this.patchAt(old)]! &= ~EN;
        this.unpatchAll(s, old);
      }
      this.discardNops(s, k);
      // klp_states_post_unpatch_replaced.
      if (this.perState) for (let j = 0; j < nrep; j++) this.removeStates(s, node, this.replaced[j]!);
    } else this.unpatchAll(s, k);
    this.markTransition(s, k, 0);
    for (let t = 0; t < this.T; t++) if (s[this.KTP + t]) this.events.warned = true;
    s.fill(0, this.KTP, this.KTP + this.T);
    s.fill(IDLE, this.KTS, this.KTS + this.T);
    if (this.perState) {
      if (patched) this.stateCallbacks(s, node, k, CallbackCode.PostPatch);
      else {
        // klp_states_post_patch_replaced: a reverted replace gives the old states back.
        for (let j = 0; j < nrep; j++) this.statesPostPatchReplaced(s, this.replaced[j]!);
        this.removeStates(s, node, k);
      }
    }
    const nobjs = s[this.patchAt(k) + 1]!;
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      if (!(s[ob + 1]! & O_LOADED)) continue;
      if (patched) this.callback(s, k, ob, CallbackCode.PostPatch);
      else if (s[ob + 1]! & O_POST_UNPATCH) {
        this.callback(s, k, ob, CallbackCode.PostUnpatch);
        s[ob + 1]! &= ~O_POST_UNPATCH;
      }
    }
    s[this.TGT] = IDLE;
    s[this.TRN] = 0;
    return patched ? nrep : 0;
  }

  private unpatchAll(s: Uint8Array, k: number): void {
    const nobjs = s[this.patchAt(k) + 1]!;
    for (let o = 0; o < nobjs; o++) this.unpatchObject(s, k, this.objAt(k, o), false);
  }

  /** klp_discard_nops: unpatch the nops, then drop them and the dynamic objects, the rest keeping their order. */
  private discardNops(s: Uint8Array, k: number): void {
    const pb = this.patchAt(k);
    const nobjs = s[pb + 1]!;
    for (let o = 0; o < nobjs; o++) this.unpatchObject(s, k, this.objAt(k, o), true);
    let kept = 0;
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      if (s[ob + 1]! & O_DYNAMIC) continue;
      const n = s[ob + 2]!;
      let y = 0;
      for (let j = 0; j < n; j++) {
        const fa = ob + 3 + 2 * j;
        if (s[fa + 1]! & F_NOP) continue;
        s[ob + 3 + 2 * y] = s[fa]!;
        s[ob + 4 + 2 * y++] = s[fa + 1]!;
      }
      s.fill(0, ob + 3 + 2 * y, ob + 3 + 2 * n);
      s[ob + 2] = y;
      if (kept !== o) s.copyWithin(this.objAt(k, kept), ob, ob + this.OS);
      kept++;
    }
    s.fill(0, this.objAt(k, kept), this.stateFlagsAt(k));
    s[pb + 1] = kept;
  }

  /** klp_free_patch_async: off klp_patches, sysfs gone; the module stays until rmmod. */
  private free(s: Uint8Array, k: number): void {
    removeFromList(s, this.KLPN, this.KLP, k);
    s[this.patchAt(k)]! &= ~REG;
  }

  /** klp_reverse_transition. */
  private reverse(s: Uint8Array, k: number): void {
    s.fill(0, this.KTP, this.KTP + this.T);
    s[this.patchAt(k)]! ^= EN;
    s[this.TGT] = s[this.TGT] === PATCHED ? UNPATCHED : PATCHED;
    this.startTransition(s);
  }

  // ---- klp_state under per-state rules (states.ts; facts C.3, C.4, Petr Mladek, 2025-01-15) ----

  /** is_state_in_other_patches: a patch on klp_patches other than pk declares state `id`. */
  private inOtherPatches(s: Uint8Array, node: DefinitionNode, k: number, id: number): boolean {
    for (let j = 0; j < s[this.KLPN]!; j++) {
      const q = s[this.KLP + j]!;
      if (q !== k && this.statesOf(node, q) & (1 << (id - 1))) return true;
    }
    return false;
  }

  /** Patch pk's state ids, bit id - 1. */
  private statesOf(node: DefinitionNode, k: number): number {
    return this.tree.states[node.rows[k]!]!;
  }

  /** Records patch pk's state `id` running callback `cb` (callbacks.ts runStateCallback: 'trace' prints and returns 0). */
  private stateCallback(k: number, id: number, cb: number): void {
    this.events.push(k, id, STATE_CALLBACK + cb);
  }

  /** klp_states_post_patch and klp_states_pre_unpatch: callback `cb` of each of pk's states that no other patch has. */
  private stateCallbacks(s: Uint8Array, node: DefinitionNode, k: number, cb: number): void {
    const ids = this.statesOf(node, k);
    for (let id = 1; id <= this.S; id++) if (ids & (1 << (id - 1)) && !this.inOtherPatches(s, node, k, id)) this.stateCallback(k, id, cb);
  }

  /**
   * klp_states_pre_patch of patch pk (its pre_patch returns 0: every state's
   * pre_patch_succeeded), then klp_states_pre_unpatch_replaced: the states
   * of the patches it will replace that no other patch has get their pre_unpatch.
   */
  private statesPrePatch(s: Uint8Array, node: DefinitionNode, k: number): void {
    const ids = this.statesOf(node, k);
    const sf = this.stateFlagsAt(k);
    for (let id = 1; id <= this.S; id++) {
      if (!(ids & (1 << (id - 1)))) continue;
      if (!this.inOtherPatches(s, node, k, id)) this.stateCallback(k, id, CallbackCode.PrePatch);
      s[sf]! |= PRE_PATCH_SUCCEEDED << (2 * (id - 1));
    }
    // The hook's replaced(), among the patches before pk on klp_patches (pk is the last).
    const mask = this.rules.replaced(node, k, s, this.KLP, s[this.KLPN]! - 1, this.attrBits(s));
    for (let j = 0; j < s[this.KLPN]! - 1; j++) {
      const old = s[this.KLP + j]!;
      if (!(mask & (1 << (old - 1)))) continue;
      const oldIds = this.statesOf(node, old);
      for (let id = 1; id <= this.S; id++) {
        if (!(oldIds & (1 << (id - 1))) || this.inOtherPatches(s, node, old, id)) continue;
        this.stateCallback(old, id, CallbackCode.PreUnpatch);
        s[this.stateFlagsAt(old)]! |= PRE_UNPATCH_DONE << (2 * (id - 1));
      }
    }
  }

  /** klp_states_post_patch_replaced for one replaced patch: post_patch again for each state whose pre_unpatch ran. */
  private statesPostPatchReplaced(s: Uint8Array, old: number): void {
    const sf = this.stateFlagsAt(old);
    for (let id = 1; id <= this.S; id++) {
      const bit = PRE_UNPATCH_DONE << (2 * (id - 1));
      if (!(s[sf]! & bit)) continue;
      s[sf]! &= ~bit;
      this.stateCallback(old, id, CallbackCode.PostPatch);
    }
  }

  /**
   * removeState of each of pk's states (klp_states_post_unpatch): unless
   * another patch has it or its pre_patch never succeeded, post_unpatch and,
   * for is_shadow, klp_shadow_free_all(id).
   */
  private removeStates(s: Uint8Array, node: DefinitionNode, k: number): void {
    const ids = this.statesOf(node, k);
    const shadowed = this.tree.shadowStates[node.rows[k]!]!;
    const sf = this.stateFlagsAt(k);
    for (let id = 1; id <= this.S; id++) {
      const succeeded = PRE_PATCH_SUCCEEDED << (2 * (id - 1));
      if (!(ids & (1 << (id - 1))) || this.inOtherPatches(s, node, k, id) || !(s[sf]! & succeeded)) continue;
      this.stateCallback(k, id, CallbackCode.PostUnpatch);
      if (shadowed & (1 << (id - 1))) this.freeShadow(s, id, ShadowEvent.FreeByCore);
      s[sf]! &= ~succeeded;
    }
  }

  /** klp_shadow_free of <1, id> (or klp_shadow_free_all(id): object 1 is the only one), when it exists. */
  private freeShadow(s: Uint8Array, id: number, by: number): void {
    const bit = 1 << (id - 1);
    if (!(s[this.SHD]! & bit)) return;
    s[this.SHD]! &= ~bit;
    this.events.pushShadow(by, id);
  }

  // ---- the ops ----

  /** The loaded patches' writable attribute values, as replace-rules.ts takes them: 4 bits a patch (patches not loaded have none). */
  attrBits(s: Uint8Array): number {
    let bits = 0;
    for (let k = 1; k <= this.P; k++) bits |= ((s[this.patchAt(k)]! >>> ATTR_SHIFT) & 15) << (4 * (k - 1));
    return bits;
  }

  /** attr_store (sysfs.ts writeAttr) of `value` to writable attribute `a` of a registered patch pk: -EAGAIN while it is the transition patch. */
  private writeAttr(s: Uint8Array, k: number, a: number, value: number): number {
    if (s[this.TRN] === k) return PackedErrno.EAGAIN;
    const pb = this.patchAt(k);
    const bit = 1 << (ATTR_SHIFT + a);
    s[pb] = value ? s[pb]! | bit : s[pb]! & ~bit;
    return 0;
  }

  /** insmod of livepatch pk (loader.ts insmodLivepatch, enable.ts enablePatch). */
  private insmod(s: Uint8Array, node: DefinitionNode, k: number): number {
    s[this.TAINT] = 1;
    // klp_is_patch_compatible: the semantics' hook (upstream: every live state kept by a replace patch, none lowered).
    const loading = this.rules.asLoading(this.attrBits(s), node, k);
    if (!this.rules.compatible(node, k, s, this.KLP, s[this.KLPN]!, loading)) return PackedErrno.EINVAL;
    // __klp_enable_patch's -EBUSY: the patch was on klp_patches for a moment and is freed again, with the module.
    if (s[this.TRN]) return PackedErrno.EBUSY;
    const pb = this.patchAt(k);
    s.fill(0, pb, pb + this.PS);
    // klp_init_patch_early (enable.ts buildPatch): the writable attributes start as the definition has them.
    s[pb] = LOADED | REG | (this.tree.writableBits[node.rows[k]!]! << ATTR_SHIFT);
    // klp_init_patch_early: the definition's objects, vmlinux first, funcs in the order of the scope.
    const row = node.rows[k]!;
    const bits = this.tree.funcs[row]!;
    const vm = bits & ((1 << (this.NF - 1)) - 1);
    if (vm) {
      const ob = this.addObj(s, k, VMLINUX, 0);
      for (let f = 1; f < this.NF; f++) if (vm & (1 << (f - 1))) this.addFunc(s, ob, f, F_NEW_FUNC);
    }
    if (bits & (1 << (this.NF - 1))) this.addFunc(s, this.addObj(s, k, MODULE, 0), this.NF, F_NEW_FUNC);
    // The same question as klp_is_patch_compatible's above (replace-rules.ts Ask.Insmod), whose answer holds the nops' sources.
    this.addNops(s, k, this.rules.nopSources(node, k, s, this.KLP, s[this.KLPN]!, loading));
    // klp_init_object: an object is loaded when vmlinux or its module is alive.
    const nobjs = s[pb + 1]!;
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      if (this.objectAlive(s, s[ob]!)) s[ob + 1]! |= O_LOADED;
    }
    s[this.KLP + s[this.KLPN]!++] = k;
    this.initTransition(s, k, PATCHED);
    if (this.perState) this.statesPrePatch(s, node, k);
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      if (!(s[ob + 1]! & O_LOADED)) continue;
      // pre_patch returned 0, so post_unpatch will run.
      this.callback(s, k, ob, CallbackCode.PrePatch);
      s[ob + 1]! |= O_POST_UNPATCH;
      this.patchObject(s, k, ob);
    }
    this.startTransition(s);
    s[pb]! |= EN;
    this.tryComplete(s, node);
    return 0;
  }

  /** klp_add_nops: a nop for every func of the patches on klp_patches in `sources` (a mask) that pk does not patch, in dynamic objects where pk has none. */
  private addNops(s: Uint8Array, k: number, sources: number): void {
    for (let j = 0; j < s[this.KLPN]!; j++) {
      const old = s[this.KLP + j]!;
      if (!(sources & (1 << (old - 1)))) continue;
      const nobjs = s[this.patchAt(old) + 1]!;
      for (let o = 0; o < nobjs; o++) {
        const oldOb = this.objAt(old, o);
        const name = s[oldOb]!;
        let ob = this.findObj(s, k, name);
        if (ob < 0) ob = this.addObj(s, k, name, O_DYNAMIC);
        for (let i = 0; i < s[oldOb + 2]!; i++) {
          const f = s[oldOb + 3 + 2 * i]!;
          if (this.funcAt(s, ob, f) < 0) this.addFunc(s, ob, f, F_NOP | F_NEW_FUNC);
        }
      }
    }
  }

  /** enabled_store (sysfs.ts writeEnabled) on a registered patch. */
  private writeEnabled(s: Uint8Array, node: DefinitionNode, k: number, enable: boolean): number {
    const pb = this.patchAt(k);
    if (((s[pb]! & EN) !== 0) === enable) return PackedErrno.EINVAL;
    // A patch with a block_disable state cannot be disabled, not even by reversing its transition (facts C.4).
    if (!enable && this.perState && this.tree.blockDisable[node.rows[k]!]) return PackedErrno.EINVAL;
    if (s[this.TRN] === k) {
      this.reverse(s, k);
      return 0;
    }
    if (enable) return PackedErrno.EINVAL;
    // __klp_disable_patch.
    if (s[this.TRN]) return PackedErrno.EBUSY;
    const refusal = this.rules.disableRefusal(node, k, s, this.KLP, s[this.KLPN]!, this.attrBits(s));
    if (refusal) return refusal;
    this.initTransition(s, k, UNPATCHED);
    // klp_states_pre_unpatch.
    if (this.perState) this.stateCallbacks(s, node, k, CallbackCode.PreUnpatch);
    const nobjs = s[pb + 1]!;
    for (let o = 0; o < nobjs; o++) {
      const ob = this.objAt(k, o);
      if (s[ob + 1]! & O_PATCHED) this.callback(s, k, ob, CallbackCode.PreUnpatch);
    }
    this.startTransition(s);
    s[pb]! &= ~EN;
    this.tryComplete(s, node);
    return 0;
  }

  /** force_store with 1 (klp_force_transition): every pending task switches; what is left behind is marked forced. */
  private force(s: Uint8Array, node: DefinitionNode, k: number): number {
    if (s[this.TRN] !== k) return PackedErrno.EINVAL;
    for (let t = 0; t < this.T; t++) this.updatePatchState(s, t);
    if (s[this.TGT] === UNPATCHED) s[this.patchAt(k)]! |= FORCED;
    else {
      // The hook's forcedByForce, among the other patches on klp_patches (upstream: all of them, for a replace patch).
      const mask = this.rules.forcedByForce(node, k, s, this.KLP, s[this.KLPN]!, this.attrBits(s));
      for (let j = 0; j < s[this.KLPN]!; j++) if (mask & (1 << (s[this.KLP + j]! - 1))) s[this.patchAt(s[this.KLP + j]!)]! |= FORCED;
    }
    return 0;
  }

  /** rmmod of livepatch pk (loader.ts): refused while its patch is registered or forced; its module's bytes go. */
  private rmmodPatch(s: Uint8Array, k: number): number {
    if (s[this.patchAt(k)]! & (REG | FORCED)) return PackedErrno.EBUSY;
    s.fill(0, this.patchAt(k), this.patchAt(k) + this.PS);
    return 0;
  }

  /** insmod of the target module: klp_module_coming patches its object in every patch on klp_patches. */
  private moduleComing(s: Uint8Array): void {
    s[this.MOD] = MOD_ALIVE;
    for (let j = 0; j < s[this.KLPN]!; j++) {
      const k = s[this.KLP + j]!;
      const ob = this.findObj(s, k, MODULE);
      if (ob < 0) continue;
      this.callback(s, k, ob, CallbackCode.PrePatch);
      s[ob + 1]! |= O_LOADED | O_POST_UNPATCH;
      this.patchObject(s, k, ob);
      if (k !== s[this.TRN]) this.callback(s, k, ob, CallbackCode.PostPatch);
    }
  }

  /** rmmod of the target module: klp_module_going reverts its object in every patch on klp_patches. */
  private moduleGoing(s: Uint8Array): void {
    s[this.MOD] = 0;
    for (let j = 0; j < s[this.KLPN]!; j++) {
      const k = s[this.KLP + j]!;
      const ob = this.findObj(s, k, MODULE);
      if (ob < 0 || !(s[ob + 1]! & O_LOADED)) continue;
      if (k !== s[this.TRN]) this.callback(s, k, ob, CallbackCode.PreUnpatch);
      this.unpatchObject(s, k, ob, false);
      if (s[ob + 1]! & O_POST_UNPATCH) this.callback(s, k, ob, CallbackCode.PostUnpatch);
      s[ob + 1]! &= ~(O_POST_UNPATCH | O_LOADED);
    }
  }
}
