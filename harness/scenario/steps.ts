/**
 * One scenario step on the reference implementation, the way functions.sh
 * performs it (facts E.0): the `% command` line it logs, the operation, and
 * the harness's own waiting (load_lp and disable_lp wait for the transition).
 */
import type { Step, TaskStep } from '../../schema/generated/scenario.ts';
import { INSMOD_STRERROR, OK, fail, type Outcome } from '../../model/kernel/errno.ts';
import type { Kernel } from '../../model/kernel/kernel.ts';
import { livepatchSysfsDir, moduleSysfsDir, namedFuncKey } from '../../model/kernel/definitions.ts';
import { afterStep, countPids, stopGetpidCallers } from './getpid-callers.ts';
import { shadowVarsModule, type ShadowStep } from './shadow-module.ts';
import { sysfsMode } from './sysfs-modes.ts';

export interface StepOutcome {
  readonly command: string;
  readonly outcome: Outcome;
  /** Why the step itself failed, beyond its result (a harness wait timing out, a check). */
  readonly problem?: string;
}

const KLP = '/sys/kernel/livepatch';
const fmtParams = (p?: Readonly<Record<string, string>>) =>
  Object.entries(p ?? {})
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');

/**
 * The delayed work fires until the transition completes or stops making
 * progress: what the harness's wait loop sees before its timeout.
 */
export function settle(k: Kernel): boolean {
  for (let i = 0; i < 1000 && k.core.transition; i++) {
    const before = k.core.tasks.map((t) => t.patch_state).join();
    if (k.transitionStep()) return true;
    if (k.core.tasks.map((t) => t.patch_state).join() === before) return false;
  }
  return !k.core.transition;
}

/** The line functions.sh logs for an insmod (its `log "% insmod ..."`). */
const insmodText = (module: string, params?: Readonly<Record<string, string>>): string =>
  `% insmod test_modules/${module}.ko${fmtParams(params)}`;

/** The line functions.sh logs for a write of a sysfs file. */
const echoText = (value: string, path: string): string => `% echo ${value} > ${path}`;

/**
 * The command line a step logs with values the scenario chose (an insmod's
 * parameters, a written value), or undefined for the other steps: the VM's
 * guest writes it to /dev/kmsg, which takes a line of bounded length
 * (harness/scenario/load.ts refuses a longer one).
 */
export function chosenCommandText(step: Step): string | undefined {
  switch (step.op) {
    case 'load_lp':
    case 'load_lp_nowait':
    case 'load_mod':
    case 'load_failing_mod':
      return insmodText(step.module, step.params);
    case 'set_param':
      return echoText(step.value, `${moduleSysfsDir(step.module)}/parameters/${step.param}`);
    case 'set_attr':
      return echoText(step.value, `${livepatchSysfsDir(step.module)}/${step.param}`);
    default:
      return undefined;
  }
}

function insmodLine(k: Kernel, module: string, params?: Readonly<Record<string, string>>): string {
  const line = insmodText(module, params);
  k.core.log.raw(line);
  return line;
}

function echo(k: Kernel, value: string, path: string): string {
  const line = echoText(value, path);
  k.core.log.raw(line);
  return line;
}

function checkSysfs(k: Kernel, step: Extract<Step, { op: 'check_sysfs' }>): string | undefined {
  if (step.count !== undefined) {
    const n = k.sysfsPatches().length;
    if (n !== step.count) return `expected ${step.count} entries in ${KLP}, found ${n}`;
  }
  if (step.patch === undefined) return undefined;
  const files = k.sysfs(step.patch);
  const path = `${livepatchSysfsDir(step.patch)}${step.file ? `/${step.file}` : ''}`;
  const exists = files !== undefined && (step.file === undefined || step.file in files);
  if (step.exists !== undefined && exists !== step.exists) return `${path} ${exists ? 'exists' : 'does not exist'}`;
  if (step.value !== undefined) {
    const actual = step.file && files ? files[step.file] : undefined;
    if (actual !== step.value) return `${path} reads ${actual ?? '(missing)'}, expected ${step.value}`;
  }
  if (step.mode !== undefined) {
    const mode = exists ? sysfsMode(step.file) : undefined;
    if (mode !== step.mode) return `${path} has mode ${mode ?? '(missing)'}, expected ${step.mode}`;
  }
  return undefined;
}

