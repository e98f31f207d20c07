/**
 * The reference implementation's public face: one simulated boot of a kernel
 * with the livepatch core, driven by the operations a user or the harness can
 * perform, with the kernel log, the events and an observable view.
 */
import { canonicalKey, type Universe } from './definitions.ts';
import { cloneCore } from './clone.ts';
import { KernelCore } from './core.ts';
import type { Outcome } from './errno.ts';
import { OK, fail } from './errno.ts';
import { runningCode } from './func-stack.ts';
import type { ReplaceHooks } from './hooks.ts';
import { registerKprobe, traceFunction, unregisterKprobe } from './ftrace-users.ts';
import { wakeBusyWork } from './busy-work.ts';
import { insmod, parseBool, rmmod } from './loader.ts';
import { readModuleParam } from './outputs.ts';
import { declaredParams, paramReadable, paramValueErrno, paramWriteErrno } from './module-params.ts';
import { Task, type KPatch, type Sleep, type Version } from './runtime.ts';
import { readSysfs, writeAttr, writeEnabled, writeForce } from './sysfs.ts';
import { condResched, copyProcess, tryCompleteTransition, updatePatchState } from './transition.ts';

export class Kernel {
  readonly core: KernelCore;

  constructor(universe: Universe, hooks: ReplaceHooks, core?: KernelCore) {
    this.core = core ?? new KernelCore(universe, hooks);
  }

  /** An independent copy (model/kernel/clone.ts), optionally over a larger universe. */
  clone(universe: Universe = this.core.universe): Kernel {
    return new Kernel(universe, this.core.hooks, cloneCore(this.core, universe));
  }

  get log(): readonly string[] {
    return this.core.log.lines;
  }

  insmod(name: string, params: Readonly<Record<string, string>> = {}): Outcome {
    return insmod(this.core, name, params);
  }

  rmmod(name: string): Outcome {
    return rmmod(this.core, name);
  }

  writeEnabled(patch: string, value: string): Outcome {
    return writeEnabled(this.core, this.core.patchByName(patch), value);
  }

  writeForce(patch: string, value: string): Outcome {
    return writeForce(this.core, this.core.patchByName(patch), value);
  }

  writeAttr(patch: string, attr: string, value: string): Outcome {
    return writeAttr(this.core, this.core.patchByName(patch), attr, value);
  }

  /**
   * A module parameter in /sys/module/<mod>/parameters (set_pre_patch_ret);
   * clearing a busy module's blocking parameter wakes its worker. A file the
   * module does not have is -EACCES or -ENOENT (module-params.ts
   * paramWriteErrno); a value the parameter refuses, its set operation's
   * errno (paramValueErrno).
   */
  writeParam(mod: string, name: string, value: string): Outcome {
    const m = this.core.modules.get(mod);
    if (!m) return fail('ENOENT');
    const declared = declaredParams(m);
    const errno = paramWriteErrno(declared, name) ?? paramValueErrno(declared.get(name)!.type, value);
    if (errno) return fail(errno);
    m.params = new Map(m.params).set(name, value);
    if (m.kind === 'target' && m.def.busy_work?.param === name && parseBool(value) === false) wakeBusyWork(this.core, mod);
    return OK;
  }

  /** `cat /sys/module/<mod>/parameters/<param>`: runs the function the module shows it with. */
  readParam(mod: string, name: string): Outcome {
    const m = this.core.modules.get(mod);
    if (!m || !paramReadable(declaredParams(m), name)) return fail('ENOENT');
    readModuleParam(this.core, m, name);
    return OK;
  }

  /** sysctl kernel.ftrace_enabled: disabling fails while a livepatch holds a PERMANENT ftrace_ops. */
  setFtraceEnabled(enabled: boolean): Outcome {
    if (!enabled && this.core.funcStacks.size > 0) return fail('EBUSY');
    this.core.ftraceEnabled = enabled;
    return OK;
  }

  /** A kprobe on a function; one with a post_handler needs IPMODIFY and conflicts with a livepatch. */
  registerKprobe(key: string, postHandler: boolean): Outcome {
    return registerKprobe(this.core, key, postHandler);
  }

  unregisterKprobe(key: string): Outcome {
    return unregisterKprobe(this.core, key);
  }

  /** The function tracer on `key`: a non-IPMODIFY ftrace user, which a livepatch tolerates. */
  traceFunction(key: string): Outcome {
    return traceFunction(this.core, key);
  }

  /** The delayed work retrying klp_try_complete_transition; true when it completed. */
  transitionStep(): boolean {
    return tryCompleteTransition(this.core);
  }

  task(name: string): Task | undefined {
    return this.core.tasks.find((t) => t.name === name);
  }

  /** A task enters `key` and sleeps there; its stack now holds the code it runs. */
  blockTask(name: string, key: string, sleep: Sleep = 'uninterruptible'): boolean {
    const t = this.task(name);
    if (!t || t.blocked) return false;
    const code = runningCode(this.core, t, key);
    if (code === 'absent') return false;
    t.blocked = { key: canonicalKey(key), code, sleep };
    t.running = false;
    return true;
  }

  unblockTask(name: string): boolean {
    const t = this.task(name);
    if (!t?.blocked) return false;
    t.blocked = null;
    return true;
  }

  /** The task returns to user space and switches itself (klp_update_patch_state); a kernel thread never does. */
  taskReturnToUser(name: string): boolean {
    const t = this.task(name);
    if (!t || t.kthread || t.blocked || !t.pending) return false;
    updatePatchState(this.core, t);
    return true;
  }

  /** The task runs on a CPU (outside patched code), where no other task can check its stack. */
  runTask(name: string): boolean {
    const t = this.task(name);
    if (!t || t.blocked || t.running) return false;
    t.running = true;
    return true;
  }

  /** A running task goes to sleep outside patched code. */
  sleepTask(name: string): boolean {
    const t = this.task(name);
    if (!t?.running) return false;
    t.running = false;
    return true;
  }

  /** A running task passes cond_resched (__klp_sched_try_switch). */
  condResched(name: string): boolean {
    const t = this.task(name);
    if (!t?.running) return false;
    condResched(this.core, t);
    return true;
  }

  /** The task forks `child`, a task of its kind that inherits its transition state (klp_copy_process). */
  fork(name: string, child: string): boolean {
    const t = this.task(name);
    if (!t || t.blocked || this.task(child)) return false;
    const c = new Task(child, null, t.kthread);
    copyProcess(t, c);
    this.core.tasks.push(c);
    return true;
  }

  /** What `task` runs when it calls the function `key` (the ftrace handler). */
  runningCode(task: string, key: string): Version {
    const t = this.task(task);
    if (!t) throw new Error(`no task ${task}`);
    return runningCode(this.core, t, key);
  }

  patch(name: string): KPatch | undefined {
    return this.core.patchByName(name);
  }

  /** The sysfs directory of a patch, or undefined once it is freed. */
  sysfs(name: string): Record<string, string> | undefined {
    const p = this.core.patchByName(name);
    return p?.registered ? readSysfs(this.core, p) : undefined;
  }

  /** `ls /sys/kernel/livepatch`. */
  sysfsPatches(): string[] {
    return [...this.core.modules.values()].flatMap((m) => (m.kind === 'livepatch' && m.patch?.registered ? [m.def.name] : []));
  }
}
