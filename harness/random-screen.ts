/**
 * One pass of random runs that checks every selected property of a semantics
 * at once, to tell which of them each property's own random run
 * (random-run.ts) would find violated, and, for the others, its counts.
 *
 * A property's own run is fast-check's check of that property alone, with
 * the seed and number of runs given: fast-check draws run i's universe and
 * sequence from the seed and i only (fast-check 4.10.2, src/check/runner/
 * Tosser.ts: its generator jumps once a run, and each run draws from a
 * clone), so the runs of every property draw the same sequences until one
 * fails. `klpcheck run` and `compare` ran that
 * generation and the kernel once per property, 14 times over (a third of a
 * random run's time is fast-check's generation: stop 49's profile). The
 * screen draws each sequence once, steps it once with every property
 * checked (Lockstep.stepAll: conformance, while it holds, and every
 * invariant), and notes for each property the first run that violates it
 * and the steps its own run would have applied: every step of the runs
 * before, then the failing run's steps up to the violation, as random-run.ts
 * counts them. A property found violated is then run on its own as before,
 * for fast-check's shrinking and the counterexample; one that holds is
 * reported from the screen. Measured on every semantics at 300 runs of
 * seeds 1 and 7: the same verdicts, the same failing runs and the same step
 * counts as the properties' own runs, in 1.7 and 2.5 s instead of 4.8 and
 * 5.9 s (`.scratch/screen49.ts`, stop 49); test/random-screen.test.ts
 * checks it.
 *
 * Why one run with every property finds what each property's run finds:
 * which ops apply is read off the kernel alone (kernel-preconditions.ts), so
 * every property's run applies the same ops to the same kernel states. The
 * spec model is followed until conformance breaks; an invariant's own run
 * does not follow it (random-run.ts), which makes a step quiet more often
 * (run-sequence.ts Lockstep.stepAll), and the invariants promise that a
 * quiet step never shows what the step into its state did not
 * (properties/invariant.ts seesUnchangedSteps; test/quiet-steps.test.ts).
 */
import fc from 'fast-check';
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../properties/catalog.ts';
import { commandsArb, DEFAULT_SCOPE, opOf, universeArb, type Scope } from './generators.ts';
import { Lockstep } from './run-sequence.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import type { Kernel } from '../model/kernel/kernel.ts';

/** Thrown by the screen's property once every property is found violated: fast-check stops there. */
class AllViolated extends Error {
  constructor() {
    super('every property screened is violated');
  }
}

/** What a property's own random run would find, as the screen saw it. */
export interface PropertyScreen {
  /** The first run (1, 2, ...) whose sequence violates the property, or undefined when none of them does. */
  readonly failingRun?: number;
  /** The steps the property's own run applies (RandomRunReport.steps): every step of the runs before the failing one, and the failing run's up to the violation. */
  readonly steps: number;
}

export interface ScreenOptions {
  readonly semantics: Semantics;
  /** Property ids (CONFORMANCE or an invariant's); those that do not apply to the semantics are left out of the result. */
  readonly properties: readonly string[];
  readonly runs: number;
  readonly seed: number;
  /** As RandomRunOptions.maxCommands (default 30). */
  readonly maxCommands?: number;
  readonly scope?: Scope;
  /** As RandomRunOptions.kernel: a kernel factory, so that tests can run a broken implementation. */
  readonly kernel?: (u: Universe, s: Semantics) => Kernel;
}

/** The screen's findings. */
export interface Screen {
  /** Each applicable property's PropertyScreen, by id. */
  readonly byProperty: ReadonlyMap<string, PropertyScreen>;
  /** The runs drawn: all of them, or up to the one by which every property was found violated. */
  readonly runs: number;
}

/**
 * Runs the screen: one fast-check pass of `runs` runs of seed `seed`, the
 * sequences random-run.ts draws for these options, ended early once every
 * property is found violated. Throws what the code it runs throws.
 */
export function screenProperties(o: ScreenOptions): Screen {
  const scope = o.scope ?? DEFAULT_SCOPE;
  const invariants = INVARIANTS.filter((i) => o.properties.includes(i.id) && i.appliesTo(o.semantics));
  const properties = [...(o.properties.includes(CONFORMANCE) ? [CONFORMANCE] : []), ...invariants.map((i) => i.id)];
  const steps = new Map(properties.map((p) => [p, 0]));
  const failingRun = new Map<string, number>();
  /** The properties found violated in an earlier run: no longer checked. */
  const done = new Set<string>();
  /** The invariants not done, one array while `done` stays as it is: each run's Lockstep finds what it checks by it. */
  let live = invariants;
  let run = 0;
  const prop = fc.property(universeArb(o.semantics, scope), commandsArb(o.semantics, scope, o.maxCommands ?? 30), (u, cmds) => {
    run++;
    const lockstep = new Lockstep(u, o.semantics, {
      invariants: live,
      conformance: properties.includes(CONFORMANCE) && !done.has(CONFORMANCE),
      specUntilDivergence: true,
      kernel: o.kernel,
    });
    // The step of each property's first violation in this run; such a property is not checked again in it.
    const first = new Map<string, number>();
    const skip = new Set(done);
    for (const c of cmds) {
      if (skip.size === properties.length) break;
      const op = opOf(c);
      if (!lockstep.applicable(op)) continue;
      // stepAll checks nothing in `skip`: each violation here is its property's first in this run.
      for (const v of lockstep.stepAll(op, skip)) {
        first.set(v.invariant, v.step);
        skip.add(v.invariant);
      }
    }
    for (const p of properties) {
      if (done.has(p)) continue;
      const at = first.get(p);
      // A property's own run stops at its violation, that step counted (random-run.ts).
      steps.set(p, steps.get(p)! + (at === undefined ? lockstep.steps.length : at + 1));
      if (at !== undefined) {
        failingRun.set(p, run);
        done.add(p);
        live = invariants.filter((i) => !done.has(i.id));
      }
    }
    // Every property found violated: the screen ends here. Returning true drew the remaining runs all the same, up to
    // 40 times the old per-property runs, which each stopped at their failure (helper-80, stop 49).
    if (done.size === properties.length) throw new AllViolated();
    return true;
  });
  // No shrinking: a failure is the screen's end (AllViolated) or an error of the code it runs, thrown again below.
  const details = fc.check(prop, { seed: o.seed, numRuns: o.runs, endOnFailure: true });
  // A kernel, checker or model that throws must not pass for a run that held: fast-check catches the throw as a
  // failure of the property, and the screen had reported every property holding, over the runs before (helper-80).
  if (details.failed && !(details.errorInstance instanceof AllViolated)) {
    const e = details.errorInstance;
    throw e instanceof Error ? e : new Error(`the screen of ${o.semantics.name}, seed ${o.seed}: ${String(e)}`);
  }
  const byProperty = new Map(
    properties.map((p) => [p, { steps: steps.get(p)!, ...(failingRun.has(p) ? { failingRun: failingRun.get(p)! } : {}) }]),
  );
  return { byProperty, runs: run };
}