/**
 * The task steps, each with the fields it reads besides op, task and expect.
 * The schema gives them one shape (TaskStep), so it cannot refuse a field the
 * op ignores; scenario/load.ts does, lest `unblock_task` with a `func` read as
 * if it unblocked the task from that function.
 */
export const TASK_STEP_FIELDS: Readonly<Record<TaskStep['op'], readonly ('func' | 'sleep' | 'child')[]>> = {
  block_task: ['func', 'sleep'],
  unblock_task: [],
  task_return: [],
  run_task: [],
  sleep_task: [],
  cond_resched: [],
  fork: ['child'],
};

/** The task steps' ops. */
export const TASK_OPS = Object.keys(TASK_STEP_FIELDS) as readonly TaskStep['op'][];

/** A task step on the kernel; false when it does not apply (EAGAIN). */
function taskStep(k: Kernel, step: TaskStep): boolean {
  switch (step.op) {
    case 'block_task':
      return k.blockTask(step.task, step.func ? namedFuncKey(step.func) : '', step.sleep);
    case 'unblock_task':
      return k.unblockTask(step.task);
    case 'task_return':
      return k.taskReturnToUser(step.task);
    case 'run_task':
      return k.runTask(step.task);
    case 'sleep_task':
      return k.sleepTask(step.task);
    case 'cond_resched':
      return k.condResched(step.task);
    case 'fork':
      return step.child !== undefined && k.fork(step.task, step.child);
  }
}

/** Runs one step, and then what test-syscall's getpid callers do meanwhile (getpid-callers.ts). */
export function runStep(k: Kernel, step: Step): StepOutcome {
  const outcome = stepAlone(k, step);
  afterStep(k, step, outcome.outcome.ok);
  return outcome;
}

