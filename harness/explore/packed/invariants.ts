/**
 * The catalog's invariants (properties/) over the packed kernel: each a
 * second statement of the catalog's checker for the explorer's universes, over what the catalog's checkers read: the
 * kernel's state before and after a step (kernel-snapshot.ts, as observe.ts
 * makes the abstract state), the op and its outcome, and the kernel's
 * events (kernel.ts KernelStepEvents). The ones that remember are
 * callback-pairing.ts and shadow-lifetime.ts.
 *
 * What the semantics decide, these ask the semantics' own code for
 * (replace-rules.ts): its slots (Semantics.slotOf), whom a patch declares it
 * takes over (SpecRule.authorizes), and whether the admin asked for a
 * removal (owners.ts adminAsked: the rule lets the patches as they are now
 * and not as built, or a writable attribute such as hybrid mode's
 * replaceable differs from the definition's). What the explorer's universes
 * settle, and so these leave out (each check's comment says which part):
 * - a patch as loaded is its definition but for its writable attributes:
 *   the explorer loads patches without module parameters;
 * - the patches' load order (no-lost-fix's "newer"): two patches on
 *   klp_patches at once are there in their load order, since a patch joins
 *   klp_patches at its load and a module is loaded again only after its
 *   patch left; a patch loaded at the step is the newest.
 *
 * Like the explorer, the lockstep checks them on every transition but a
 * quiet one (the state unchanged, every task in place, no event), where
 * none can fire unless it fired on the step into the state
 * (properties/invariant.ts seesUnchangedSteps). module-safety asks to see
 * such steps, for a successful rmmod that changes nothing the abstract
 * state shows (a broken object kernel's); here a successful rmmod always
 * takes its module out of the state, so no quiet step is one, and
 * test/quiet-steps.test.ts checks the object explorer's. A check that reads only the
 * state after the step (PackedCheckParts.state) is asked once per state, of
 * the step that first reaches it, which is where a breadth-first search
 * finds its shortest violation.
 */
import { ABSENT, IDLE, ORIGINAL, PatchStatusCode } from './codes.ts';
import type { DefinitionNode, DefinitionTree } from './definition-tree.ts';
import { PackedOp } from './definition-tree.ts';
import { KernelSnapshot, NOT_LOADED } from './kernel-snapshot.ts';
import type { KernelStepEvents } from './kernel.ts';
import type { PackedReplaceRules } from './replace-rules.ts';
import { loadOrderLabelings, type LoadOrderLabels } from '../load-order-labels.ts';
import { foreign } from '../../../properties/owners.ts';

/** One step as the invariants see it. */
export interface PackedStep {
  readonly before: KernelSnapshot;
  readonly after: KernelSnapshot;
  /** The definitions after the step (an insmod of a new patch adds its own). */
  readonly node: DefinitionNode;
  /** The op (PackedOp) and the patch it names, 1..P, or 0 when it names none (a task op, the target module). */
  readonly op: number;
  readonly patch: number;
  /** The kernel's errno for it, 0 for success. */
  readonly errno: number;
  readonly events: KernelStepEvents;
}

/** An invariant's packed check: true when the step violates it. */
type PackedCheck = (step: PackedStep) => boolean;

/**
 * A test of two patches at a step: their definition rows and numbers
 * (settledPair's two settled patches, removal's remover and removed). The
 * step is an argument, not captured, so that each test is one function made
 * with the checks, not a closure made on every step.
 */
type PairTest = (st: PackedStep, a: number, b: number, p: number, q: number) => boolean;

/**
 * An invariant's check in two parts, either absent: `step` reads the step
 * (the state before, the op, its outcome, the events); `state` reads only
 * the state after it (`after` and `node`), so it gives the same answer on
 * every step into one state, and a search asks it only of a state it has
 * not stored yet (PackedSpace.violatedByNewState). The first step in
 * breadth-first order into a state that violates it is the one that finds
 * that state new, so the shortest violation is the same; roots hold no
 * patch, and violate none (test/packed-state-checks.test.ts holds every
 * semantics to the search that asks the state part of every step).
 */
