/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/counterexample.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

import type { FuncDef, KernelConfig, KprobeDef, ObjectDef, ParamMap, PatchAttrs, PatchDef, SetList, SetList1, StateDef, SymbolTable, Universe } from './universe.ts';
export type { FuncDef, KernelConfig, KprobeDef, ObjectDef, ParamMap, PatchAttrs, PatchDef, SetList, SetList1, StateDef, SymbolTable, Universe };

export type Op = ModuleOp | PatchOp | StepOp | BlockOp | TaskOp | ForkOp | ShadowOp | AttrOp;

/**
 * A shrunk operation sequence that violates an invariant (or conformance) under one semantics, with everything needed to replay and render it.
 */
export interface Counterexample {
  $schema?: string;
  /**
   * Version of this file format.
   */
  format: 1;
  semantics: string;
  /**
   * Invariant id (properties/), or 'conformance'.
   */
  invariant: string;
  universe: Universe;
  initial: AbstractState;
  steps: TraceStep[];
  violation: {
    /**
     * Index into steps of the step after which the invariant fails.
     */
    step: number;
    reason: string;
  };
  provenance: {
    /**
     * random: fast-check's random runs (klpcheck run, compare); exhaustive: a breadth-first search (explore, compare --exhaustive); scenario: a scenario file; walk: a random walk on the packed lockstep (klpcheck simulate), found again by the same seed, scope, walk length (max_steps) and number of walks (runs).
     */
    source: 'random' | 'exhaustive' | 'scenario' | 'walk';
    /**
     * The seed of the run that found it (fast-check's, or a walk's xoroshiro128+): a signed 32-bit integer, as --seed takes.
     */
    seed?: number;
    /**
     * fast-check's replay path of the shrunk failure.
     */
    path?: string;
    /**
     * Random runs: the number of sequences fast-check ran up to and including the failing one; running that many again with the same seed finds it again. Walks: the number of walks, up to and including the one that found it.
     */
    runs?: number;
    /**
     * Random runs: the maximum operations per generated sequence (klpcheck run --steps). With seed and runs, enough to regenerate this file byte for byte. Walks: the walk length (klpcheck simulate --length).
     */
    max_steps?: number;
    /**
     * Exhaustive runs: the breadth-first depth the violation was found at, the length of a shortest counterexample in the scope. Walks: the step of the walk at which the property was first violated, before shrinking; the file's steps may be fewer (shrunk_from then says how many the walk took).
     */
    depth?: number;
    /**
     * Length of the sequence before shrinking.
     */
    shrunk_from?: number;
    fast_check: string;
    klpcheck: string;
    /**
     * Walks: the version of pure-rand whose xoroshiro128+ drew the walks (klpcheck simulate), with seed, runs and max_steps what finds the walk again.
     */
    pure_rand?: string;
    /**
     * Exhaustive runs saved before December 2026: the length of fast-check's shrunk counterexample in the recorded verdicts (verdicts/expected.json) for the same semantics and property. No longer written, so that a file's content, and so its name, depends only on the search that found it; explore's report still shows the length.
     */
    random_length?: number;
    /**
     * Exhaustive runs: the scope explored, e.g. patches=2,functions=2,states=1,tasks=2,depth=any; walks: the scope walked, without a depth; klpcheck protocols --out: protocol=NAME,releases<=N, which a record of a release cycle's property (loads, fixes, knowledge) must name (harness/protocols/record-scope.ts).
     */
    scope?: string;
  };
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
    /**
     * A symbol's name, as a func's old_name: letters, digits, '_' and the '.' of a compiler's suffix (foo.isra.0), not beginning with a digit or '.'; a ':' or ',' would make obj:name,sympos ambiguous (helper-102, helper-103, 2026-12-06).
     */
    [k: string]: string;
  };
  kprobe?: KprobeDef;
}
export interface BusyWorkDef {
  /**
   * A symbol's name, as a func's old_name: letters, digits, '_' and the '.' of a compiler's suffix (foo.isra.0), not beginning with a digit or '.'; a ':' or ',' would make obj:name,sympos ambiguous (helper-102, helper-103, 2026-12-06).
   */
  func: string;
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
export interface AbstractState {
  patches: AbstractPatch[];
  modules: string[];
  tasks: AbstractTask[];
  running: {
    [k: string]: string[];
  };
  states: number[];
  shadows: string[];
}
export interface AbstractPatch {
  /**
   * A patch of the universe: a module name (universe.schema.json).
   */
  name: string;
  slot: string;
  status: 'enabled' | 'patching' | 'unpatching' | 'freed' | 'stale';
  order: number;
  forced: boolean;
}
export interface AbstractTask {
  name: string;
  state: 'idle' | 'patched' | 'unpatched';
  /**
   * Where the task sleeps: the function's key (FuncKey) and the code it sleeps in, func@code.
   */
  blocked: string | null;
}
export interface TraceStep {
  op: Op;
  /**
   * ok or the errno name (model/kernel/errno.ts ERRNO).
   */
  outcome:
    'ok' | 'ENOENT' | 'EAGAIN' | 'EACCES' | 'EEXIST' | 'ENODEV' | 'EINVAL' | 'EBUSY' | 'ENOSPC' | 'ERANGE';
  state: AbstractState;
}
export interface ModuleOp {
  op: 'insmod' | 'rmmod';
  module: string;
  /**
   * insmod only: module parameters (add_merge_slots=1); a patch's attr_params map them to attributes. A parameter's name is letters, digits, _ and -, as a module parameter's (a C identifier; kernel/params.c parameq takes - for _); a value is printable ASCII with no blank and no double quote (kernel/params.c next_arg splits the command line at blanks, byte 0xA0 included, and reads quotes).
   */
  params?: {
    [k: string]: string;
  };
}
/**
 * disable/enable write 0/1 to /sys/kernel/livepatch/<patch>/enabled; force writes 1 to force.
 */
export interface PatchOp {
  op: 'disable' | 'enable' | 'force';
  patch: string;
}
/**
 * One retry of klp_try_complete_transition (the delayed work).
 */
export interface StepOp {
  op: 'transition_step';
}
export interface BlockOp {
  op: 'block_task';
  task: string;
  /**
   * A function as klpcheck writes it in a record (funcKey, model/kernel/definitions.ts): object:name,sympos, sympos 0 for the first or only one.
   */
  func: string;
  /**
   * How it sleeps (default uninterruptible): the fake signal of klp_send_signals wakes only an interruptible sleeper.
   */
  sleep?: 'uninterruptible' | 'interruptible';
}
/**
 * unblock_task wakes a task asleep in a function; task_return: a user task returns to user space (klp_update_patch_state); run_task: the task runs on a CPU; sleep_task: a running task sleeps outside patched code; cond_resched: a running task passes cond_resched (klp_sched_try_switch).
 */
export interface TaskOp {
  op: 'unblock_task' | 'task_return' | 'run_task' | 'sleep_task' | 'cond_resched';
  task: string;
}
/**
 * The task forks `child`, a new task of its kind that inherits its patch state and pending flag (klp_copy_process).
 */
export interface ForkOp {
  op: 'fork';
  task: string;
  child: string;
}
/**
 * The patched code of `patch` calls klp_shadow_get_or_alloc (shadow_alloc) or klp_shadow_free (shadow_free) on <obj, id>.
 */
export interface ShadowOp {
  op: 'shadow_alloc' | 'shadow_free';
  patch: string;
  obj: number;
  id: number;
}
/**
 * A write to a writable sysfs attribute a semantics adds (hybrid mode's replaceable).
 */
export interface AttrOp {
  op: 'set_attr';
  patch: string;
  /**
   * A sysfs file name of the patch's directory: letters, digits, _ and -, as every attribute a semantics adds.
   */
  attr: string;
  value: string;
}
