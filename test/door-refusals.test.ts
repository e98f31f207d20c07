/**
 * Refusals at the door (model/kernel/errno.ts refused): an operation both
 * sides refuse before they change anything. A checked run takes such a step
 * as quiet (harness/run-sequence.ts Lockstep.stepAll): it keeps the abstract
 * state before and skips every invariant that does not ask to see unchanged
 * steps. It skips them too on a still step (Lockstep.stillStep): no kernel
 * event, no attribute written, and the abstract state as before, whatever
 * the kernel changed that no abstract state shows. Here every such step of
 * random runs of every semantics is checked in full: after a door refusal
 * the kernel's whole state (but its log) and the spec model's are as before
 * and conformance holds; after either kind no patch's record changed, and no
 * skipped invariant fires or changes its checker's memory. A kernel that
 * changes something before it refuses, or a patch's record on a still step,
 * is caught.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandsArb, DEFAULT_SCOPE, universeArb, opOf } from '../harness/generators.ts';
import { applyToKernel, applyToSpec, type Op } from '../harness/ops.ts';
import { patchFromFuncs } from '../harness/patch-def.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { fail, refused, refusedAtTheDoor, type Outcome } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { KLP_TRANSITION_PATCHED } from '../model/kernel/runtime.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { CONFORMANCE, INVARIANTS } from '../properties/catalog.ts';

/** p1, which patches vmlinux:f1, on one task; and the same with a target module, mod. */
const P1_ONE_TASK: Universe = { patches: [patchFromFuncs('p1', ['vmlinux:f1'], [], {})], modules: [], kernel: { tasks: 1 } };
const P1_ONE_TASK_AND_MOD: Universe = { ...P1_ONE_TASK, modules: [{ name: 'mod' }] };

/** The kernel's state without its log, which a refusal may add a text line to. */
function kernelState(k: Kernel): Kernel {
  const c = k.clone();
  c.core.log.clear();
  return c;
}

interface DoorCheck {
  /** Steps both sides refused at the door. */
  readonly door: number;
  /** Still steps that were not door refusals. */
  readonly still: number;
  readonly steps: number;
  readonly problems: readonly string[];
}

/**
 * Random runs of `sem` (seed 1), every door refusal checked in full.
 * `kernel` makes the reference implementation (a broken one in the last test).
 */
function checkDoors(sem: Semantics, runs: number, kernel?: (u: Universe, s: Semantics) => Kernel): DoorCheck {
  const invariants = INVARIANTS.filter((i) => i.appliesTo(sem));
  const skipped = new Set(invariants.filter((i) => !i.seesUnchangedSteps).map((i) => i.id));
  const arb = fc.tuple(universeArb(sem, DEFAULT_SCOPE), commandsArb(sem, DEFAULT_SCOPE, 30));
  const problems: string[] = [];
  let door = 0;
  let still = 0;
  let steps = 0;
  for (const [universe, cmds] of fc.sample(arb, { numRuns: runs, seed: 1 })) {
    const run = new Lockstep(universe, sem, { invariants, conformance: true, ...(kernel ? { kernel } : {}) });
    let incoming: ReadonlySet<string> = new Set();
    for (const c of cmds) {
      const op: Op = opOf(c);
      if (!run.applicable(op)) continue;
      steps++;
      const kernelBefore = kernelState(run.kernel);
      const specBefore = run.spec.clone();
      const recordsBefore = records(run);
      // Whether both sides refuse the op at the door, asked of copies.
      const atTheDoor =
        refusedAtTheDoor(applyToKernel(op, run.kernel.clone())) &&
        (!run.followsSpec || refusedAtTheDoor(applyToSpec(op, run.spec.clone())));
      // The same step checked in full (no step is quiet when `unchanged` says no), on a copy.
      const full = run.branch();
      const found = full.stepAll(op, undefined, () => false);
      const violations = run.stepAll(op);
      if (quietStep(run)) {
        const where = `${JSON.stringify(op)} after ${run.steps.length - 1} steps`;
        if (atTheDoor) {
          door++;
          if (!isDeepStrictEqual(kernelState(run.kernel), kernelBefore)) problems.push(`${where}: the kernel's state changed`);
          if (!isDeepStrictEqual(run.spec.clone(), specBefore)) problems.push(`${where}: the spec model's state changed`);
        } else still++;
        if (!isDeepStrictEqual(records(run), recordsBefore)) problems.push(`${where}: a patch's record changed`);
        for (const v of found) {
          if (v.invariant === CONFORMANCE) {
            // A still step checks conformance in full: the run must have found the same.
            if (atTheDoor || !violations.some((w) => w.invariant === CONFORMANCE))
              problems.push(`${where}: conformance fired: ${v.reason}`);
          } else if (skipped.has(v.invariant) && !incoming.has(v.invariant)) problems.push(`${where}: ${v.invariant} fired: ${v.reason}`);
        }
        if (full.memory() !== run.memory()) problems.push(`${where}: a checker's memory changed`);
      }
      incoming = new Set(violations.map((v) => v.invariant));
      if (violations.length) break;
    }
  }
  return { door, still, steps, problems };
}

