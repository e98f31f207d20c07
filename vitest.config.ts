import { defineConfig } from 'vitest/config';
import CorpusFirstSequencer from './test/support/corpus-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus replay starts first: a saved counterexample that stops reproducing is news.
    sequence: { shuffle: false, sequencer: CorpusFirstSequencer },
    testTimeout: 120_000,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
