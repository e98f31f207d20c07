import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestModule } from 'vitest/node';
import PlainSummaryReporter from './support/plain-summary-reporter.ts';

type State = 'passed' | 'failed' | 'skipped' | 'pending';

/** Just what the reporter reads of vitest's TestModule. */
function fakeModule(state: 'passed' | 'failed', tests: readonly State[]): TestModule {
  const cases = tests.map((s) => ({ result: () => ({ state: s }) }));
  return { state: () => state, children: { allTests: () => cases.values() } } as unknown as TestModule;
}

function closingLine(modules: TestModule[], unhandled: unknown[] = []): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    new PlainSummaryReporter().onTestRunEnd(modules, unhandled);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('plain summary reporter', () => {
  it('counts passed, failed and skipped tests across modules', () => {
    const line = closingLine([fakeModule('passed', ['passed', 'passed', 'skipped']), fakeModule('failed', ['passed', 'failed', 'pending'])]);
    expect(line).toBe('\n3 passed, 1 failed, 2 skipped\n');
  });

  it('leaves out skipped when there are none', () => {
    expect(closingLine([fakeModule('passed', ['passed'])])).toBe('\n1 passed, 0 failed\n');
  });

  it('counts a module that failed with no tests (a broken import) as a failure', () => {
    expect(closingLine([fakeModule('failed', []), fakeModule('passed', ['passed'])])).toBe('\n1 passed, 1 failed\n');
  });

  it('counts unhandled errors as failures', () => {
    expect(closingLine([fakeModule('passed', ['passed'])], [new Error('late rejection')])).toBe('\n1 passed, 1 failed\n');
  });
});