/** Every patch of the universe as the checkers would read it (StepObservation.def). */
function records(run: Lockstep): unknown[] {
  return run.universe.patches.map((d) => run.loadedDef(d.name));
}

/** Whether the last step of `run` was taken as quiet or still: its state is the very object of the state before. */
function quietStep(run: Lockstep): boolean {
  const before = run.steps.length > 1 ? run.steps.at(-2)!.state : run.initial;
  return run.steps.at(-1)!.state === before;
}

describe('refusals at the door', () => {
  it.each(SEMANTICS.map((s) => [s.name, s] as const))(
    '%s: every step both sides refused at the door changed nothing, and no skipped check of it or of a still step would have found anything',
    (_, sem) => {
      const r = checkDoors(sem, 300);
      expect(r.problems.slice(0, 5)).toEqual([]);
      // About a third of random steps are such refusals, and a tenth or more still steps, or the check proves little.
      expect(r.door).toBeGreaterThan(r.steps / 5);
      expect(r.still).toBeGreaterThan(r.steps / 10);
    },
    60_000,
  );

  it('are marked as such, and a plain failure is not', () => {
    expect(refusedAtTheDoor(refused('EEXIST'))).toBe(true);
    expect(refused('EEXIST')).toEqual({ ok: false, errno: 'EEXIST' });
    expect(refusedAtTheDoor({ ok: false, errno: 'EEXIST' })).toBe(false);
    const k = new Kernel({ patches: [], modules: [{ name: 'mod' }], kernel: {} }, upstream.hooks);
    expect(refusedAtTheDoor(k.insmod('mod'))).toBe(false);
    expect(refusedAtTheDoor(k.insmod('mod'))).toBe(true);
  });

  it('catches a kernel that changes its state before it refuses', () => {
    /** Counts a refused sysfs write in the signal counter: a change no abstract state shows. */
    class Leaky extends Kernel {
      override writeEnabled(patch: string, value: string): Outcome {
        const o = super.writeEnabled(patch, value);
        if (refusedAtTheDoor(o)) this.core.signalsCnt++;
        return o;
      }
    }
    const r = checkDoors(upstream, 60, (u, s) => new Leaky(u, s.hooks));
    expect(r.problems.some((p) => p.endsWith(": the kernel's state changed"))).toBe(true);
  });

  it('checks a step that shows no change but logs an event: a WARN when a task runs is caught', () => {
    class Warning extends Kernel {
      override runTask(task: string): boolean {
        const ran = super.runTask(task);
        this.core.log.event({ kind: 'warn', message: 'a task ran' });
        return ran;
      }
    }
    const run = new Lockstep(P1_ONE_TASK, upstream, {
      invariants: INVARIANTS,
      conformance: true,
      kernel: (u, s) => new Warning(u, s.hooks),
    });
    expect(run.stepAll({ op: 'run_task', task: 'task0' }).map((v) => v.invariant)).toEqual(['transition-sanity']);
  });

  it('checks a successful op that shows no change: a kernel that says it removed a live patch and did nothing is caught (helper-123)', () => {
    class LyingRmmod extends Kernel {
      override rmmod(name: string): Outcome {
        const p = this.patch(name);
        return p && (p.registered || p.forced) ? { ok: true } : super.rmmod(name);
      }
    }
    const ops: Op[] = [
      { op: 'insmod', module: 'p1' },
      { op: 'rmmod', module: 'p1' },
    ];
    const run = new Lockstep(P1_ONE_TASK, upstream, {
      invariants: INVARIANTS,
      conformance: false,
      kernel: (u, s) => new LyingRmmod(u, s.hooks),
    });
    expect(run.stepAll(ops[0]!)).toEqual([]);
    const before = run.current;
    expect(run.stepAll(ops[1]!).map((v) => v.invariant)).toEqual(['module-safety']);
    expect(run.current).toBe(before);
  });

  it('checks the first step of a run in full: a kernel that boots in a state an invariant refuses is caught, whatever that step (helper-123)', () => {
    class BootsPatched extends Kernel {
      constructor(...args: ConstructorParameters<typeof Kernel>) {
        super(...args);
        this.core.tasks[0]!.patch_state = KLP_TRANSITION_PATCHED;
      }
    }
    const first = (op: Op) => {
      const run = new Lockstep(P1_ONE_TASK_AND_MOD, upstream, {
        invariants: INVARIANTS,
        conformance: false,
        kernel: (u, s) => new BootsPatched(u, s.hooks),
      });
      const found = run.stepAll(op).map((v) => v.invariant);
      // The same run's next such step may skip it: it fired on the step into the state.
      return { found, state: run.current === run.initial };
    };
    // A still step (the task runs), and a refusal at the door (the module is not loaded), each as the first step.
    expect(first({ op: 'run_task', task: 'task0' })).toEqual({ found: ['transition-sanity'], state: true });
    expect(first({ op: 'rmmod', module: 'mod' })).toEqual({ found: ['transition-sanity'], state: true });
  });

  it("catches a kernel that changes a patch's record on a still step", () => {
    /** Turns the replaceable flag of every loaded patch when a task runs: no event, and no abstract state shows it. */
    class Flipping extends Kernel {
      override runTask(task: string): boolean {
        const ran = super.runTask(task);
        for (const p of this.core.klp_patches) for (const [attr, v] of p.writable) p.writable.set(attr, !v);
        return ran;
      }
    }
    const sem = SEMANTICS.find((s) => s.name === 'hybrid')!;
    const r = checkDoors(sem, 100, (u, s) => new Flipping(u, s.hooks));
    expect(r.problems.some((p) => p.endsWith(": a patch's record changed"))).toBe(true);
  });
});

