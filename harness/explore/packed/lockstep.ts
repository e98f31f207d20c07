/**
 * A semantics' spec model and the kernel in one packed state, stepped together
 * and checked for conformance on every transition: the packed engine's
 * counterpart of the explorer's Lockstep (harness/run-sequence.ts). A state
 * is the spec model's bytes (spec.ts), the kernel's
 * (kernel.ts), one byte that is set once conformance broke, then the
 * memory of the checkers that remember: callback-pairing's
 * (callback-pairing.ts) and, per-state, shadow-lifetime's
 * (shadow-lifetime.ts). Its key is the
 * explorer's lockstep key byte for byte (state-key.ts), but for the checker
 * memory: the explorer appends an interned id of its string, this the
 * memory's bytes:
 *
 *   [root][definitions][spec model][task count]
 *   [spec task columns][kernel task columns, in the same task order][kernel]
 *   [callback phases, a byte a patch][per-state: the state ids' callback phases, the live shadow variables]
 *
 * with the tasks sorted by their spec column, then their kernel column;
 * past a conformance break the spec model is no longer followed, and, as
 * the explorer's, the key is
 *
 *   [root][definitions][0xff][task count][kernel task columns, sorted][kernel][checker memory]
 *
 * Which ops a state tries is the kernel's answer (expand.ts pointless,
 * ops.ts applicable, as kernel-preconditions.ts answers them). While the
 * two sides conform the spec model answers alike; a disagreement is a bug
 * of this file, and throws.
 *
 * Conformance (harness/run-sequence.ts conformanceReason): the spec model's
 * outcome and the kernel's are the same, and so are the abstract states
 * (model/spec/observe.ts against SpecModel.abstract()): every patch's
 * loaded flag, status, place on klp_patches and forced flag; every task's
 * transition state and where it sleeps in which code; whether the target
 * module is loaded; the code each task runs in each function; the live
 * shadow variables. The rest of
 * the abstract state follows: the live state ids are those of the patches
 * on klp_patches, a patch's slot follows from its name and
 * definition on both sides, and the patches' load
 * order is the same on both sides because a module loads and goes on both
 * or on neither while their outcomes agree. On a quiet step (the state
 * unchanged) only the outcomes are compared: the abstract states are the
 * ones before, which conformed, as the explorer keeps a state's conformance
 * across a quiet step (run-sequence.ts). On another step the outcomes are
 * compared at once, and the abstract states, a function of the state the
 * step leads to, only when the search has not stored that state (settle):
 * one stored conformed when it was stored.
 *
 * Every invariant of the catalog that applies to the semantics is checked on
 * every transition but a quiet one, over the kernel's side
 * (invariants.ts, callback-pairing.ts, shadow-lifetime.ts), as the explorer
 * checks them over the object kernel's observed state; past a conformance
 * break too. The part of one that reads only the state a step leads to is
 * asked of the step that first reaches that state (violatedByNewState).
 */
import { PackedOp, type DefinitionNode } from './definition-tree.ts';
import { PackedCoverage } from './coverage.ts';
import { CoveredPastBreak } from './covered-past-break.ts';
import type { VisitedSet } from '../visited.ts';
import { KernelSnapshot } from './kernel-snapshot.ts';
import { KERNEL_TASK_BYTES, PackedKernel } from './kernel.ts';
import { PackedCallbackPairing } from './callback-pairing.ts';
import { PackedShadowLifetime } from './shadow-lifetime.ts';
import { namedPatch, PackedInvariants, type PackedStep } from './invariants.ts';
import { PackedSpec } from './spec.ts';
import type { ExploreScope } from '../scope.ts';
import { applicableProperties, CONFORMANCE } from '../../../properties/catalog.ts';
import { upstream } from '../../../model/semantics/upstream.ts';
import type { Semantics } from '../../../model/semantics/semantics.ts';

/** An invariant's check (a step's or a new state's part) with its bit in PackedLockstep.properties. */
interface PackedBitCheck {
  readonly bit: number;
  readonly violated: (step: PackedStep) => boolean;
}

/** Written where the spec model would be once it is no longer followed (state-key.ts NO_SPEC). */
const NO_SPEC = 0xff;

const CALLBACK_PAIRING = 'callback-pairing';
const SHADOW_LIFETIME = 'shadow-lifetime';

