/**
 * A semantics' spec model over packed bytes: the packed engine's first part
 * (issue 11). It is a second statement of model/spec/spec-model.ts,
 * written again over a fixed-layout byte array instead of objects, so that a successor costs a copy of a few dozen bytes and no
 * allocation. Its states are the explorer's spec-level keys, byte for byte
 * (state-key.ts, model/spec/pack.ts):
 *
 *   [root][definitions chosen, u16 each][loaded patches: index, flags]
 *   [klp_patches][transition: patch, target, replaced list | 0][target module]
 *   [shadow variables: count, then <1, id> each][task count][task columns, sorted]
 *
 * so test/packed-spec.test.ts checks it state for state and successor for
 * successor against the object spec model, and its counts against Spin's
 * (promela/model.ts states the same rule in Promela).
 *
 * What the semantics decides, its load verdict (whether a load is refused,
 * and which patches on klp_patches it replaces) and its disable refusal, is
 * asked of its own SpecRule (replace-rules.ts); upstream's is that a replace
 * patch replaces every patch on klp_patches, a cumulative patch must carry
 * every live state at no lower version, and no patch may lower a version it
 * carries (facts B.1, C.2; model/semantics/upstream.ts). What is written
 * here, as the Promela model writes it for upstream:
 * - the consistency model's transition (facts B.2, kernel/livepatch/
 *   transition.c): a task switches unless it sleeps in a covered function
 *   running the code it would leave, and sees klp_patches "with" or "without"
 *   the transition patch; a complete transition frees the replaced patches
 *   (or, unpatching, the patch itself);
 * - reverse, force (klp_force_transition marks the replaced patches, or the
 *   unpatched one, forced, and a forced module is never removed: facts B.2
 *   "Force"),
 *   module load and removal, a task's sleep, wake-up and return to user space.
 * Tasks are interchangeable: their columns are sorted in every key, so the
 * task an op names is the one at that place in the sorted order.
 *
 * - a write to a writable attribute (hybrid mode's replaceable, facts F.1):
 *   -EAGAIN on the transition patch, else the patch's flag bit, which the
 *   key writes with the patch's flags and the rule reads in its attrs;
 * - under per-state rules (SpecRule.perState; facts C.3, C.4, Petr Mladek,
 *   2025-01-15): the shadow variables patch code allocates and frees (of
 *   object 1 only, as the explorer's ops name it: a bit per state id), freed
 *   with their is_shadow state when no patch on klp_patches has it any more,
 *   and block_disable's -EINVAL on a disable.
 * A per-state search has a root per choice of the state ids that own shadow
 * variables (definition-tree.ts), the key's first byte.
 * The task model (taskModel=1) is not here: DefinitionTree refuses it.
 *
 * Each op also gives the spec model's outcome (`errno`), and the key is
 * written and read in parts (the shared part, each task's column, the task
 * order), so that lockstep.ts can extend a state with the packed
 * kernel's bytes and sort the tasks by both sides' columns.
 */
import { ABSENT, IDLE, ORIGINAL, PackedErrno, PATCHED, PatchStatusCode, removeFromList, UNPATCHED } from './codes.ts';
import { DefinitionTree, PackedOp, type DefinitionNode } from './definition-tree.ts';
import type { Universe } from '../../../model/kernel/definitions.ts';
import type { Op } from '../../ops.ts';
import { bootTasks, withPatch } from '../candidates.ts';
import { rootUniverse } from '../expand.ts';
import { upstream } from '../../../model/semantics/upstream.ts';
import type { Semantics } from '../../../model/semantics/semantics.ts';
import { PackedReplaceRules, REFUSED } from './replace-rules.ts';
import type { ExploreScope } from '../scope.ts';
import type { PackedSpace } from './search.ts';

/** A random walk (PackedSpec.walk): the successor positions it took from its root, and the properties' bits its steps violated. */
export interface PackedWalk {
  readonly path: readonly number[];
  /** Step i's bits (path[i]'s): where each property was first violated, for a counterexample that ends there (simulate.ts). */
  readonly stepViolations: readonly number[];
  /** The definitions the walk had fixed by its end (each patch's as it first loaded): its universe, one node per universe. */
  readonly end: DefinitionNode;
}

