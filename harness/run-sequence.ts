/**
 * Runs operation sequences on the reference implementation and the spec
 * model in lockstep. After every applied step it checks conformance (same
 * outcome, same abstract state) and the selected invariants. Inapplicable
 * ops are skipped and not recorded, as fast-check skips a command whose
 * check() fails. An op's precondition is read off the reference
 * implementation (harness/kernel-preconditions.ts): while the two sides
 * conform the spec model answers alike, and after a conformance break the
 * kernel is what the invariants are checked on.
 */
import type { PatchDef, Universe } from '../model/kernel/definitions.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { firstDifference, sameState, type AbstractState } from '../model/spec/abstract-state.ts';
import { observe } from '../model/spec/observe.ts';
import { SpecModel } from '../model/spec/spec-model.ts';
import { universeFuncs } from '../model/spec/universe-view.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE } from '../properties/catalog.ts';
import type { Checker, Invariant, StepObservation } from '../properties/invariant.ts';
import { refusedAtTheDoor, type Errno, type Outcome } from '../model/kernel/errno.ts';
import type { KernelEvent } from '../model/kernel/log.ts';
import type { KPatch } from '../model/kernel/runtime.ts';
import { KernelPreconditions } from './kernel-preconditions.ts';
import { applicable, applyToKernel, applyToSpec, type Op, type OpPreconditions } from './ops.ts';

/** A step's outcome as a trace records it: ok, or the errno the kernel returned (schema/counterexample.schema.json). */
export type OutcomeName = 'ok' | Errno;

export interface TraceStep {
  readonly op: Op;
  readonly outcome: OutcomeName;
  readonly state: AbstractState;
}

export interface Violation {
  readonly step: number;
  readonly invariant: string;
  readonly reason: string;
}

export interface RunResult {
  readonly initial: AbstractState;
  readonly steps: readonly TraceStep[];
  readonly violation: Violation | null;
}

export interface RunOptions {
  readonly invariants: readonly Invariant[];
  readonly conformance: boolean;
  /** The functions the abstract states report (default: every function the universe patches). */
  readonly funcs?: readonly string[];
  /** Kernel factory, so that tests can run a deliberately broken implementation. */
  readonly kernel?: (u: Universe, s: Semantics) => Kernel;
  /**
   * Stop stepping the spec model at the first conformance break, and never
   * step it when conformance is not checked (the exhaustive explorer). Past a
   * break the spec model and the kernel go separate ways, and following both
   * explores their product; the invariants read only the kernel. The frozen
   * spec model is shared by every branch and is not part of a state's key.
   */
  readonly specUntilDivergence?: boolean;
}

const SKIP_NONE: ReadonlySet<string> = new Set();

/** An invariant a run checks: its id, and whether its checker sees unchanged steps (Invariant.seesUnchangedSteps). */
interface CheckedInvariant {
  readonly id: string;
  readonly seesUnchanged: boolean;
}

/** The invariants of a list that apply to a semantics, as a run checks them (applyingTo). */
interface Applying {
  readonly invariants: readonly Invariant[];
  readonly checked: readonly CheckedInvariant[];
  /** Each one's checker when it is stateless, which every run may share (it remembers nothing); else null. */
  readonly shared: readonly (Checker | null)[];
}

const applyingCache = new WeakMap<readonly Invariant[], WeakMap<Semantics, Applying>>();

/**
 * The invariants of `invariants` that apply to `semantics`, worked out once
 * per list and semantics: a random run makes a Lockstep per sequence, and
 * filtering the catalog and making a checker of each was a tenth of a
 * short run's checks (2026-12-07).
 */
function applyingTo(invariants: readonly Invariant[], semantics: Semantics): Applying {
  let bySemantics = applyingCache.get(invariants);
  if (!bySemantics) applyingCache.set(invariants, (bySemantics = new WeakMap()));
  let applying = bySemantics.get(semantics);
  if (!applying) {
    const list = invariants.filter((i) => i.appliesTo(semantics));
    applying = {
      invariants: list,
      checked: list.map((i) => ({ id: i.id, seesUnchanged: i.seesUnchangedSteps === true })),
      shared: list.map((i) => {
        const c = i.checker();
        return c.stateless ? c : null;
      }),
    };
    bySemantics.set(semantics, applying);
  }
  return applying;
}

/** Whether a patch's writable attributes hold `values`, in their order. */
function sameValues(writable: ReadonlyMap<string, boolean>, values: readonly boolean[]): boolean {
  if (writable.size !== values.length) return false;
  let i = 0;
  for (const v of writable.values()) if (v !== values[i++]) return false;
  return true;
}

