/**
 * Random model-based runs: fast-check generates a universe and an fc.commands
 * sequence, runs it in lockstep, shrinks any failure, and the shrunk sequence
 * is re-run deterministically to produce the counterexample trace. Each
 * property (conformance or one invariant) is checked on its own, so that a
 * semantics whose implementation departs from its spec still gets a minimal
 * counterexample for every invariant it breaks.
 */
import fc from 'fast-check';
import type { Universe } from '../model/kernel/definitions.ts';
import type { Kernel } from '../model/kernel/kernel.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE } from '../properties/catalog.ts';
import type { Invariant } from '../properties/invariant.ts';
import { commandsArb, DEFAULT_SCOPE, opOf, universeArb, type Scope } from './generators.ts';
import type { Op } from './ops.ts';
import { minimize } from './minimize.ts';
import { Lockstep, runSequence, type RunResult } from './run-sequence.ts';

export interface RandomRunOptions {
  readonly semantics: Semantics;
  /** An invariant, or null for the conformance property. */
  readonly invariant: Invariant | null;
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands?: number;
  readonly scope?: Scope;
  readonly kernel?: (u: Universe, s: Semantics) => Kernel;
}

export interface RandomFailure {
  readonly universe: Universe;
  readonly ops: readonly Op[];
  readonly result: RunResult;
  readonly path: string;
  /** Applied ops in the first failing sequence, before shrinking. */
  readonly shrunkFrom: number;
}

export interface RandomRunReport {
  readonly property: string;
  readonly seed: number;
  readonly runs: number;
  /** Steps applied over all runs (shrinking excluded). */
  readonly steps: number;
  readonly failure: RandomFailure | null;
}

export function randomRun(o: RandomRunOptions): RandomRunReport {
  const scope = o.scope ?? DEFAULT_SCOPE;
  // An invariant's run reads the kernel's side only: the spec model is not stepped (RunOptions.specUntilDivergence).
  const runOpts = { invariants: o.invariant ? [o.invariant] : [], conformance: !o.invariant, kernel: o.kernel, specUntilDivergence: true };
  let steps = 0;
  // Runs after the first failure are fast-check shrinking: not counted as coverage.
  let firstFailureLength = 0;
  const prop = fc.property(universeArb(o.semantics, scope), commandsArb(o.semantics, scope, o.maxCommands ?? 30), (u, cmds) => {
    const run = new Lockstep(u, o.semantics, runOpts);
    try {
      fc.modelRun(() => ({ model: run, real: run }), cmds);
    } finally {
      if (!firstFailureLength) steps += run.steps.length;
      // The first failure fast-check meets is the unshrunk one.
      if (run.violation && !firstFailureLength) firstFailureLength = run.steps.length;
    }
    return true;
  });
  const details = fc.check(prop, { seed: o.seed, numRuns: o.runs });
  const property = o.invariant?.id ?? CONFORMANCE;
  if (!details.failed || !details.counterexample) return { property, seed: o.seed, runs: details.numRuns, steps, failure: null };
  const [universe, cmds] = details.counterexample as [Universe, Iterable<fc.Command<Lockstep, Lockstep>>];
  const ops = [...cmds].map(opOf);
  const shrunk = runSequence(universe, o.semantics, ops, runOpts);
  if (shrunk.violation?.invariant !== property)
    throw new Error(`seed ${o.seed}: the shrunk counterexample did not reproduce (${property})`);
  const min = minimize(universe, ops, property, (u, oo) => runSequence(u, o.semantics, oo, runOpts));
  return {
    property,
    seed: o.seed,
    runs: details.numRuns,
    steps,
    failure: {
      universe: min.universe,
      ops: min.result.steps.map((s) => s.op),
      result: min.result,
      path: details.counterexamplePath ?? '',
      shrunkFrom: firstFailureLength,
    },
  };
}