/** A loaded patch's flags as the key writes them (model/spec/pack.ts packSpecShared), and LOADED, which is kept only here. */
const REGISTERED = 1;
const ENABLED = 2;
const FORCED = 4;
/** Writable attribute i's value (SpecRule.writableAttrs), as the key writes it. */
const ATTR_SHIFT = 3;
const LOADED = 0x80;
const KEY_FLAGS = 0x7f;

export class PackedSpec implements PackedSpace {
  readonly tree: DefinitionTree;
  /** The semantics' decisions (replace-rules.ts), shared with the kernel of a lockstep. */
  readonly rules: PackedReplaceRules;
  protected readonly P: number;
  protected readonly T: number;
  private readonly S: number;
  /** Whether the rule is Petr Mladek's per-state one (SpecRule.perState). */
  private readonly perState: boolean;
  /** The function byte of mod:m1 (its object is the target module). */
  private readonly modFunc: number;
  // Offsets into a state array; a state is one Uint8Array of `size` bytes.
  private readonly NL = 0;
  private readonly LO: number;
  private readonly FL: number;
  private readonly NKLP: number;
  private readonly KLP: number;
  private readonly TP: number;
  private readonly TGT: number;
  private readonly NREP: number;
  private readonly REP: number;
  private readonly MODLD: number;
  /** The shadow variables <1, id>, bit id - 1 (per-state). */
  private readonly SHD: number;
  private readonly TS: number;
  private readonly TF: number;
  private readonly TC: number;
  /** The spec model's bytes; a subclass's own part of a state follows them (`extra`). */
  protected readonly size: number;
  /** The state being expanded, and the successor being made from it. */
  protected readonly w: Uint8Array;
  protected readonly x: Uint8Array;
  /** The same two as 32-bit words, over buffers padded with zeros to a multiple of 4 bytes (sameState). */
  private readonly wWords: Int32Array;
  private readonly xWords: Int32Array;
  /** The successor's key. */
  protected readonly out = new Uint8Array(1024);
  /** The tasks in key order, while a key is written. */
  protected readonly order: number[];

  /** `extra`: bytes a subclass keeps after the spec model's in each state (the packed kernel's). */
  constructor(scope: ExploreScope, extra = 0, semantics: Semantics = upstream) {
    this.tree = new DefinitionTree(semantics, scope);
    this.rules = new PackedReplaceRules(this.tree);
    const P = (this.P = scope.patches);
    const T = (this.T = scope.tasks);
    this.S = scope.states;
    this.perState = semantics.spec.perState === true;
    this.modFunc = scope.functions + 1;
    this.LO = 1;
    this.FL = this.LO + P;
    this.NKLP = this.FL + P + 1;
    this.KLP = this.NKLP + 1;
    this.TP = this.KLP + P;
    this.TGT = this.TP + 1;
    this.NREP = this.TGT + 1;
    this.REP = this.NREP + 1;
    this.MODLD = this.REP + P;
    this.SHD = this.MODLD + 1;
    this.TS = this.SHD + 1;
    this.TF = this.TS + T;
    this.TC = this.TF + T;
    this.size = this.TC + T;
    // The padding is never written (a view of the state's length is), so it stays 0 in both and compares equal.
    const words = Math.ceil((this.size + extra) / 4);
    this.wWords = new Int32Array(words);
    this.xWords = new Int32Array(words);
    this.w = new Uint8Array(this.wWords.buffer, 0, this.size + extra);
    this.x = new Uint8Array(this.xWords.buffer, 0, this.size + extra);
    this.order = new Array<number>(T).fill(0);
  }

  roots(): Uint8Array[] {
    this.w.fill(0);
    this.initial(this.w);
    return this.tree.roots.map((root) => this.out.slice(0, this.encode(this.w, root)));
  }

  /** Sets what a root state holds beyond zeros (the lockstep: no spec model when conformance is not checked); here nothing. */
  protected initial(_w: Uint8Array): void {}

  expand(key: Uint8Array, emit: (out: Uint8Array, length: number, pos: number) => void): void {
    const node = this.decode(key);
    const n = node.list.steps.op.length;
    for (let pos = 0; pos < n; pos++) {
      const to = this.step(this.w, this.x, node, pos);
      if (!to) continue;
      // A quiet step's successor is the state itself: `key`, the very object (PackedSpace.expand), not encoded again.
      if (this.quiet(node, to)) emit(key, key.length, pos);
      else emit(this.out, this.encode(this.x, to), pos);
    }
  }

