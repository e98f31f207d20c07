/**
 * Loading a scenario file: JSON, schema, then the references the schema
 * cannot check (a step naming a patch, module, task or function the universe
 * lacks, two patches of one name, an unknown semantics), each reported with
 * its JSON pointer.
 */
import type { Scenario, Step, TaskStep } from '../../schema/generated/scenario.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { KlpcheckError, pointer } from '../errors.ts';
import { readJson, requireKind, validate } from '../json-file.ts';
import { namesFunc, notInUniverse, universeNames } from '../references.ts';
import { impliedResult } from './run.ts';
import { chosenCommandText, TASK_OPS, TASK_STEP_FIELDS } from './steps.ts';
import { ERRNO, errnoByNumber } from '../../model/kernel/errno.ts';
import { kstrtoint } from '../../model/kernel/kstrtoint.ts';
import { declaredName, livepatchParams, PIDS_PARAM, PRE_PATCH_RET, targetParams } from '../../model/kernel/module-params.ts';

const isTaskStep = (step: Step): step is TaskStep => (TASK_OPS as readonly string[]).includes(step.op);

export type { Scenario, Step };

/** Steps that call a function as task0 without naming a task (functions.sh's cat and grep run in the test's shell). */
function defaultsToTask0(step: Step): boolean {
  return (step.op === 'check_running' && step.task === undefined) || step.op === 'grep_live_patched' || step.op === 'read_module_param';
}

function checkReferences(s: Scenario, file: string): void {
  const names = universeNames(s.universe, file, ['universe']);
  const tasks = new Set(names.tasks);
  for (const m of s.universe.modules) if (m.busy_work) tasks.add(`${m.name}:work`);
  const bad = (i: number, field: string, what: string, name: string): never => {
    throw new KlpcheckError('E_REFERENCE', notInUniverse(what, name, names), file, pointer('steps', i, field));
  };
  if (s.semantics !== undefined && !semanticsByName(s.semantics)) {
    throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${s.semantics}'`, file, pointer('semantics'));
  }
  s.universe.patches.forEach((p, i) => {
    const v = p.params?.[PRE_PATCH_RET];
    if (v !== undefined) checkPreRet(v, file, pointer('universe', 'patches', i, 'params', PRE_PATCH_RET));
    // test_klp_syscall's array starts empty (npids 0): a list is given at insmod, where param_array checks it.
    const pids = p.params?.[PIDS_PARAM];
    if (pids)
      throw new KlpcheckError(
        'E_INEXPRESSIBLE',
        "klp_pids has no default: test_klp_syscall's PID list starts empty; give the list at the load (load_lp's params)",
        file,
        pointer('universe', 'patches', i, 'params', PIDS_PARAM),
      );
  });
  s.steps.forEach((step, i) => {
    if ('patch' in step && step.patch !== undefined && !names.patches.has(step.patch)) bad(i, 'patch', 'patch', step.patch);
    if ('module' in step && step.module !== undefined && !names.modules.has(step.module)) bad(i, 'module', 'module', step.module);
    if ('task' in step && step.task !== undefined && !tasks.has(step.task)) bad(i, 'task', 'task', step.task);
    // A fork names a new task, which later steps may name.
    if (step.op === 'fork') {
      if (step.child === undefined) throw new KlpcheckError('E_SCHEMA', 'fork needs a child', file, pointer('steps', i));
      if (tasks.has(step.child))
        throw new KlpcheckError('E_REFERENCE', `task '${step.child}' already exists`, file, pointer('steps', i, 'child'));
      tasks.add(step.child);
    }
    if (step.op === 'check_sysfs') checkSysfsAsks(step, i, file);
    if (isTaskStep(step))
      for (const field of ['func', 'sleep', 'child'] as const)
        if (step[field] !== undefined && !TASK_STEP_FIELDS[step.op].includes(field))
          throw new KlpcheckError('E_SCHEMA', `${step.op} takes no ${field}`, file, pointer('steps', i, field));
    const preRet = preRetValue(step, s.universe);
    if (preRet) checkPreRet(preRet[1], file, pointer('steps', i, ...preRet[0]));
    const command = chosenCommandText(step);
    if (command !== undefined && Buffer.byteLength(command) > COMMAND_LINE_MAX)
      throw new KlpcheckError(
        'E_SCHEMA',
        `the step's command line is ${Buffer.byteLength(command)} bytes; the VM's kernel log takes at most ${COMMAND_LINE_MAX} (shorter values)`,
        file,
        pointer('steps', i),
      );
    if ((step.op === 'unload_lp' || step.op === 'unload_mod') && step.params !== undefined)
      throw new KlpcheckError('E_SCHEMA', `${step.op} takes no params: rmmod has no parameters`, file, pointer('steps', i, 'params'));
    if (step.op === 'load_mod' || step.op === 'load_failing_mod' || step.op === 'load_lp' || step.op === 'load_lp_nowait') {
      const target = s.universe.modules.find((m) => m.name === step.module);
      const declared = target ? targetParams(target) : new Map();
      for (const name of Object.keys(step.params ?? {}))
        if (declared.get(declaredName(declared, name) ?? '')?.type === 'show')
          throw new KlpcheckError(
            'E_SCHEMA',
            `${step.module}'s ${name} is only shown (a get operation, no set): the kernel would call a NULL set operation at insmod`,
            file,
            pointer('steps', i, 'params', name),
          );
    }
    // Without a function the task cannot enter one: the step was refused EAGAIN and the scenario passed.
    if (step.op === 'block_task' && step.func === undefined)
      throw new KlpcheckError('E_SCHEMA', 'block_task needs the func (object:name) the task sleeps in', file, pointer('steps', i));
    if ((step.op === 'check_running' || step.op === 'block_task') && step.func !== undefined && !namesFunc(names, step.func)) {
      bad(i, 'func', 'function', step.func);
    }
    if (step.op === 'grep_live_patched') {
      step.funcs.forEach((f, j) => {
        if (!namesFunc(names, f))
          throw new KlpcheckError('E_REFERENCE', `function '${f}' is not in the universe`, file, pointer('steps', i, 'funcs', j));
      });
    }
    if (step.op === 'check_running' && step.runs !== 'original' && step.runs !== 'absent' && !names.patches.has(step.runs)) {
      throw new KlpcheckError(
        'E_REFERENCE',
        `'${step.runs}' is neither 'original', 'absent' nor a patch of the universe`,
        file,
        pointer('steps', i, 'runs'),
      );
    }
    if (defaultsToTask0(step) && !tasks.has('task0')) {
      throw new KlpcheckError(
        'E_REFERENCE',
        `${step.op} runs as task0, but the universe has no tasks (kernel.tasks is 0)`,
        file,
        pointer('steps', i),
      );
    }
  });
}

