/**
 * Replaying a saved counterexample: its operations re-run on its universe,
 * under its own semantics or another one, checking the property it
 * violated. A reviewer asks exactly this of a new revision of a proposal:
 * does the old counterexample still break it?
 */
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE, invariantById } from '../properties/catalog.ts';
import { escapeInvisible, KlpcheckError, pointer } from './errors.ts';
import { opsOf, type Counterexample } from './counterexample.ts';
import { notApplicableWhy } from './matrix.ts';
import { isProtocolProperty } from './protocols/cycle.ts';
import { runSequence, type RunResult } from './run-sequence.ts';
import { describeOp } from './ops.ts';

export type ReplayVerdict =
  /** Violated at the recorded step, with the recorded trace. */
  | { readonly kind: 'reproduced'; readonly step: number; readonly reason: string }
  /** Still violated, but at another step or with another trace. */
  | { readonly kind: 'violated'; readonly step: number; readonly reason: string; readonly note: string }
  /**
   * No step violates it. `differs`, when the run went otherwise than the
   * record (an outcome or a state), says where first: such a file no longer
   * applies as recorded rather than being fixed by the proposal (an object
   * name the kernel refuses, EINVAL where the record has ok, was just
   * "fixed": hostile-user finding, stop 35).
   */
  | { readonly kind: 'fixed'; readonly steps: number; readonly skipped: number; readonly differs?: string }
  /**
   * Nothing was checked, and why: the property does not apply to the
   * semantics replayed (compare's n/a cell: a per-state counterexample of
   * shadow-lifetime replayed under upstream, which has no is_shadow
   * states), or it is a release cycle's property (loads, fixes, knowledge),
   * which `klpcheck protocols` checks and a replay of the ops cannot. Such
   * a file was said to be "fixed" (hostile-user test, 2026-12-03). Or
   * none of its steps can run today (each fails its precondition, as an
   * unblock_task of a task no longer asleep): `stale`, since the record
   * itself no longer applies, which a rendering cautions about. That was
   * "fixed: all 0 steps hold" (hostile-user finding, stop 37).
   */
  | { readonly kind: 'not-checked'; readonly why: string; readonly stale?: true };

/**
 * How a replay's verdict differs from the record, in words that follow "this
 * record" (render's CAUTION and stderr note, compare --html's page), or
 * undefined when it reproduces it.
 */
export function staleness(v: ReplayVerdict): string | undefined {
  switch (v.kind) {
    case 'fixed':
      return `no longer reproduces (replayed, every step holds${v.differs ? `, though not as recorded: ${v.differs}` : ''})`;
    case 'violated':
      return `is still violated, but not as recorded (${v.note})`;
    case 'not-checked':
      return `was not replayed (${v.why})`;
    default:
      return undefined;
  }
}

/**
 * The CAUTION a rendering of record `c` opens with, from its replay's verdict
 * `v` (render's, and compare --html's page), or undefined: how the replay
 * differs from the record (staleness) and under which semantics. A release
 * cycle's record, which replay cannot check as a matter of course
 * (protocols checks it), gets none.
 */
export function recordCaution(c: Counterexample, v: ReplayVerdict): string | undefined {
  const stale = staleness(v);
  if (!stale || (v.kind === 'not-checked' && isProtocolProperty(c.invariant))) return undefined;
  return `${stale} under ${c.semantics}`;
}

/** The replay of a counterexample: the verdict, and the run when one was made. */
export type Replay =
  | { readonly verdict: Exclude<ReplayVerdict, { kind: 'not-checked' }>; readonly result: RunResult }
  | { readonly verdict: Extract<ReplayVerdict, { kind: 'not-checked' }>; readonly result?: undefined };

