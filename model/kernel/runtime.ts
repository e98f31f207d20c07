/**
 * The reference implementation's internal records: struct klp_patch,
 * klp_object, klp_func and the per-task transition fields (facts A), as
 * mutable objects owned by one Kernel. Nothing outside model/kernel mutates
 * them; observers read them through model/kernel/observe.ts.
 */
import { funcKey, kernelModuleName, type ObjectCallbacks, type PatchAttrs, type PatchDef, type StateDef } from './definitions.ts';

export const KLP_TRANSITION_IDLE = -1;
export const KLP_TRANSITION_UNPATCHED = 0;
export const KLP_TRANSITION_PATCHED = 1;
export type PatchState = -1 | 0 | 1;
export type Target = 0 | 1;

/** Which code runs: the original function, a patch's new_func, or nothing (module not loaded). */
export type Version = 'original' | 'absent' | { readonly patch: string };

export class KFunc {
  patched = false;
  transition = false;
  constructor(
    readonly obj: KObject,
    readonly old_name: string | null,
    readonly old_sympos: number,
    readonly nop: boolean,
    readonly hasNewFunc: boolean,
    /** The func this one copies (clone.ts): its key and code are taken as they are. */
    copyOf?: KFunc,
  ) {
    this.key = copyOf ? copyOf.key : funcKey(obj.name, old_name ?? 'null', old_sympos);
    this.code = copyOf ? copyOf.code : nop ? 'original' : { patch: obj.patch.name };
  }
  /**
   * The function it resolves to (funcKey): what klp_find_ops and klp_find_func
   * compare. Fixed at creation, as the fields it derives from are; computed
   * once because every observed step reads it (issue 11).
   */
  readonly key: string;
  /** The code this func redirects to: a nop's new_func is the original (facts A). Fixed at creation. */
  readonly code: Version;
}

export class KObject {
  readonly funcs: KFunc[] = [];
  /** obj->mod != NULL (always true for vmlinux). */
  loaded = false;
  patched = false;
  post_unpatch_enabled = false;
  constructor(
    readonly patch: KPatch,
    readonly name: string,
    readonly dynamic: boolean,
    readonly callbacks: ObjectCallbacks,
  ) {}
  /** The object's name as the kernel's messages print it (KPatch.modName): a klp_object names its module as the kernel does. */
  get modName(): string {
    return kernelModuleName(this.name);
  }
  get isVmlinux(): boolean {
    return this.name === 'vmlinux';
  }
}

export class KState {
  /** Per-state series: pre_patch_succeeded (facts C.3). */
  pre_patch_succeeded = false;
  /** Set when klp_states_pre_unpatch_replaced ran this state's pre_unpatch. */
  pre_unpatch_done = false;
  constructor(
    readonly patch: KPatch,
    readonly def: StateDef,
  ) {}
  get id(): number {
    return this.def.id;
  }
}

export class KPatch {
  readonly objs: KObject[] = [];
  readonly states: KState[];
  enabled = false;
  forced = false;
  /** The sysfs directory exists (from kobject_add until the patch is freed). */
  registered = false;
  constructor(
    readonly def: PatchDef,
    readonly attrs: PatchAttrs,
    /** Sysfs-writable attributes a semantics adds (hybrid mode's replaceable). */
    readonly writable: Map<string, boolean>,
    /** The states this instance carries; module parameters may select them (see loader.ts). */
    states: readonly StateDef[] = def.states ?? [],
  ) {
    this.states = states.map((s) => new KState(this, s));
  }
  get name(): string {
    return this.def.name;
  }
  /**
   * mod->name, the name every livepatch message prints: the module's name as
   * the kernel spells it, '-' as '_' (definitions.ts kernelModuleName). The
   * model names a patch as written, in ops, events and errors alike.
   */
  get modName(): string {
    return kernelModuleName(this.def.name);
  }
  *allFuncs(): Iterable<KFunc> {
    for (const o of this.objs) yield* o.funcs;
  }
}

/**
 * How a task sleeps: TASK_UNINTERRUPTIBLE (msleep, the selftests' busy
 * workers) or TASK_INTERRUPTIBLE, which klp_send_signals' fake signal wakes
 * (facts B.2).
 */
export type Sleep = 'uninterruptible' | 'interruptible';

export interface BlockedIn {
  readonly key: string;
  /** The code the task sleeps in: what its stack holds (facts B.2 klp_check_stack_func). */
  readonly code: Version;
  readonly sleep: Sleep;
}

/**
 * A task and its transition fields (facts A, "Per task"). A task is a user
 * task or a kernel thread (PF_KTHREAD: never returns to user space), and is
 * either running on a CPU, asleep in a patched function (`blocked`), or
 * asleep elsewhere, which no stack check objects to.
 */
export class Task {
  patch_state: PatchState = KLP_TRANSITION_IDLE;
  /** TIF_PATCH_PENDING. */
  pending = false;
  blocked: BlockedIn | null = null;
  /** On a CPU: klp_try_switch_task leaves it alone ("is running", -EBUSY). */
  running = false;
  constructor(
    readonly name: string,
    /** The module whose work function this task runs, if it is a module's worker. */
    readonly owner: string | null,
    readonly kthread = false,
  ) {}
}

export function sameVersion(a: Version, b: Version): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.patch === b.patch;
}

export function versionName(v: Version): string {
  return typeof v === 'string' ? v : v.patch;
}
