/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/scenario.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

import type { FuncDef, KernelConfig, KprobeDef, ObjectDef, ParamMap, PatchAttrs, PatchDef, SetList, SetList1, StateDef, SymbolTable, Universe } from './universe.ts';
export type { FuncDef, KernelConfig, KprobeDef, ObjectDef, ParamMap, PatchAttrs, PatchDef, SetList, SetList1, StateDef, SymbolTable, Universe };
import type { BusyWorkDef, ModuleDef } from './counterexample.ts';
export type { BusyWorkDef, ModuleDef };

export type Step =
  | ModuleStep
  | PatchStep
  | WriteStep
  | TaskStep
  | TransitionStep
  | SysctlStep
  | GrepStep
  | CheckRunningStep
  | CheckSysfsStep
  | ShadowStep
  | ReadParamStep
  | TraceStep
  | NpidsStep;
export type Errno =
  'ENOENT' | 'EAGAIN' | 'EACCES' | 'EEXIST' | 'ENODEV' | 'EINVAL' | 'EBUSY' | 'ENOSPC' | 'ERANGE';

/**
 * A hand-written trace: a universe and the steps a selftest or a mail thread performs, with what each step must produce.
 */
export interface Scenario {
  $schema?: string;
  name: string;
  /**
   * Where the trace comes from: selftest file and case, or seed thread.
   */
  source: string;
  /**
   * The semantics to run under (default: upstream).
   */
  semantics?: string;
  /**
   * Set when the reference implementation cannot match this case yet: the reason. The test suite reports it as a known gap instead of a pass.
   */
  pending?: string;
  /**
   * selftest (default): keep lines with 'livepatch:' or 'test_klp' and drop taint lines, as check_result does; none: keep every line.
   */
  log_filter?: 'selftest' | 'none';
  universe: Universe;
  steps: Step[];
  /**
   * The whole kernel log after the selftests' check_result filter, line for line.
   */
  expect_log?: string[];
}
/**
 * functions.sh: load_lp waits for the transition, load_lp_nowait does not, load_failing_mod must fail; unload_* is rmmod.
 */
export interface ModuleStep {
  op: 'load_lp' | 'load_lp_nowait' | 'load_mod' | 'load_failing_mod' | 'unload_lp' | 'unload_mod';
  module: string;
  params?: Params;
  expect?: Expect;
}
/**
 * insmod's parameters, name=value words of one command line (kernel/params.c next_arg splits at blanks): a name is letters, digits, _, - and . (a '-' matches a '_', kernel/params.c parameq; foo.dyndbg is the dynamic debug core's), a value is printable ASCII with no blank and no double quote (the kernel's isspace() also takes byte 0xA0, which UTF-8 text holds); the whole insmod line is at most 900 bytes (harness/scenario/load.ts: the VM logs it).
 */
export interface Params {
  [k: string]: string;
}
export interface Expect {
  /**
   * ok, or the errno the operation must fail with.
   */
  result?: 'ok' | Errno;
  /**
   * The new (filtered) log lines of this step, exactly.
   */
  log?: string[];
}
/**
 * disable_lp writes 0 to enabled and waits until the patch is freed; enable writes a value without waiting; force writes 1 to force.
 */
export interface PatchStep {
  op: 'disable_lp' | 'enable' | 'force';
  patch: string;
  value?: string;
  expect?: Expect;
}
/**
 * set_param writes /sys/module/<module>/parameters/<param> (set_pre_patch_ret); set_attr writes a writable /sys/kernel/livepatch/<module>/<param>.
 */
export interface WriteStep {
  op: 'set_param' | 'set_attr';
  module: string;
  /**
   * A file of the folder: letters, digits, _ and -.
   */
  param: string;
  /**
   * What `echo VALUE > FILE` writes, its newline included: printable ASCII with no blank and no double quote, not an option of echo (-n, -e, -E); the whole command line is at most 900 bytes.
   */
  value: string;
  expect?: Expect;
}
/**
 * block_task: the task enters func (object:name) and sleeps there (uninterruptibly unless sleep says otherwise); unblock_task wakes it; task_return switches a user task on return to user space; run_task puts it on a CPU; sleep_task lets a running task sleep outside patched code; cond_resched: a running task passes cond_resched (klp_sched_try_switch); fork: the task forks child, which inherits its patch state (klp_copy_process).
 */
