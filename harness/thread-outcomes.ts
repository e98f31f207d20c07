/**
 * Thread scenarios (schema/thread-scenario.schema.json): the examples the
 * maintainers traced by hand in the mail threads, run against every
 * semantics. For each semantics, each step records its outcome, the patches
 * left enabled, any transition in progress, and the properties
 * (conformance and every applicable invariant) that break for the first
 * time at that step. The result is data (schema/thread-outcomes.schema.json),
 * recorded next to each scenario and compared by test/threads.test.ts.
 *
 * A run checks every property on its own Lockstep (harness/run-sequence.ts),
 * so that one property breaking does not hide the others; all of them see
 * the same operations, and the kernel and spec model are deterministic, so
 * they stay in step with the unchecked run that gives the outcomes.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeepReadonly } from '../model/kernel/definitions.ts';
import type { AbstractState } from '../model/spec/abstract-state.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import type * as G from '../schema/generated/thread-scenario.ts';
import type * as O from '../schema/generated/thread-outcomes.ts';
import { KlpcheckError, pointer } from './errors.ts';
import { readJson, requireKind, validate, validatorFor } from './json-file.ts';
import { describeOp, type Op } from './ops.ts';
import { checkOps, universeNames } from './references.ts';
import { Lockstep } from './run-sequence.ts';

export type ThreadScenario = DeepReadonly<G.ThreadScenario>;
export type ThreadOutcomes = O.ThreadOutcomes;
export type SemanticsOutcome = O.SemanticsOutcome;
export type StepOutcome = O.StepOutcome;

/** The thread scenarios' folder, found from this file, so that every command reads it from any working folder. */
export const THREADS_DIR = fileURLToPath(new URL('../scenarios/threads', import.meta.url));
const OUTCOMES_SUFFIX = '.outcomes.json';

/** The scenario files of a folder (not their recorded outcomes), sorted. */
export function threadScenarioFiles(dir: string = THREADS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith(OUTCOMES_SUFFIX))
    .sort()
    .map((f) => join(dir, f));
}

export function outcomesFileFor(scenarioFile: string): string {
  return scenarioFile.replace(/\.json$/, OUTCOMES_SUFFIX);
}

/** Every op must name a patch, module or task of the universe; the name must be the file's. */
function checkReferences(s: ThreadScenario, file: string): void {
  const expected = basename(file, '.json');
  if (s.name !== expected)
    throw new KlpcheckError('E_REFERENCE', `name '${s.name}' differs from the file name '${expected}'`, file, pointer('name'));
  checkOps(s.ops, universeNames(s.universe, file, ['universe']), file, (i) => ['ops', i]);
}

export function loadThreadScenario(file: string): ThreadScenario {
  // The scenario's ops are the counterexample format's: register that schema first.
  validatorFor('counterexample');
  const data = readJson(file);
  requireKind(data, 'thread-scenario', file);
  const s = validate<ThreadScenario>('thread-scenario', data, file);
  checkReferences(s, file);
  return s;
}

function enabledOf(state: AbstractState): string[] {
  return state.patches
    .filter((p) => p.order > 0 && (p.status === 'enabled' || p.status === 'patching'))
    .sort((a, b) => a.order - b.order)
    .map((p) => p.name);
}

function transitionOf(state: AbstractState): string | null {
  const t = state.patches.find((p) => p.status === 'patching' || p.status === 'unpatching');
  return t ? `${t.name} ${t.status}` : null;
}

/** One semantics' run of a scenario: every step's outcome and the properties it first breaks. */
export function semanticsOutcome(s: ThreadScenario, sem: Semantics): SemanticsOutcome {
  const plain = new Lockstep(s.universe, sem, { invariants: [], conformance: false });
  const checked = [
    new Lockstep(s.universe, sem, { invariants: [], conformance: true }),
    ...INVARIANTS.filter((i) => i.appliesTo(sem)).map((i) => new Lockstep(s.universe, sem, { invariants: [i], conformance: false })),
  ];
  const live = new Set(checked);
  const steps: StepOutcome[] = [];
  let state = plain.initial;
  let first: SemanticsOutcome['first_violation'] = null;
  s.ops.forEach((op: Op, index) => {
    const row: StepOutcome = { op: describeOp(op), outcome: 'skipped', enabled: [], transition: null, violated: [] };
    if (plain.applicable(op)) {
      plain.step(op);
      const last = plain.steps[plain.steps.length - 1]!;
      row.outcome = last.outcome;
      state = last.state;
      for (const run of [...live]) {
        const v = run.step(op);
        if (!v) continue;
        live.delete(run);
        row.violated.push({ property: v.invariant, reason: v.reason });
        first ??= { step: index, property: v.invariant, reason: v.reason };
      }
    }
    row.enabled = enabledOf(state);
    row.transition = transitionOf(state);
    steps.push(row);
  });
  return { steps, first_violation: first };
}

/** The scenario under every semantics (the registry by default), in registry order. */
export function threadOutcomes(s: ThreadScenario, semantics: readonly Semantics[] = SEMANTICS): ThreadOutcomes {
  return { format: 1, scenario: s.name, semantics: Object.fromEntries(semantics.map((sem) => [sem.name, semanticsOutcome(s, sem)])) };
}

/** The recorded outcomes, as written to <name>.outcomes.json. */
export function serializeOutcomes(o: ThreadOutcomes): string {
  return `${JSON.stringify(o, null, 2)}\n`;
}

export function readThreadOutcomes(file: string): ThreadOutcomes {
  return validate<ThreadOutcomes>('thread-outcomes', readJson(file), file);
}
