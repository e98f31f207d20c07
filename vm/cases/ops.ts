/**
 * A sequence of ops (harness/ops.ts: thread scenarios, counterexamples, generated sequences) as a VM
 * case, run through the reference implementation under upstream semantics. An op whose
 * precondition the kernel rejects (harness/kernel-preconditions.ts) is skipped, as thread scenarios
 * and fc.commands skip it.
 */
import type { Universe } from '../../model/kernel/definitions.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { describeOp, type Op } from '../../harness/ops.ts';
import { Lockstep } from '../../harness/run-sequence.ts';
import type { FunctionProbe } from '../cgen/contract.ts';
import { modelKey, type CaseKind, type GuestAction, type VmCase, type VmStep } from '../case.ts';
import { observeModel } from '../model-side.ts';
import type { StepObservation } from '../observation.ts';
import { livepatchSysfsDir } from '../../model/kernel/definitions.ts';

/** The guest's action for an op. Shadow ops are the patch code's own and have no guest form yet. */
export function opAction(op: Op): GuestAction {
  switch (op.op) {
    case 'insmod':
      return { kind: 'insmod', module: op.module, params: op.params ?? {}, logError: false };
    case 'rmmod':
      return { kind: 'rmmod', module: op.module };
    case 'disable':
    case 'enable':
    case 'force':
      return {
        kind: 'write',
        value: op.op === 'disable' ? '0' : '1',
        path: `${livepatchSysfsDir(op.patch)}/${op.op === 'force' ? 'force' : 'enabled'}`,
      };
    case 'set_attr':
      return { kind: 'write', value: String(op.value), path: `${livepatchSysfsDir(op.patch)}/${op.attr}` };
    case 'transition_step':
      return { kind: 'sleep', seconds: 1 };
    case 'block_task':
      return { kind: 'block', task: op.task, key: op.func.replace(/,0$/, '') };
    case 'unblock_task':
      return { kind: 'unblock', task: op.task };
    case 'task_return':
      // The guest's idle tasks switch on their own way back to user space; what the model's
      // early switch changes shows at the next transition work, which the guest also waits for.
      return { kind: 'none' };
    case 'shadow_alloc':
    case 'shadow_free':
    case 'run_task':
    case 'sleep_task':
    case 'cond_resched':
    case 'fork':
      return { kind: 'none' };
  }
}

/**
 * Ops the guest cannot perform yet; a case with one of them is not run (reported, not dropped):
 * shadow calls (the patch code's own), and the task model's running, sleeping, cond_resched and
 * forked tasks and interruptible sleepers, which the guest runner does not drive yet (vm/cgen's
 * core module has interruptible block points and kernel threads; one vCPU cannot hold a task on a CPU).
 */
export function unsupportedOp(ops: readonly Op[]): Op | undefined {
  return ops.find(
    (op) =>
      op.op === 'shadow_alloc' ||
      op.op === 'shadow_free' ||
      op.op === 'run_task' ||
      op.op === 'sleep_task' ||
      op.op === 'cond_resched' ||
      op.op === 'fork' ||
      (op.op === 'block_task' && op.sleep === 'interruptible'),
  );
}

/**
 * Whether the kernel's transition work, which retries every second on its own
 * (klp_transition_work_fn, round_jiffies_relative(HZ)), would complete the
 * model's transition now: then the real kernel completes it within a second
 * whatever the next op is, and observing "at once" would race with it.
 */
function workWouldComplete(run: Lockstep): boolean {
  return run.kernel.core.transition !== null && run.kernel.clone().transitionStep();
}

/**
 * The case. Two departures from the op list, each what the real kernel does:
 * - after an op, a transition the next transition work would complete is
 *   completed in the model too (the guest waits for it), so no observation
 *   races with the kernel's one-second retry;
 * - a task "asleep" in a function no patch of the universe touches has no
 *   generated function to sleep in; as no transition ever checks it, the guest
 *   leaves it alone (the model still has the task blocked, so its later ops
 *   keep their meaning).
 */
export function opsCase(
  id: string,
  label: string,
  kind: CaseKind,
  universe: Universe,
  ops: readonly Op[],
  probes: readonly FunctionProbe[],
): VmCase {
  const run = new Lockstep(universe, semanticsByName('upstream')!, { invariants: [], conformance: false });
  const k = run.kernel;
  const steps: VmStep[] = [];
  const model: StepObservation[] = [];
  const probed = new Set(probes.map((p) => modelKey(p.key)));
  const virtual = new Set<string>();
  ops.forEach((op, index) => {
    if (!run.applicable(op)) return;
    const from = k.log.length;
    run.step(op);
    const outcome = run.steps[run.steps.length - 1]!.outcome;
    let action = opAction(op);
    if (op.op === 'block_task' && !probed.has(modelKey(op.func))) {
      if (outcome === 'ok') virtual.add(op.task);
      action = { kind: 'none' };
    } else if (op.op === 'unblock_task' && virtual.delete(op.task)) {
      action = { kind: 'none' };
    }
    while (workWouldComplete(run)) run.step({ op: 'transition_step' });
    // An op after which the model still has a transition is observed at once; the others wait
    // for the kernel's transition work, as functions.sh's loop_until does.
    steps.push({ index, action, settle: k.core.transition !== null ? 'now' : 'done' });
    model.push(observeModel(k, probes, { index, command: describeOp(op), result: outcome }, from));
  });
  return { id, label, kind, universe, steps, model };
}
