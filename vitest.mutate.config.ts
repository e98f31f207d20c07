/**
 * The suite as `npm run mutate` (Stryker) runs it: the whole vitest suite
 * except the files that cannot see a mutant or repeat slower what other files
 * check. The CLI tests run klpcheck in child processes, where Stryker's
 * active mutant is not set; explore.test.ts and render.test.ts take 35-50 s
 * each on two cores and re-check traces the corpus replay and the verdict
 * tests already check. Leaving them out can only lower the score.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/cli*.test.ts', 'test/explore.test.ts', 'test/render.test.ts', 'test/schema-types.test.ts', '**/node_modules/**'],
      reporters: ['default'],
    },
  }),
);
