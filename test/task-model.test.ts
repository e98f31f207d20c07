/**
 * The task model of the consistency model (transition.c; facts A "Per task",
 * B.2): what holds a transition back depends on the kind of task. Each case
 * runs the same sequence with two kinds of task and shows the outcomes
 * differ, and runs it in lockstep with the spec model with every invariant.
 * - a task running on another CPU is not stack-checked ("is running");
 * - a kernel thread never returns to user space: it switches at cond_resched
 *   (__klp_sched_try_switch) or by force;
 * - the fake signal after SIGNALS_TIMEOUT (15) failed retries wakes an
 *   interruptible sleeper, never an uninterruptible one;
 * - a task forked during a transition inherits its parent's patch state
 *   (klp_copy_process).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op } from '../harness/ops.ts';
import { explore } from '../harness/explore/explorer.ts';
import { formatScope, parseScope } from '../harness/explore/scope.ts';
import { runSequence, type RunResult } from '../harness/run-sequence.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { runScenario } from '../harness/scenario/run.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import { OK } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { INVARIANTS } from '../properties/catalog.ts';
import { lp, ops } from './support/universe.ts';

const universe = (kernel: Universe['kernel'] = {}): Universe => ({
  patches: [lp('p1', ['f1'])],
  modules: [],
  kernel: { tasks: 1, ...kernel },
});

/** Runs in lockstep with conformance and every invariant; none may break. */
function checked(u: Universe, seq: readonly Op[]): RunResult {
  const r = runSequence(u, upstream, seq, { invariants: INVARIANTS, conformance: true });
  expect(r.violation).toBeNull();
  expect(r.steps).toHaveLength(seq.length);
  return r;
}
const status = (r: RunResult) => r.steps.at(-1)!.state.patches[0]!.status;
const steps = (n: number): Op[] => Array.from({ length: n }, () => ({ op: 'transition_step' }));
const op = (o: Op): Op => o;

describe('a task running on a CPU', () => {
  it('holds the transition until it returns to user space; a sleeping task does not', () => {
    const running = checked(universe(), [op({ op: 'run_task', task: 'task0' }), ...ops('insmod p1', 'step', 'step')]);
    expect(status(running)).toBe('patching');
    expect(running.steps.at(-1)!.state.tasks[0]!.state).toBe('unpatched');
    const back = checked(universe(), [op({ op: 'run_task', task: 'task0' }), ...ops('insmod p1', 'return task0', 'step')]);
    expect(status(back)).toBe('enabled');
    expect(status(checked(universe(), ops('insmod p1')))).toBe('enabled');
  });
});

describe('a kernel thread', () => {
  const kthread = universe({ tasks: 0, kthreads: 1 });
  const k0 = 'kthread0';

  it('cannot return to user space; running, it switches at cond_resched', () => {
    const k = new Kernel(kthread, upstream.hooks);
    expect(k.runTask(k0)).toBe(true);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.taskReturnToUser(k0)).toBe(false);
    expect(k.transitionStep()).toBe(false);
    expect(k.condResched(k0)).toBe(true);
    expect(k.runningCode(k0, 'vmlinux:f1,0')).toEqual({ patch: 'p1' });
    expect(k.transitionStep()).toBe(true);
    const r = checked(kthread, [
      op({ op: 'run_task', task: k0 }),
      ...ops('insmod p1'),
      op({ op: 'cond_resched', task: k0 }),
      ...ops('step'),
    ]);
    expect(status(r)).toBe('enabled');
  });

  it('without reliable stacks: cond_resched and the signals do not switch it, a user task does switch; force does', () => {
    const mixed = universe({ tasks: 1, kthreads: 1, reliable_stacktrace: false });
    const seq = [op({ op: 'run_task', task: k0 }), ...ops('insmod p1'), op({ op: 'cond_resched', task: k0 }), ...steps(20)];
    const r = checked(mixed, seq);
    expect(status(r)).toBe('patching');
    // The signal at the 16th retry sends task0 back to user space, where it switches.
    expect(r.steps.at(-1)!.state.tasks.map((t) => [t.name, t.state])).toEqual([
      ['task0', 'patched'],
      ['kthread0', 'unpatched'],
    ]);
    expect(status(checked(mixed, [...seq, ...ops('force p1', 'step')]))).toBe('enabled');
  });
});

