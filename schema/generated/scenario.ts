/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/scenario.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

export type SetList = number[];
/**
 * Extra slots the admin lets this patch replace at load (Petr Mladek's add_merge_slots=X[,Y] module parameter, seed 001); supplements merge_slots.
 */
export type SetList1 = number[];
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
  | TraceStep;
export type Errno = 'ENOENT' | 'EAGAIN' | 'EACCES' | 'EEXIST' | 'ENODEV' | 'EINVAL' | 'EBUSY';

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
 * The livepatch modules, target modules and kernel configuration of one run (facts section A).
 */
export interface Universe {
  kernel?: KernelConfig;
  patches: PatchDef[];
  modules: ModuleDef[];
}
export interface KernelConfig {
  /**
   * false logs the two consistency-model warnings (facts B.1 step 5).
   */
  reliable_stacktrace?: boolean;
  /**
   * false makes klp_enable_patch return -ENODEV.
   */
  livepatch_initialized?: boolean;
  /**
   * The kernel.ftrace_enabled sysctl at boot.
   */
  ftrace_enabled?: boolean;
  vmlinux_symbols?: SymbolTable;
  /**
   * Simulated tasks task0..taskN-1 (default 2).
   */
  tasks?: number;
}
/**
 * Symbol name -> number of occurrences (for old_sympos). Absent: every named function exists once.
 */
export interface SymbolTable {
  [k: string]: number;
}
export interface PatchDef {
  /**
   * The livepatch module name (its sysfs directory).
   */
  name: string;
  /**
   * null models patch->objs == NULL.
   */
  objects: ObjectDef[] | null;
  states?: StateDef[];
  attrs?: PatchAttrs;
  /**
   * false: MODULE_INFO(livepatch, "Y") is missing.
   */
  livepatch_modinfo?: boolean;
  params?: ParamMap;
  /**
   * Module parameter -> patch attribute it sets at load (replace=1).
   */
  attr_params?: {
    [k: string]:
      | 'replace'
      | 'replace_set'
      | 'replace_sets'
      | 'replaceable'
      | 'slot'
      | 'merge_slots'
      | 'provides'
      | 'obsoletes'
      | 'also_obsoletes'
      | 'add_merge_slots';
  };
}
export interface ObjectDef {
  /**
   * "vmlinux" or a module name.
   */
  name: string;
  /**
   * null models funcs == NULL.
   */
  funcs: FuncDef[] | null;
  callbacks?: 'none' | 'demo' | 'console_loglevel_v1' | 'console_loglevel_v2';
}
export interface FuncDef {
  /**
   * null models a NULL old_name.
   */
  old_name: string | null;
  old_sympos?: number;
  /**
   * false models a NULL new_func.
   */
  new_func?: boolean;
  /**
   * The line the replacement prints when called, after the livepatch module's prefix. {context} is the caller's suffix; {shadow} the texts of the shadow variables <0, id> for output_shadow_ids, followed by a space when any exist (test_klp_speaker_livepatch's lp_speaker_welcome).
   */
  output?: string;
  /**
   * The shadow variable ids whose texts {shadow} prints, in this order.
   */
  output_shadow_ids?: number[];
}
export interface StateDef {
  id: number;
  version?: number;
  block_disable?: boolean;
  is_shadow?: boolean;
  callbacks?: 'none' | 'console_loglevel' | 'applause' | 'trace';
  /**
   * The patch carries this state only when this module parameter is true (test_klp_speaker_livepatch's applause=1).
   */
  if_param?: string;
  /**
   * The patch drops this state when this module parameter is true (pmladek test_klp_state's no_state=1).
   */
  unless_param?: string;
  /**
   * block_disable is set when this module parameter is true (pmladek test_klp_state2's state_block_disable=1).
   */
  block_disable_param?: string;
}
/**
 * The replace attributes of every proposal; each semantics reads its own.
 */
export interface PatchAttrs {
  /**
   * Upstream bool replace, or the u32 replace tag of seed 000.
   */
  replace?: boolean | number;
  replace_set?: number;
  replace_sets?: SetList;
  replaceable?: boolean;
  slot?: number;
  merge_slots?: SetList;
  provides?: number;
  obsoletes?: SetList;
  also_obsoletes?: SetList;
  add_merge_slots?: SetList1;
  replaces?: string[];
}
export interface ParamMap {
  [k: string]: string;
}
export interface ModuleDef {
  name: string;
  symbols?: SymbolTable;
  init_log?: string[];
  exit_log?: string[];
  busy_work?: BusyWorkDef;
  params?: ParamMap;
  /**
   * Function name -> the line the original function prints when called, after the module's prefix ({context} as for FuncDef.output).
   */
  outputs?: {
    [k: string]: string;
  };
  /**
   * Module parameter -> the function that reading /sys/module/<mod>/parameters/<param> calls (test_klp_speaker: welcome -> speaker_welcome).
   */
  param_show?: {
    [k: string]: string;
  };
  kprobe?: KprobeDef;
}
export interface BusyWorkDef {
  func: string;
  /**
   * The module parameter that makes the work block (block_transition).
   */
  param: string;
  enter_log: string[];
  exit_log: string[];
  /**
   * The work runs only when param is set (test_klp_speaker block_doors); otherwise it runs and returns at once (test_klp_callbacks_busy).
   */
  only_when_blocking?: boolean;
  /**
   * The module's init waits until the work has started, before its own init line is printed.
   */
  before_init?: boolean;
  /**
   * After it is woken by clearing param, the work calls this function of its module, as the worker task.
   */
  exit_call?: {
    func: string;
    context: string;
  };
  /**
   * Module exit ends a still blocked work without its exit lines.
   */
  rmmod_quiet?: boolean;
}
/**
 * A kprobe the module registers in its init and unregisters in its exit (test_klp_kprobe, facts E.6).
 */
export interface KprobeDef {
  /**
   * object:function
   */
  func: string;
  /**
   * The module parameter that gives the kprobe a post_handler, which needs IPMODIFY and so conflicts with a livepatch.
   */
  post_handler_param?: string;
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
  param: string;
  value: string;
  expect?: Expect;
}
/**
 * block_task: the task enters func (object:name) and sleeps there; unblock_task wakes it; task_return switches it on return to user space.
 */
export interface TaskStep {
  op: 'block_task' | 'unblock_task' | 'task_return';
  task: string;
  func?: string;
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
  obj?: number;
  id: number;
  /**
   * The constructor's return value; non-zero fails the allocation.
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