  /** Whether the step just taken from `w` into `x` left the state as it was: the same node and the same bytes. */
  protected quiet(node: DefinitionNode, to: DefinitionNode): boolean {
    return to === node && this.sameState(this.w, this.x);
  }

  /**
   * Whether the states `a` and `b` hold the same bytes: the working states
   * word by word (a quarter of the reads: a byte at a time this was 5% of
   * upstream's lockstep search), any others byte by byte.
   */
  protected sameState(a: Uint8Array, b: Uint8Array): boolean {
    if (a !== this.w || b !== this.x) return sameBytes(a, b);
    const wa = this.wWords;
    const wb = this.xWords;
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }

  /**
   * The ops and universe of a path of successor positions from root `root`
   * (a search's pathTo), for replaying it on the object implementation: the
   * task an op names is the one at its place in the sorted order of the
   * state it applies to, so each step is taken here and the tasks' names
   * follow their columns through each sort.
   */
  decodePath(path: readonly number[], root = 0): { universe: Universe; ops: Op[] } {
    const w = new Uint8Array(this.w.length);
    const x = new Uint8Array(this.w.length);
    let names = bootTasks(this.tree.scope);
    let node = this.tree.nodeAt([], root);
    let universe = rootUniverse(this.tree.scope);
    const ops: Op[] = [];
    for (const pos of path) {
      const op = node.list.ops[pos];
      const to = op && this.step(w, x, node, pos);
      if (!op || !to) throw new Error(`packed: position ${pos} is no successor after ${JSON.stringify(ops)}`);
      ops.push('task' in op ? { ...op, task: names[node.list.steps.arg[pos]!]! } : op);
      if (node.list.steps.op[pos] === PackedOp.InsmodNew) universe = withPatch(universe, node.list.newDefs[node.list.steps.arg[pos]!]!);
      // The key's order: the columns sorted, and the names with them (as encode's stable insertion sort).
      const order = this.sortTasks(x);
      names = order.map((t) => names[t]!);
      w.set(x);
      for (let i = 0; i < this.T; i++) this.moveTask(w, i, x, order[i]!);
      node = to;
    }
    return { universe, ops };
  }

  /**
   * One random walk from root `root`: up to `depth` steps, each to successor
   * position `choose(n)` of the state's node (an integer in [0, n), n its op
   * positions) where the explorer tries that op (step() not null: expand.ts
   * pointless, ops.ts applicable). A position it does not try is drawn again,
   * n times at most; then the positions after the last draw are tried in
   * turn, so a state with a successor is never a dead end. The walk ends
   * early at a state with none. The path is in decodePath's terms (the tasks
   * sorted after each step, as a key sorts them): decodePath(path, root)
   * gives its universe and ops for the object implementation.
   * `stepViolations` holds the properties' bits each step violated
   * (walkedStep: none for the spec model alone, PackedLockstep's properties
   * for the lockstep).
   * It works in this model's state arrays, as expand() does: not inside an
   * expansion. Errors: a root that does not exist.
   */
  walk(depth: number, choose: (n: number) => number, root = 0): PackedWalk {
    const key = (this.rootKeys ??= this.roots())[root];
    if (!key) throw new Error(`packed: no root ${root}`);
    this.prepareWalk();
    const w = this.w;
    const x = this.x;
    let node = this.decode(key);
    const path: number[] = [];
    const stepViolations: number[] = [];
    for (let d = 0; d < depth; d++) {
      const n = node.list.steps.op.length;
      let to: DefinitionNode | null = null;
      let pos = 0;
      for (let draw = 0; draw < n && !to; draw++) to = this.step(w, x, node, (pos = choose(n)));
      for (let tried = 1; tried < n && !to; tried++) to = this.step(w, x, node, (pos = (pos + 1) % n));
      if (!to) break;
      path.push(pos);
      stepViolations.push(this.walkedStep());
      // The next state as decodePath makes it: the tasks in the key's order.
      const order = this.sortTasks(x);
      w.set(x);
      for (let i = 0; i < this.T; i++) this.moveTask(w, i, x, order[i]!);
      node = to;
    }
    return { path, stepViolations, end: node };
  }