describe('the fake signal after 15 retries', () => {
  const sleeper = (sleep?: 'interruptible') => op({ op: 'block_task', task: 'task0', func: 'vmlinux:f1,0', ...(sleep ? { sleep } : {}) });

  it('lets an interruptible sleeper switch, logging "signaling remaining tasks" once', () => {
    const k = new Kernel(universe(), upstream.hooks);
    expect(k.blockTask('task0', 'vmlinux:f1,0', 'interruptible')).toBe(true);
    expect(k.insmod('p1')).toEqual(OK);
    // insmod made the first attempt; the 15th retry after it is the 16th attempt.
    for (let i = 0; i < 14; i++) expect(k.transitionStep()).toBe(false);
    expect(k.task('task0')!.patch_state).toBe(0);
    expect(k.transitionStep()).toBe(false);
    expect(k.log.at(-1)).toBe('livepatch: signaling remaining tasks');
    expect(k.task('task0')!.blocked).toBeNull();
    expect(k.transitionStep()).toBe(true);
    expect(k.log.filter((l) => l.includes('signaling'))).toHaveLength(1);
    expect(status(checked(universe(), [sleeper('interruptible'), ...ops('insmod p1'), ...steps(16)]))).toBe('enabled');
  });

  it('leaves an uninterruptible sleeper where it is, however often it is sent', () => {
    const r = checked(universe(), [sleeper(), ...ops('insmod p1'), ...steps(46)]);
    expect(status(r)).toBe('patching');
    expect(r.steps.at(-1)!.state.tasks[0]).toEqual({ name: 'task0', state: 'unpatched', blocked: 'vmlinux:f1,0@original' });
  });

  it('wakes a kernel thread asleep interruptibly, which then switches at the next stack check', () => {
    const u = universe({ tasks: 0, kthreads: 1 });
    const seq = [
      op({ op: 'block_task', task: 'kthread0', func: 'vmlinux:f1,0', sleep: 'interruptible' }),
      ...ops('insmod p1'),
      ...steps(15),
    ];
    const r = checked(u, seq);
    expect(r.steps.at(-1)!.state.tasks[0]).toEqual({ name: 'kthread0', state: 'unpatched', blocked: null });
    expect(status(checked(u, [...seq, ...steps(1)]))).toBe('enabled');
  });
});

describe('a task forked during a transition', () => {
  it("inherits its parent's patch state: the child of an unswitched task runs the old code", () => {
    const u = universe({ tasks: 2 });
    const seq = [
      op({ op: 'run_task', task: 'task0' }),
      ...ops('insmod p1'),
      op({ op: 'fork', task: 'task0', child: 'c0' }),
      op({ op: 'fork', task: 'task1', child: 'c1' }),
    ];
    const r = checked(u, seq);
    const last = r.steps.at(-1)!.state;
    expect(last.tasks.map((t) => [t.name, t.state])).toEqual([
      ['task0', 'unpatched'],
      ['task1', 'patched'],
      ['c0', 'unpatched'],
      ['c1', 'patched'],
    ]);
    expect(last.running['vmlinux:f1,0']).toEqual(['original', 'p1', 'original', 'p1']);
    // The child is asleep, so the next retry switches it; the running parent still holds the transition.
    const later = checked(u, [...seq, ...ops('step')]);
    expect(later.steps.at(-1)!.state.tasks.map((t) => t.state)).toEqual(['unpatched', 'patched', 'patched', 'patched']);
    expect(status(later)).toBe('patching');
  });

  it('outside a transition the child starts idle', () => {
    const r = checked(universe(), [...ops('insmod p1'), op({ op: 'fork', task: 'task0', child: 'c0' })]);
    expect(r.steps.at(-1)!.state.tasks.map((t) => t.state)).toEqual(['idle', 'idle']);
  });
});

describe('scenario files speak the task model', () => {
  it('runs run_task, cond_resched and fork steps', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'klpcheck-task-')), 'kthread.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'a kernel thread switches at cond_resched',
        source: 'issue 9, task model',
        universe: universe({ tasks: 0, kthreads: 1 }),
        steps: [
          { op: 'run_task', task: 'kthread0' },
          { op: 'load_lp_nowait', module: 'p1' },
          { op: 'fork', task: 'kthread0', child: 'kthread0.1' },
          { op: 'check_running', func: 'vmlinux:f1', task: 'kthread0.1', runs: 'original' },
          { op: 'cond_resched', task: 'kthread0' },
          { op: 'transition_step' },
          { op: 'check_running', func: 'vmlinux:f1', task: 'kthread0', runs: 'p1' },
        ],
        expect_log: [
          "livepatch: enabling patch 'p1'",
          "livepatch: 'p1': initializing patching transition",
          "livepatch: 'p1': starting patching transition",
          "livepatch: 'p1': completing patching transition",
          "livepatch: 'p1': patching complete",
        ],
      }),
    );
    const result = runScenario(loadScenario(file), file);
    expect(result.failures).toEqual([]);
    expect(result.steps.map((x) => x.result)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });
});

describe('the explorer reaches the task model on request', () => {
  it('taskModel=1 adds the task ops: more states, and upstream still breaks nothing', () => {
    const plain = explore({ semantics: upstream, scope: parseScope('patches=1,functions=1,states=0,tasks=1,depth=3') });
    const tasks = explore({ semantics: upstream, scope: parseScope('patches=1,functions=1,states=0,tasks=1,depth=3,taskModel=1') });
    expect(tasks.distinctStates).toBeGreaterThan(plain.distinctStates);
    expect(tasks.violations).toEqual([]);
    expect(formatScope(tasks.scope)).toBe('patches=1,functions=1,states=0,tasks=1,depth=3,taskModel=1');
  });
});
