/**
 * The consistency model's transition (kernel/livepatch/transition.c, facts
 * B.2): init, start, the per-task switch with its stack check, completion,
 * cancel, reverse and force. A retry of klp_try_complete_transition is the
 * delayed work firing; the harness drives it as an operation.
 */
import { runObjectCallback } from './callbacks.ts';
import type { KernelCore } from './core.ts';
import { unpatchObject } from './func-stack.ts';
import {
  KLP_TRANSITION_IDLE,
  KLP_TRANSITION_PATCHED,
  KLP_TRANSITION_UNPATCHED,
  sameVersion,
  type KPatch,
  type Target,
  type Task,
  type Version,
} from './runtime.ts';
import { statesPostPatch, statesPostPatchReplaced, statesPostUnpatch, statesPostUnpatchReplaced } from './states.ts';

/**
 * SIGNALS_TIMEOUT (transition.c, 15 since Miroslav Benes' "livepatch: Send a
 * fake signal periodically", 2019): klp_try_complete_transition sends the
 * fake signals when the retry counter is a non-zero multiple of it, i.e. at
 * the 16th, 31st, ... failed attempt.
 */
export const SIGNALS_TIMEOUT = 15;

/**
 * What a retry count tells of the future: every value up to the first
 * signal (which alone logs), then only the position in the signal period.
 * For the explorer's state identity.
 */
export function signalPhase(retries: number): number {
  return retries <= SIGNALS_TIMEOUT ? retries : SIGNALS_TIMEOUT + 1 + (retries % SIGNALS_TIMEOUT);
}

const dir = (t: Target) => (t === KLP_TRANSITION_PATCHED ? 'patching' : 'unpatching');

/**
 * The patches before `patch` on klp_patches: klp_unpatch_replaced_patches and
 * klp_free_replaced_patches_async stop at the new patch. A patch re-enabled
 * by reversing its disable is not last, and the patches after it stay.
 */
export function patchesBefore(k: KernelCore, patch: KPatch): KPatch[] {
  const i = k.klp_patches.indexOf(patch);
  return i < 0 ? [...k.klp_patches] : k.klp_patches.slice(0, i);
}

export function othersThan(k: KernelCore, patch: KPatch): KPatch[] {
  return k.klp_patches.filter((p) => p !== patch);
}

export function perState(k: KernelCore): boolean {
  return k.hooks.stateRules === 'per-state';
}

export function initTransition(k: KernelCore, patch: KPatch, target: Target): void {
  if (k.transition) k.log.event({ kind: 'warn', message: 'klp_init_transition with a transition in progress' });
  k.transition = patch;
  k.target = target;
  k.log.debug(`'${patch.modName}': initializing ${dir(target)} transition`);
  const initial = target === KLP_TRANSITION_PATCHED ? KLP_TRANSITION_UNPATCHED : KLP_TRANSITION_PATCHED;
  for (const t of k.tasks) t.patch_state = initial;
  for (const f of patch.allFuncs()) f.transition = true;
}

export function startTransition(k: KernelCore): void {
  const patch = k.transition!;
  k.log.klp(`'${patch.modName}': starting ${dir(k.target as Target)} transition`);
  for (const t of k.tasks) if (t.patch_state !== k.target) t.pending = true;
  k.signalsCnt = 0;
}

/**
 * klp_check_stack_func: a task may not switch while it sleeps in the code it
 * would stop using, i.e. the previous version when patching and the new
 * version when unpatching.
 */
function stackBlocksSwitch(k: KernelCore, task: Task): boolean {
  if (!task.blocked) return false;
  const patch = k.transition!;
  for (const obj of patch.objs) {
    if (!obj.patched) continue;
    for (const func of obj.funcs) {
      if (func.key !== task.blocked.key) continue;
      let forbidden: Version;
      if (k.target === KLP_TRANSITION_UNPATCHED) forbidden = func.code;
      else {
        const stack = k.funcStacks.get(func.key) ?? [];
        const below = stack[stack.indexOf(func) + 1];
        forbidden = stack.length <= 1 || !below ? 'original' : below.code;
      }
      if (sameVersion(forbidden, task.blocked.code)) return true;
    }
  }
  return false;
}