/**
 * The bytes of the checkers that remember, when checked: callback-pairing's
 * byte a patch (and, per-state, a byte of the state ids' phases), and
 * shadow-lifetime's byte of live shadow variables. A checker not checked has
 * no memory in the key, as the explorer's (run-sequence.ts memory()).
 */
function memoryBytesFor(semantics: Semantics, scope: ExploreScope, properties: readonly string[]): number {
  const pairing = properties.includes(CALLBACK_PAIRING) ? scope.patches + (semantics.spec.perState && scope.states ? 1 : 0) : 0;
  return pairing + (properties.includes(SHADOW_LIFETIME) ? 1 : 0);
}

/**
 * What a lockstep is made with: the semantics (upstream by default), whether
 * it counts coverage (takeCoverage), and the properties it checks.
 */
export interface PackedLockstepOptions {
  readonly semantics?: Semantics;
  readonly coverage?: boolean;
  /**
   * The properties checked, as explore's --invariant names them (default:
   * conformance and every invariant that applies), kept in the explorer's
   * order (explorer.ts applicableProperties). Without conformance the spec
   * model is not followed from the roots on, as the explorer's
   * (run-sequence.ts: specUntilDivergence without conformance): every key is
   * the kernel's alone.
   */
  readonly properties?: readonly string[];
}

export class PackedLockstep extends PackedSpec {
  readonly kernel: PackedKernel;
  /** Conformance, then the catalog's invariants that apply to the semantics, in the catalog's order. */
  readonly properties: readonly string[];
  /** The stateless invariants' checks of a step (invariants.ts PackedCheckParts.step), each with its bit in `properties`. */
  private readonly checks: readonly PackedBitCheck[];
  /** Their checks of a new state (PackedCheckParts.state: a function of the state after the step alone; violatedByNewState). */
  private readonly stateChecks: readonly PackedBitCheck[];
  /** callback-pairing's checker, when it is checked, and its bit. */
  private readonly pairing: PackedCallbackPairing | null;
  private readonly pairingBit: number;
  /** The bit a conformance break sets, or 0 when conformance is not checked (the spec model is not followed). */
  private readonly conformanceBit: number;
  /** How many bytes at the end of every key are the checkers' memory. */
  readonly memoryBytes: number;
  /** shadow-lifetime's checker, when it applies (per-state), and its bit. */
  private readonly shadowLifetime: PackedShadowLifetime | null;
  private readonly shadowLifetimeBit: number;
  /** The kernel before and after the step; `before` is read once per expanded state (`beforeRead`). */
  private readonly before: KernelSnapshot;
  private readonly after: KernelSnapshot;
  private beforeRead = false;
  /** Whether the last step left the state as it was (step). */
  private quietStep = false;
  /** kernelPart's task columns, sorted. */
  private readonly sortedColumns: Uint32Array;
  /** The step the invariants read (check), one record filled in place. */
  private readonly checked: { -readonly [K in keyof PackedStep]: PackedStep[K] };
  /** The properties the last step violated (bits of `properties`). */
  private violated = 0;
  /** The kernel's errno of the last step. */
  private errnoOfKernel = 0;
  /** The byte set once conformance broke; the checkers' memory follows it. */
  private readonly BROKEN: number;
  /**
   * Whether every root conforms (the two sides agree before any op), found
   * at the first expansion: a quiet step's conformance rests on it
   * (lockstep()). A kernel made wrong by a test can disagree at a root;
   * then every quiet step is compared in full, as the explorer's
   * (run-sequence.ts: no quiet step from a state that did not conform).
   */
  private rootsConform: boolean | undefined;
  /**
   * Whether the last expansion's search could say which successors it has
   * stored, every root conforming: then a step from the expanded state
   * (`w`; decodePath steps its own arrays) leaves conformance's state part
   * to `settle`.
   */
  private deferring = false;
  /** The node of the step just taken when its conformance's state part is left to `settle`, else null. */
  private pendingNode: DefinitionNode | null = null;
  /** What the transitions reached (coverage.ts), when asked for. */
  private readonly coverage: PackedCoverage | null;

