/**
 * A selftest scenario (scenarios/selftests, schema/scenario.schema.json) as a VM case: each step as
 * functions.sh performs it (facts E.0), and the reference implementation's observation after it
 * (harness/scenario/steps.ts runs the step, as `klpcheck scenario` does).
 */
import { Kernel } from '../../model/kernel/kernel.ts';
import { parameqName, PIDS_PARAM } from '../../model/kernel/module-params.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import type { Scenario, Step } from '../../harness/scenario/load.ts';
import { runStep } from '../../harness/scenario/steps.ts';
import type { FunctionProbe } from '../cgen/contract.ts';
import type { GuestAction, VmCase, VmStep } from '../case.ts';
import { observeModel } from '../model-side.ts';
import type { StepObservation } from '../observation.ts';
import { livepatchSysfsDir, moduleSysfsDir } from '../../model/kernel/definitions.ts';

/** The function name of a model key ("vmlinux:cmdline_proc_show" -> "cmdline_proc_show"). */
const funcOf = (key: string) => key.slice(key.indexOf(':') + 1).replace(/,\d+$/, '');

/** The guest's action for a step; shadow steps run inside their module's init, so on the guest they are nothing. */
export function selftestAction(step: Step, tasks: readonly string[] = []): GuestAction {
  switch (step.op) {
    case 'load_lp':
    case 'load_lp_nowait':
    case 'load_mod':
    case 'load_failing_mod':
      return {
        kind: 'insmod',
        module: step.module,
        params: step.params ?? {},
        logError: step.op === 'load_failing_mod',
        // A livepatch's PID list (load_failing_mod loads one in vm/scenarios/klp-pids-parsing.json); a target
        // module's klp_pids is a plain parameter, its value passed as it is.
        ...(step.op !== 'load_mod' && step.params && Object.keys(step.params).some((name) => parameqName(name) === PIDS_PARAM)
          ? { pids: { param: PIDS_PARAM.replaceAll('_', '[-_]'), tasks } }
          : {}),
      };
    case 'wait_npids':
      return { kind: 'npids', module: step.module };
    case 'unload_lp':
    case 'unload_mod':
      return { kind: 'rmmod', module: step.module };
    case 'disable_lp':
      return { kind: 'write', value: '0', path: `${livepatchSysfsDir(step.patch)}/enabled` };
    case 'enable':
      return { kind: 'write', value: step.value ?? '1', path: `${livepatchSysfsDir(step.patch)}/enabled` };
    case 'force':
      return { kind: 'write', value: step.value ?? '1', path: `${livepatchSysfsDir(step.patch)}/force` };
    case 'set_param':
      return { kind: 'write', value: step.value, path: `${moduleSysfsDir(step.module)}/parameters/${step.param}` };
    case 'set_attr':
      return { kind: 'write', value: step.value, path: `${livepatchSysfsDir(step.module)}/${step.param}` };
    case 'set_ftrace_enabled':
      return { kind: 'ftrace', value: step.value ? 1 : 0 };
    case 'grep_live_patched':
      return { kind: 'grep_patched', keys: step.funcs };
    case 'trace_function':
      return { kind: 'trace', func: funcOf(step.func) };
    case 'transition_step':
      // The transition work retries once a second (klp_transition_work_fn, round_jiffies_relative(HZ)).
      return { kind: 'sleep', seconds: step.count ?? 1 };
    case 'block_task':
      return step.func ? { kind: 'block', task: step.task, key: step.func } : { kind: 'none' };
    case 'unblock_task':
      return { kind: 'unblock', task: step.task };
    default:
      // check_running, check_sysfs: the observation after every step has them; task_return and
      // read_module_param have no guest form yet; shadow steps are the module's own init.
      return { kind: 'none' };
  }
}

/** Shadow steps of a module run inside that module's init on the real kernel: folded into the step before. */
const folded = (step: Step) => 'id' in step && 'module' in step && step.module !== undefined;

/**
 * The case: one VM step per guest action (a folded step's log joins the step it belongs to), and
 * the model's observation after each.
 */
export function selftestCase(id: string, label: string, s: Scenario, probes: readonly FunctionProbe[]): VmCase {
  const semantics = semanticsByName(s.semantics ?? 'upstream')!;
  const k = new Kernel(s.universe, semantics.hooks);
  const steps: VmStep[] = [];
  const model: StepObservation[] = [];
  s.steps.forEach((step, index) => {
    const from = k.log.length;
    const { command, outcome } = runStep(k, step);
    const result = outcome.ok ? 'ok' : outcome.errno;
    const last = model.length - 1;
    if (folded(step) && last >= 0) {
      const prev = model[last]!;
      const now = observeModel(k, probes, { index: prev.index, command: prev.command, result: prev.result }, from);
      model[last] = { ...now, log: [...prev.log, ...now.log] };
      return;
    }
    // The user tasks: a kernel thread klp_pids names calls no getpid, so it gets a PID no process has.
    const action = selftestAction(
      step,
      k.core.tasks.filter((t) => !t.kthread).map((t) => t.name),
    );
    steps.push({
      index,
      action,
      settle: k.core.transition ? 'now' : 'done',
      ...(step.op === 'check_running'
        ? { checkRunning: { key: step.func, runs: step.runs, ...(step.log !== undefined ? { log: step.log } : {}) } }
        : {}),
    });
    model.push(observeModel(k, probes, { index, command, result }, from));
  });
  return { id, label, kind: 'selftest', universe: s.universe, steps, model };
}