describe('which refusals a checked run takes as quiet', () => {
  const universe = P1_ONE_TASK_AND_MOD;
  const enable: Op = { op: 'enable', patch: 'p1' };
  /** A run with p1 loaded; `quietly` says whether enabling it again (refused, -EINVAL) was taken as quiet. */
  const enabledP1 = (opts: Partial<ConstructorParameters<typeof Lockstep>[2]> = {}) => {
    const run = new Lockstep(universe, upstream, { invariants: INVARIANTS, conformance: true, ...opts });
    expect(run.stepAll({ op: 'insmod', module: 'p1' })).toEqual([]);
    return run;
  };
  const quietly = (run: Lockstep) => {
    const before = run.current;
    run.stepAll(enable);
    expect(run.steps.at(-1)!.outcome).toBe('EINVAL');
    return run.current === before;
  };

  it('both sides refused at the door: quiet', () => expect(quietly(enabledP1())).toBe(true));

  it('the spec model no longer followed (a conformance break, the explorer): the kernel alone decides', () =>
    expect(quietly(enabledP1({ conformance: false, specUntilDivergence: true }))).toBe(true));

  /** Refuses a sysfs write with a plain failure, which may have changed something, not at the door. */
  class PlainRefusal extends Kernel {
    override writeEnabled(patch: string, value: string): Outcome {
      const o = super.writeEnabled(patch, value);
      return o.ok ? o : fail(o.errno);
    }
  }

  it('a kernel that refuses as a plain failure (it may have changed something) is checked in full', () => {
    /** Marks p1 forced, as no refusal may, and says so with a plain failure. */
    class ForcingRefusal extends PlainRefusal {
      override writeEnabled(patch: string, value: string): Outcome {
        const o = super.writeEnabled(patch, value);
        if (!o.ok) this.core.klp_patches[0]!.forced = true;
        return o;
      }
    }
    const run = enabledP1({ kernel: (u, s) => new ForcingRefusal(u, s.hooks) });
    expect(quietly(run)).toBe(false);
    expect(run.current.patches[0]!.forced).toBe(true);
  });

  it('a plain failure that changes nothing the abstract state shows is still: the checkers are skipped, conformance is checked', () => {
    expect(quietly(enabledP1({ kernel: (u, s) => new PlainRefusal(u, s.hooks) }))).toBe(true);
    /** Takes a disable and does nothing: no event, and the abstract state as before, where the spec model's changed. */
    class IgnoresDisable extends Kernel {
      override writeEnabled(patch: string, value: string): Outcome {
        return value === '0' ? { ok: true } : super.writeEnabled(patch, value);
      }
    }
    const run = enabledP1({ kernel: (u, s) => new IgnoresDisable(u, s.hooks) });
    const before = run.current;
    const violations = run.stepAll({ op: 'disable', patch: 'p1' });
    expect(run.current).toBe(before);
    expect(violations.map((v) => v.invariant)).toEqual([CONFORMANCE]);
  });
});
