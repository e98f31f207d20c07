import { describe, expect, it } from 'vitest';
import { loadScenario } from '../harness/scenario/load.ts';
import { runScenario } from '../harness/scenario/run.ts';

describe('scenario runner', () => {
  it('passes the basic selftest and reports a wrong expected log', () => {
    const file = 'scenarios/selftests/test-livepatch.basic-function-patching.json';
    const s = loadScenario(file);
    expect(runScenario(s, file).verdict).toBe('pass');
    const broken = { ...s, expect_log: s.expect_log!.slice(1) };
    const r = runScenario(broken, file);
    expect(r.verdict).toBe('fail');
    expect(r.failures[0]!.pointer).toBe('/expect_log');
  });
});
