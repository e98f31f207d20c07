/**
 * Every saved counterexample is replayed on every test run, against its own
 * semantics, and must still violate its property at the recorded step with
 * the recorded trace: fast-check keeps only seeds, this corpus keeps the
 * counterexamples themselves.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCounterexample } from '../harness/counterexample.ts';
import { replayCounterexample } from '../harness/replay.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

const ROOT = 'counterexamples';

function corpus(): string[] {
  return readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(ROOT, f))
    .sort();
}

describe('the counterexample corpus replays', () => {
  const files = corpus();
  it('is not empty', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file, () => {
      const c = readCounterexample(file);
      const sem = semanticsByName(c.semantics);
      expect(sem, `semantics ${c.semantics}`).toBeDefined();
      const { verdict } = replayCounterexample(c, sem!, file);
      expect(verdict).toEqual({ kind: 'reproduced', step: c.violation.step, reason: c.violation.reason });
    });
  }
});
