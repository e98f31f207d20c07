/**
 * A replay that no longer violates says whether it went as recorded: a
 * counterexample the model now takes another way (an outcome or a state
 * differs) no longer applies as recorded, which is not the same news as a
 * proposal that fixed it (hostile-user finding, stop 35: an object name the
 * kernel refuses gave EINVAL where the record has ok, and replay said just
 * "fixed").
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedFor, type Counterexample } from '../harness/counterexample.ts';
import { replayCounterexample } from '../harness/replay.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { run, TempDir } from './support/cli-run.ts';

const CORPUS = join(import.meta.dirname, '..', 'counterexamples');
const [saved] = storedFor(CORPUS, 'upstream', 'no-function-shared-across-slots');
const c = saved!.counterexample;
/** per-state's shadow-lifetime counterexample: its property does not apply to upstream. */
const perStateShadow = () => storedFor(CORPUS, 'per-state', 'shadow-lifetime')[0]!.counterexample;

describe('a replay that no longer violates', () => {
  it('says nothing more when every step went as recorded', () => {
    // The record up to the step before its violation: the same ops, outcomes and states, and nothing violated.
    const before: Counterexample = { ...c, steps: c.steps.slice(0, c.violation.step) };
    const v = replayCounterexample(before, upstream).verdict;
    expect(v).toEqual({ kind: 'fixed', steps: c.violation.step, skipped: 0 });
  });

  it('says where it first went otherwise: an outcome, or a state', () => {
    const first = c.steps[0]!;
    const outcome: Counterexample = { ...c, steps: [{ ...first, outcome: 'EBUSY' }, ...c.steps.slice(1, c.violation.step)] };
    expect(replayCounterexample(outcome, upstream).verdict).toMatchObject({
      kind: 'fixed',
      differs: `step 1 gave ${first.outcome} where the record has EBUSY`,
    });
    const state: Counterexample = {
      ...c,
      steps: [
        { ...first, state: { ...first.state, modules: [...first.state.modules, 'elsewhere'] } },
        ...c.steps.slice(1, c.violation.step),
      ],
    };
    expect(replayCounterexample(state, upstream).verdict).toMatchObject({
      kind: 'fixed',
      differs: 'the state after step 1 differs from the record',
    });
  });

  it('says which recorded step no longer applies, and checks nothing when none can run (hostile-user finding, stop 37)', () => {
    // A step whose precondition fails today is skipped: at the end (the violating one) the others went as recorded,
    // and replay said "fixed: its 1 step holds"; with every step skipped, "fixed: all 0 steps hold".
    const [first] = c.steps;
    const wake = { ...first!, op: { op: 'unblock_task', task: 'task0' } } as Counterexample['steps'][number];
    // The step it was violated at cannot run: the violation is not tested again, so nothing is checked.
    const last: Counterexample = { ...c, steps: [first!, wake], violation: { step: 1, reason: 'x' } };
    expect(replayCounterexample(last, upstream)).toEqual({
      verdict: {
        kind: 'not-checked',
        why: 'step 2, where it was violated, cannot run today: it fails its precondition (task0 wakes up)',
        stale: true,
      },
    });
    // Each skipped step is named, not only the first.
    const two: Counterexample = { ...c, steps: [wake, first!, wake, ...c.steps.slice(1, c.violation.step)], violation: c.violation };
    expect(replayCounterexample(two, upstream).verdict).toMatchObject({
      kind: 'fixed',
      skipped: 2,
      differs: 'steps 1 and 3 no longer apply (their preconditions fail today), and were skipped',
    });
    const middle: Counterexample = { ...c, steps: [wake, ...c.steps.slice(0, c.violation.step)] };
    expect(replayCounterexample(middle, upstream).verdict).toMatchObject({
      differs: 'step 1 no longer applies (its precondition fails today), and was skipped',
    });
    const none: Counterexample = { ...c, steps: [wake], violation: { step: 0, reason: 'x' } };
    expect(replayCounterexample(none, upstream)).toEqual({
      verdict: {
        kind: 'not-checked',
        why: 'its one step cannot run today: it fails its precondition (task0 wakes up)',
        stale: true,
      },
    });
  });

  it('exits 2 with E_UNCHECKED, not E_USAGE, when the file’s own steps leave nothing to check (hostile-user finding, 2026-12-04)', async () => {
    const [first] = c.steps;
    const wake = { ...first!, op: { op: 'unblock_task', task: 'task0' } } as Counterexample['steps'][number];
    const dir = new TempDir();
    try {
      const file = dir.write('stale.json', { ...c, steps: [first!, wake], violation: { step: 1, reason: 'x' } });
      const r = await run(['replay', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `klpcheck: ${file}: the counterexample could not be checked (step 2, where it was violated, cannot run today: it fails its precondition (task0 wakes up)): nothing replayed [E_UNCHECKED]\n`,
      );
      // --semantics naming the file's own semantics changes nothing: still the file's reason, not the command line's.
      const naOwn = dir.write('na-own.json', { ...perStateShadow(), semantics: 'upstream' });
      expect((await run(['replay', naOwn])).stderr).toMatch(/\[E_UNCHECKED\]\n$/);
      expect((await run(['replay', naOwn, '--semantics', 'upstream'])).stderr).toMatch(/\[E_UNCHECKED\]\n$/);
    } finally {
      rmSync(dir.path, { recursive: true, force: true });
    }
  });

  it('under another semantics that takes the ops otherwise', () => {
    // per-state's conformance finding under upstream: it holds there, along another trace.
    const [perState] = storedFor(CORPUS, 'per-state', 'conformance');
    const v = replayCounterexample(perState!.counterexample, upstream).verdict;
    expect(v.kind).toBe('fixed');
    expect(v).toHaveProperty(
      'differs',
      expect.stringMatching(/^(step \d+ gave \S+ where the record has \S+|the state after step \d+ differs from the record)$/),
    );
    expect(replayCounterexample(perState!.counterexample, semanticsByName('per-state')!).verdict.kind).not.toBe('fixed');
  });
});

/** `value` with every object's keys sorted, as `jq -S` writes a file. */
function keysSorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysSorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, keysSorted((value as Record<string, unknown>)[k])]),
  );
}

