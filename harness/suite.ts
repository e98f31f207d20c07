/**
 * The checking suite of one semantics: conformance and every invariant that
 * applies, each as its own random run, with the counterexamples built (and
 * saved when asked). Several properties share one screen (random-screen.ts):
 * one pass over the sequences for all of them, then a run of its own for
 * each one found violated.
 */
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../properties/catalog.ts';
import type { Invariant } from '../properties/invariant.ts';
import { buildCounterexample, saveCounterexample, type Counterexample, type SaveResult } from './counterexample.ts';
import type { Scope } from './generators.ts';
import { randomRun } from './random-run.ts';
import { screenProperties, type Screen } from './random-screen.ts';
import { attempt, type KlpcheckError } from './errors.ts';
import { FAST_CHECK_VERSION, KLPCHECK_VERSION } from './versions.ts';

export interface PropertyResult {
  readonly semantics: string;
  readonly property: string;
  readonly verdict: 'holds' | 'violated' | 'not-applicable';
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
  readonly counterexample?: Counterexample;
  readonly saved?: SaveResult;
  /**
   * Why the counterexample could not be saved: E_CONFLICT when a file of its
   * name holds other content (edited by hand; it is left as it is), E_IO when
   * the folder cannot be written. The verdict stands; the caller reports it
   * with the others and raises this error after them.
   */
  readonly unsaved?: KlpcheckError;
}

export interface SuiteOptions {
  readonly semantics: Semantics;
  /** Default: conformance and every invariant. */
  readonly properties?: readonly string[];
  readonly runs: number;
  readonly seed: number;
  /** Maximum operations per sequence; default DEFAULT_MAX_STEPS. */
  readonly maxCommands?: number;
  readonly scope?: Scope;
  /** Folder to save counterexamples in; none when absent. */
  readonly saveDir?: string;
}

export const ALL_PROPERTIES: readonly string[] = [CONFORMANCE, ...INVARIANTS.map((i) => i.id)];

/** Operations per generated sequence when not given (klpcheck run and compare --steps). */
export const DEFAULT_MAX_STEPS = 30;

/**
 * One property's random run (or not-applicable), its counterexample built and,
 * with `saveDir`, saved. A save refused for the user's reasons (a hand-edited
 * file of the same name, an unwritable folder) does not end the run: it is
 * returned as `unsaved`, so that a command prints every verdict before the error.
 */
export function runProperty(o: SuiteOptions, property: string, screen?: Screen): PropertyResult {
  const sem = o.semantics;
  const invariant: Invariant | null = property === CONFORMANCE ? null : INVARIANTS.find((i) => i.id === property)!;
  const base = { semantics: sem.name, property, seed: o.seed };
  if (invariant && !invariant.appliesTo(sem)) return { ...base, verdict: 'not-applicable', runs: 0, steps: 0 };
  const maxSteps = o.maxCommands ?? DEFAULT_MAX_STEPS;
  // What the screen found holding is reported from it; a violation is run on its own, for fast-check's shrinking.
  const screened = screen?.byProperty.get(property);
  if (screened && screened.failingRun === undefined) return { ...base, verdict: 'holds', runs: o.runs, steps: screened.steps };
  const r = randomRun({ semantics: sem, invariant, runs: o.runs, seed: o.seed, maxCommands: maxSteps, scope: o.scope });
  if (!r.failure) return { ...base, verdict: 'holds', runs: r.runs, steps: r.steps };
  const counterexample = buildCounterexample(sem, r.failure.universe, r.failure.result, {
    source: 'random',
    seed: o.seed,
    path: r.failure.path,
    runs: r.runs,
    max_steps: maxSteps,
    shrunk_from: r.failure.shrunkFrom,
    fast_check: FAST_CHECK_VERSION,
    klpcheck: KLPCHECK_VERSION,
  });
  const result = { ...base, verdict: 'violated', runs: r.runs, steps: r.steps, counterexample } as const;
  if (!o.saveDir) return result;
  const dir = o.saveDir;
  const { value: saved, error: unsaved } = attempt(() => saveCounterexample(dir, counterexample));
  return saved ? { ...result, saved } : { ...result, unsaved };
}

/**
 * The screen (random-screen.ts) of the selected properties (default: all),
 * for runProperty: one pass of the random runs for all of them. Undefined
 * for one property, whose own run is the screen.
 */
export function screenSuite(o: SuiteOptions): Screen | undefined {
  const properties = o.properties ?? ALL_PROPERTIES;
  if (properties.length < 2) return undefined;
  return screenProperties({
    semantics: o.semantics,
    properties,
    runs: o.runs,
    seed: o.seed,
    maxCommands: o.maxCommands ?? DEFAULT_MAX_STEPS,
    scope: o.scope,
  });
}

/** runProperty for each selected property (default: all), in catalog order, over one screen. */
export function runSuite(o: SuiteOptions): PropertyResult[] {
  const screen = screenSuite(o);
  return (o.properties ?? ALL_PROPERTIES).map((p) => runProperty(o, p, screen));
}

/**
 * Runs again what a random counterexample's provenance records (its seed,
 * runs and max_steps, default scope), saving into `saveDir` when given:
 * the same klpcheck and fast-check give the same file, byte for byte.
 * Undefined for a record that is not from a random run or lacks max_steps
 * (written before max_steps was recorded).
 */
export function regenerate(c: Counterexample, semantics: Semantics, saveDir?: string): PropertyResult | undefined {
  const p = c.provenance;
  if (p.source !== 'random' || p.seed === undefined || p.runs === undefined || p.max_steps === undefined) return undefined;
  return runProperty({ semantics, runs: p.runs, seed: p.seed, maxCommands: p.max_steps, saveDir }, c.invariant);
}