export interface PackedCheckParts {
  readonly step?: PackedCheck;
  readonly state?: PackedCheck;
}

/** The patch an op names (the module of an insmod or rmmod of a patch, the file of a sysfs write), or 0. */
export function namedPatch(op: number, arg: number, node: DefinitionNode): number {
  switch (op) {
    case PackedOp.InsmodPatch:
    case PackedOp.RmmodPatch:
    case PackedOp.Disable:
    case PackedOp.Enable:
    case PackedOp.Force:
    case PackedOp.SetAttr:
      return arg;
    case PackedOp.InsmodNew:
      return node.defPos.length;
    default:
      return 0;
  }
}

export class PackedInvariants {
  /** The checks by invariant id, in their two parts. */
  readonly parts: ReadonlyMap<string, PackedCheckParts>;
  private readonly settled: Uint8Array;
  /**
   * At [p * (P + 1) + q], 1 when patches p and q share no owner (foreignAt),
   * and when p is an older release of q's owner (olderAt), in some order the
   * patches may first load in (load-order-labels.ts). The owner properties
   * each ask whether some pair of patches does something, so "in some
   * order, some pair" is "some pair, in some order": the orders are folded
   * into these tables once, and a check reads them as it read one order.
   */
  private readonly foreignAt: Uint8Array;
  private readonly olderAt: Uint8Array;
  private readonly P: number;
  private readonly T: number;
  private readonly NF: number;

  /** `labelings`: the load orders' owners and releases the owner properties are checked under (tests give one). */
  constructor(
    private readonly tree: DefinitionTree,
    private readonly rules: PackedReplaceRules,
    labelings: readonly LoadOrderLabels[] = loadOrderLabelings(tree.scope.patches),
  ) {
    const { patches, tasks, functions } = tree.scope;
    [this.P, this.T, this.NF] = [patches, tasks, functions + 1];
    this.settled = new Uint8Array(patches);
    this.foreignAt = new Uint8Array((patches + 1) ** 2);
    this.olderAt = new Uint8Array((patches + 1) ** 2);
    for (const l of labelings)
      for (let p = 1; p <= patches; p++)
        for (let q = 1; q <= patches; q++) {
          const apart = foreign({ owners: l.owners[p - 1] }, { owners: l.owners[q - 1] });
          if (apart) this.foreignAt[p * (patches + 1) + q] = 1;
          else if (l.releases[p - 1]! < l.releases[q - 1]!) this.olderAt[p * (patches + 1) + q] = 1;
        }
    // Each pair test is made here, once: a closure made inside a check would be made again on every step.
    const anySettledPair =
      (test: PairTest): PackedCheck =>
      (st) =>
        this.settledPair(st, test);
    const foreignRemoval: PairTest = (st, by, of, p, q) => this.foreign(p, q) && !this.rules.adminAsked(st.node, p, q, this.attrsNow(st));
    const foreignOverlap = anySettledPair((_, a, b, p, q) => this.foreign(p, q) && (this.shareFunction(a, b) || this.shareState(a, b)));
    const downgrade: PackedCheck = (st) => this.downgrade(st);
    const removal: PackedCheck = (st) => this.removal(st, foreignRemoval);
    this.parts = new Map<string, PackedCheckParts>([
      // Two settled patches in one slot; or in two slots, a function or a state id of both.
      ['one-active-patch-per-slot', { state: anySettledPair((st, a, b, p, q) => this.sameSlot(st.node, p, q)) }],
      [
        'no-function-shared-across-slots',
        { state: anySettledPair((st, a, b, p, q) => !this.sameSlot(st.node, p, q) && this.shareFunction(a, b)) },
      ],
      [
        'no-state-shared-across-slots',
        { state: anySettledPair((st, a, b, p, q) => !this.sameSlot(st.node, p, q) && this.shareState(a, b)) },
      ],
      ['no-silent-version-switch', { step: (st) => this.silentSwitch(st) }],
      ['no-lost-fix', { step: (st) => this.lostFix(st) }],
      // A WARN is the step's; the rest is the state's.
      ['transition-sanity', { step: (st) => st.events.warned, state: (st) => this.transitionSanity(st) }],
      ['module-safety', { step: (st) => this.moduleSafety(st) }],
      // The owner properties: under every load order's owners and releases (foreignAt, olderAt).
      ['no-foreign-removal', { step: removal }],
      // Two settled patches that share no owner, and a function or a state id.
      ['no-foreign-overlap', { state: foreignOverlap }],
      ['no-silent-downgrade', { step: downgrade }],
      ['block-disable-honoured', { step: (st) => this.blockDisableBroken(st) }],
    ]);
  }