const outcomeName = (o: Outcome): OutcomeName => (o.ok ? 'ok' : o.errno);

/** Why the spec model and the implementation disagree after a step, or null when they agree (outcome, then abstract state). */
function conformanceReason(specOutcome: string, implOutcome: string, spec: SpecModel, impl: AbstractState): string | null {
  if (specOutcome !== implOutcome) return `the spec says ${specOutcome}, the implementation returned ${implOutcome}`;
  // The spec model's abstract state is built only to say where they differ.
  if (spec.matches(impl)) return null;
  const d = firstDifference(spec.abstract(), impl);
  if (!d) return null;
  return `at ${d.path} the spec has ${shownValue(d.spec)}, the implementation ${shownValue(d.impl)}`;
}

/** A value of an abstract state as a reason quotes it: JSON, or "nothing" where one side has no value (a list shorter than the other's), which read "undefined" (helper-125). */
const shownValue = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** One run in progress: the kernel, the spec model and the invariants' checkers. */
export class Lockstep {
  readonly kernel: Kernel;
  readonly spec: SpecModel;
  readonly initial: AbstractState;
  readonly steps: TraceStep[] = [];
  violation: Violation | null = null;
  private following: boolean;
  /** Which ops the kernel lets a test run now. */
  readonly preconditions: OpPreconditions;
  private before: AbstractState;
  private readonly funcs: readonly string[];
  /** The checked invariants (shared by every branch of one run). */
  private readonly checked: readonly CheckedInvariant[];
  /** Their checkers, in the same order: this run's own (stateless ones are shared). */
  private readonly checkers: readonly Checker[];
  /** The last memory() with the checkers' memories it joined (a branch starts with its origin's). */
  private memo: { readonly parts: readonly string[]; readonly joined: string } | null = null;
  /** Whether the last step was quiet (stepChecking): a still one is not, as the kernel may have changed. */
  private lastQuiet = false;
  /**
   * Whether the state was reached or kept by a step whose invariants were
   * checked (false at a fresh run's initial state): only then may a quiet or
   * still step skip them, as each promises to fire there only if it fired on
   * the step into the state. A kernel that boots in a state an invariant
   * refuses, whose first step was still, was passed (helper-123).
   */
  private checkedInto = false;
  /** Whether conformance was checked and held on the current state (a quiet step keeps it). */
  private conformed: boolean;
  /** loadedDef's records by loaded patch, with the writable attributes' values each was made with. */
  private readonly loadedDefs = new WeakMap<KPatch, { readonly def: PatchDef; readonly writable: readonly boolean[] }>();

  constructor(
    readonly universe: Universe,
    readonly semantics: Semantics,
    private readonly opts: RunOptions,
    /** A branch of another run (see branch()). */
    from?: Lockstep,
  ) {
    this.funcs = opts.funcs ?? universeFuncs(universe);
    if (from) {
      this.kernel = from.kernel.clone(universe);
      this.following = from.following;
      this.spec = from.following ? from.spec.clone(universe) : from.spec;
      this.checked = from.checked;
      const checkers: Checker[] = [];
      for (const c of from.checkers) checkers.push(c.clone());
      this.checkers = checkers;
      this.memo = from.memo;
      this.conformed = from.conformed;
      this.checkedInto = from.checkedInto;
      this.initial = from.before;
    } else {
      this.kernel = opts.kernel ? opts.kernel(universe, semantics) : new Kernel(universe, semantics.hooks);
      this.spec = new SpecModel(universe, semantics, this.funcs);
      this.following = !opts.specUntilDivergence || opts.conformance;
      const applying = applyingTo(opts.invariants, semantics);
      this.checked = applying.checked;
      this.checkers = applying.shared.map((c, i) => c ?? applying.invariants[i]!.checker());
      this.initial = observe(this.kernel, semantics, this.funcs);
      this.conformed = this.following && this.spec.matches(this.initial);
    }
    this.before = this.initial;
    this.preconditions = new KernelPreconditions(this.kernel);
  }

  /**
   * An independent copy that goes on from here, with no recorded steps; its
   * universe may know more patches (the explorer chooses definitions lazily).
   */
  branch(universe: Universe = this.universe): Lockstep {
    return new Lockstep(universe, this.semantics, this.opts, this);
  }

  /** Whether the spec model is still stepped (see RunOptions.specUntilDivergence). */
  get followsSpec(): boolean {
    return this.following;
  }

  /** The abstract state after the last step. */
  get current(): AbstractState {
    return this.before;
  }

