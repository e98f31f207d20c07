import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import CorpusFirstSequencer from './test/support/corpus-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus replay starts first: a saved counterexample that stops reproducing is news.
    sequence: { shuffle: false, sequencer: CorpusFirstSequencer },
    testTimeout: 120_000,
    // vitest's default is one worker fewer than the cores: one on this project's two-core machines, where the
    // suite then ran file after file (686 s on a fresh clone, 2026-12-02; 456 s with two workers, all passing).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