  /** The roots' keys, made on the first walk: each walk begins at one, and roots() encodes them all anew. */
  private rootKeys: Uint8Array[] | undefined;

  /** Before a walk: whatever a model sets up for stepping outside an expansion (the lockstep's). Here nothing. */
  protected prepareWalk(): void {}

  /** After each step of a walk (the successor in `x`): the properties' bits the step violated. Here none. */
  protected walkedStep(): number {
    return 0;
  }

  /**
   * Successor `pos` of state `w` (of node `node`), made in `x`: the node it
   * belongs to, or null when the explorer does not try the op there
   * (expand.ts pointless, ops.ts applicable), which is decided before the copy.
   */
  protected step(w: Uint8Array, x: Uint8Array, node: DefinitionNode, pos: number): DefinitionNode | null {
    const { op, arg, func } = node.list.steps;
    const a = arg[pos]!;
    this.errno = 0;
    switch (op[pos]) {
      case PackedOp.InsmodPatch:
        if (w[this.FL + a]! & LOADED) return null;
        x.set(w);
        this.errno = this.insmod(x, node, a);
        return node;
      case PackedOp.InsmodNew: {
        const to = node.child(a);
        x.set(w);
        this.errno = this.insmod(x, to, node.defPos.length + 1);
        return to;
      }
      case PackedOp.InsmodModule:
        if (w[this.MODLD]) return null;
        x.set(w);
        x[this.MODLD] = 1;
        return node;
      case PackedOp.RmmodModule:
        if (!w[this.MODLD] || this.sleepsIn(w, this.modFunc)) return null;
        x.set(w);
        x[this.MODLD] = 0;
        return node;
      case PackedOp.RmmodPatch:
        if (!(w[this.FL + a]! & LOADED)) return null;
        x.set(w);
        this.errno = this.rmmod(x, a);
        return node;
      case PackedOp.Disable:
      case PackedOp.Enable:
        if ((w[this.FL + a]! & (LOADED | REGISTERED)) !== (LOADED | REGISTERED)) return null;
        x.set(w);
        this.errno = this.writeEnabled(x, node, a, op[pos] === PackedOp.Enable);
        return node;
      case PackedOp.Force:
        if ((w[this.FL + a]! & (LOADED | REGISTERED)) !== (LOADED | REGISTERED)) return null;
        x.set(w);
        this.errno = this.force(x, a);
        return node;
      case PackedOp.SetAttr:
        if ((w[this.FL + a]! & (LOADED | REGISTERED)) !== (LOADED | REGISTERED)) return null;
        x.set(w);
        this.errno = this.writeAttr(x, a, func[pos]! >>> 1, func[pos]! & 1);
        return node;
      case PackedOp.TransitionStep:
        if (!w[this.TP]) return null;
        x.set(w);
        this.tryComplete(x, node);
        return node;
      case PackedOp.BlockTask:
        if (w[this.TF + a] || (func[pos] === this.modFunc && !w[this.MODLD])) return null;
        x.set(w);
        x[this.TF + a] = func[pos]!;
        x[this.TC + a] = this.version(x, node, a, func[pos]!);
        return node;
      case PackedOp.UnblockTask:
        if (!w[this.TF + a]) return null;
        x.set(w);
        x[this.TF + a] = 0;
        x[this.TC + a] = 0;
        return node;
      case PackedOp.TaskReturn:
        if (w[this.TF + a] || !w[this.TP]) return null;
        x.set(w);
        x[this.TS + a] = this.targetState(x);
        return node;
      case PackedOp.ShadowAlloc:
      case PackedOp.ShadowFree:
        // Only code of a patch on klp_patches runs, with its own state ids (ops.ts declares; candidates.ts).
        if (!this.patchOrder(w, a)) return null;
        x.set(w);
        if (op[pos] === PackedOp.ShadowAlloc) x[this.SHD]! |= 1 << (func[pos]! - 1);
        else x[this.SHD]! &= ~(1 << (func[pos]! - 1));
        return node;
      default:
        throw new Error(`packed: op ${op[pos]} at position ${pos}`);
    }
  }

  // ---- the key ----