  /** What the checkers remember, for a state's identity. */
  memory(): string {
    // The checkers' memories joined by '|'. The explorer asks after every transition, and most leave every
    // checker's memory as it was (the same string): then the last join stands, and no string is built.
    const cs = this.checkers;
    const memo = this.memo;
    if (memo) {
      // A stateless checker's memory is always '': only the others can have changed.
      let same = true;
      for (let i = 0; same && i < cs.length; i++) same = cs[i]!.stateless === true || cs[i]!.memory() === memo.parts[i];
      if (same) return memo.joined;
    }
    const parts: string[] = [];
    for (const c of cs) parts.push(c.memory());
    this.memo = { parts, joined: parts.join('|') };
    return this.memo.joined;
  }

  /** A patch as loaded (invariant.ts StepObservation.def): the kernel's record when there is one. */
  loadedDef(name: string): PatchDef {
    const p = this.kernel.patch(name);
    if (!p) {
      const base = this.universe.patches.find((d) => d.name === name);
      if (!base) throw new Error(`patch ${name} is not in the universe`);
      return base;
    }
    // Made once per loaded patch and kept while its writable attributes keep their values (all else is fixed at load).
    const kept = this.loadedDefs.get(p);
    if (kept && sameValues(p.writable, kept.writable)) return kept.def;
    const def = { ...p.def, attrs: { ...p.attrs, ...Object.fromEntries(p.writable) }, states: p.states.map((s) => s.def) };
    this.loadedDefs.set(p, { def, writable: [...p.writable.values()] });
    return def;
  }

  applicable(op: Op): boolean {
    return applicable(op, this.preconditions);
  }

  /**
   * Applies an applicable op to both sides and checks every property, going
   * on past violations; the explorer wants each property's first violation.
   * `skip` names properties no longer worth checking.
   *
   * `unchanged` (the explorer's) is asked only when the kernel logged no
   * event and both sides returned the same outcome from a conforming state;
   * true says the kernel's and the spec model's states are exactly as before
   * (expand.ts compares packed keys with every task in place). Without it (a
   * random run, a replay), a step is as quiet when both sides refused it at
   * the door (model/kernel/errno.ts refused: the module already loaded, the
   * patch not in transition ...), which touches neither state; a random run
   * meets one in about a third of its steps. Such a quiet
   * step keeps the abstract state before, so conformance holds as it did, and
   * the invariants are skipped unless they ask to see unchanged steps
   * (properties/invariant.ts Invariant.seesUnchangedSteps): nothing they read
   * has changed. test/quiet-steps.test.ts checks that claim on every quiet
   * step of whole spaces. Without `unchanged`, a still step (stillStep)
   * skips the same invariants, but conformance is checked in full.
   */
  stepAll(op: Op, skip: ReadonlySet<string> = SKIP_NONE, unchanged?: () => boolean): Violation[] {
    return this.stepChecking(op, skip, unchanged, false);
  }

  /**
   * Applies an op already checked on this path, to rebuild a state (the
   * explorer's replay): conformance and the checkers that remember are
   * stepped, as a state's identity needs them; the stateless ones are not.
   */
  replay(op: Op): void {
    this.stepChecking(op, SKIP_NONE, undefined, true);
  }

  /**
   * After a quiet step (stepAll), this run is its state before the step
   * again: the step is dropped, as is what the kernel logged, so the
   * explorer can take the next op from it instead of a new branch. The
   * state is the same as far as the packed key sees (state-key.ts), which is
   * what the visited set already takes a state to be.
   */
  forgetQuietStep(): void {
    const last = this.steps.pop();
    if (!last || !this.lastQuiet || this.kernel.core.log.events.length) throw new Error('forgetQuietStep: the last step was not quiet');
    this.kernel.core.log.clear();
  }

  /**
   * Whether a step of a random run or a replay (no `unchanged`: stepAll)
   * that is not quiet is still: the kernel logged no event, the op wrote no
   * attribute (set_attr is the one op that changes a patch's record,
   * loadedDef, and no abstract state shows it), and the abstract state
   * after is equal to the one before. The kernel may have changed what no
   * abstract state shows (a task's place in a function, a transition's
   * retry count), and the spec model its own state: conformance is checked
   * in full. Every input of a checker but the op and its outcome is as
   * before: the abstract states, the events (none) and the patches'
   * records. An invariant that judges an op by its outcome (module-safety:
   * a successful rmmod) asks to see unchanged steps
   * (Invariant.seesUnchangedSteps), as a still step's op, unlike a quiet
   * one's, may have succeeded; each other one fires only if it fired on the
   * step into this state, and keeps its memory: it is skipped, as on a
   * quiet step. In a random run of upstream a third of the steps that are
   * not quiet are still: a task runs or sleeps, a transition step that
   * cannot complete, a load refused past the door with no log line
   * (2026-12-07). test/door-refusals.test.ts checks every still step of
   * random runs of every semantics in full.
   */
  private stillStep(op: Op, outcome: Outcome, from: number, after: AbstractState): boolean {
    return this.kernel.core.log.events.length === from && !(op.op === 'set_attr' && outcome.ok) && sameState(after, this.before);
  }

