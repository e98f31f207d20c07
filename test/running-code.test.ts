/**
 * Which code each task runs of a function, as the ftrace handler answers it
 * (model/kernel/func-stack.ts runningCode) and as the abstraction function
 * reads it for every task at once (runningNames), and the spec model's side
 * of the same (model/spec/spec-model.ts abstract). The selftests and the
 * random runs check the two sides equal; these cases pin what neither
 * reaches: the handler's WARN for an idle task on a function in transition
 * (kernel/livepatch/patch.c klp_ftrace_handler, WARN_ON_ONCE on
 * KLP_TRANSITION_IDLE; facts B.2 "ftrace handler"), which only looking must
 * never log, and the target modules' fixed order in the abstract state.
 */
import { describe, expect, it } from 'vitest';
import { runningCode, runningNames } from '../model/kernel/func-stack.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { KLP_TRANSITION_IDLE } from '../model/kernel/runtime.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { SpecModel } from '../model/spec/spec-model.ts';
import { lp, universe } from './support/universe.ts';

const F1 = 'vmlinux:f1,0';

/** p1 in transition to patched: task0 sleeps in f1 running the original, so it cannot switch (facts B.2). */
function stalled() {
  const k = new Kernel(universe(lp('p1', ['f1'])), upstream.hooks);
  expect(k.blockTask('task0', F1)).toBe(true);
  expect(k.insmod('p1').ok).toBe(true);
  expect(k.core.transition?.name).toBe('p1');
  return k;
}

const warnings = (k: Kernel) => k.core.log.events.filter((e) => e.kind === 'warn');

describe('the ftrace handler during a transition', () => {
  it('gives an unpatched task the code below the head, a patched one the head', () => {
    const k = stalled();
    const [task0, task1] = k.core.tasks;
    expect(task0!.patch_state).not.toBe(task1!.patch_state);
    expect(runningNames(k.core, k.core.tasks, F1)).toEqual(
      k.core.tasks.map((t) => {
        const v = runningCode(k.core, t, F1);
        return typeof v === 'string' ? v : v.patch;
      }),
    );
    expect(new Set(runningNames(k.core, k.core.tasks, F1))).toEqual(new Set(['original', 'p1']));
  });

  it('WARNs when it sees an idle task on a function in transition, unless klpcheck only looks', () => {
    const k = stalled();
    const task1 = k.core.tasks[1]!;
    task1.patch_state = KLP_TRANSITION_IDLE; // never reached: the kernel WARNs if it is
    const before = warnings(k).length;
    expect(runningCode(k.core, task1, F1, true)).toEqual({ patch: 'p1' });
    expect(runningNames(k.core, [task1], F1)).toEqual(['p1']);
    expect(warnings(k).length).toBe(before);
    expect(k.runningCode('task1', F1)).toEqual({ patch: 'p1' });
    expect(warnings(k).slice(before)).toEqual([{ kind: 'warn', message: `ftrace handler saw an idle task in a transition (${F1})` }]);
  });
});

describe("the spec model's abstract state", () => {
  it('lists the loaded target modules by name, whatever order they loaded in', () => {
    const u = { ...universe(lp('p1', ['f1'])), modules: [{ name: 'mod_b' }, { name: 'mod_a' }] };
    const spec = new SpecModel(u, upstream);
    expect(spec.insmod('mod_b').ok).toBe(true);
    expect(spec.insmod('mod_a').ok).toBe(true);
    expect(spec.abstract().modules).toEqual(['mod_a', 'mod_b']);
  });
});
