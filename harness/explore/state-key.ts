/**
 * The identity of an explored state as bytes, exact (no hash, no JSON):
 *
 *   [root][patch definitions chosen][spec model][task count]
 *   [spec task columns][kernel task columns, in the same task order][kernel]
 *   [checker memory id]
 *
 * The first part up to the spec columns is the spec-level state (what Spin's
 * model holds, see promela/); the rest is the kernel's hidden detail
 * (func_stacks, object and state flags, the signal counter ...). Tasks are
 * interchangeable, so a task's lockstep column (its spec record, then its
 * kernel record) is sorted among the others: a state and its task
 * permutations are one state. The spec records lead the lockstep columns, so
 * in that order they are sorted too, and they are written once: first as
 * the spec-level key's columns, then only each task's kernel record follows,
 * in the same order. The pairs are still exact (the n-th kernel record is the
 * task of the n-th spec record). The
 * checker memory is interned by the caller, which appends its id (u16), since
 * it is a short string whose distinct values are few.
 *
 * Where the scope's ops fork (taskModel=1), tasks are interchangeable only
 * within their role in the search (candidates.ts taskRole: a boot task that
 * may fork, one that has, a forked child that no op names): the roles, one
 * byte per task in the sorted order, follow the task count, and a task's
 * role leads its column in the sort.
 *
 * Once the spec model is no longer followed (a conformance break,
 * run-sequence.ts RunOptions.specUntilDivergence) the spec part is one byte,
 * 0xff (a spec model's first byte is its loaded-patch count, never 0xff),
 * and the task columns are the kernel's alone:
 *
 *   [root][patch definitions chosen][0xff][kernel task columns, sorted][kernel][checker memory id]
 *
 * Such a state has no spec-level key.
 */
import { packKernelShared, packKernelTask } from '../../model/kernel/pack.ts';
import { ByteWriter, packSpecShared, packSpecTask, TASK_BYTES, type PackContext } from '../../model/spec/pack.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import type { Lockstep } from '../run-sequence.ts';
import { bootTasks, patchName, scopeFuncs, TARGET_MODULE, taskRole } from './candidates.ts';
import type { ExploreScope } from './scope.ts';

export function packContext(sem: Semantics, scope: ExploreScope): PackContext {
  // A lookup, not a parse of the name: the key is built on every transition.
  const patches = new Map(Array.from({ length: scope.patches }, (_, i) => [patchName(i + 1), i + 1]));
  return {
    patchIndex: (name) => {
      const k = patches.get(name);
      if (k === undefined) throw new Error(`pack: patch ${name} is outside the scope`);
      return k;
    },
    funcIndex: new Map(scopeFuncs(scope).map((f, i) => [f, i])),
    modules: [TARGET_MODULE],
    writableAttrs: sem.spec.writableAttrs ?? [],
    signals: scope.taskModel === 1,
  };
}

/**
 * The two keys of one state: `spec` is a prefix of `full`, both views of one
 * buffer (valid until the next build); `spec` is empty when the state no
 * longer follows the spec model.
 */
export interface StateKeys {
  readonly spec: Uint8Array;
  readonly full: Uint8Array;
}

/** Written where the spec model would be, once it is no longer followed. */
const NO_SPEC = 0xff;

/**
 * A state's identity as packed, with its tasks in place: its full key and
 * its task columns in the kernel's task order (the key sorts them). Equal
 * identities are the same kernel and spec model state, task by task, not
 * merely up to a permutation of interchangeable tasks.
 */
export interface PlacedIdentity {
  readonly full: Uint8Array;
  readonly columns: readonly (readonly number[])[];
}

/** The key builder of a search of `scope` under `sem`. */
export function keyBuilderFor(sem: Semantics, scope: ExploreScope): KeyBuilder {
  return new KeyBuilder(packContext(sem, scope), scope.patches, scope.taskModel === 1 ? bootTasks(scope) : undefined);
}

export class KeyBuilder {
  private readonly w = new ByteWriter();
  /**
   * The last build's task columns in the kernel's task order: each task's
   * spec record and kernel record. Reused from build to build (the key is
   * built on every transition); placed() copies them.
   */
  private readonly specColumns: number[][] = [];
  private readonly kernelColumns: number[][] = [];
  /** The tasks in key order (their columns sorted), reused likewise. */
  private readonly order: number[] = [];
  /** Each task's role (candidates.ts taskRole), in the kernel's task order; all 0 when nothing forks. */
  private readonly roles: number[] = [];
  private specEnd = 0;
  /** The tasks the ops name, when the ops fork (taskModel=1); otherwise every task has one role, and none is written. */
  private readonly boot: ReadonlySet<string> | null;