  /** Reads a key into the working state; returns its definition node. */
  protected decode(key: Uint8Array): DefinitionNode {
    const node = this.decodeShared(key);
    let i = this.at;
    for (let t = 0; t < this.T; t++, i++) i = this.readSpecTask(key, i, t);
    if (i !== key.length) throw new Error(`packed: a key of ${key.length} bytes, ${i} read`);
    return node;
  }

  /** The errno the spec model gives the last step's op (0 for success: model/spec/spec-model.ts's outcomes). */
  protected errno = 0;

  /** Where decodeShared stopped reading. */
  protected at = 0;

  /** Reads a key up to its task columns (the task count included) into the working state; returns its definition node. */
  protected decodeShared(key: Uint8Array): DefinitionNode {
    const w = this.w;
    w.fill(0);
    let i = 0;
    let node = this.tree.nodeAt([], key[i++]);
    const nd = key[i++]!;
    for (let d = 0; d < nd; d++, i += 2) node = node.child(key[i]! | (key[i + 1]! << 8));
    const nl = (w[this.NL] = key[i++]!);
    for (let j = 0; j < nl; j++) {
      const k = (w[this.LO + j] = key[i++]!);
      w[this.FL + k] = key[i++]! | LOADED;
    }
    const nklp = (w[this.NKLP] = key[i++]!);
    for (let j = 0; j < nklp; j++) w[this.KLP + j] = key[i++]!;
    const tp = (w[this.TP] = key[i++]!);
    if (tp) {
      w[this.TGT] = key[i++]!;
      const nrep = (w[this.NREP] = key[i++]!);
      for (let j = 0; j < nrep; j++) w[this.REP + j] = key[i++]!;
    }
    w[this.MODLD] = key[i++]! & 1;
    for (let n = key[i++]!; n > 0; n--, i += 2) w[this.SHD]! |= 1 << (key[i + 1]! - 1);
    if (key[i++] !== this.T) throw new Error('packed: a key of another task count');
    this.at = i;
    return node;
  }

  /** Reads task t's spec column [state, function, code] at key[i]; returns where its fourth byte (0) is. */
  protected readSpecTask(key: Uint8Array, i: number, t: number): number {
    const w = this.w;
    w[this.TS + t] = key[i++]!;
    w[this.TF + t] = key[i++]!;
    w[this.TC + t] = key[i++]!;
    return i;
  }

  /** Writes state `s` of node `node` as its key into `out`; returns the length. */
  protected encode(s: Uint8Array, node: DefinitionNode): number {
    let i = this.encodeShared(s, node);
    for (const t of this.sortTasks(s)) i = this.writeSpecTask(s, t, i);
    return i;
  }

  /** Writes the key's root and definitions into `out`; returns the length so far. */
  protected encodeDefinitions(node: DefinitionNode): number {
    const out = this.out;
    let i = 0;
    out[i++] = node.root;
    const defPos = node.defPos;
    out[i++] = defPos.length;
    for (let d = 0; d < defPos.length; d++) {
      out[i++] = defPos[d]! & 0xff;
      out[i++] = defPos[d]! >>> 8;
    }
    return i;
  }

  /** Writes the key up to its task columns (the task count included) into `out`; returns the length so far. */
  protected encodeShared(s: Uint8Array, node: DefinitionNode): number {
    const out = this.out;
    let i = this.encodeDefinitions(node);
    const nl = (out[i++] = s[this.NL]!);
    for (let j = 0; j < nl; j++) {
      const k = (out[i++] = s[this.LO + j]!);
      out[i++] = s[this.FL + k]! & KEY_FLAGS;
    }
    const nklp = (out[i++] = s[this.NKLP]!);
    for (let j = 0; j < nklp; j++) out[i++] = s[this.KLP + j]!;
    const tp = (out[i++] = s[this.TP]!);
    if (tp) {
      out[i++] = s[this.TGT]!;
      const nrep = (out[i++] = s[this.NREP]!);
      for (let j = 0; j < nrep; j++) out[i++] = s[this.REP + j]!;
    }
    out[i++] = s[this.MODLD]!;
    // The shadow variables sorted by <obj, id>: all of object 1, so by id.
    const shd = s[this.SHD]!;
    const countAt = i++;
    out[countAt] = 0;
    for (let id = 1; id <= this.S; id++) {
      if (!(shd & (1 << (id - 1)))) continue;
      out[countAt]!++;
      out[i++] = 1;
      out[i++] = id;
    }
    out[i++] = this.T;
    return i;
  }

