/**
 * Starts the corpus replay before every other test file: a saved
 * counterexample that no longer reproduces is the first thing to know.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class CorpusFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (f.moduleId.includes('corpus-replay') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}