  /** `coverage`: count every transition's op, outcome and milestones (takeCoverage), as explore reports them. */
  constructor(scope: ExploreScope, options: PackedLockstepOptions = {}) {
    const semantics = options.semantics ?? upstream;
    const all = applicableProperties(semantics);
    const unknown = options.properties?.find((p) => !all.includes(p));
    if (unknown !== undefined) throw new Error(`packed: ${semantics.name} has no property ${unknown} to check`);
    const properties = applicableProperties(semantics, options.properties);
    super(scope, PackedKernel.bytesFor(scope) + 1 + memoryBytesFor(semantics, scope, properties), semantics);
    this.properties = properties;
    const invariants = properties.filter((p) => p !== CONFORMANCE);
    // A property's violation bit is its place in the list; one not checked has none.
    const bit = (id: string) => (properties.includes(id) ? 1 << properties.indexOf(id) : 0);
    this.conformanceBit = bit(CONFORMANCE);
    this.kernel = new PackedKernel(this.tree, this.rules, this.size);
    this.BROKEN = this.size + this.kernel.bytes;
    this.pairing = invariants.includes(CALLBACK_PAIRING)
      ? new PackedCallbackPairing(this.P, this.BROKEN + 1, semantics.spec.perState ? scope.states : 0)
      : null;
    const shadowAt = this.BROKEN + 1 + (this.pairing?.bytes ?? 0);
    this.shadowLifetime = invariants.includes(SHADOW_LIFETIME) ? new PackedShadowLifetime(this.tree, shadowAt) : null;
    this.memoryBytes = (this.pairing?.bytes ?? 0) + (this.shadowLifetime ? 1 : 0);
    if (this.memoryBytes !== memoryBytesFor(semantics, scope, properties))
      throw new Error('packed: the checkers remember another number of bytes');
    const NF = scope.functions + 1;
    this.before = new KernelSnapshot(this.kernel, this.P, this.T, NF);
    this.after = new KernelSnapshot(this.kernel, this.P, this.T, NF);
    const [before, after, events] = [this.before, this.after, this.kernel.events];
    this.checked = { before, after, node: this.tree.root, op: 0, patch: 0, errno: 0, events };
    const parts = new PackedInvariants(this.tree, this.rules).parts;
    const stateless = invariants.flatMap((id) => {
      if (id === CALLBACK_PAIRING || id === SHADOW_LIFETIME) return [];
      const checks = parts.get(id);
      if (!checks) throw new Error(`packed: the invariant ${id} has no packed check`);
      return [{ bit: bit(id), ...checks }];
    });
    this.checks = stateless.flatMap(({ bit, step }) => (step ? [{ bit, violated: step }] : []));
    this.stateChecks = stateless.flatMap(({ bit, state }) => (state ? [{ bit, violated: state }] : []));
    this.pairingBit = bit(CALLBACK_PAIRING);
    this.shadowLifetimeBit = bit(SHADOW_LIFETIME);
    this.coverage = options.coverage ? new PackedCoverage() : null;
    this.sortedColumns = new Uint32Array(scope.tasks);
  }

  /**
   * The states past a conformance break that a stored state covers
   * (covered-past-break.ts), over the search's visited set; undefined
   * without conformance, where every state is past a break from the roots on.
   */
  covering(visited: VisitedSet): CoveredPastBreak | undefined {
    if (!this.conformanceBit) return undefined;
    const reader = new PackedLockstep(this.tree.scope, { semantics: this.tree.semantics, properties: this.properties });
    return new CoveredPastBreak(reader, visited);
  }

  /** The coverage counts since the last call (coverage.ts), or undefined when the model was made without. */
  takeCoverage(): Float64Array | undefined {
    return this.coverage?.take();
  }

  override expand(
    key: Uint8Array,
    emit: (out: Uint8Array, length: number, pos: number, violated?: number) => void,
    stored?: (out: Uint8Array, length: number) => boolean,
  ): void {
    // Before the expansion, which works in the arrays the roots are made in.
    this.rootsConform ??= this.conformanceBit !== 0 && this.everyRootConforms();
    this.deferring = stored !== undefined && this.rootsConform;
    super.expand(key, (out, length, pos) => {
      if (this.pendingNode) {
        // A successor stored conformed when it was stored (settle), or is a root, which conforms: the state itself as far
        // as the search goes (PackedSpace.expand), with the step's own violations.
        if (stored!(out, length)) return emit(key, key.length, pos, this.violated);
        length = this.settle(this.pendingNode, length);
      }
      emit(out, length, pos, this.violated);
    });
  }