/**
 * klp_try_switch_task. Without a reliable stack trace it never switches a
 * task: klp_check_stack fails (stack_trace_save_tsk_reliable returns an
 * error), so tasks switch only in klp_update_patch_state on their way back to
 * user space, and kernel threads, which never go there, only by force
 * (transition.c klp_try_switch_task, "For arches which don't have reliable
 * stack traces, we have to rely on other methods"; Documentation/livepatch/
 * livepatch.rst 3.1). A task running on another CPU is left for later;
 * `self` is the task checking its own stack (cond_resched).
 */
export function trySwitchTask(k: KernelCore, task: Task, self = false): boolean {
  if (task.patch_state === k.target) return true;
  if (!k.config.reliable_stacktrace) return false;
  // Another CPU runs it: its stack cannot be checked now (-EBUSY, "is running").
  if (task.running && !self) return false;
  if (stackBlocksSwitch(k, task)) return false;
  task.pending = false;
  task.patch_state = k.target as Target;
  k.log.event({ kind: 'task_switch', task: task.name, to: task.patch_state });
  return true;
}

/**
 * __klp_sched_try_switch, called from cond_resched while a transition is in
 * progress: a running task with TIF_PATCH_PENDING checks its own stack and
 * switches if it may. This is how a kernel thread, which never returns to
 * user space, switches without force (transition.c; Josh Poimboeuf,
 * "livepatch,sched: Add livepatch task switching to cond_resched()", commit
 * e3ff7c609f39, v6.4, 2023).
 */
export function condResched(k: KernelCore, task: Task): void {
  if (task.pending) trySwitchTask(k, task, true);
}

/**
 * klp_copy_process: a child forked during a transition takes its parent's
 * patch_state and TIF_PATCH_PENDING (facts A, "Per task"; kernel/fork.c
 * copy_process calls it).
 */
export function copyProcess(parent: Task, child: Task): void {
  child.patch_state = parent.patch_state;
  child.pending = parent.pending;
}

/**
 * klp_send_signals, every SIGNALS_TIMEOUT retries of an incomplete
 * transition (logged the first time only): a pending kernel thread is woken
 * with wake_up_state(TASK_INTERRUPTIBLE), so one asleep interruptibly in a
 * patched function leaves it and can switch at the next retry; a pending
 * user task gets a fake signal (set_notify_signal), so unless it sleeps
 * uninterruptibly it goes back to user space and switches there
 * (klp_update_patch_state). An uninterruptible sleeper does not move.
 */
function sendSignals(k: KernelCore): void {
  if (k.signalsCnt === SIGNALS_TIMEOUT) k.log.klp('signaling remaining tasks');
  for (const t of k.tasks) {
    if (!t.pending || t.blocked?.sleep === 'uninterruptible') continue;
    t.blocked = null;
    if (!t.kthread) updatePatchState(k, t);
  }
}

/** klp_update_patch_state: a task switches itself on return to user space; no stack check. */
export function updatePatchState(k: KernelCore, task: Task): void {
  if (!task.pending) return;
  task.pending = false;
  task.patch_state = k.target as Target;
  k.log.event({ kind: 'task_switch', task: task.name, to: task.patch_state });
}

