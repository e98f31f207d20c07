/**
 * Replaying a saved counterexample: its operations re-run on its universe,
 * under its own semantics or another one, checking the property it
 * violated. A reviewer asks exactly this of a new revision of a proposal:
 * does the old counterexample still break it?
 */
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE, invariantById } from '../properties/catalog.ts';
import { KlpcheckError, pointer } from './errors.ts';
import { opsOf, type Counterexample } from './counterexample.ts';
import { runSequence, type RunResult } from './run-sequence.ts';

export type ReplayVerdict =
  /** Violated at the recorded step, with the recorded trace. */
  | { readonly kind: 'reproduced'; readonly step: number; readonly reason: string }
  /** Still violated, but at another step or with another trace. */
  | { readonly kind: 'violated'; readonly step: number; readonly reason: string; readonly note: string }
  | { readonly kind: 'fixed'; readonly steps: number; readonly skipped: number };

export function replayCounterexample(c: Counterexample, semantics: Semantics, file = ''): { verdict: ReplayVerdict; result: RunResult } {
  const invariant = c.invariant === CONFORMANCE ? null : invariantById(c.invariant);
  if (invariant === undefined) throw new KlpcheckError('E_REFERENCE', `unknown invariant '${c.invariant}'`, file, pointer('invariant'));
  const ops = opsOf(c);
  // Observe the functions the record observed (an exhaustive record reports every function of its scope).
  const funcs = Object.keys(c.initial.running);
  const result = runSequence(c.universe, semantics, ops, { invariants: invariant ? [invariant] : [], conformance: !invariant, funcs });
  const v = result.violation;
  if (!v) {
    return { verdict: { kind: 'fixed', steps: result.steps.length, skipped: ops.length - result.steps.length }, result };
  }
  const sameTrace =
    v.step === c.violation.step &&
    JSON.stringify(result.steps) === JSON.stringify(c.steps.slice(0, result.steps.length)) &&
    JSON.stringify(result.initial) === JSON.stringify(c.initial);
  if (sameTrace) return { verdict: { kind: 'reproduced', step: v.step, reason: v.reason }, result };
  const note = v.step !== c.violation.step ? `recorded at step ${c.violation.step}` : 'the states along the way differ from the record';
  return { verdict: { kind: 'violated', step: v.step, reason: v.reason, note }, result };
}
