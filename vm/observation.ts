/**
 * What one step looks like from outside, on either side (the reference implementation or the real
 * kernel in the VM): the values `klpcheck vm` compares. Both sides are reduced to the same record,
 * then rendered to the same text, so a difference is a `diff -u` of two texts.
 */

/** One sysfs file of a patch: its content ('' for the write-only `force`) and its `ls -l` mode. */
export interface SysfsFile {
  readonly value: string;
  readonly mode: string;
}

/** The observation after one step. Names are the universe's (a kernel '_' mapped back to '-'). */
export interface StepObservation {
  readonly index: number;
  /** The step as functions.sh would log it, or the op as a maintainer writes it. */
  readonly command: string;
  /** 'ok' or the errno name (EINVAL ...); 'unknown: <text>' when the guest's error text maps to none. */
  readonly result: string;
  /** The step's kernel-log lines after the selftests' filter (harness/scenario/filter.ts). */
  readonly log: readonly string[];
  /** Every file under /sys/kernel/livepatch, keyed "<patch>/<file>" or "<patch>/<object>/patched". */
  readonly sysfs: Readonly<Record<string, SysfsFile>>;
  /** Patches in klp_patches order: the model's list; on the kernel, the load order (see enabledPatches). */
  readonly order: readonly string[];
  /** Function key -> version that a new task runs ('original', a patch name, or 'absent'); {} when not probed. */
  readonly running: Readonly<Record<string, string>>;
}

/**
 * The enabled patches in klp_patches order. The kernel lists no order in sysfs before `stack_order`
 * (6.1 and 6.12 lack it), but klp_enable_patch only ever appends to klp_patches (kernel/livepatch/
 * core.c, list_add_tail), so the load order of the patches whose `enabled` reads 1 is that order.
 */
export function enabledPatches(o: Pick<StepObservation, 'sysfs' | 'order'>): string[] {
  return o.order.filter((p) => o.sysfs[`${p}/enabled`]?.value === '1');
}

/** "<patch> patching|unpatching" for the patch whose `transition` reads 1, as thread outcomes write it; null when idle. */
export function transitionOf(o: Pick<StepObservation, 'sysfs'>): string | null {
  for (const [path, f] of Object.entries(o.sysfs)) {
    const m = /^([^/]+)\/transition$/.exec(path);
    if (m && f.value === '1') return `${m[1]} ${o.sysfs[`${m[1]}/enabled`]?.value === '1' ? 'patching' : 'unpatching'}`;
  }
  return null;
}