function stepAlone(k: Kernel, step: Step): StepOutcome {
  switch (step.op) {
    case 'load_lp':
    case 'load_lp_nowait':
    case 'load_mod': {
      const command = insmodLine(k, step.module, step.params);
      const outcome = k.insmod(step.module, step.params);
      // functions.sh's load_lp and load_lp_nowait wait for the patch's sysfs directory and die when it never
      // comes: a module that is no livepatch loaded "ok" here (stop 38's hostile user).
      if (step.op !== 'load_mod' && outcome.ok && k.sysfs(step.module) === undefined)
        return {
          command,
          outcome,
          problem: `${step.module}: ${livepatchSysfsDir(step.module)} never appeared: it is no livepatch module`,
        };
      const waited = step.op === 'load_lp' && outcome.ok && !settle(k);
      return { command, outcome, problem: waited ? `${step.module}: transition did not complete` : undefined };
    }
    case 'load_failing_mod': {
      const command = insmodLine(k, step.module, step.params);
      const outcome = k.insmod(step.module, step.params);
      if (outcome.ok) return { command, outcome, problem: `${step.module}: load should have failed` };
      k.core.log.raw(`insmod: ERROR: could not insert module test_modules/${step.module}.ko: ${INSMOD_STRERROR[outcome.errno]}`);
      return { command, outcome };
    }
    case 'unload_lp':
    case 'unload_mod': {
      const command = `% rmmod ${step.module}`;
      k.core.log.raw(command);
      return { command, outcome: k.rmmod(step.module) };
    }
    case 'disable_lp': {
      const command = echo(k, '0', `${livepatchSysfsDir(step.patch)}/enabled`);
      const outcome = k.writeEnabled(step.patch, '0');
      const stuck = outcome.ok && !settle(k);
      return { command, outcome, problem: stuck ? `${step.patch}: transition did not complete` : undefined };
    }
    case 'enable': {
      const value = step.value ?? '1';
      return { command: echo(k, value, `${livepatchSysfsDir(step.patch)}/enabled`), outcome: k.writeEnabled(step.patch, value) };
    }
    case 'force':
      return {
        command: echo(k, step.value ?? '1', `${livepatchSysfsDir(step.patch)}/force`),
        outcome: k.writeForce(step.patch, step.value ?? '1'),
      };
    case 'set_param':
      return {
        command: echo(k, step.value, `${moduleSysfsDir(step.module)}/parameters/${step.param}`),
        // echo ends the value with a newline, which the parameter's set operation sees (kstrtoint takes one, a string keeps it).
        outcome: k.writeParam(step.module, step.param, `${step.value}\n`),
      };
    case 'set_attr':
      return {
        command: echo(k, step.value, `${livepatchSysfsDir(step.module)}/${step.param}`),
        outcome: k.writeAttr(step.module, step.param, step.value),
      };
    case 'block_task':
    case 'unblock_task':
    case 'task_return':
    case 'run_task':
    case 'sleep_task':
    case 'cond_resched':
    case 'fork': {
      const done = taskStep(k, step);
      const what = step.func ? ` ${step.func}` : step.child ? ` ${step.child}` : '';
      return { command: `${step.op} ${step.task}${what}`, outcome: done ? OK : fail('EAGAIN') };
    }
    case 'transition_step': {
      for (let i = 0; i < (step.count ?? 1); i++) k.transitionStep();
      return { command: `transition_step x${step.count ?? 1}`, outcome: OK };
    }
    case 'set_ftrace_enabled': {
      const outcome = k.setFtraceEnabled(step.value);
      k.core.log.raw(
        outcome.ok
          ? `livepatch: kernel.ftrace_enabled = ${step.value ? 1 : 0}`
          : 'livepatch: sysctl: setting key "kernel.ftrace_enabled": Device or resource busy',
      );
      return { command: `sysctl kernel.ftrace_enabled=${step.value ? 1 : 0}`, outcome };
    }
    case 'grep_live_patched': {
      for (const f of step.funcs) {
        const v = k.runningCode('task0', namedFuncKey(f));
        if (typeof v !== 'string') k.core.log.module(v.patch, 'this has been live patched');
      }
      return { command: `grep 'live patched' ${step.funcs.join(' ')}`, outcome: OK };
    }
    case 'check_running': {
      const v = k.runningCode(step.task ?? 'task0', namedFuncKey(step.func));
      const runs = typeof v === 'string' ? v : v.patch;
      const problem = runs === step.runs ? undefined : `${step.func} runs ${runs}, expected ${step.runs}`;
      // functions.sh: `if [[ $(cat /proc/...) == ... ]]; then log "livepatch: ok"; fi`
      if (!problem && step.log !== undefined) k.core.log.raw(step.log);
      return { command: `check_running ${step.func}`, outcome: OK, problem };
    }
    case 'read_module_param': {
      const command = `% cat ${moduleSysfsDir(step.module)}/parameters/${step.param}`;
      k.core.log.raw(command);
      return { command, outcome: k.readParam(step.module, step.param) };
    }
    case 'trace_function':
      return { command: `trace_function ${step.func}`, outcome: k.traceFunction(namedFuncKey(step.func)) };
    case 'check_sysfs': {
      const problem = checkSysfs(k, step);
      // With only a count there is no patch to name: no trailing space.
      const what = `${step.patch ?? ''}${step.file ? `/${step.file}` : ''}`;
      return { command: what ? `check_sysfs ${what}` : 'check_sysfs', outcome: OK, problem };
    }
    case 'wait_npids': {
      // test-syscall.sh's loop_until gives up after its timeout and the script logs what npids reads anyway (nothing
      // when there is no such file); the expected log's 0 then fails check_result. Then it kills the callers (facts E.6).
      k.core.log.module(step.module, `Remaining not livepatched processes: ${countPids(k, step.module) ?? ''}`);
      stopGetpidCallers(k);
      return { command: `loop_until ${step.module}/npids`, outcome: OK };
    }
    default:
      return runShadowStep(k, step);
  }
}

function runShadowStep(k: Kernel, step: ShadowStep): StepOutcome {
  const command = `${step.op}(obj=${step.obj ?? 0}, id=0x${step.id.toString(16)})`;
  if (step.module !== undefined) {
    const m = shadowVarsModule(k, step.module);
    if (!m) return { command, outcome: fail('ENOENT'), problem: `${step.module} is not loaded` };
    return { command, outcome: OK, problem: m.run(step) };
  }
  const s = k.core.shadow;
  const obj = step.obj ?? 0;
  const ctor = step.ctor_ret === undefined ? undefined : () => step.ctor_ret!;
  switch (step.op) {
    case 'shadow_get':
      s.get(obj, step.id);
      break;
    case 'shadow_alloc':
      s.alloc(obj, step.id, ctor);
      break;
    case 'shadow_get_or_alloc':
      s.getOrAlloc(obj, step.id, ctor);
      break;
    case 'shadow_free':
      s.free(obj, step.id, 'code');
      break;
    case 'shadow_free_all':
      s.freeAll(step.id, 'code');
      break;
  }
  return { command, outcome: OK };
}
