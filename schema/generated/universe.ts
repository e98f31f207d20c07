/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/universe.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

export type SetList = number[];
/**
 * Extra slots the admin lets this patch replace at load (Petr Mladek's add_merge_slots=X[,Y] module parameter, seed 001); supplements merge_slots.
 */
export type SetList1 = number[];
/**
 * A symbol's name, as a func's old_name: letters, digits, '_' and the '.' of a compiler's suffix (foo.isra.0), not beginning with a digit or '.'; a ':' or ',' would make obj:name,sympos ambiguous (helper-102, helper-103, 2026-12-06).
 */
export type SymbolName = string;

/**
 * The livepatch modules, target modules and kernel configuration of one run (facts section A).
 */
export interface Universe {
  kernel?: KernelConfig;
  patches: PatchDef[];
  modules: ModuleDef[];
  /**
   * Opt in to the no-silent-downgrade property: a patch with an older `release` must not replace one with a newer release of the same owner. Off by default, since a downgrade can be deliberate (seed 001, Petr Mladek and Joe Lawrence, 2026-06-18).
   */
  forbid_downgrade?: boolean;
}
export interface KernelConfig {
  /**
   * false logs the two consistency-model warnings (facts B.1 step 5), and then no stack check passes: tasks switch on return to user space, kernel threads by force.
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
   * Simulated user tasks task0..taskN-1 (default 2).
   */
  tasks?: number;
  /**
   * Simulated kernel threads kthread0..kthreadN-1 (default 0), listed after the user tasks. A kernel thread never returns to user space: it switches at a stack check, at cond_resched, or by force.
   */
  kthreads?: number;
}
/**
 * Symbol name -> number of occurrences (for old_sympos). Absent: every named function exists once.
 */
export interface SymbolTable {
  [k: string]: number;
}
export interface PatchDef {
  /**
   * The livepatch module name (its sysfs directory): letters, digits, '_' and '-', as a module's file name, at most 55 of them (modpost refuses MODULE_NAME_LEN, 56, or more: E_INEXPRESSIBLE). Quoted raw into mail, markdown, HTML and shell scripts, so nothing else.
   */
  name: string;
  /**
   * null models patch->objs == NULL.
   */
  objects: ObjectDef[] | null;
  states?: StateDef[];
  attrs?: PatchAttrs;
  /**
   * Who the patch belongs to: the OS vendor, a user (a customer's own patch), or more parties for a patch built for both. Absent: ["vendor"]. A patch may not remove or overlap a patch it shares no owner with (properties/no-foreign-removal.ts, no-foreign-overlap.ts; seed 001, Petr Mladek, 2026-06-17).
   *
   * @minItems 1
   */
  owners?: [string, ...string[]];
  /**
   * The patch's place in its owner's release stream (klp-3a is 3, klp-5a is 5); a larger number is a newer release. Read by no-silent-downgrade only.
   */
  release?: number;
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
   * "vmlinux" or a module name: letters, digits, '_' and '-', as a module's file name (no length bound: the kernel refuses one of MODULE_NAME_LEN or more, and the model does too).
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
   * The symbol's name: a C identifier, with the '.' of a compiler's suffix (foo.isra.0, foo.cold). A step names a function as obj:name,sympos, so a ':' or ',' in a name made that reference ambiguous: with old_name "f,1" beside "f" at sympos 1, vmlinux:f,1 named the other function (helper-102, 2026-12-06). null models a NULL old_name.
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
/**
 * Module parameter -> its default value. A default that is a decimal integer of up to 9 digits makes an int parameter, anything else a string (charp); model/kernel/module-params.ts.
 */
export interface ParamMap {
  [k: string]: string;
}
export interface ModuleDef {
  /**
   * The target module's name: letters, digits, '_' and '-', as a module's file name, at most 55 of them (modpost refuses MODULE_NAME_LEN, 56, or more: E_INEXPRESSIBLE).
   */
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
    [k: string]: SymbolName;
  };
  kprobe?: KprobeDef;
}
export interface BusyWorkDef {
  func: SymbolName;
  /**
   * A module parameter's name: a C identifier, as module_param_named pastes it into one (include/linux/moduleparam.h).
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
   * A module parameter's name: a C identifier, as module_param_named pastes it into one (include/linux/moduleparam.h).
   */
  post_handler_param?: string;
}