  protected override step(w: Uint8Array, x: Uint8Array, node: DefinitionNode, pos: number): DefinitionNode | null {
    this.violated = 0;
    this.pendingNode = null;
    const to = this.lockstep(w, x, node, pos);
    if (!to) return null;
    // decodePath steps its own arrays: only the expanded state's snapshot is kept between steps.
    if (w !== this.w || !this.beforeRead) this.before.read(w, node);
    this.beforeRead = w === this.w;
    const steps = node.list.steps;
    const op = steps.op[pos]!;
    const patch = namedPatch(op, steps.arg[pos]!, to);
    // The invariants are not checked on a quiet step (lockstep() found it), as the explorer's.
    const quiet = this.quietStep;
    if (!quiet) this.check(x, to, op, patch);
    this.coverage?.record(op, patch, this.errnoOfKernel, this.before, quiet ? this.before : this.after);
    return to;
  }

  /**
   * A walk steps outside an expansion: conformance is compared at each step
   * (no search to say which states it stored and settle() them), and the
   * roots' conformance is known for the quiet steps, as expand() knows it.
   */
  protected override prepareWalk(): void {
    this.rootsConform ??= this.conformanceBit !== 0 && this.everyRootConforms();
    this.deferring = false;
  }

  /**
   * The step's violations and, but for a quiet step, those of the state it
   * leads to (violatedByNewState: a walk stores no state, so each step asks).
   * The next step's state is the walk's `w` again, changed: `before` is read anew.
   */
  protected override walkedStep(): number {
    this.beforeRead = false;
    return this.violated | (this.quietStep ? 0 : this.violatedByNewState());
  }

  private everyRootConforms(): boolean {
    return super.roots().every((key) => {
      const node = this.decode(key);
      this.errno = 0;
      return this.conforms(this.w, node, 0);
    });
  }

  /** Without conformance the spec model is not followed from the roots on: each root is past a break already. */
  protected override initial(w: Uint8Array): void {
    if (!this.conformanceBit) w[this.BROKEN] = 1;
  }

  /** Whether the last step was quiet, as step() found: the spec model's own comparison would compare again. */
  protected override quiet(): boolean {
    return this.quietStep;
  }

  /** Checks the invariants on the step from the state `before` holds to `x` (op `op` naming `patch`), setting their bits. */
  private check(x: Uint8Array, to: DefinitionNode, op: number, patch: number): void {
    // One record for every step, filled in place: a check runs on about half the transitions.
    const step = this.checked;
    this.after.read(x, to);
    step.node = to;
    step.op = op;
    step.patch = patch;
    step.errno = this.errnoOfKernel;
    for (const c of this.checks) if (c.violated(step)) this.violated |= c.bit;
    if (this.pairing?.violated(x, this.kernel.events, this.after)) this.violated |= this.pairingBit;
    if (this.shadowLifetime?.violated(x, this.kernel.events, to, this.after)) this.violated |= this.shadowLifetimeBit;
  }

  /**
   * The properties the state of the step just emitted violates by itself
   * (bits of `properties`): the invariants' state parts (invariants.ts
   * PackedCheckParts), over the state check() read. The search asks only
   * of a successor it has not stored (PackedSpace.violatedByNewState),
   * during its emit: never of a quiet step's, which is the state itself.
   */
  violatedByNewState(): number {
    let violated = 0;
    for (const c of this.stateChecks) if (c.violated(this.checked)) violated |= c.bit;
    return violated;
  }

