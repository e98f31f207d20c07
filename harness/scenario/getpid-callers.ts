/**
 * test-syscall.sh's processes that call getpid without end, and what
 * test_klp_syscall keeps of them (facts E.6; Marcos Paulo de Souza, 2023):
 * the module's klp_pids parameter lists their PIDs, and its new getpid takes
 * the caller off the list, so /sys/kernel/<module>/npids counts the listed
 * processes that have not run the new code yet. It never counts one again.
 *
 * Here the model's tasks stand for the processes (the VM runs a getpid loop
 * for each, vm/guest/functions.sh a_insmod_pids). A load that names tasks in
 * klp_pids starts their calls and gives the module a new list; wait_npids
 * reads the count and ends every caller, as the script kills them. After
 * every step, each listed task that calls getpid and runs the module's
 * version of it is taken off: the model's states between steps are when it
 * looks. A listed name that is no task, or a kernel thread, never calls. As the VM's modules
 * (vm/cgen/livepatch-module.ts), a module has the list and the npids file
 * when it patches the getpid system call.
 */
import type { Step } from '../../schema/generated/scenario.ts';
import type { Kernel } from '../../model/kernel/kernel.ts';
import { PIDS_PARAM } from '../../model/kernel/module-params.ts';
import { patchFuncs } from '../../model/spec/universe-view.ts';

/** The function whose new version takes its caller off the list; a module that patches it has the npids file. */
const GETPID = 'vmlinux:__x64_sys_getpid,0';

interface Callers {
  /** The tasks calling getpid without end. */
  readonly calling: Set<string>;
  /** Per module loaded with klp_pids: the entries still on its list, a name each (one listed twice is two). */
  readonly listed: Map<string, string[]>;
}

const ofKernel = new WeakMap<Kernel, Callers>();

function callersOf(k: Kernel): Callers {
  let c = ofKernel.get(k);
  if (!c) ofKernel.set(k, (c = { calling: new Set(), listed: new Map() }));
  return c;
}

/** Takes off each module's list the tasks that call getpid and now run the module's new code. */
function tick(k: Kernel): void {
  const c = ofKernel.get(k);
  if (!c) return;
  for (const [module, listed] of c.listed) {
    // A caller calls again and again: each of its entries goes.
    const kept = listed.filter((task) => {
      if (!c.calling.has(task)) return true;
      const v = k.runningCode(task, GETPID);
      return typeof v === 'string' || v.patch !== module;
    });
    c.listed.set(module, kept);
  }
}

/**
 * After step `step` (ok: whether it succeeded): a load gives its module a
 * new list, of the entries klp_pids was set to (none when it was not, or the
 * module declares no such parameter: insmod ignored it), and starts the calls
 * of the tasks it names; then the callers that run new code are taken off.
 */
export function afterStep(k: Kernel, step: Step, ok: boolean): void {
  // A livepatch's load: test_klp_syscall's list is its getpid replacement's; a target module's klp_pids is a plain parameter.
  const loaded = (step.op === 'load_lp' || step.op === 'load_lp_nowait') && ok;
  // The value the module took at insmod (module-params.ts refused any empty entry); with none, the array is empty
  // (a scenario's universe gives klp_pids no default: load.ts).
  const set = loaded ? k.core.param(step.module, PIDS_PARAM) : undefined;
  const names = set ? set.split(',') : [];
  // A scenario that never listed a caller keeps no record (every other scenario's steps pass through here).
  if (loaded && (names.length || ofKernel.has(k))) {
    const c = callersOf(k);
    c.listed.set(step.module, names);
    // A kernel thread makes no system call: listed, it stays on the list as a name that is no task does.
    for (const name of names) if (k.core.tasks.some((t) => t.name === name && !t.kthread)) c.calling.add(name);
  }
  tick(k);
}

/**
 * What /sys/kernel/<module>/npids reads: the names still on the module's
 * list (0 when it was loaded without klp_pids), or undefined when there is
 * no such file (the module is not loaded, or does not patch getpid).
 */
export function countPids(k: Kernel, module: string): number | undefined {
  const m = k.core.modules.get(module);
  if (m?.kind !== 'livepatch' || !patchFuncs(m.def).includes(GETPID)) return undefined;
  tick(k);
  return ofKernel.get(k)?.listed.get(module)?.length ?? 0;
}

/** wait_npids' end: the script kills every caller (test-syscall.sh's kill loop). */
export function stopGetpidCallers(k: Kernel): void {
  ofKernel.get(k)?.calling.clear();
}
