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
import { PIDS_MAX } from '../model/kernel/module-params.ts';
import { TempDir } from './support/cli-run.ts';

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

  it('counts entries, not names: a name listed twice is two entries, and a caller listed twice leaves with both', () => {
    // A set of names counted ghost,ghost as 1 where the module's array holds 2 (hostile user, stop 41).
    expect(read([load('ghost,ghost'), DISABLE, WAIT])).toEqual(['2']);
    expect(read([load('task0,task0,ghost'), WAIT])).toEqual(['1']);
  });

  it('lists nothing when the module declares no klp_pids: insmod ignored it, as the log says', () => {
    const bare = { ...s, universe: { ...s.universe, patches: s.universe.patches.map(({ params: _, ...p }) => p) } };
    const r = runScenario({ ...bare, steps: [load('nobody'), WAIT], expect_log: undefined }, FILE);
    const log = r.steps.flatMap((st) => st.log);
    expect(log).toContain("test_klp_syscall: unknown parameter 'klp_pids' ignored");
    expect(log).toContain('test_klp_syscall: Remaining not livepatched processes: 0');
  });
});

describe('klp_pids as param_array takes it (kernel/params.c)', () => {
  const failing = (pids: string): Step => ({ op: 'load_failing_mod', module: SYSCALL, params: { klp_pids: pids } });
  // Unfiltered: param_array's own line names neither livepatch nor test_klp, so check_result's filter drops it.
  const logOf = (pids: string) => runScenario({ ...s, log_filter: 'none', steps: [failing(pids)], expect_log: undefined }, FILE).steps[0]!;

  it('refuses an empty entry with EINVAL, quoting the first entry alone (param_array cut the value at its commas)', () => {
    for (const [pids, shown] of [
      ['', ''],
      [',,,', ''],
      ['task0,,task1', 'task0'],
    ] as const) {
      const step = logOf(pids);
      expect([pids, step.result]).toEqual([pids, 'EINVAL']);
      expect(step.log).toContain(`test_klp_syscall: \`${shown}' invalid for parameter \`klp_pids'`);
    }
  });

  it(`takes ${PIDS_MAX} entries and refuses one more, saying so first`, () => {
    const many = (n: number) => Array.from({ length: n }, () => 'task0').join(',');
    expect(runScenario({ ...s, steps: [load(many(PIDS_MAX)), WAIT], expect_log: undefined }, FILE).steps[0]!.result).toBe('ok');
    const step = logOf(many(PIDS_MAX + 1));
    expect(step.result).toBe('EINVAL');
    const at = step.log.indexOf(`klp_pids: can only take ${PIDS_MAX} arguments`);
    expect(step.log.slice(at, at + 2)).toEqual([
      `klp_pids: can only take ${PIDS_MAX} arguments`,
      "test_klp_syscall: `task0' invalid for parameter `klp_pids'",
    ]);
  });

  it('keeps a kernel thread on the list: it makes no system call', () => {
    const withKthread = { ...s.universe, kernel: { ...s.universe.kernel, tasks: 1, kthreads: 1 } };
    const steps = [load('task0,kthread0'), DISABLE, WAIT];
    const log = runScenario({ ...s, universe: withKthread, steps, expect_log: undefined }, FILE).steps.flatMap((st) => st.log);
    expect(log.filter((l) => l.includes('Remaining'))).toEqual([`${SYSCALL}: Remaining not livepatched processes: 1`]);
  });

  it("reads the list given as klp-pids too (parameq takes a '-' for a '_')", () => {
    const steps: Step[] = [
      { op: 'block_task', task: 'task0', func: 'vmlinux:__x64_sys_getpid' },
      { op: 'load_lp_nowait', module: SYSCALL, params: { 'klp-pids': 'task0' } },
      WAIT,
    ];
    expect(read(steps)).toEqual(['1']);
  });

  it('refuses a default klp_pids in the universe, with its place: the C array starts empty', () => {
    const universe = { ...s.universe, patches: s.universe.patches.map((p) => ({ ...p, params: { ...p.params, klp_pids: ',' } })) };
    const file = new TempDir().write('default.json', { ...s, universe });
    expect(() => loadScenario(file)).toThrow(
      expect.objectContaining({
        code: 'E_INEXPRESSIBLE',
        message: expect.stringContaining('klp_pids has no default'),
        where: '/universe/patches/0/params/klp_pids',
      }),
    );
  });
});