  /** The step on both sides (or past a break on the kernel alone), with conformance checked: a break sets its bit. */
  private lockstep(w: Uint8Array, x: Uint8Array, node: DefinitionNode, pos: number): DefinitionNode | null {
    const steps = node.list.steps;
    if (!this.kernel.applicable(w, steps, pos)) return null;
    // Past a break the kernel goes on alone; else the spec model steps first (it must take what the kernel takes).
    const following = !w[this.BROKEN];
    let to: DefinitionNode | null;
    if (following) {
      to = super.step(w, x, node, pos);
      if (!to)
        throw new Error(
          `packed: the spec model refuses op ${pos} (${JSON.stringify(node.list.ops[pos])}) that the kernel takes, in a conforming state`,
        );
    } else {
      x.set(w);
      to = steps.op[pos] === PackedOp.InsmodNew ? node.child(steps.arg[pos]!) : node;
    }
    this.errnoOfKernel = this.kernel.apply(x, to, steps, pos);
    this.quietStep = to === node && this.sameState(w, x) && this.kernel.events.none();
    // Conformance: the outcomes are the step's part, the abstract states the state's. A quiet step (the state itself:
    // the same definitions, every byte and task in place, and no kernel event, as the explorer's quiet step logs none;
    // a WARN on a step that changes nothing is checked) leaves both abstract states as they were in `w`, which conformed
    // (the roots were checked, rootsConform; any other state not past a break was reached by a step that conformed),
    // so only the outcomes are compared, as the explorer keeps a state's conformance across a quiet step
    // (run-sequence.ts). Nearly half the transitions are quiet: mostly refused writes and rmmods. On another step, in
    // an expansion whose search says which states it has (`deferring`), the abstract states are left to settle(),
    // which compares them only for a successor not stored: a stored state conformed when it was stored.
    if (!following || (this.quietStep && this.rootsConform && this.errno === this.errnoOfKernel)) return to;
    const deferring = this.deferring && w === this.w;
    if (this.errno !== this.errnoOfKernel || (!deferring && !this.conforms(x, to, this.errnoOfKernel))) this.breakConformance(x);
    else if (deferring) this.pendingNode = to;
    return to;
  }

  /** Conformance broke on the step into `x`: its bit is set, and the spec model is no longer followed (the key says so). */
  private breakConformance(x: Uint8Array): void {
    this.violated |= this.conformanceBit;
    x.fill(0, 0, this.size);
    x[this.BROKEN] = 1;
  }

  /**
   * Conformance's state part of the step just taken (lockstep()), for a
   * successor the search has not stored: when the two sides disagree, it
   * breaks, and the key (`length` bytes in `out`) is written again past the
   * break. Returns the key's length.
   */
  private settle(to: DefinitionNode, length: number): number {
    if (this.conforms(this.x, to, this.errnoOfKernel)) return length;
    this.breakConformance(this.x);
    return this.encode(this.x, to);
  }

  /**
   * The length of the spec-level key a lockstep key begins with (the spec
   * model's key: definitions, spec model, task count, spec task columns,
   * which the lockstep sorts first), or 0 past a conformance break, where the
   * spec model is not followed. Reads the key into the working state: not
   * during an expansion.
   */
  specLevelLength(key: Uint8Array): number {
    if (key[2 + 2 * key[1]!] === NO_SPEC) return 0;
    this.decodeShared(key);
    let i = this.at;
    for (let t = 0; t < this.T; t++, i++) i = this.readSpecTask(key, i, t);
    return i;
  }

  /** Whether `key` is a state past a conformance break, where the spec model is no longer followed (NO_SPEC). */
  pastBreak(key: Uint8Array): boolean {
    return key[2 + 2 * key[1]!] === NO_SPEC;
  }

  /**
   * The kernel's part of the state `key[0, length)`, written into `out`
   * (returns its length): the root and definitions, the kernel's task columns sorted as
   * byte strings, then the kernel's shared part and the checkers' memory, as
   * the key ends with them. Two states with the same part step alike on the
   * kernel's side, whatever the spec model holds (covered-past-break.ts).
   * Reads a key not past a break into the working state
   * (specLevelLength): not during an expansion of this model.
   */
  kernelPart(key: Uint8Array, out: Uint8Array, length = key.length): number {
    const defs = 2 + 2 * key[1]!;
    // The kernel's task columns begin after the spec-level key, or after the break's [NO_SPEC][task count].
    const columns = this.pastBreak(key) ? defs + 2 : this.specLevelLength(key);
    const rest = columns + KERNEL_TASK_BYTES * this.T;
    for (let i = 0; i < defs; i++) out[i] = key[i]!;
    const sorted = this.sortedColumns;
    for (let t = 0; t < this.T; t++) {
      const at = columns + KERNEL_TASK_BYTES * t;
      const c = ((key[at]! << 24) | (key[at + 1]! << 16) | (key[at + 2]! << 8) | key[at + 3]!) >>> 0;
      let j = t;
      for (; j > 0 && sorted[j - 1]! > c; j--) sorted[j] = sorted[j - 1]!;
      sorted[j] = c;
    }
    let i = defs;
    for (let t = 0; t < this.T; t++) {
      const c = sorted[t]!;
      out[i++] = c >>> 24;
      out[i++] = (c >>> 16) & 0xff;
      out[i++] = (c >>> 8) & 0xff;
      out[i++] = c & 0xff;
    }
    for (let j = rest; j < length; j++) out[i++] = key[j]!;
    return i;
  }

