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
import { describeOp, type Op } from './ops.ts';
import { sameState } from '../model/spec/abstract-state.ts';
import { universeBounds } from './explore/vacuity.ts';

export type ReplayVerdict =
  /** Violated at the recorded step, with the recorded trace. */
  | { readonly kind: 'reproduced'; readonly step: number; readonly reason: string }
  /**
   * Still violated, but at another step or with another trace. `step`, as
   * `reproduced`'s, counts the record's steps from 0, the ones skipped as no
   * longer applicable among them, as the record's own violation.step does.
   */
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
   * "fixed: all 0 steps hold" (hostile-user finding, stop 37). Or the
   * record's own universe gives the property nothing to check (Invariant.lacks:
   * no-silent-downgrade without forbid_downgrade), which was "fixed"
   * (helper-131, stop 72).
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
      // Where today's violation is, beside where the record has it (helper-131, stop 72).
      return `is still violated, after step ${v.step + 1}, but not as recorded (${v.note})`;
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
    // Reading refuses a file of such a record without its protocol's scope (record-scope.ts); one made in memory named
    // it "()" (helper-131, stop 72).
    const scope = c.provenance.scope ? ` (${c.provenance.scope})` : '';
    return {
      verdict: { kind: 'not-checked', why: `${c.invariant} is a release cycle's property${scope}: klpcheck protocols checks it` },
    };
  }
  const invariant = c.invariant === CONFORMANCE ? null : invariantById(c.invariant);
  if (invariant === undefined) throw new KlpcheckError('E_REFERENCE', `unknown invariant '${c.invariant}'`, file, pointer('invariant'));
  const why = notApplicableWhy(semantics, c.invariant);
  if (why !== undefined) return { verdict: { kind: 'not-checked', why: `n/a: ${why}` } };
  const lacking = invariant?.lacks?.(universeBounds(c.universe));
  // Stale: the record no longer applies as a finding, so compare and run list it with the fixed ones, as they list a
  // record none of whose steps can run; without the flag it vanished from both (helper-132, stop 72).
  if (lacking)
    return {
      verdict: { kind: 'not-checked', why: `${c.invariant} has nothing to check in its universe: it needs ${lacking}`, stale: true },
    };
  const ops = opsOf(c);
  // Observe the functions the record observed (an exhaustive record reports every function of its scope).
  const funcs = Object.keys(c.initial.running);
  const result = runSequence(c.universe, semantics, ops, { invariants: invariant ? [invariant] : [], conformance: !invariant, funcs });
  const v = result.violation;
  // The recorded steps today's preconditions refuse (run-sequence.ts skips them, as fast-check does; a step keeps
  // its op object, so each run step's place among the record's is known).
  // A run ends at its first violation: the steps after it were not reached, which is not skipped.
  const places = recordPlaces(ops, result);
  const ran = new Set(places);
  const reached = v ? places[v.step]! + 1 : ops.length;
  const skipped = ops.slice(0, reached).flatMap((_, i) => (ran.has(i) ? [] : [i]));
  if (!v) {
    // None run, or not the one it was violated at: the violation is not tested again, so nothing is checked (it was
    // "fixed: all 0 steps hold", then "fixed" with only the first skipped step named: stop 37's hostile users).
    const at = c.violation.step;
    if (ops.length && (!result.steps.length || skipped.includes(at))) {
      const why = !result.steps.length
        ? ops.length === 1
          ? `its one step cannot run today: it fails its precondition (${describeOp(ops[0]!)})`
          : `none of its ${ops.length} steps can run today: each fails its precondition (the first: ${describeOp(ops[0]!)})`
        : `step ${at + 1}, where it was violated, cannot run today: it fails its precondition (${describeOp(ops[at]!)})`;
      return { verdict: { kind: 'not-checked', why, stale: true } };
    }
    const differs = skipped.length ? skippedWords(skipped) : firstDeparture(c, result, places);
    return { verdict: { kind: 'fixed', steps: result.steps.length, skipped: skipped.length, ...(differs ? { differs } : {}) }, result };
  }
  // The step as the record counts it: a skipped step before it counts too (it was "at step 2 (recorded at step 3)"
  // for a violation at the record's own step 3: helper-131, stop 72).
  const step = places[v.step]!;
  const departure = skipped.length ? skippedWords(skipped) : firstDeparture(c, result, places);
  const sameTrace = step === c.violation.step && departure === undefined;
  // The reason is quoted in mail: one the model no longer gives (edited, or worded otherwise since) is not the record.
  if (sameTrace && v.reason === c.violation.reason) return { verdict: { kind: 'reproduced', step, reason: v.reason }, result };
  // Steps are shown from 1, as render's "after step N of M" (violation.step counts from 0).
  const where = step !== c.violation.step ? `recorded at step ${c.violation.step + 1}` : undefined;
  const note = sameTrace
    ? // Its invisible characters shown (a no-break space for a space read as the very reason it differs from: helper-125).
      `recorded with another reason: ${escapeInvisible(JSON.stringify(c.violation.reason))}`
    : [where, departure].filter((w) => w !== undefined).join('; ') || 'the states along the way differ from the record';
  return { verdict: { kind: 'violated', step, reason: v.reason, note }, result };
}

/**
 * Each run step's place among the record's steps, from 0: a run step keeps
 * its op object, `ops` are the record's (opsOf), and the run took them in
 * their order, skipping some, so each is the next record step with its op.
 */
function recordPlaces(ops: readonly Op[], r: RunResult): number[] {
  let i = 0;
  return r.steps.map((st) => {
    while (i < ops.length && ops[i] !== st.op) i++;
    if (i === ops.length) throw new Error('replay: a run step whose op is none of the record’s');
    return i++;
  });
}

/** "step 2 no longer applies ..., and was skipped", "steps 2 and 4 no longer apply ...": `skipped` counted from 0. */
function skippedWords(skipped: readonly number[]): string {
  const n = skipped.map((i) => i + 1);
  if (n.length === 1) return `step ${n[0]} no longer applies (its precondition fails today), and was skipped`;
  return `steps ${n.slice(0, -1).join(', ')} and ${n.at(-1)} no longer apply (their preconditions fail today), and were skipped`;
}

/**
 * Where a replay that skipped no step first went otherwise than the
 * record, in words (steps counted from 1, as the record's), or undefined
 * when every step it took is the record's: its outcome, then the state
 * after it. `places` are the run steps' places among the record's
 * (recordPlaces). States are compared field by field (sameState), so a
 * record whose keys were put in another order (jq -S) is the same record:
 * compared as JSON text it "differed" (helper-131, stop 72).
 */
function firstDeparture(c: Counterexample, r: RunResult, places: readonly number[]): string | undefined {
  if (!sameState(r.initial, c.initial)) return 'the state before the first step differs from the record';
  for (let j = 0; j < r.steps.length; j++) {
    const i = places[j]!;
    const [now, was] = [r.steps[j]!, c.steps[i]!];
    if (now.outcome !== was.outcome) return `step ${i + 1} gave ${now.outcome} where the record has ${was.outcome}`;
    if (!sameState(now.state, was.state)) return `the state after step ${i + 1} differs from the record`;
  }
  return undefined;
}