  /** Writes task t's spec column [state, function, code, kind 0] at out[i]; returns the length so far. */
  protected writeSpecTask(s: Uint8Array, t: number, i: number): number {
    const out = this.out;
    out[i++] = s[this.TS + t]!;
    out[i++] = s[this.TF + t]!;
    out[i++] = s[this.TC + t]!;
    out[i++] = 0;
    return i;
  }

  /**
   * The tasks of `s` in key order (this.order, reused): tasks are
   * interchangeable, so their columns are sorted, by a stable insertion sort (T <= 3).
   */
  protected sortTasks(s: Uint8Array): readonly number[] {
    const order = this.order;
    for (let t = 0; t < this.T; t++) {
      let j = t;
      for (; j > 0 && this.compareTasks(s, order[j - 1]!, t) > 0; j--) order[j] = order[j - 1]!;
      order[j] = t;
    }
    return order;
  }

  /** Task a's column against task b's, as the key orders them. */
  protected compareTasks(s: Uint8Array, a: number, b: number): number {
    return this.column(s, a) - this.column(s, b);
  }

  /** Task t's column [state, function, code] as one number, ordered as the key orders columns. */
  private column(s: Uint8Array, t: number): number {
    return (s[this.TS + t]! << 16) | (s[this.TF + t]! << 8) | s[this.TC + t]!;
  }

  /** Puts task `from` of state `x` at place `to` of state `w` (decodePath's reordering). */
  protected moveTask(w: Uint8Array, to: number, x: Uint8Array, from: number): void {
    w[this.TS + to] = x[this.TS + from]!;
    w[this.TF + to] = x[this.TF + from]!;
    w[this.TC + to] = x[this.TC + from]!;
  }

  // ---- what conformance compares (model/spec/spec-model.ts abstract()) ----

  /** Whether livepatch pk's module is loaded. */
  protected patchLoaded(s: Uint8Array, k: number): boolean {
    return (s[this.FL + k]! & LOADED) !== 0;
  }

  /** Loaded patch pk's status (PatchStatusCode); the spec model has no stale patch. */
  protected patchStatus(s: Uint8Array, k: number): number {
    if (!(s[this.FL + k]! & REGISTERED)) return PatchStatusCode.Freed;
    if (s[this.TP] === k) return s[this.TGT] ? PatchStatusCode.Patching : PatchStatusCode.Unpatching;
    return PatchStatusCode.Enabled;
  }

  /** Patch pk's place on klp_patches, 1-based; 0 when it is not there. */
  protected patchOrder(s: Uint8Array, k: number): number {
    for (let j = 0; j < s[this.NKLP]!; j++) if (s[this.KLP + j] === k) return j + 1;
    return 0;
  }

  protected patchForced(s: Uint8Array, k: number): boolean {
    return (s[this.FL + k]! & FORCED) !== 0;
  }

  /** Task t's [state, function it sleeps in, code it sleeps in], as the kernel's column writes them. */
  protected taskByte(s: Uint8Array, t: number, field: 0 | 1 | 2): number {
    return s[(field === 0 ? this.TS : field === 1 ? this.TF : this.TC) + t]!;
  }

  protected moduleLoaded(s: Uint8Array): boolean {
    return s[this.MODLD] !== 0;
  }

  /** The live shadow variables <1, id>, bit id - 1. */
  protected shadowBits(s: Uint8Array): number {
    return s[this.SHD]!;
  }

  /** The code task t runs in function f: 1 (absent) when f's module is not loaded, else version(). */
  protected runs(s: Uint8Array, node: DefinitionNode, t: number, f: number): number {
    return f === this.modFunc && !s[this.MODLD] ? ABSENT : this.version(s, node, t, f);
  }

  // ---- which code runs ----

  private patches(node: DefinitionNode, k: number, f: number): boolean {
    return ((this.tree.funcs[node.rows[k]!]! >>> (f - 1)) & 1) === 1;
  }

  private replaced(s: Uint8Array, k: number): boolean {
    for (let j = 0; j < s[this.NREP]!; j++) if (s[this.REP + j] === k) return true;
    return false;
  }

