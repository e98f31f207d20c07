/**
 * The operations of generated sequences, as data (schema/counterexample.schema.json
 * #/definitions/Op): each applies to the reference implementation and to
 * the spec model, has a precondition (as fast-check's Command.check) that
 * either side can answer (OpPreconditions; the runs read the kernel's), and
 * prints in the maintainers' vocabulary.
 */
import { livepatchSysfsDir, type DeepReadonly } from '../model/kernel/definitions.ts';
import { OK, fail, type Outcome } from '../model/kernel/errno.ts';
import type { Kernel } from '../model/kernel/kernel.ts';
import type { SpecModel } from '../model/spec/spec-model.ts';
import { objectOf } from '../model/spec/universe-view.ts';
import type * as G from '../schema/generated/counterexample.ts';

export type Op = DeepReadonly<G.Op>;

/** A task as an op's precondition sees it. */
export interface TaskFlags {
  /** Asleep in a patched function. */
  readonly blocked: boolean;
  /** On a CPU. */
  readonly running: boolean;
  readonly kthread: boolean;
}

/**
 * What the ops' preconditions read. The spec model answers (model/spec/spec-model.ts)
 * and so does the reference implementation (harness/kernel-preconditions.ts);
 * while the two conform they answer alike, and after a conformance break the
 * explorer goes on with the kernel's answers (harness/explore/expand.ts).
 */
export interface OpPreconditions {
  isLoaded(module: string): boolean;
  /** The patch's sysfs directory exists (loaded and not yet freed). */
  isRegistered(patch: string): boolean;
  inTransition(): boolean;
  taskFlags(name: string): TaskFlags | undefined;
  /** vmlinux, or a loaded target module. */
  objectLoaded(obj: string): boolean;
  /** The patch is on klp_patches and carries state `id`. */
  declares(patch: string, id: number): boolean;
  /** Some task sleeps in a function of `module`. */
  hasTaskBlockedIn(module: string): boolean;
}

/** Whether the op makes sense now; inapplicable ops are skipped, as fc.commands does. */
export function applicable(op: Op, s: OpPreconditions): boolean {
  switch (op.op) {
    case 'insmod':
    case 'disable':
    case 'enable':
    case 'force':
    case 'set_attr':
      return true;
    case 'rmmod':
      // Code sleeping in a module keeps it (the simulation never unloads running code).
      return !s.hasTaskBlockedIn(op.module);
    case 'transition_step':
      return s.inTransition();
    case 'block_task': {
      const t = s.taskFlags(op.task);
      return t !== undefined && !t.blocked && s.objectLoaded(objectOf(op.func));
    }
    case 'unblock_task':
      return s.taskFlags(op.task)?.blocked === true;
    case 'task_return': {
      // A kernel thread never returns to user space. During a transition no
      // task is idle: klp_init_transition sets every task's state, and a fork
      // inherits its parent's (klp_copy_process).
      const t = s.taskFlags(op.task);
      return t !== undefined && !t.kthread && !t.blocked && s.inTransition();
    }
    case 'run_task': {
      const t = s.taskFlags(op.task);
      return t !== undefined && !t.blocked && !t.running;
    }
    case 'sleep_task':
    case 'cond_resched':
      return s.taskFlags(op.task)?.running === true;
    case 'fork': {
      // Only a task that is awake forks, and the child's name is new.
      const t = s.taskFlags(op.task);
      return t !== undefined && !t.blocked && s.taskFlags(op.child) === undefined;
    }
    case 'shadow_alloc':
    case 'shadow_free':
      // Only code of a patch that is on klp_patches runs, and it uses its own state ids.
      return s.declares(op.patch, op.id);
  }
}

export function applyToKernel(op: Op, k: Kernel): Outcome {
  const shadow = k.core.shadow;
  switch (op.op) {
    case 'insmod':
      return k.insmod(op.module, op.params ?? {});
    case 'rmmod':
      return k.rmmod(op.module);
    case 'disable':
      return k.writeEnabled(op.patch, '0');
    case 'enable':
      return k.writeEnabled(op.patch, '1');
    case 'force':
      return k.writeForce(op.patch, '1');
    case 'set_attr':
      return k.writeAttr(op.patch, op.attr, op.value);
    case 'transition_step':
      k.transitionStep();
      return OK;
    case 'block_task':
      return k.blockTask(op.task, op.func, op.sleep) ? OK : fail('EAGAIN');
    case 'unblock_task':
      return k.unblockTask(op.task) ? OK : fail('EAGAIN');
    case 'task_return':
      k.taskReturnToUser(op.task);
      return OK;
    case 'run_task':
      return k.runTask(op.task) ? OK : fail('EAGAIN');
    case 'sleep_task':
      return k.sleepTask(op.task) ? OK : fail('EAGAIN');
    case 'cond_resched':
      return k.condResched(op.task) ? OK : fail('EAGAIN');
    case 'fork':
      return k.fork(op.task, op.child) ? OK : fail('EAGAIN');
    case 'shadow_alloc':
      // Patched code allocates on first use; klp_shadow_alloc on an existing
      // variable is the code's own bug (a WARN), not the core's.
      shadow.getOrAlloc(op.obj, op.id);
      return OK;
    case 'shadow_free':
      shadow.free(op.obj, op.id, 'code');
      return OK;
  }
}

