// @ts-check
/**
 * `npm run mutate`: Stryker mutation testing of model/ and properties/ with
 * the vitest suite (too slow for CI: hours on two cores). Narrow it with
 * `npm run mutate -- --mutate properties/callback-pairing.ts`. The scores
 * per file go to bench/mutation.json (bench/mutation-score.ts).
 *
 * - disableTypeChecks false: Stryker's `// @ts-nocheck` banner would change
 *   the files the tests read verbatim (test/readme-example.test.ts).
 * - The README's example file is left out: the test compares it byte for
 *   byte with README.md, so any instrumentation fails that test.
 * - vitest.mutate.config.ts: the suite without the tests that run klpcheck
 *   in child processes (they cannot see a mutant) and the two slowest files.
 * - concurrency 1: the machine has two cores shared with other work.
 * - incremental: a rerun tests only mutants whose code or tests changed.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: ['model/**/*.ts', 'properties/**/*.ts', '!model/**/*.example.ts'],
  disableTypeChecks: false,
  concurrency: 1,
  incremental: true,
  // One report per scope, e.g. MUTATE_SCOPE=properties npm run mutate -- --mutate 'properties/**/*.ts';
  // the incremental file lets a rerun in the same tree test only what changed (reports/ is not committed).
  incrementalFile: `reports/mutation/${process.env.MUTATE_SCOPE ?? 'all'}.incremental.json`,
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATE_SCOPE ?? 'all'}.json` },
  clearTextReporter: { reportScoreTable: true, logTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 5000,
  // The dry run is the whole suite above in one test runner: past Stryker's default of 5 minutes on this
  // project's two-core machines (it timed out at 5 minutes on 2026-12-06 beside other work).
  dryRunTimeoutMinutes: 30,
};