  /** The newest patch on klp_patches patching f, leaving out `skip` and (skipReplaced) the replaced ones: its code, 1 + k, or ORIGINAL. */
  private newest(s: Uint8Array, node: DefinitionNode, f: number, skip: number, skipReplaced: boolean): number {
    for (let j = s[this.NKLP]! - 1; j >= 0; j--) {
      const k = s[this.KLP + j]!;
      if (k === skip || (skipReplaced && this.replaced(s, k))) continue;
      if (this.patches(node, k, f)) return 1 + k;
    }
    return ORIGINAL;
  }

  /** The code task t runs in f: klp_patches as it sees them, "with" the transition patch (replaced ones gone) or "without" it. */
  private version(s: Uint8Array, node: DefinitionNode, t: number, f: number): number {
    const tp = s[this.TP]!;
    const ts = s[this.TS + t]!;
    if (!tp || ts === IDLE) return this.newest(s, node, f, 0, false);
    return ts === PATCHED ? this.newest(s, node, f, 0, true) : this.newest(s, node, f, tp, false);
  }

  private sleepsIn(s: Uint8Array, f: number): boolean {
    for (let t = 0; t < this.T; t++) if (s[this.TF + t] === f) return true;
    return false;
  }

  // ---- transitions ----

  private targetState(s: Uint8Array): number {
    return s[this.TGT] ? PATCHED : UNPATCHED;
  }

  /** The stack check (facts B.2): task t sleeps in a function the transition covers, running the code it would leave. */
  private mayNotSwitch(s: Uint8Array, node: DefinitionNode, t: number): boolean {
    const f = s[this.TF + t]!;
    if (!f) return false;
    const tp = s[this.TP]!;
    let covered = this.patches(node, tp, f);
    for (let j = 0; !covered && j < s[this.NREP]!; j++) covered = this.patches(node, s[this.REP + j]!, f);
    if (!covered) return false;
    const code = s[this.TC + t]!;
    if (s[this.TGT]) return code === this.newest(s, node, f, tp, false);
    return code === (this.patches(node, tp, f) ? 1 + tp : ORIGINAL);
  }

  private start(s: Uint8Array, k: number, patched: boolean): void {
    s[this.TP] = k;
    s[this.TGT] = patched ? 1 : 0;
    s.fill(patched ? UNPATCHED : PATCHED, this.TS, this.TS + this.T);
  }

  /** klp_try_complete_transition: every task switches unless one may not; then the old patches are freed. */
  private tryComplete(s: Uint8Array, node: DefinitionNode): void {
    const target = this.targetState(s);
    let complete = true;
    for (let t = 0; t < this.T; t++) {
      if (s[this.TS + t] === target) continue;
      if (this.mayNotSwitch(s, node, t)) complete = false;
      else s[this.TS + t] = target;
    }
    // Without the task model no sleep is interruptible, so the fake signal (every 15th retry) wakes nobody.
    if (!complete) return;
    const shadowed = this.perState ? this.onKlpPatches(s, node, this.tree.shadowStates) : 0;
    if (s[this.TGT]) {
      for (let j = 0; j < s[this.NREP]!; j++) this.free(s, s[this.REP + j]!);
    } else this.free(s, s[this.TP]!);
    // An is_shadow state that no patch on klp_patches has any more takes its shadow variables with it (facts C.3).
    if (shadowed) s[this.SHD]! &= ~(shadowed & ~this.onKlpPatches(s, node, this.tree.states));
    s.fill(IDLE, this.TS, this.TS + this.T);
    s.fill(0, this.TP, this.REP + this.P);
  }

  /** The state ids of the patches on klp_patches in `bits` (a row table of the tree: states, shadowStates), bit id - 1. */
  private onKlpPatches(s: Uint8Array, node: DefinitionNode, bits: readonly number[]): number {
    let ids = 0;
    for (let j = 0; j < s[this.NKLP]!; j++) ids |= bits[node.rows[s[this.KLP + j]!]!]!;
    return ids;
  }

  /** Off klp_patches, sysfs gone (klp_free_patch_async); the module stays until rmmod. */
  private free(s: Uint8Array, k: number): void {
    s[this.FL + k]! &= ~(REGISTERED | ENABLED);
    removeFromList(s, this.NKLP, this.KLP, k);
  }

  // ---- operations ----