  private row(node: DefinitionNode, k: number): number {
    return node.rows[k]!;
  }

  /**
   * The patches' writable attribute values after the step as the checkers
   * see them (run-sequence.ts loadedDef): the kernel's for a loaded patch,
   * the definition's for one whose module is not loaded.
   */
  private attrsNow(st: PackedStep): number {
    let bits = st.after.attrBits;
    const rows = st.node.rows;
    for (let p = 1; p < rows.length; p++) if (st.after.status[p] === NOT_LOADED) bits |= this.tree.writableBits[rows[p]!]! << (4 * (p - 1));
    return bits;
  }

  /** Whether patches p and q share no owner (owners.ts foreign) in some load order (foreignAt). */
  private foreign(p: number, q: number): boolean {
    return this.foreignAt[p * (this.P + 1) + q] === 1;
  }

  /** Whether patch k's definition patches function byte f. */
  private patches(node: DefinitionNode, k: number, f: number): boolean {
    return (this.tree.funcs[this.row(node, k)]! & (1 << (f - 1))) !== 0;
  }

  /** The step is k's own sysfs write to `enabled` (removals.ts ownWrite). */
  private ownWrite(st: PackedStep, k: number): boolean {
    return (st.op === PackedOp.Disable || st.op === PackedOp.Enable) && st.patch === k;
  }

