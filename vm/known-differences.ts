/**
 * Differences between the reference implementation and a real kernel that are understood, as data
 * with their reason: such a case prints DIFFERS (known: ...) and does not fail the run. A difference
 * of kernel version in a sysfs file belongs in vm/features.ts instead ("not on this kernel").
 */
import type { KernelVersion } from './cgen/contract.ts';

export interface KnownDifference {
  /** The file's base name (e.g. "test-sysfs.sysfs-test.json"). */
  readonly file: string;
  readonly kernels: readonly KernelVersion[];
  readonly reason: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];

export function knownDifference(
  label: string,
  kernel: KernelVersion,
  table: readonly KnownDifference[] = KNOWN_DIFFERENCES,
): KnownDifference | undefined {
  const base = label.split('/').pop();
  return table.find((k) => k.file === base && k.kernels.includes(kernel));
}