  /** The checkers' memory in a key (its last memoryBytes), as the catalog checkers' memory() write it, in the catalog's order. */
  memoryText(key: Uint8Array): string {
    const at = key.length - this.memoryBytes;
    const shadows = this.shadowLifetime?.text(key, at + (this.pairing?.bytes ?? 0)) ?? '';
    const pairing = this.pairing?.text(key, at) ?? '';
    return shadows && pairing ? `${shadows} ${pairing}` : shadows || pairing;
  }

  /** Whether the two sides of `s` agree after a step whose kernel op returned `kernelErrno`: outcome and abstract state (see the file's comment). */
  private conforms(s: Uint8Array, node: DefinitionNode, kernelErrno: number): boolean {
    if (this.errno !== kernelErrno) return false;
    const k = this.kernel;
    if (this.moduleLoaded(s) !== k.moduleLoaded(s) || this.shadowBits(s) !== k.shadowBits(s)) return false;
    for (let p = 1; p <= this.P; p++) {
      const loaded = this.patchLoaded(s, p);
      if (loaded !== k.patchLoaded(s, p)) return false;
      if (!loaded) continue;
      if (this.patchStatus(s, p) !== k.patchStatus(s, p)) return false;
      if (this.patchOrder(s, p) !== k.patchOrder(s, p) || this.patchForced(s, p) !== k.patchForced(s, p)) return false;
    }
    for (let t = 0; t < this.T; t++) {
      if (this.taskByte(s, t, 0) !== k.taskByte(s, t, 0) || this.taskByte(s, t, 1) !== k.taskByte(s, t, 1)) return false;
      if (this.taskByte(s, t, 2) !== k.taskByte(s, t, 2)) return false;
      for (let f = 1; f <= this.tree.scope.functions + 1; f++) if (this.runs(s, node, t, f) !== k.runs(s, t, f)) return false;
    }
    return true;
  }

  protected override decode(key: Uint8Array): DefinitionNode {
    this.beforeRead = false;
    const at = 2 + 2 * key[1]!;
    if (key[at] !== NO_SPEC) {
      const node = this.decodeShared(key);
      let i = this.at;
      for (let t = 0; t < this.T; t++, i++) i = this.readSpecTask(key, i, t);
      return this.decodeKernel(key, i, node);
    }
    this.w.fill(0);
    this.w[this.BROKEN] = 1;
    const node = this.tree.nodeOfKey(key);
    if (key[at + 1] !== this.T) throw new Error('packed: a key of another task count');
    return this.decodeKernel(key, at + 2, node);
  }

  /** Reads the kernel's task columns and shared part from key[i] to the end. */
  private decodeKernel(key: Uint8Array, i: number, node: DefinitionNode): DefinitionNode {
    for (let t = 0; t < this.T; t++) i = this.kernel.readTask(key, i, t, this.w);
    i = this.kernel.readShared(key, i, this.w);
    for (let m = 0; m < this.memoryBytes; m++) this.w[this.BROKEN + 1 + m] = key[i++]!;
    if (i !== key.length) throw new Error(`packed: a key of ${key.length} bytes, ${i} read`);
    return node;
  }

  protected override encode(s: Uint8Array, node: DefinitionNode): number {
    let i: number;
    const order = this.sortTasks(s);
    if (s[this.BROKEN]) {
      i = this.encodeDefinitions(node);
      this.out[i++] = NO_SPEC;
      this.out[i++] = this.T;
    } else {
      i = this.encodeShared(s, node);
      for (const t of order) i = this.writeSpecTask(s, t, i);
    }
    for (const t of order) i = this.kernel.writeTask(s, t, this.out, i);
    i = this.kernel.writeShared(s, node, this.out, i);
    for (let m = 0; m < this.memoryBytes; m++) this.out[i++] = s[this.BROKEN + 1 + m]!;
    return i;
  }

  protected override compareTasks(s: Uint8Array, a: number, b: number): number {
    return super.compareTasks(s, a, b) || this.kernel.column(s, a) - this.kernel.column(s, b);
  }

  protected override moveTask(w: Uint8Array, to: number, x: Uint8Array, from: number): void {
    super.moveTask(w, to, x, from);
    this.kernel.moveTask(w, to, x, from);
  }
}