  private stepChecking(op: Op, skip: ReadonlySet<string>, unchanged: (() => boolean) | undefined, replay: boolean): Violation[] {
    const from = this.kernel.core.log.events.length;
    const implOutcome = applyToKernel(op, this.kernel);
    const specOutcome = this.following ? applyToSpec(op, this.spec) : null;
    const implName = outcomeName(implOutcome);
    const quiet =
      this.kernel.core.log.events.length === from &&
      (specOutcome === null || (this.conformed && outcomeName(specOutcome) === implName)) &&
      (unchanged !== undefined ? unchanged() : refusedAtTheDoor(implOutcome) && (specOutcome === null || refusedAtTheDoor(specOutcome)));
    // observe is a function of the kernel's state: unchanged, it gives the state before.
    let after = quiet ? this.before : observe(this.kernel, this.semantics, this.funcs);
    this.lastQuiet = quiet;
    // A still step (stillStep): what the checkers read is as before, so they are skipped as on a quiet one.
    const still = quiet || (unchanged === undefined && this.checkers.length !== 0 && this.stillStep(op, implOutcome, from, after));
    if (still) after = this.before;
    const skipUnchanged = still && this.checkedInto;
    this.checkedInto = true;
    const index = this.steps.length;
    this.steps.push({ op, outcome: implName, state: after });
    const found: Violation[] = [];
    if (!quiet && specOutcome && this.opts.conformance && !skip.has(CONFORMANCE)) {
      const reason = conformanceReason(outcomeName(specOutcome), implName, this.spec, after);
      this.conformed = reason === null;
      if (reason) {
        found.push({ step: index, invariant: CONFORMANCE, reason });
        if (this.opts.specUntilDivergence) this.following = false;
      }
    }
    // Made for the first checker that runs: none may (a run checked for conformance alone, a still step), and then no
    // log is copied.
    let obs: Observation | null = null;
    for (let i = 0; i < this.checkers.length; i++) {
      const { id, seesUnchanged } = this.checked[i]!;
      const checker = this.checkers[i]!;
      if ((skip.size !== 0 && skip.has(id)) || (skipUnchanged && !seesUnchanged) || (replay && checker.stateless)) continue;
      obs ??= new Observation(index, op, implOutcome, this.before, after, this.kernel.core.log.events.slice(from), this);
      const reason = checker.check(obs);
      if (reason) found.push({ step: index, invariant: id, reason });
    }
    this.before = after;
    return found;
  }

  /** Applies an applicable op to both sides and checks; returns the first violation, if any, and keeps it. */
  step(op: Op): Violation | null {
    const first = this.stepAll(op)[0] ?? null;
    if (first) this.violation = first;
    return first;
  }

  result(): RunResult {
    return { initial: this.initial, steps: this.steps, violation: this.violation };
  }
}

/**
 * One step as the checkers see it (properties/invariant.ts), made once per
 * checked transition.
 */
class Observation implements StepObservation {
  /** Several checkers ask for the same patches: each record is built once per step (made on the first ask). */
  private defs: Map<string, PatchDef> | null = null;
  readonly semantics: Semantics;
  readonly universe: Universe;

  constructor(
    readonly index: number,
    readonly op: Op,
    readonly outcome: Outcome,
    readonly before: AbstractState,
    readonly after: AbstractState,
    readonly events: readonly KernelEvent[],
    private readonly run: Lockstep,
  ) {
    this.semantics = run.semantics;
    this.universe = run.universe;
  }

  def(name: string): PatchDef {
    const defs = (this.defs ??= new Map());
    let d = defs.get(name);
    if (!d) defs.set(name, (d = this.run.loadedDef(name)));
    return d;
  }
}

export function runSequence(universe: Universe, semantics: Semantics, ops: readonly Op[], opts: RunOptions): RunResult {
  const run = new Lockstep(universe, semantics, opts);
  for (const op of ops) if (run.applicable(op) && run.step(op)) break;
  return run.result();
}
