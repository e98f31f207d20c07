/**
 * An invariant of the catalog: a property checked after every step of a run
 * on what the reference implementation did (its abstract state before and
 * after, the operation, its outcome and the kernel's events). Each invariant
 * lives in its own file with a paragraph on what it means and where it comes
 * from; semantics-dependent notions (slots, who may replace whom) come from
 * the semantics.
 */
import type { PatchDef, Universe } from '../model/kernel/definitions.ts';
import type { Outcome } from '../model/kernel/errno.ts';
import type { KernelEvent } from '../model/kernel/log.ts';
import type { AbstractState } from '../model/spec/abstract-state.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type { Op } from '../harness/ops.ts';

export interface StepObservation {
  readonly index: number;
  readonly op: Op;
  readonly outcome: Outcome;
  readonly before: AbstractState;
  readonly after: AbstractState;
  /** Kernel events of this step only. */
  readonly events: readonly KernelEvent[];
  readonly semantics: Semantics;
  /** The patch definitions known so far (the explorer chooses them as patches first load). */
  readonly universe: Universe;
  /**
   * A patch as it was loaded: its definition with the attributes module
   * parameters and sysfs writes gave it (add_merge_slots=, replaceable) and
   * the states its parameters chose. Falls back to the universe's definition.
   */
  def(name: string): PatchDef;
}

/** Returns the reason of a violation, or null. */
export type StepCheck = (obs: StepObservation) => string | null;

/**
 * One run's checker. Most invariants look at one step only; a few remember
 * history (callback phases, live shadow variables). The exhaustive explorer
 * branches runs, so a checker can copy itself and show what it remembers.
 */
export interface Checker {
  readonly check: StepCheck;
  /** True when it remembers nothing (stateless()): a replay of checked steps may skip it (harness/explore/expand.ts). */
  readonly stateless?: boolean;
  clone(): Checker;
  /** What it remembers, as a string: part of an explored state's identity. */
  memory(): string;
}

/** A checker with no memory. */
export function stateless(check: StepCheck): Checker {
  return new StatelessChecker(check);
}

/** A class, not a literal with closures: every random run makes one per invariant. */
class StatelessChecker implements Checker {
  readonly stateless = true;
  constructor(readonly check: StepCheck) {}
  clone(): Checker {
    return this;
  }
  memory(): string {
    return '';
  }
}

export interface Invariant {
  /** Stable id used on the command line and in counterexample files. */
  readonly id: string;
  readonly title: string;
  /** What it means and where it comes from. */
  readonly meaning: string;
  readonly source: string;
  /** False when the semantics has nothing the invariant speaks of (e.g. no is_shadow states). */
  appliesTo(s: Semantics): boolean;
  /**
   * Why appliesTo can be false, worded to follow a semantics name in the
   * verdict matrix's n/a cells: "upstream has no is_shadow states ...".
   * Required in spirit for every invariant whose appliesTo is not `always`.
   */
  readonly whyNotApplicable?: string;
  /** A fresh checker for one run. */
  checker(): Checker;
  /**
   * Whether the explorer must check this invariant on a quiet step too: a
   * step after which the kernel's and the spec model's states are exactly as
   * before and the kernel logged no event (a refused op, a transition step
   * that cannot complete). Absent, the invariant promises that on such a
   * step it fires only if it fired on the step into that state (it reads the
   * abstract states, the events and the patches' records, and none of them
   * changed), and that its checker's memory stays as it was; the explorer,
   * and any other checked run on a step both sides refused at the door
   * (model/kernel/errno.ts refused), then skip it there
   * (harness/run-sequence.ts Lockstep.stepAll). A random run or a replay
   * skips it too on a still step (Lockstep.stillStep): no event, no
   * attribute written, and the abstract state as before, though the kernel
   * or the spec model may have changed what the abstract state does not
   * show, and the op may have succeeded where a quiet step's was refused.
   * The first violation in
   * breadth-first order is never on such a step, and a random run stops at
   * its first. test/quiet-steps.test.ts holds every invariant to that promise
   * on every quiet step of whole spaces, test/door-refusals.test.ts on every
   * door refusal and still step of random runs. Set it for an invariant that judges an op by
   * its outcome (say, "a refused load must log a reason", or module-safety's
   * "a successful rmmod of a patch that is not freed").
   */
  readonly seesUnchangedSteps?: boolean;
  /**
   * What a universe must have for this invariant to have anything to check,
   * as a noun phrase ("two patches of different owners", "a state id"), when
   * no universe within `b` has it; null when some universe does. Absent: the
   * invariant speaks of what every universe has (tasks, functions, the
   * module). A search whose scope gives it nothing to check says its pass is
   * VACUOUS IN SCOPE instead of "holds" (harness/explore/vacuity.ts, the
   * hostile-user finding of stop 31: no-silent-downgrade "held for every
   * sequence of any length" at patches=2, where no owner has two releases).
   * Judged from what the property reads, never from what a correct kernel
   * does: a violation a broken kernel shows anyway is still reported.
   */
  readonly lacks?: (b: UniverseBounds) => string | null;
  /**
   * True when it reads the patches' owners or releases (PatchDef.owners,
   * release), which nothing else in a run depends on: the explorer, which
   * names patches in the order they first load, checks it under every way
   * of giving those names the generated ones
   * (harness/explore/load-order-labels.ts).
   */
  readonly readsOwners?: true;
}

/**
 * What any universe of a search can hold, whatever the ops: the patches it
 * may define, named in load order with the owners and releases the generator
 * gives them (harness/patch-def.ts generatedOwners, generatedRelease), how
 * many state ids they may declare, and whether the universe forbids
 * downgrades (Universe.forbid_downgrade). harness/explore/vacuity.ts builds
 * it from a scope.
 */
export interface UniverseBounds {
  readonly patches: readonly Pick<PatchDef, 'name' | 'owners' | 'release'>[];
  readonly stateIds: number;
  readonly forbidDowngrade: boolean;
}

/** Invariant.lacks for an invariant about two settled patches: "two patches" when the universe has fewer. */
export const lacksTwoPatches = (b: UniverseBounds): string | null => (b.patches.length < 2 ? 'two patches' : null);

/** Invariant.lacks for an invariant about state ids: "a state id" when no patch may declare one. */
export const lacksStateIds = (b: UniverseBounds): string | null => (b.stateIds < 1 ? 'a state id' : null);

export const always = (): boolean => true;
