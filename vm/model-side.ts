/**
 * The reference implementation's side of a VM case: after each step, the same record the guest
 * reports (vm/observation.ts), read from the model's sysfs view, klp_patches and ftrace handler.
 */
import type { Kernel } from '../model/kernel/kernel.ts';
import { sysfsMode } from '../harness/scenario/sysfs-modes.ts';
import { selftestFilter } from '../harness/scenario/filter.ts';
import type { FunctionProbe } from './cgen/contract.ts';
import { modelKey } from './case.ts';
import type { StepObservation, SysfsFile } from './observation.ts';

/** Every /sys/kernel/livepatch file of the model, keyed as the guest reports them. */
export function modelSysfs(k: Kernel): Record<string, SysfsFile> {
  const out: Record<string, SysfsFile> = {};
  for (const p of k.sysfsPatches()) {
    const files = k.sysfs(p) ?? {};
    for (const [f, value] of Object.entries(files)) out[`${p}/${f}`] = { value, mode: sysfsMode(f) };
  }
  return out;
}

/** What a new task runs in each probed function (task0 stands for the guest's probing process). */
export function modelRunning(k: Kernel, probes: readonly FunctionProbe[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of probes) {
    const v = k.runningCode('task0', modelKey(p.key));
    out[p.key] = typeof v === 'string' ? v : v.patch;
  }
  return out;
}

/** The observation after a step whose log lines start at `from` in the model's log. */
export function observeModel(
  k: Kernel,
  probes: readonly FunctionProbe[],
  step: { index: number; command: string; result: string },
  from: number,
): StepObservation {
  return {
    ...step,
    log: selftestFilter(k.log.slice(from)),
    sysfs: modelSysfs(k),
    order: k.core.klp_patches.map((p) => p.name),
    running: modelRunning(k, probes),
  };
}
