/**
 * Which kernel has which livepatch feature, as data. A check the kernel cannot have is reported as
 * "not on this kernel" with the reason given here: never as a difference, never dropped silently.
 * Sources: /work/shared/reference/real-kernel.md ("What was compared"), measured on Debian's 6.1.0-57
 * and 6.12.95 cloud kernels; the sysfs `replace` attribute came in Linux 6.11 (commit "livepatch: Add
 * sysfs attribute replace"), `stack_order` in 6.14.
 */
import type { KernelVersion } from './cgen/contract.ts';

export type Feature = 'sysfs-replace' | 'sysfs-stack_order';

export interface FeatureRow {
  readonly feature: Feature;
  readonly description: string;
  readonly kernels: Readonly<Record<KernelVersion, boolean>>;
  /** Why a kernel lacks it, shown with each "not on this kernel". */
  readonly reason: string;
}

export const FEATURES: readonly FeatureRow[] = [
  {
    feature: 'sysfs-replace',
    description: '/sys/kernel/livepatch/<patch>/replace',
    kernels: { '6.1': false, '6.12': true },
    reason: 'the sysfs attribute replace came in Linux 6.11',
  },
  {
    feature: 'sysfs-stack_order',
    description: '/sys/kernel/livepatch/<patch>/stack_order',
    kernels: { '6.1': false, '6.12': false },
    reason: 'the sysfs attribute stack_order came in Linux 6.14',
  },
];

export function hasFeature(kernel: KernelVersion, f: Feature): boolean {
  return FEATURES.find((r) => r.feature === f)!.kernels[kernel];
}

export function featureRow(f: Feature): FeatureRow {
  return FEATURES.find((r) => r.feature === f)!;
}

/** The feature a sysfs file (relative to the patch directory) needs, if any. */
export function sysfsFeature(file: string): Feature | undefined {
  if (file === 'replace') return 'sysfs-replace';
  if (file === 'stack_order') return 'sysfs-stack_order';
  return undefined;
}

/** KernelVersion from a command line value; undefined when it is none of them. */
export function kernelVersion(s: string): KernelVersion | undefined {
  return s === '6.1' || s === '6.12' ? s : undefined;
}
