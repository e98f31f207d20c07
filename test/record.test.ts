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

  it('writes the selection alone when nothing was recorded', () => {
    const fresh = selection([['upstream', 'conformance']]);
    expect(mergeRecorded(undefined, fresh, EXPECTED)).toBe(fresh);
  });
});