export interface TaskStep {
  op: 'block_task' | 'unblock_task' | 'task_return' | 'run_task' | 'sleep_task' | 'cond_resched' | 'fork';
  task: string;
  func?: string;
  sleep?: 'uninterruptible' | 'interruptible';
  /**
   * fork only: the new task's name.
   */
  child?: string;
  expect?: Expect;
}
/**
 * One or more retries of klp_try_complete_transition (the delayed work, one per second).
 */
export interface TransitionStep {
  op: 'transition_step';
  count?: number;
  expect?: Expect;
}
export interface SysctlStep {
  op: 'set_ftrace_enabled';
  value: boolean;
  expect?: Expect;
}
/**
 * grep 'live patched' on the /proc files these functions show, as task0, logging what matches (test-livepatch.sh).
 */
export interface GrepStep {
  op: 'grep_live_patched';
  funcs: string[];
  expect?: Expect;
}
/**
 * Asserts which code a task runs when it calls func (the selftests' cat /proc/cmdline check); logs nothing.
 */
export interface CheckRunningStep {
  op: 'check_running';
  func: string;
  /**
   * 'original', 'absent' (module not loaded) or a patch name.
   */
  runs: string;
  /**
   * default task0
   */
  task?: string;
  expect?: Expect;
  /**
   * A line the harness writes to the kernel log (functions.sh log) when the check holds, e.g. 'livepatch: ok'.
   */
  log?: string;
}
/**
 * check_sysfs_value / check_sysfs_rights / does_sysfs_exist and the count of /sys/kernel/livepatch entries.
 */
export interface CheckSysfsStep {
  op: 'check_sysfs';
  patch?: string;
  file?: string;
  value?: string;
  mode?: string;
  exists?: boolean;
  count?: number;
  expect?: Expect;
}
/**
 * A call of the shadow variable API by module code (facts C.1).
 */
export interface ShadowStep {
  op: 'shadow_get' | 'shadow_alloc' | 'shadow_get_or_alloc' | 'shadow_free' | 'shadow_free_all';
  /**
   * A number JSON readers hold exactly (below 2^53), as the id: 1e300 was taken and printed as 1e+300.
   */
  obj?: number;
  id: number;
  /**
   * The constructor's return value (a C int); non-zero fails the allocation.
   */
  ctor_ret?: number;
  dtor?: boolean;
  expect?: Expect;
  /**
   * The module whose code makes the call and prints what test_klp_shadow_vars prints for it, pointers anonymised as PTRn.
   */
  module?: string;
  /**
   * Name of the module variable passed as ctor_data; shadow_ctor stores its address in the new variable.
   */
  ctor_data?: string;
  /**
   * What the module expects: null for no variable, or the ctor_data name the variable must point to. It prints '  got expected ... result' when the result matches.
   */
  expect_data?: string | null;
}
/**
 * read_module_param (functions.sh): cat /sys/module/<module>/parameters/<param>, which calls the function the module shows it with, as task0.
 */
export interface ReadParamStep {
  op: 'read_module_param';
  module: string;
  /**
   * A file of /sys/module/<module>/parameters: letters, digits, _ and -.
   */
  param: string;
  expect?: Expect;
}
/**
 * trace_function (functions.sh): the function tracer attaches a non-IPMODIFY ftrace_ops to func (object:name).
 */
export interface TraceStep {
  op: 'trace_function';
  func: string;
  expect?: Expect;
}
/**
 * test-syscall.sh (Marcos Paulo de Souza, 2023; facts E.6): loop_until /sys/kernel/<module>/npids reads 0, then log '<module>: Remaining not livepatched processes: N' with what it reads. The tasks a load's klp_pids names (each entry counts; a name listed twice is two) call getpid without end (until a wait_npids, as the script then kills them), and the module takes each off its list, for good, once it runs the module's getpid: checked after every step (harness/scenario/getpid-callers.ts). A name that is no task stays listed; with no npids file (the module not loaded, or not patching getpid) the log line ends with the colon and a space, as the script's `log` of an empty read writes it.
 */
export interface NpidsStep {
  op: 'wait_npids';
  module: string;
  expect?: Expect;
}
