/**
 * compare --record with a selection refreshes the selected cells of
 * verdicts/expected.json and keeps the others (cli/record.ts).
 */
import { describe, expect, it } from 'vitest';
import { KlpcheckError } from '../harness/errors.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { mergeRecorded, readRecorded } from '../cli/record.ts';
import { EXPECTED } from '../cli/paths.ts';
import { SETTLE_STEPS } from '../harness/generators.ts';

const recorded = readRecorded(EXPECTED)!;

/** A matrix of the recorded settings with only these cells, each marked as fresh. */
function selection(cells: readonly [string, string][], settings: Partial<VerdictMatrix> = {}): VerdictMatrix {
  return {
    ...recorded,
    ...settings,
    semantics: [...new Set(cells.map(([s]) => s))],
    properties: [...new Set(cells.map(([, p]) => p))],
    cells: cells.map(([semantics, property]) => ({ semantics, property, verdict: 'holds-random', sequences: 1, steps: 1 })),
  };
}

describe('compare --record merges a selection into the recorded matrix', () => {
  it('replaces the selected cells and keeps every other cell, in the recorded order', () => {
    const fresh = selection([
      ['per-state', 'conformance'],
      ['upstream', 'shadow-lifetime'],
    ]);
    const merged = mergeRecorded(recorded, fresh, EXPECTED);
    expect(merged.semantics).toEqual(recorded.semantics);
    expect(merged.properties).toEqual(recorded.properties);
    expect(merged.cells.map((c) => [c.semantics, c.property])).toEqual(recorded.cells.map((c) => [c.semantics, c.property]));
    for (const c of merged.cells) {
      const selected = fresh.cells.find((f) => f.semantics === c.semantics && f.property === c.property);
      expect(c).toEqual(selected ?? recorded.cells.find((r) => r.semantics === c.semantics && r.property === c.property));
    }
  });

  it('takes a whole matrix as it is, whatever its settings', () => {
    const whole = { ...recorded, runs: 7, cells: recorded.cells.map((c) => ({ ...c })) };
    expect(mergeRecorded(recorded, whole, EXPECTED)).toBe(whole);
  });

  it('refuses a selection made with other settings than the recorded ones', () => {
    expect(() => mergeRecorded(recorded, selection([['upstream', 'conformance']], { runs: 500 }), EXPECTED)).toThrow(KlpcheckError);
    expect(() => mergeRecorded(recorded, selection([['upstream', 'conformance']], { runs: 500 }), EXPECTED)).toThrow(
      /recorded with other settings/,
    );
  });

  it('takes a missing settle_steps as the 7 settling operations compare writes, and no other number', () => {
    // compare writes settle_steps; a matrix recorded before it was written has none (stop 42's hostile user).
    const { settle_steps: _none, ...before } = { ...recorded, settle_steps: undefined };
    const fresh = (settle: number) => selection([['upstream', 'conformance']], { settle_steps: settle });
    expect(mergeRecorded(before as VerdictMatrix, fresh(SETTLE_STEPS), EXPECTED).cells).toHaveLength(recorded.cells.length);
    expect(() => mergeRecorded(before as VerdictMatrix, fresh(3), EXPECTED)).toThrow(/recorded with other settings/);
  });

  it("merges an exhaustive selection's searches by semantics: how far each went is no setting (helper-89)", () => {
    const scope = 'patches=1,functions=1,states=0,tasks=1,depth=2';
    const reach = (semantics: string, depth: number) => ({ semantics, depth, fixpoint: false });
    const made = (names: readonly string[], depth: number, searches = true) =>
      selection(
        names.map((n) => [n, 'conformance'] as [string, string]),
        { exhaustive: { scope, depth: 2, ...(searches ? { searches: names.map((n) => reach(n, depth)) } : {}) } },
      );
    const old = made(['upstream', 'stacking'], 2);
    const merged = mergeRecorded(old, made(['stacking'], 1), EXPECTED);
    // Registry order; the fresh search wins, the kept one stays with the cells it made.
    expect(merged.exhaustive).toEqual({ scope, depth: 2, searches: [reach('stacking', 1), reach('upstream', 2)] });
    // A matrix recorded before searches: the fresh ones alone, the kept cells saying how far theirs went.
    expect(mergeRecorded(made(['upstream', 'stacking'], 2, false), made(['stacking'], 1), EXPECTED).exhaustive).toEqual({
      scope,
      depth: 2,
      searches: [reach('stacking', 1)],
    });
    // Fresh cells of some properties of a semantics beside kept ones of its others: one reach for both, or none (then
    // the cells say each their own). The fresh search's depth 6 had been claimed of cells checked to depth 5 (helper-90).
    const cellsOf = (depth: number, properties: readonly string[]) =>
      selection(
        properties.map((p) => ['per-state', p] as [string, string]),
        { exhaustive: { scope, depth: 2, searches: [reach('per-state', depth)] } },
      );
    const both = ['conformance', 'transition-sanity'];
    expect(mergeRecorded(cellsOf(5, both), cellsOf(6, ['transition-sanity']), EXPECTED).exhaustive).toEqual({ scope, depth: 2 });
    expect(mergeRecorded(cellsOf(5, both), cellsOf(5, ['transition-sanity']), EXPECTED).exhaustive?.searches).toEqual([
      reach('per-state', 5),
    ]);
    expect(mergeRecorded(cellsOf(5, ['conformance']), cellsOf(6, both), EXPECTED).exhaustive?.searches).toEqual([reach('per-state', 6)]);
    // The bounds given are settings still.
    expect(() => mergeRecorded(old, { ...made(['stacking'], 1), exhaustive: { scope, depth: 3 } }, EXPECTED)).toThrow(/other settings/);
  });

  it('writes the selection alone when nothing was recorded', () => {
    const fresh = selection([['upstream', 'conformance']]);
    expect(mergeRecorded(undefined, fresh, EXPECTED)).toBe(fresh);
  });
});