export function replayCounterexample(c: Counterexample, semantics: Semantics, file = ''): Replay {
  if (isProtocolProperty(c.invariant)) {
    const scope = c.provenance.scope ?? '';
    return {
      verdict: { kind: 'not-checked', why: `${c.invariant} is a release cycle's property (${scope}): klpcheck protocols checks it` },
    };
  }
  const invariant = c.invariant === CONFORMANCE ? null : invariantById(c.invariant);
  if (invariant === undefined) throw new KlpcheckError('E_REFERENCE', `unknown invariant '${c.invariant}'`, file, pointer('invariant'));
  const why = notApplicableWhy(semantics, c.invariant);
  if (why !== undefined) return { verdict: { kind: 'not-checked', why: `n/a: ${why}` } };
  const ops = opsOf(c);
  // Observe the functions the record observed (an exhaustive record reports every function of its scope).
  const funcs = Object.keys(c.initial.running);
  const result = runSequence(c.universe, semantics, ops, { invariants: invariant ? [invariant] : [], conformance: !invariant, funcs });
  const v = result.violation;
  if (!v) {
    // The recorded steps today's preconditions refuse (run-sequence.ts skips them, as fast-check does; a step keeps
    // its op object). None run, or not the one it was violated at: the violation is not tested again, so nothing is
    // checked (it was "fixed: all 0 steps hold", then "fixed" with only the first skipped step named: stop 37's
    // hostile users).
    const ran = new Set(result.steps.map((st) => st.op));
    const skipped = ops.flatMap((op, i) => (ran.has(op) ? [] : [i]));
    const at = c.violation.step;
    if (ops.length && (!result.steps.length || skipped.includes(at))) {
      const why = !result.steps.length
        ? ops.length === 1
          ? `its one step cannot run today: it fails its precondition (${describeOp(ops[0]!)})`
          : `none of its ${ops.length} steps can run today: each fails its precondition (the first: ${describeOp(ops[0]!)})`
        : `step ${at + 1}, where it was violated, cannot run today: it fails its precondition (${describeOp(ops[at]!)})`;
      return { verdict: { kind: 'not-checked', why, stale: true } };
    }
    const differs = skipped.length ? skippedWords(skipped) : firstDeparture(c, result);
    return { verdict: { kind: 'fixed', steps: result.steps.length, skipped: skipped.length, ...(differs ? { differs } : {}) }, result };
  }
  const sameTrace =
    v.step === c.violation.step &&
    JSON.stringify(result.steps) === JSON.stringify(c.steps.slice(0, result.steps.length)) &&
    JSON.stringify(result.initial) === JSON.stringify(c.initial);
  // The reason is quoted in mail: one the model no longer gives (edited, or worded otherwise since) is not the record.
  if (sameTrace && v.reason === c.violation.reason) return { verdict: { kind: 'reproduced', step: v.step, reason: v.reason }, result };
  // Steps are shown from 1, as render's "after step N of M" (violation.step counts from 0).
  const note =
    v.step !== c.violation.step
      ? `recorded at step ${c.violation.step + 1}`
      : sameTrace
        ? // Its invisible characters shown (a no-break space for a space read as the very reason it differs from: helper-125).
          `recorded with another reason: ${escapeInvisible(JSON.stringify(c.violation.reason))}`
        : (firstDeparture(c, result) ?? 'the states along the way differ from the record');
  return { verdict: { kind: 'violated', step: v.step, reason: v.reason, note }, result };
}

/** "step 2 no longer applies ..., and was skipped", "steps 2 and 4 no longer apply ...": `skipped` counted from 0. */
function skippedWords(skipped: readonly number[]): string {
  const n = skipped.map((i) => i + 1);
  if (n.length === 1) return `step ${n[0]} no longer applies (its precondition fails today), and was skipped`;
  return `steps ${n.slice(0, -1).join(', ')} and ${n.at(-1)} no longer apply (their preconditions fail today), and were skipped`;
}

/**
 * Where a replay first went otherwise than the record, in words (steps
 * counted from 1), or undefined when every step it took is the record's:
 * its outcome, then the state after it. An op skipped as no longer
 * applicable is the first step whose op is not the record's.
 */
function firstDeparture(c: Counterexample, r: RunResult): string | undefined {
  if (JSON.stringify(r.initial) !== JSON.stringify(c.initial)) return 'the state before the first step differs from the record';
  for (let i = 0; i < r.steps.length && i < c.steps.length; i++) {
    const [now, was] = [r.steps[i]!, c.steps[i]!];
    if (JSON.stringify(now.op) !== JSON.stringify(was.op)) return skippedWords([i]);
    if (now.outcome !== was.outcome) return `step ${i + 1} gave ${now.outcome} where the record has ${was.outcome}`;
    if (JSON.stringify(now.state) !== JSON.stringify(was.state)) return `the state after step ${i + 1} differs from the record`;
  }
  return undefined;
}