  constructor(
    private readonly ctx: PackContext,
    private readonly patchCount: number,
    /** The tasks the ops name, when the ops fork (keyBuilderFor). */
    named?: readonly string[],
  ) {
    this.boot = named ? new Set(named) : null;
  }

  build(run: Lockstep, root: number, defIds: readonly number[]): StateKeys {
    const w = this.w;
    w.length = 0;
    w.u8(root);
    w.u8(defIds.length);
    for (const d of defIds) w.u16(d);
    const core = run.kernel.core;
    const n = core.tasks.length;
    const snap = run.followsSpec ? packSpecShared(run.spec, this.ctx, w) : null;
    if (!snap) w.u8(NO_SPEC);
    else if (snap.tasks.length !== n) throw new Error(`pack: the kernel has ${n} tasks, the spec ${snap.tasks.length}`);
    const spec = this.specColumns;
    const kernel = this.kernelColumns;
    const order = this.order;
    const roles = this.roles;
    // Setting an array's length is a call into the runtime: done only when the task count changes.
    if (spec.length !== n) {
      while (spec.length < n) {
        spec.push(new Array<number>(TASK_BYTES).fill(0));
        kernel.push(new Array<number>(TASK_BYTES).fill(0));
        roles.push(0);
      }
      spec.length = kernel.length = order.length = roles.length = n;
    }
    const boot = this.boot;
    if (boot) {
      const exists = (name: string) => core.tasks.some((t) => t.name === name);
      for (let i = 0; i < n; i++) roles[i] = taskRole(core.tasks[i]!.name, boot, exists);
    }
    for (let i = 0; i < n; i++) {
      if (snap) packSpecTask(snap, i, this.ctx, spec[i]!);
      else if (spec[i]!.length) spec[i]!.length = 0;
      packKernelTask(core, i, this.ctx, kernel[i]!);
      // Insertion sort of the task numbers by column: a few tasks, and no array made per build.
      let j = i;
      for (; j > 0 && this.compareTasks(order[j - 1]!, i) > 0; j--) order[j] = order[j - 1]!;
      order[j] = i;
    }
    // A fork adds a task: the count keeps keys of different task counts apart.
    w.u8(n);
    if (boot) for (const t of order) w.u8(roles[t]!);
    // Every spec record has one width, so sorting the lockstep columns sorts their spec records first.
    for (const t of order) for (const b of spec[t]!) w.u8(b);
    const specEnd = snap ? w.length : 0;
    for (const t of order) for (const b of kernel[t]!) w.u8(b);
    packKernelShared(core, this.ctx, this.patchCount, w);
    this.specEnd = specEnd;
    return this.last();
  }

  /** Task a's lockstep column against task b's: role, spec record, then kernel record, byte by byte (each has one width). */
  private compareTasks(a: number, b: number): number {
    const r = this.roles[a]! - this.roles[b]!;
    if (r !== 0) return r;
    const c = compareBytes(this.specColumns[a]!, this.specColumns[b]!);
    return c !== 0 ? c : compareBytes(this.kernelColumns[a]!, this.kernelColumns[b]!);
  }

  /** The keys of the last build (views valid until the next build). */
  last(): StateKeys {
    return { spec: this.w.bytes(0, this.specEnd), full: this.w.bytes() };
  }

  /** The last build's identity, copied (it outlives the next build). */
  placed(): PlacedIdentity {
    return { full: this.w.bytes().slice(), columns: this.specColumns.map((s, t) => [this.roles[t]!, ...s, ...this.kernelColumns[t]!]) };
  }

  /** Whether the last build is the state `was`, every task in place. */
  isUnchanged(was: PlacedIdentity): boolean {
    const full = this.w.bytes();
    if (full.length !== was.full.length) return false;
    for (let i = 0; i < full.length; i++) if (full[i] !== was.full[i]) return false;
    const n = this.specColumns.length;
    if (n !== was.columns.length) return false;
    for (let t = 0; t < n; t++) {
      const s = this.specColumns[t]!;
      const k = this.kernelColumns[t]!;
      const b = was.columns[t]!;
      if (1 + s.length + k.length !== b.length || this.roles[t] !== b[0]) return false;
      for (let i = 0; i < s.length; i++) if (s[i] !== b[1 + i]) return false;
      for (let i = 0; i < k.length; i++) if (k[i] !== b[1 + s.length + i]) return false;
    }
    return true;
  }
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
