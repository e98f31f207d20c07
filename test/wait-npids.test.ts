/**
 * test-syscall.sh's npids (facts E.6; Marcos Paulo de Souza, 2023): the
 * tasks test_klp_syscall's klp_pids names call getpid without end, and the
 * module ticks each off once it runs the new code; the script waits until
 * /sys/kernel/test_klp_syscall/npids reads 0 and logs what it reads. The
 * selftest itself passes in test/selftests.test.ts; here the count follows
 * the tasks that have not switched, so it can fail.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, type Scenario, type Step } from '../harness/scenario/load.ts';
import { runScenario } from '../harness/scenario/run.ts';
import { remainingPids } from '../harness/scenario/steps.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

const FILE = 'scenarios/selftests/test-syscall.patch-getpid-syscall-while-being-heavily-hammered.json';
const SYSCALL = 'test_klp_syscall';
const GETPID = 'vmlinux:__x64_sys_getpid,0';
const upstream = semanticsByName('upstream')!;
const s: Scenario = loadScenario(FILE);
const remainingLine = (r: ReturnType<typeof runScenario>) =>
  r.steps.flatMap((st) => st.log).find((l) => l.includes('Remaining not livepatched processes'));

describe('wait_npids', () => {
  it('reads 0 once every listed task runs the new getpid: the selftest passes', () => {
    const r = runScenario(s, FILE);
    expect(r.verdict).toBe('pass');
    expect(remainingLine(r)).toBe('test_klp_syscall: Remaining not livepatched processes: 0');
  });

  it('counts a listed task that has not switched: task0 asleep in getpid holds the transition', () => {
    const steps: Step[] = [
      { op: 'block_task', task: 'task0', func: 'vmlinux:__x64_sys_getpid' },
      { op: 'load_lp_nowait', module: SYSCALL, params: { klp_pids: 'task0,task1' } },
      { op: 'transition_step' },
      { op: 'wait_npids', module: SYSCALL },
    ];
    const r = runScenario({ ...s, steps, expect_log: undefined }, FILE);
    expect(remainingLine(r)).toBe('test_klp_syscall: Remaining not livepatched processes: 1');
    // As check_result would: the expected 0 is not what was read.
    expect(runScenario({ ...s, steps }, FILE).verdict).toBe('fail');
  });

  it('counts a name that is no task (no process calls getpid with that PID), and reads 0 with no list or no module', () => {
    const k = new Kernel(s.universe, upstream.hooks);
    expect(remainingPids(k, SYSCALL)).toBe(0);
    expect(k.insmod(SYSCALL, { klp_pids: 'task0,nobody,task1' })).toEqual({ ok: true });
    while (k.transitionStep());
    expect(k.runningCode('task0', GETPID)).toEqual({ patch: SYSCALL });
    expect(remainingPids(k, SYSCALL)).toBe(1);
    const plain = new Kernel(s.universe, upstream.hooks);
    expect(plain.insmod(SYSCALL)).toEqual({ ok: true });
    expect(remainingPids(plain, SYSCALL)).toBe(0);
  });

  it('counts when read: after a disable every listed task counts again (the module had ticked them off)', () => {
    const k = new Kernel(s.universe, upstream.hooks);
    k.insmod(SYSCALL, { klp_pids: 'task0,task1' });
    while (k.transitionStep());
    expect(remainingPids(k, SYSCALL)).toBe(0);
    k.writeEnabled(SYSCALL, '0');
    while (k.transitionStep());
    expect(remainingPids(k, SYSCALL)).toBe(2);
  });
});
