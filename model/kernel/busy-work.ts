/**
 * The busy work of test target modules (test_klp_callbacks_busy, Petr
 * Mladek's test_klp_speaker): a worker task that enters a function and may
 * sleep in it, which keeps that version on its stack and so holds up a
 * transition (facts E.2 "busy target module", E.7 "blocked transition").
 */
import type { KernelCore } from './core.ts';
import { funcKey, type ModuleDef } from './definitions.ts';
import { runningCode } from './func-stack.ts';
import { parseBool } from './kstrtobool.ts';
import { callFunction } from './outputs.ts';
import { KLP_TRANSITION_IDLE, KLP_TRANSITION_PATCHED, KLP_TRANSITION_UNPATCHED, Task } from './runtime.ts';

/**
 * A module's busy work function (test_klp_callbacks_busy, test_klp_speaker):
 * a worker task enters `func`, printing what the running version prints and
 * the enter lines, and either returns at once or sleeps there, holding that
 * version on its stack until it is woken or the module goes.
 */
export function startBusyWork(k: KernelCore, def: ModuleDef, params: ReadonlyMap<string, string>): void {
  const work = def.busy_work;
  if (!work) return;
  const blocking = parseBool(params.get(work.param) ?? 'n') === true;
  if (work.only_when_blocking && !blocking) return;
  // A work item runs in a kworker, a kernel thread, and msleep sleeps uninterruptibly.
  const task = new Task(`${def.name}:work`, def.name, true);
  if (k.transition) {
    // A new task inherits its parent's transition state (facts A, "Per task").
    task.patch_state = k.target === KLP_TRANSITION_PATCHED ? KLP_TRANSITION_UNPATCHED : KLP_TRANSITION_PATCHED;
    task.pending = true;
  } else task.patch_state = KLP_TRANSITION_IDLE;
  callFunction(k, task, def.name, work.func);
  for (const l of work.enter_log) k.log.module(def.name, l);
  if (!blocking) {
    for (const l of work.exit_log) k.log.module(def.name, l);
    return;
  }
  const key = funcKey(def.name, work.func);
  task.blocked = { key, code: runningCode(k, task, key), sleep: 'uninterruptible' };
  k.tasks.push(task);
}

/** Clearing the blocking parameter wakes the worker: its exit lines, then its exit call, as itself. */
export function wakeBusyWork(k: KernelCore, mod: string): boolean {
  const m = k.modules.get(mod);
  const i = k.tasks.findIndex((t) => t.owner === mod);
  if (m?.kind !== 'target' || !m.def.busy_work || i < 0) return false;
  const work = m.def.busy_work;
  const task = k.tasks[i]!;
  task.blocked = null;
  for (const l of work.exit_log) k.log.module(mod, l);
  if (work.exit_call) callFunction(k, task, mod, work.exit_call.func, work.exit_call.context);
  k.tasks.splice(i, 1);
  return true;
}

/** Module exit: a worker still asleep is ended, with its exit lines unless the module ends it quietly. */
export function stopBusyWork(k: KernelCore, def: ModuleDef): void {
  const i = k.tasks.findIndex((t) => t.owner === def.name);
  if (i < 0) return;
  k.tasks.splice(i, 1);
  if (!def.busy_work?.rmmod_quiet) for (const l of def.busy_work?.exit_log ?? []) k.log.module(def.name, l);
}
