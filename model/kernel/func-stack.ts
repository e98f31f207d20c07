/**
 * klp_ops and their func_stacks, and the ftrace handler's choice of which
 * code runs (kernel/livepatch/patch.c; facts B.2 "ftrace handler" and
 * "Stack discipline").
 */
import type { KernelCore } from './core.ts';
import { canonicalKey } from './definitions.ts';
import { ERRNO, type Errno } from './errno.ts';
import {
  KLP_TRANSITION_IDLE,
  KLP_TRANSITION_UNPATCHED,
  versionName,
  type KFunc,
  type KObject,
  type Task,
  type Version,
} from './runtime.ts';

/** klp_patch_func: push on the head; the first func of an address registers ftrace. */
function patchFunc(k: KernelCore, func: KFunc): Errno | null {
  const stack = k.funcStacks.get(func.key);
  if (!stack) {
    // register_ftrace_function fails with -EBUSY when ftrace is disabled by
    // sysctl or an IPMODIFY kprobe sits on the function (facts E.6).
    if (!k.ftraceEnabled || k.kprobes.get(func.key) === true) {
      k.log.klp(`failed to register ftrace handler for function '${func.old_name}' (-${ERRNO.EBUSY})`);
      return 'EBUSY';
    }
    k.funcStacks.set(func.key, [func]);
  } else {
    stack.unshift(func);
  }
  func.patched = true;
  return null;
}

/** klp_unpatch_func: remove from anywhere in the stack; the ops goes when the stack empties. */
function unpatchFunc(k: KernelCore, func: KFunc): void {
  const stack = k.funcStacks.get(func.key);
  if (stack) {
    const i = stack.indexOf(func);
    if (i >= 0) stack.splice(i, 1);
    if (stack.length === 0) k.funcStacks.delete(func.key);
  }
  func.patched = false;
}

/** klp_patch_object: all funcs or none (a failure unpatches what was pushed). */
export function patchObject(k: KernelCore, obj: KObject): Errno | null {
  for (const func of obj.funcs) {
    const err = patchFunc(k, func);
    if (err) {
      unpatchObject(k, obj);
      return err;
    }
  }
  obj.patched = true;
  return null;
}

/** __klp_unpatch_object: all funcs, or with nopsOnly just the nops (klp_discard_nops). */
export function unpatchObject(k: KernelCore, obj: KObject, nopsOnly = false): void {
  for (const func of obj.funcs) {
    if (nopsOnly && !func.nop) continue;
    if (func.patched) unpatchFunc(k, func);
  }
  if (obj.dynamic || !nopsOnly) obj.patched = false;
}

/**
 * The ftrace handler: the head of the func_stack, or during its transition the
 * next entry for a task still in the UNPATCHED state; a nop runs the original.
 * A function of a module that is not loaded does not run at all. `observing`
 * is set when klpcheck only looks (the abstraction function): then the
 * handler's WARN is not an event of the run. `asked` may spell the function
 * with either sympos of its first symbol (definitions.ts funcKey).
 */
export function runningCode(k: KernelCore, task: Task, asked: string, observing = false): Version {
  const key = canonicalKey(asked);
  const stack = k.funcStacks.get(key);
  const func = stack?.[0];
  if (!func) return unpatchedCode(k, key);
  return func.transition ? codeInTransition(k, task, key, stack!, observing) : func.code;
}

/**
 * What every task runs of one function, in task order, as version names: the
 * abstraction function asks this after every step, so the func_stack is looked
 * up once per function, not once per task (issue 11). Never logs.
 */
export function runningNames(k: KernelCore, tasks: readonly Task[], asked: string): string[] {
  const key = canonicalKey(asked);
  const stack = k.funcStacks.get(key);
  const func = stack?.[0];
  const names: string[] = new Array(tasks.length);
  if (!func || !func.transition) {
    const all = func ? versionName(func.code) : unpatchedCode(k, key);
    for (let i = 0; i < tasks.length; i++) names[i] = all;
  } else for (let i = 0; i < tasks.length; i++) names[i] = versionName(codeInTransition(k, tasks[i]!, key, stack!, true));
  return names;
}

/** A function no patch holds: its own code, or none while its module is not loaded. */
function unpatchedCode(k: KernelCore, key: string): 'original' | 'absent' {
  return k.objectAlive(key.slice(0, key.indexOf(':'))) ? 'original' : 'absent';
}

/** The ftrace handler's answer when the func_stack's head is in transition (runningCode). */
function codeInTransition(k: KernelCore, task: Task, key: string, stack: readonly KFunc[], observing: boolean): Version {
  if (task.patch_state === KLP_TRANSITION_IDLE) {
    if (!observing) k.log.event({ kind: 'warn', message: `ftrace handler saw an idle task in a transition (${key})` });
  } else if (task.patch_state === KLP_TRANSITION_UNPATCHED) return stack[1]?.code ?? 'original';
  return stack[0]!.code;
}