/**
 * The pre_patch_ret value a step gives a livepatch that declares it, with its
 * pointer below the step: set_param's, or insmod's last (parse_args keeps the
 * last of `pre_patch_ret=` and `pre-patch-ret=`). Another module has no such
 * parameter: insmod ignores the name, a write finds no file.
 */
function preRetValue(step: Step, universe: Scenario['universe']): [string[], string] | undefined {
  if (!('module' in step) || step.module === undefined) return undefined;
  const patch = universe.patches.find((p) => p.name === step.module);
  if (patch?.params?.[PRE_PATCH_RET] === undefined) return undefined;
  if (step.op === 'set_param') return step.param === PRE_PATCH_RET ? [['value'], step.value] : undefined;
  if (!('params' in step) || !step.params) return undefined;
  const declared = livepatchParams(patch);
  const given = Object.entries(step.params).filter(([name]) => declaredName(declared, name) === PRE_PATCH_RET);
  const last = given[given.length - 1];
  return last && [['params', last[0]], last[1]];
}

/**
 * The longest command line a step may log with values of its own choosing:
 * the VM's guest writes each to /dev/kmsg, which refuses a record past about
 * 1000 bytes (LOG_LINE_MAX), and the line would be missing from the kernel's
 * side (hostile-user finding, stop 39: two 500-character values). UTF-8
 * bytes count.
 */
const COMMAND_LINE_MAX = 900;

