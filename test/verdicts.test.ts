/**
 * verdicts/expected.json records the verdict of every semantics on every
 * property. On every test run: it is complete, each violated cell's
 * counterexamples still reproduce (the one to quote first: the shortest),
 * each holding cell still holds for a prefix of the recorded sequences (same
 * seed) and no saved counterexample contradicts it, and each not-applicable
 * cell really is, with its reason. Re-record with
 * `npx klpcheck compare --record --runs 20000 --seed 1`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCounterexample, storedFor } from '../harness/counterexample.ts';
import { readJson, validate } from '../harness/json-file.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { replayCounterexample } from '../harness/replay.ts';
import { ALL_PROPERTIES, runProperty } from '../harness/suite.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import { invariantById } from '../properties/catalog.ts';

const FILE = 'verdicts/expected.json';
const m = validate<VerdictMatrix>('verdict-matrix', readJson(FILE), FILE);
/** Enough to catch a regression in CI; the record itself ran m.runs. */
const RECHECK_RUNS = 150;

describe('the recorded verdict matrix', () => {
  it('covers every registered semantics and every property once', () => {
    expect([...m.semantics].sort()).toEqual(SEMANTICS.map((s) => s.name).sort());
    expect(m.properties).toEqual(ALL_PROPERTIES);
    for (const s of m.semantics) {
      for (const p of m.properties)
        expect(
          m.cells.filter((c) => c.semantics === s && c.property === p),
          `${s} ${p}`,
        ).toHaveLength(1);
    }
  });

  for (const cell of m.cells) {
    const sem = semanticsByName(cell.semantics)!;
    const name = `${cell.semantics} / ${cell.property}: ${cell.verdict}`;
    if (cell.verdict === 'violated') {
      it(name, () => {
        const lengths = cell.counterexamples.map((r) => r.length);
        expect(lengths[0], 'the one to quote is the shortest').toBe(Math.min(...lengths));
        for (const ref of cell.counterexamples) {
          expect(ref.file && existsSync(ref.file), `${ref.file} exists`).toBe(true);
          const c = readCounterexample(ref.file!);
          expect([c.semantics, c.invariant]).toEqual([cell.semantics, cell.property]);
          expect(c.steps).toHaveLength(ref.length);
          expect(replayCounterexample(c, sem).verdict.kind).toBe('reproduced');
        }
      });
    } else if (cell.verdict === 'holds-random' || cell.verdict === 'holds-bounded') {
      it(name, () => {
        expect(cell.sequences).toBe(m.runs);
        const saved = storedFor('counterexamples', cell.semantics, cell.property).map((x) => x.file);
        expect(saved, 'a saved counterexample of a holding cell no longer reproduces').toEqual(cell.fixed ?? []);
        const r = runProperty({ semantics: sem, runs: RECHECK_RUNS, seed: m.seed, maxCommands: m.max_steps }, cell.property);
        expect(r.verdict, r.counterexample?.violation.reason).toBe('holds');
      });
    } else {
      it(name, () => {
        expect(invariantById(cell.property)?.appliesTo(sem)).toBe(false);
        expect(cell.reason).toMatch(new RegExp(`^${cell.semantics} has no `));
      });
    }
  }
});
