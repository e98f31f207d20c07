import { describe, expect, it } from 'vitest';
import { loadScenario, type Step } from '../harness/scenario/load.ts';
import { runScenario } from '../harness/scenario/run.ts';

const BASIC = 'scenarios/selftests/test-livepatch.basic-function-patching.json';

describe('scenario runner', () => {
  it('passes the basic selftest and reports a wrong expected log', () => {
    const s = loadScenario(BASIC);
    expect(runScenario(s, BASIC).verdict).toBe('pass');
    const broken = { ...s, expect_log: s.expect_log!.slice(1) };
    const r = runScenario(broken, BASIC);
    expect(r.verdict).toBe('fail');
    expect(r.failures[0]!.pointer).toBe('/expect_log');
  });

  // A task step that does not apply did nothing; the scenario passed as if it had (hostile-user finding, stop 38).
  it.each([
    [{ op: 'unblock_task', task: 'task0' }, 'unblock_task task0: expected ok, got EAGAIN'],
    [{ op: 'task_return', task: 'task0' }, 'task_return task0: expected ok, got EAGAIN'],
    [{ op: 'sleep_task', task: 'task0' }, 'sleep_task task0: expected ok, got EAGAIN'],
  ] as const)('fails a task step that does not apply, unless expect says so: %j', (step, message) => {
    const s = loadScenario(BASIC);
    const r = runScenario({ ...s, steps: [...s.steps, step as Step] }, BASIC);
    expect(r.verdict).toBe('fail');
    expect(r.failures).toEqual([{ pointer: `/steps/${s.steps.length}/expect/result`, message }]);
    const expected = { ...step, expect: { result: 'EAGAIN' } } as Step;
    expect(runScenario({ ...s, steps: [...s.steps, expected] }, BASIC).verdict).toBe('pass');
  });
});