describe('a replay counts and compares steps as the record does (helper-131, stop 72)', () => {
  it('reproduces a record whose keys were put in another order', () => {
    expect(replayCounterexample(keysSorted(c) as Counterexample, upstream).verdict.kind).toBe('reproduced');
    // A state that does differ still differs, in any key order.
    const first = c.steps[0]!;
    const moved = keysSorted({ ...c, steps: [{ ...first, state: { ...first.state, modules: ['elsewhere'] } }, ...c.steps.slice(1)] });
    expect(replayCounterexample(moved as Counterexample, upstream).verdict).toMatchObject({
      kind: 'violated',
      note: 'the state after step 1 differs from the record',
    });
  });

  it('names a step skipped before the violation, and its step numbers are the record’s', () => {
    const wake = { ...c.steps[0]!, op: { op: 'unblock_task', task: 'task0' } } as Counterexample['steps'][number];
    const at = c.violation.step + 1;
    const skipped: Counterexample = { ...c, steps: [wake, ...c.steps], violation: { ...c.violation, step: at } };
    expect(replayCounterexample(skipped, upstream).verdict).toEqual({
      kind: 'violated',
      step: at,
      reason: c.violation.reason,
      note: 'step 1 no longer applies (its precondition fails today), and was skipped',
    });
    // Recorded one step later than today's violation, with the skip: both said.
    const later: Counterexample = { ...skipped, steps: [...skipped.steps, c.steps.at(-1)!], violation: { ...c.violation, step: at + 1 } };
    expect(replayCounterexample(later, upstream).verdict).toMatchObject({
      step: at,
      note: `recorded at step ${at + 2}; step 1 no longer applies (its precondition fails today), and was skipped`,
    });
  });

  it('checks nothing when the record’s own universe gives its property nothing to check', () => {
    const [downgrade] = storedFor(CORPUS, 'upstream', 'no-silent-downgrade');
    const { forbid_downgrade: _, ...universe } = downgrade!.counterexample.universe;
    const off: Counterexample = { ...downgrade!.counterexample, universe };
    expect(replayCounterexample(downgrade!.counterexample, upstream).verdict.kind).toBe('reproduced');
    expect(replayCounterexample(off, upstream)).toEqual({
      verdict: {
        kind: 'not-checked',
        why: 'no-silent-downgrade has nothing to check in its universe: it needs a universe that forbids downgrades',
        stale: true,
      },
    });
  });
});

describe('a release cycle’s record without its protocol’s scope', () => {
  it('is not checked, and names no empty scope (helper-131, stop 72)', () => {
    const { scope: _, ...provenance } = c.provenance as Counterexample['provenance'] & { scope?: string };
    const relabelled = { ...c, invariant: 'fixes', provenance } as Counterexample;
    expect(replayCounterexample(relabelled, upstream).verdict).toEqual({
      kind: 'not-checked',
      why: "fixes is a release cycle's property: klpcheck protocols checks it",
    });
  });
});
