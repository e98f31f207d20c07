/**
 * test-syscall.sh's npids (facts E.6; Marcos Paulo de Souza, 2023): the
 * tasks test_klp_syscall's klp_pids names call getpid without end, and the
 * module takes each off its list once it runs the new getpid, for good; the
 * script waits until /sys/kernel/test_klp_syscall/npids reads 0 and logs
 * what it reads (harness/scenario/getpid-callers.ts). The selftest itself
 * passes in test/selftests.test.ts, and vm/scenarios/npids-unknown-pid.json
 * is checked against a real kernel; here the count can fail.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, type Scenario, type Step } from '../harness/scenario/load.ts';
import { runScenario } from '../harness/scenario/run.ts';

const FILE = 'scenarios/selftests/test-syscall.patch-getpid-syscall-while-being-heavily-hammered.json';
const SYSCALL = 'test_klp_syscall';
const s: Scenario = loadScenario(FILE);
const load = (pids?: string, op: 'load_lp' | 'load_lp_nowait' = 'load_lp'): Step => ({
  op,
  module: SYSCALL,
  ...(pids !== undefined ? { params: { klp_pids: pids } } : {}),
});
const WAIT: Step = { op: 'wait_npids', module: SYSCALL };
const DISABLE: Step = { op: 'disable_lp', patch: SYSCALL };
const UNLOAD: Step = { op: 'unload_lp', module: SYSCALL };
/** What each wait_npids logged, in order. */
const read = (steps: Step[]) =>
  runScenario({ ...s, steps, expect_log: undefined }, FILE)
    .steps.flatMap((st) => st.log)
    .filter((l) => l.includes('Remaining not livepatched processes'))
    .map((l) => l.slice(`${SYSCALL}: Remaining not livepatched processes: `.length));

describe('wait_npids', () => {
  it('reads 0 once every listed task runs the new getpid: the selftest passes', () => {
    expect(runScenario(s, FILE).verdict).toBe('pass');
    expect(read(s.steps)).toEqual(['0']);
  });

  it('counts a listed task that has not run the new getpid: task0 asleep in getpid holds the transition', () => {
    const steps: Step[] = [
      { op: 'block_task', task: 'task0', func: 'vmlinux:__x64_sys_getpid' },
      load('task0,task1', 'load_lp_nowait'),
      WAIT,
    ];
    expect(read(steps)).toEqual(['1']);
    // As check_result would: the expected 0 is not what was read.
    expect(runScenario({ ...s, steps }, FILE).verdict).toBe('fail');
  });

  it('never counts a task again once it ran the new getpid, and counts a name that is no task for good', () => {
    expect(read([load('task0,nobody,task1'), DISABLE, WAIT])).toEqual(['1']);
    expect(read([load('task0,task1'), DISABLE, WAIT])).toEqual(['0']);
  });

  it('gives a new load a new list, none without klp_pids, and reads nothing when there is no npids file', () => {
    expect(read([load('nobody'), WAIT, DISABLE, UNLOAD, load(), WAIT])).toEqual(['1', '0']);
    expect(read([WAIT])).toEqual(['']);
    expect(read([load('task0'), DISABLE, UNLOAD, WAIT])).toEqual(['']);
  });

  it('takes off only the tasks still calling: after a wait the script has killed them', () => {
    // task0 sleeps in getpid through the first wait, which then ends the calls: it never runs the new getpid after.
    const steps: Step[] = [
      { op: 'block_task', task: 'task0', func: 'vmlinux:__x64_sys_getpid' },
      load('task0,task1', 'load_lp_nowait'),
      WAIT,
      { op: 'unblock_task', task: 'task0' },
      { op: 'transition_step' },
      WAIT,
    ];
    expect(read(steps)).toEqual(['1', '1']);
  });
});