/**
 * pre_patch_ret must be 0 or a negative errno the model has (model/kernel/
 * errno.ts): the pre-patch callback returns it, and a positive value (the
 * module loads anyway, with do_init_module's "suspiciously returned" warning
 * and a stack dump) or another errno ("Unknown error 200") takes paths the
 * model does not have (hostile-user finding, stop 39). A value kstrtoint
 * refuses is fine: the load or write fails with EINVAL, as modelled.
 */
function checkPreRet(value: string, file: string, at: string): void {
  const v = kstrtoint(value.replace(/\n$/, ''));
  if (typeof v !== 'number' || v === 0 || (v < 0 && errnoByNumber(v) !== undefined)) return;
  const known = Object.entries(ERRNO)
    .map(([name, n]) => `-${n} ${name}`)
    .join(', ');
  throw new KlpcheckError(
    'E_INEXPRESSIBLE',
    `pre_patch_ret ${value} is neither 0 nor a negative errno klpcheck models (${known})`,
    file,
    at,
  );
}

/**
 * A check_sysfs step must check something, as each functions.sh helper it
 * stands for does: the count of /sys/kernel/livepatch entries, or a patch's
 * directory or file with exists, value or mode; a value is a file's.
 * Without a patch, file, value, mode and exists were ignored and the step
 * passed (hostile-user finding, 2026-12-03). E_SCHEMA at the step, or at the
 * field that cannot be checked.
 */
function checkSysfsAsks(step: Extract<Step, { op: 'check_sysfs' }>, i: number, file: string): void {
  const refuse = (why: string, ...at: string[]): never => {
    throw new KlpcheckError('E_SCHEMA', why, file, pointer('steps', i, ...at));
  };
  const asks = (['exists', 'value', 'mode'] as const).filter((k) => step[k] !== undefined);
  if (step.patch === undefined) {
    const orphan = (['file', ...asks] as const).find((k) => step[k] !== undefined);
    if (orphan) refuse(`check_sysfs ${orphan} needs the patch whose sysfs directory it reads`, orphan);
    if (step.count === undefined) refuse('check_sysfs checks nothing: give count, or a patch with exists, value or mode');
    return;
  }
  if (!asks.length && step.count === undefined) refuse(`check_sysfs checks nothing of ${step.patch}: give exists, value or mode`);
  if (step.value !== undefined && step.file === undefined)
    refuse('check_sysfs value needs the file it reads (enabled, transition, ...)', 'value');
}

/** A thread scenario (schema/thread-scenario.schema.json) lists ops for every semantics, not selftest steps. */
export function isThreadScenario(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'ops' in data && !('steps' in data);
}

/**
 * A scenario must check something, or it passes whatever the kernel does:
 * an expected log, a step with `expect`, a check_running or check_sysfs, or
 * a helper that functions.sh makes die on failure (load_lp and its kin,
 * harness/scenario/run.ts impliedResult). `"steps": []` with no expected
 * log, or steps that only write, passed (hostile-user finding, 2026-12-03);
 * so did no step with an empty expected log (helper-127).
 */
function checkSomethingChecked(s: Scenario, file: string): void {
  // An expect_log of no step holds of the empty log whatever the kernel does: it passed, checking nothing (helper-127).
  if (!s.steps.length) throw new KlpcheckError('E_SCHEMA', 'the scenario has no step: it checks nothing', file, '/steps');
  const checks = (step: Step) =>
    ('expect' in step && step.expect !== undefined) ||
    step.op === 'check_running' ||
    step.op === 'check_sysfs' ||
    impliedResult(step) !== undefined;
  if (s.expect_log === undefined && !s.steps.some(checks))
    throw new KlpcheckError(
      'E_SCHEMA',
      'the scenario checks nothing: give expect_log, a step with expect, a check_running or check_sysfs, or a functions.sh helper such as load_lp',
      file,
      '/steps',
    );
}

export function loadScenario(file: string): Scenario {
  const data = readJson(file);
  if (isThreadScenario(data)) {
    throw new KlpcheckError('E_USAGE', "a thread scenario (it lists ops): run it with 'klpcheck scenario --all-semantics'", file);
  }
  requireKind(data, 'scenario', file);
  const s = validate<Scenario>('scenario', data, file);
  checkReferences(s, file);
  checkSomethingChecked(s, file);
  return s;
}