  /**
   * insmod of livepatch pk, not loaded: -EINVAL when the rule refuses it
   * (SpecRule.load), -EBUSY during a transition, else it loads and its
   * transition starts, replacing the patches the rule names, in their order
   * on klp_patches.
   */
  private insmod(s: Uint8Array, node: DefinitionNode, k: number): number {
    const nklp = s[this.NKLP]!;
    const replaces = this.rules.specLoad(node, k, s, this.KLP, nklp, this.rules.asLoading(this.attrBits(s), node, k));
    if (replaces === REFUSED) return PackedErrno.EINVAL;
    if (s[this.TP]) return PackedErrno.EBUSY;
    s[this.LO + s[this.NL]!] = k;
    s[this.NL]!++;
    s[this.FL + k] = LOADED | REGISTERED | ENABLED | (this.tree.writableBits[node.rows[k]!]! << ATTR_SHIFT);
    let nrep = 0;
    for (let j = 0; j < nklp; j++) if (replaces & (1 << (s[this.KLP + j]! - 1))) s[this.REP + nrep++] = s[this.KLP + j]!;
    s[this.NREP] = nrep;
    s[this.KLP + nklp] = k;
    s[this.NKLP] = nklp + 1;
    this.start(s, k, true);
    this.tryComplete(s, node);
    return 0;
  }

  /** The loaded patches' writable attribute values, as replace-rules.ts takes them: 4 bits a patch. */
  protected attrBits(s: Uint8Array): number {
    let bits = 0;
    for (let k = 1; k <= this.P; k++) bits |= ((s[this.FL + k]! >>> ATTR_SHIFT) & 15) << (4 * (k - 1));
    return bits;
  }

  /** A write of `value` to writable attribute `a` of registered patch pk (spec-model.ts writeAttr): -EAGAIN while pk is in transition. */
  private writeAttr(s: Uint8Array, k: number, a: number, value: number): number {
    if (s[this.TP] === k) return PackedErrno.EAGAIN;
    const bit = 1 << (ATTR_SHIFT + a);
    s[this.FL + k] = value ? s[this.FL + k]! | bit : s[this.FL + k]! & ~bit;
    return 0;
  }

  /** rmmod of a loaded livepatch: -EBUSY while registered or forced. */
  private rmmod(s: Uint8Array, k: number): number {
    if (s[this.FL + k]! & (REGISTERED | FORCED)) return PackedErrno.EBUSY;
    removeFromList(s, this.NL, this.LO, k);
    s[this.FL + k] = 0;
    return 0;
  }

  /** A write to a registered patch's enabled file. */
  private writeEnabled(s: Uint8Array, node: DefinitionNode, k: number, enable: boolean): number {
    const fl = s[this.FL + k]!;
    if (((fl & ENABLED) !== 0) === enable) return PackedErrno.EINVAL;
    // A patch with a block_disable state cannot be disabled, before the reverse check (facts C.4).
    if (!enable && this.perState && this.tree.blockDisable[node.rows[k]!]) return PackedErrno.EINVAL;
    if (s[this.TP] === k) {
      // klp_reverse_transition: the target flips, and the patch's enabled flag with it.
      s[this.TGT] = s[this.TGT] ? 0 : 1;
      s[this.FL + k] = fl ^ ENABLED;
      return 0;
    }
    if (enable) return PackedErrno.EINVAL;
    if (s[this.TP]) return PackedErrno.EBUSY;
    const refusal = this.rules.specDisable(node, k, s, this.KLP, s[this.NKLP]!, this.attrBits(s));
    if (refusal) return refusal;
    s[this.FL + k] = fl & ~ENABLED;
    this.start(s, k, false);
    this.tryComplete(s, node);
    return 0;
  }

  /** klp_force_transition: every task at the target; the patches it leaves behind are marked forced. */
  private force(s: Uint8Array, k: number): number {
    if (s[this.TP] !== k) return PackedErrno.EINVAL;
    s.fill(this.targetState(s), this.TS, this.TS + this.T);
    if (!s[this.TGT]) s[this.FL + k]! |= FORCED;
    else for (let j = 0; j < s[this.NREP]!; j++) s[this.FL + s[this.REP + j]!]! |= FORCED;
    return 0;
  }
}

/** Whether the first `n` bytes (default: a.length) of `a` and `b` are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array, n = a.length): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