  /**
   * Whether `bad` holds for two settled patches after the step, given their
   * definition rows and their numbers (properties/settled.ts: enabled, which
   * the status says only of one listed and not in transition).
   */
  private settledPair(st: PackedStep, bad: PairTest): boolean {
    let n = 0;
    for (let p = 1; p <= this.P; p++) if (st.after.status[p] === PatchStatusCode.Enabled) this.settled[n++] = p;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const [p, q] = [this.settled[i]!, this.settled[j]!];
        if (bad(st, this.row(st.node, p), this.row(st.node, q), p, q)) return true;
      }
    return false;
  }

  /** Whether definition rows a and b share a function. */
  private shareFunction(a: number, b: number): boolean {
    return (this.tree.funcs[a]! & this.tree.funcs[b]!) !== 0;
  }

  /** Whether definition rows a and b declare a state id in common. */
  private shareState(a: number, b: number): boolean {
    return (this.tree.states[a]! & this.tree.states[b]!) !== 0;
  }

  /**
   * block-disable-honoured (per-state, facts C.4): a state id on klp_patches
   * before the step is gone after it, and every patch on klp_patches before
   * the step that declares it declares it with block_disable.
   */
  private blockDisableBroken(st: PackedStep): boolean {
    const gone = st.before.states & ~st.after.states;
    if (!gone) return false;
    const { states, blockDisable } = this.tree;
    let declared = 0;
    let unblocked = 0;
    for (let p = 1; p <= this.P; p++) {
      if (!st.before.order[p]) continue;
      const row = this.row(st.node, p);
      declared |= states[row]!;
      unblocked |= states[row]! & ~blockDisable[row]!;
    }
    return (gone & declared & ~unblocked) !== 0;
  }

  /** Whether patches p and q are in one slot (Semantics.slotOf; upstream: the cumulative slot holds the replace patches, every other patch has its own). */
  private sameSlot(node: DefinitionNode, p: number, q: number): boolean {
    return this.rules.slot(node, p) === this.rules.slot(node, q);
  }

  /**
   * transition-sanity's state part (its step part: no WARN): at most one
   * patch in transition; none stale (on klp_patches but neither enabled nor
   * in transition) nor freed and still listed; every task idle outside a
   * transition.
   */
  private transitionSanity(st: PackedStep): boolean {
    const a = st.after;
    let moving = 0;
    for (let p = 1; p <= this.P; p++) {
      if (a.inTransition(p)) moving++;
      else if (a.status[p] === PatchStatusCode.Stale || (a.status[p] === PatchStatusCode.Freed && a.order[p]! > 0)) return true;
    }
    if (moving > 1) return true;
    if (!moving) for (let t = 0; t < this.T; t++) if (a.taskState[t] !== IDLE) return true;
    return false;
  }

  /** module-safety: a patch's module was removed while its patch was not freed, or was forced. */
  private moduleSafety(st: PackedStep): boolean {
    if (st.op !== PackedOp.RmmodPatch || st.errno) return false;
    const s = st.before.status[st.patch];
    return s !== NOT_LOADED && (s !== PatchStatusCode.Freed || st.before.forced[st.patch] === 1);
  }

  /** Whether some task runs other code in some function after the step (no-silent-version-switch.ts firstChange). */
  private anyChange(st: PackedStep): boolean {
    const a = st.after.code;
    const b = st.before.code;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
    return false;
  }

  /**
   * The functions the step's transitions cover, as bits (function byte f at
   * bit f - 1): what a patch in transition before or after the step, or the
   * op's own patch, patches, and, when there is such a patch, what the
   * patches on klp_patches before the step patch (its nops).
   */
  private covered(st: PackedStep): number {
    const { before, after, node } = st;
    let covering = 0;
    let any = false;
    const funcs = this.tree.funcs;
    for (let p = 1; p <= this.P; p++)
      if (before.inTransition(p) || after.inTransition(p) || p === st.patch) {
        covering |= funcs[this.row(node, p)]!;
        any = true;
      }
    if (!any) return 0;
    for (let p = 1; p <= this.P; p++) if (before.order[p]) covering |= funcs[this.row(node, p)]!;
    return covering;
  }

  /**
   * no-silent-version-switch: a task runs other code in a function (neither
   * side absent) without having switched at the step in a transition that
   * covers the function.
   */
  private silentSwitch(st: PackedStep): boolean {
    if (!this.anyChange(st)) return false;
    const NF = this.NF;
    let covered = -1;
    for (let t = 0; t < this.T; t++)
      for (let f = 1; f <= NF; f++) {
        const from = st.before.code[t * NF + f - 1]!;
        const to = st.after.code[t * NF + f - 1]!;
        if (from === to || from === ABSENT || to === ABSENT) continue;
        if (!(st.events.switched & (1 << t))) return true;
        if (covered < 0) covered = this.covered(st);
        if (!(covered & (1 << (f - 1)))) return true;
      }
    return false;
  }

  /**
   * no-lost-fix: a task stops running patch pk's fix of a function (it runs
   * other code, and the function did not go with its module) while pk is
   * not leaving (in transition, or its own sysfs write), the new code is not
   * a newer patch's fix of that function, and no other patch replacing at
   * the step (in transition to patched, or loaded at the step) is a replace
   * patch that declares it takes over pk's fixes (SpecRule.authorizes; upstream: any replace patch).
   */
  private lostFix(st: PackedStep): boolean {
    if (!this.anyChange(st)) return false;
    const { before, after, node } = st;
    const NF = this.NF;
    // The patch loaded at the step, or 0. Not a closure: tsx names every named closure as it is made (esbuild's
    // keepNames), which cost 3.5% of upstream's lockstep search when this was one.
    const loadedAtStep = st.op === PackedOp.InsmodPatch || st.op === PackedOp.InsmodNew ? st.patch : 0;
    // The patches' attribute values after the step: read once, on the first question (a fix rarely stops).
    let attrs: number | undefined;
    for (let t = 0; t < this.T; t++)
      for (let f = 1; f <= NF; f++) {
        const from = before.code[t * NF + f - 1]!;
        const to = after.code[t * NF + f - 1]!;
        if (from === to || from === ORIGINAL || from === ABSENT || to === ABSENT) continue;
        const k = from - 1;
        if (before.inTransition(k) || after.inTransition(k) || this.ownWrite(st, k)) continue;
        if (to !== ORIGINAL) {
          const j = to - 1;
          // Newer: loaded at the step, or after pk on klp_patches (the file's comment).
          const newer = before.order[j] === 0 || before.order[j]! > before.order[k]!;
          if (newer && this.patches(node, j, f)) continue;
        }
        let authorized = false;
        for (let r = 1; r <= this.P && !authorized; r++) {
          if (r === k) continue;
          const patching = before.status[r] === PatchStatusCode.Patching || after.status[r] === PatchStatusCode.Patching;
          const loading = r === loadedAtStep && (before.status[r] !== NOT_LOADED || after.status[r] !== NOT_LOADED);
          authorized = (patching || loading) && this.rules.authorizes(node, r, k, (attrs ??= this.attrsNow(st)));
        }
        if (!authorized) return true;
      }
    return false;
  }

  /**
   * Whether some removal at the step (properties/removals.ts) is one that
   * `bad(by, of)` names: a patch enabled and listed before the step that
   * another patch's completed transition to patched took off (replaced
   * and freed), or, while another patch is in transition to patched, whose
   * fix of a function a task stopped running for the original code (nopped
   * away). A patch's own sysfs write is not a removal.
   */
  private removal(st: PackedStep, bad: PairTest): boolean {
    const { before, after, node } = st;
    let completed = 0;
    let patching = 0;
    for (let p = 1; p <= this.P; p++) {
      if (!completed && after.status[p] === PatchStatusCode.Enabled) {
        const fresh = (st.op === PackedOp.InsmodPatch || st.op === PackedOp.InsmodNew) && st.patch === p && before.status[p] === NOT_LOADED;
        if (before.status[p] === PatchStatusCode.Patching || fresh) completed = p;
      }
      if (!patching && after.status[p] === PatchStatusCode.Patching) patching = p;
    }
    if (!completed && !patching) return false;
    for (let p = 1; p <= this.P; p++) {
      if (before.status[p] !== PatchStatusCode.Enabled || this.ownWrite(st, p)) continue;
      const s = after.status[p];
      const gone = s === NOT_LOADED || after.order[p] === 0 || (s !== PatchStatusCode.Enabled && s !== PatchStatusCode.Unpatching);
      if (gone && completed && bad(st, this.row(node, completed), this.row(node, p), completed, p)) return true;
      if (gone || !patching || patching === p || !bad(st, this.row(node, patching), this.row(node, p), patching, p)) continue;
      for (let i = 0; i < before.code.length; i++) if (before.code[i] === 1 + p && after.code[i] === ORIGINAL) return true;
    }
    return false;
  }

  /** A removal by an older release of the removed patch's owner (downgrade). */
  private readonly olderRemoves: PairTest = (_, by, of, p, q) => this.older(p, q);

  /** Whether patch `by` is an older release of the same owner as patch `of` (no-silent-downgrade.ts downgrade) in some load order (olderAt). */
  private older(by: number, of: number): boolean {
    return this.olderAt[by * (this.P + 1) + of] === 1;
  }

  /**
   * no-silent-downgrade, in a universe that forbids downgrades: an older
   * release of an owner removed a newer one's fixes, or a task runs an older
   * release's code of a function in place of a newer one's (not at the
   * newer one's own sysfs write).
   */
  private downgrade(st: PackedStep): boolean {
    if (!this.tree.forbidDowngrade) return false;
    if (this.removal(st, this.olderRemoves)) return true;
    const { before, after, node } = st;
    for (let i = 0; i < before.code.length; i++) {
      const from = before.code[i]!;
      const to = after.code[i]!;
      if (from === to || from < 2 || to < 2) continue;
      const [k, j] = [from - 1, to - 1];
      if (before.status[k] === NOT_LOADED || after.status[j] === NOT_LOADED || this.ownWrite(st, k)) continue;
      if (this.older(j, k)) return true;
    }
    return false;
  }
}