/** klp_complete_transition; returns the patches a completed replace unpatched. */
export function completeTransition(k: KernelCore): readonly KPatch[] {
  const patch = k.transition!;
  const target = k.target as Target;
  const replaced = k.hooks.replaced(patchesBefore(k, patch), patch);
  k.log.debug(`'${patch.modName}': completing ${dir(target)} transition`);
  if (target === KLP_TRANSITION_PATCHED) {
    for (const old of replaced) {
      old.enabled = false;
      for (const o of old.objs) unpatchObject(k, o);
    }
    discardNops(k, patch);
    if (perState(k)) statesPostUnpatchReplaced(k, replaced);
  } else {
    for (const o of patch.objs) unpatchObject(k, o);
  }
  for (const f of patch.allFuncs()) f.transition = false;
  for (const t of k.tasks) {
    if (t.pending) k.log.event({ kind: 'warn', message: `${t.name} still pending at completion` });
    t.pending = false;
    t.patch_state = KLP_TRANSITION_IDLE;
  }
  if (perState(k)) {
    if (target === KLP_TRANSITION_PATCHED) statesPostPatch(k, patch);
    else {
      statesPostPatchReplaced(k, replaced);
      statesPostUnpatch(k, patch);
    }
  }
  for (const obj of patch.objs) {
    if (!obj.loaded) continue;
    if (target === KLP_TRANSITION_PATCHED) runObjectCallback(k, obj, 'post_patch', 'LIVE');
    else if (obj.post_unpatch_enabled) {
      runObjectCallback(k, obj, 'post_unpatch', 'LIVE');
      obj.post_unpatch_enabled = false;
    }
  }
  k.log.klp(`'${patch.modName}': ${dir(target)} complete`);
  k.target = KLP_TRANSITION_IDLE;
  k.transition = null;
  return target === KLP_TRANSITION_PATCHED ? replaced : [];
}

/** klp_discard_nops: unpatch and free the nop funcs and the dynamic objects. */
function discardNops(k: KernelCore, patch: KPatch): void {
  for (const o of patch.objs) unpatchObject(k, o, true);
  for (const o of patch.objs) {
    for (let i = o.funcs.length - 1; i >= 0; i--) if (o.funcs[i]!.nop) o.funcs.splice(i, 1);
  }
  for (let i = patch.objs.length - 1; i >= 0; i--) if (patch.objs[i]!.dynamic) patch.objs.splice(i, 1);
}

/**
 * klp_free_patch_async: off klp_patches, sysfs directory gone, and the module
 * reference dropped unless the patch was forced (facts B.2 "Force").
 */
export function freePatch(k: KernelCore, patch: KPatch): void {
  k.klp_patches = k.klp_patches.filter((p) => p !== patch);
  patch.registered = false;
}

/** klp_try_complete_transition: one retry. Returns true when the transition completed. */
export function tryCompleteTransition(k: KernelCore): boolean {
  const patch = k.transition;
  if (!patch) return false;
  let complete = true;
  for (const t of k.tasks) if (!trySwitchTask(k, t)) complete = false;
  if (!complete) {
    if (k.signalsCnt > 0 && k.signalsCnt % SIGNALS_TIMEOUT === 0) sendSignals(k);
    k.signalsCnt++;
    return false;
  }
  const replaced = completeTransition(k);
  if (!patch.enabled) freePatch(k, patch);
  else for (const old of replaced) freePatch(k, old);
  return true;
}

/** klp_cancel_transition: the error path of an enable; completes as an unpatching. */
export function cancelTransition(k: KernelCore): void {
  const patch = k.transition!;
  if (k.target !== KLP_TRANSITION_PATCHED) return;
  k.log.debug(`'${patch.modName}': canceling patching transition, going to unpatch`);
  k.target = KLP_TRANSITION_UNPATCHED;
  completeTransition(k);
}

/** klp_reverse_transition: no callbacks now; the next retry completes the other way. */
export function reverseTransition(k: KernelCore): void {
  const patch = k.transition!;
  const from = k.target === KLP_TRANSITION_PATCHED ? 'patching to unpatching' : 'unpatching to patching';
  k.log.debug(`'${patch.modName}': reversing transition from ${from}`);
  for (const t of k.tasks) t.pending = false;
  patch.enabled = !patch.enabled;
  k.target = k.target === KLP_TRANSITION_PATCHED ? KLP_TRANSITION_UNPATCHED : KLP_TRANSITION_PATCHED;
  startTransition(k);
}

/** klp_force_transition: every pending task switches with no stack check; forced flags set. */
export function forceTransition(k: KernelCore): void {
  const patch = k.transition!;
  k.log.klp('forcing remaining tasks to the patched state');
  for (const t of k.tasks) updatePatchState(k, t);
  if (k.target === KLP_TRANSITION_UNPATCHED) patch.forced = true;
  else for (const p of k.hooks.forcedByForce(othersThan(k, patch), patch)) p.forced = true;
}