export function applyToSpec(op: Op, s: SpecModel): Outcome {
  switch (op.op) {
    case 'insmod':
      return s.insmod(op.module, op.params ?? {});
    case 'rmmod':
      return s.rmmod(op.module);
    case 'disable':
      return s.writeEnabled(op.patch, false);
    case 'enable':
      return s.writeEnabled(op.patch, true);
    case 'force':
      return s.force(op.patch);
    case 'set_attr':
      return s.writeAttr(op.patch, op.attr, op.value);
    case 'transition_step':
      return s.transitionStep();
    case 'block_task':
      return s.blockTask(op.task, op.func, op.sleep);
    case 'unblock_task':
      return s.unblockTask(op.task);
    case 'task_return':
      return s.taskReturn(op.task);
    case 'run_task':
      return s.runTask(op.task, true);
    case 'sleep_task':
      return s.runTask(op.task, false);
    case 'cond_resched':
      return s.condResched(op.task);
    case 'fork':
      return s.fork(op.task, op.child);
    case 'shadow_alloc':
      return s.shadowAlloc(op.obj, op.id);
    case 'shadow_free':
      return s.shadowFree(op.obj, op.id);
  }
}

/**
 * ` add_merge_slots=2 replace=1`: module parameters as insmod takes them, in
 * the op's order, which is the order the reference implementation applies and
 * logs them in, as the kernel parses a module's arguments left to right and
 * keeps the last of a name given twice (kernel/params.c parse_args; `-` and
 * `_` are one in a name). Sorted until 2026-12-07, a command could name
 * another experiment than the one replayed (helper-125). `quote` writes each
 * `name=value` word (a selftest's shell quoting: report/selftest.ts).
 */
export function paramsText(params: Readonly<Record<string, string>> | undefined, quote: (word: string) => string = (w) => w): string {
  return Object.keys(params ?? {})
    .map((k) => ` ${quote(`${k}=${params![k]}`)}`)
    .join('');
}

/** The op as a maintainer would write it in a mail (also fast-check's toString). */
export function describeOp(op: Op): string {
  switch (op.op) {
    case 'insmod':
      return `insmod ${op.module}.ko${paramsText(op.params)}`;
    case 'rmmod':
      return `rmmod ${op.module}`;
    case 'disable':
      return `echo 0 > ${livepatchSysfsDir(op.patch)}/enabled`;
    case 'enable':
      return `echo 1 > ${livepatchSysfsDir(op.patch)}/enabled`;
    case 'force':
      return `echo 1 > ${livepatchSysfsDir(op.patch)}/force`;
    case 'set_attr':
      return `echo ${op.value} > ${livepatchSysfsDir(op.patch)}/${op.attr}`;
    case 'transition_step':
      return 'transition work runs (klp_try_complete_transition)';
    case 'block_task':
      return `${op.task} sleeps in ${op.func}${op.sleep === 'interruptible' ? ' (interruptible)' : ''}`;
    case 'unblock_task':
      return `${op.task} wakes up`;
    case 'task_return':
      return `${op.task} returns to user space`;
    case 'run_task':
      return `${op.task} runs on a CPU`;
    case 'sleep_task':
      return `${op.task} sleeps outside patched code`;
    case 'cond_resched':
      return `${op.task} calls cond_resched (klp_sched_try_switch)`;
    case 'fork':
      return `${op.task} forks ${op.child}`;
    case 'shadow_alloc':
      return `${op.patch} code: klp_shadow_get_or_alloc(obj=${op.obj}, id=${op.id})`;
    case 'shadow_free':
      return `${op.patch} code: klp_shadow_free(obj=${op.obj}, id=${op.id})`;
  }
}
