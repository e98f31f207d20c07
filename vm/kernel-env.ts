/**
 * The kernel `npm run vm:setup` unpacked into the cache: its kernel.env, read and checked.
 * Layout: ${KLPCHECK_CACHE:-~/.cache/klpcheck}/kernel-<X.Y>/kernel.env (written by vm/setup.sh).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KlpcheckError } from '../harness/errors.ts';
import type { KernelVersion } from './cgen/contract.ts';

export interface KernelEnv {
  readonly kernel: KernelVersion;
  /** Debian's ABI (6.1.0-57) and package version (6.1.192-3): recorded in every report. */
  readonly abi: string;
  readonly release: string;
  readonly version: string;
  readonly vmlinuz: string;
  readonly headers: string;
  readonly qemu: string;
  /** qemu's firmware folder when qemu is the unpacked backport (-L). */
  readonly qemuDatadir?: string;
  /** Extra make variables (6.12: CONFIG_DEBUG_INFO_BTF_MODULES= as there is no pahole). */
  readonly makeFlags: readonly string[];
  /** The cache folder of this kernel (builds go below it). */
  readonly dir: string;
}

export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.KLPCHECK_CACHE || join(homedir(), '.cache', 'klpcheck');
}

/** The env file's path for a kernel, whether or not it exists. */
export function kernelEnvFile(kernel: KernelVersion, env?: Readonly<Record<string, string | undefined>>): string {
  return join(cacheDir(env), `kernel-${kernel}`, 'kernel.env');
}

/** Parses kernel.env ("key=value" lines). Errors: E_VM_SETUP naming the file when a key is missing. */
export function parseKernelEnv(kernel: KernelVersion, text: string, file: string): KernelEnv {
  const kv = new Map(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  const need = (k: string) => {
    const v = kv.get(k);
    if (!v) throw new KlpcheckError('E_VM_SETUP', `no '${k}=' line: run 'npm run vm:setup -- --kernel ${kernel}' again`, file);
    return v;
  };
  const flags = kv.get('make_flags');
  return {
    kernel,
    abi: need('abi'),
    release: need('release'),
    version: need('version'),
    vmlinuz: need('vmlinuz'),
    headers: need('headers'),
    qemu: need('qemu'),
    ...(kv.get('qemu_datadir') ? { qemuDatadir: kv.get('qemu_datadir')! } : {}),
    makeFlags: flags ? flags.split(' ') : [],
    dir: join(file, '..'),
  };
}

/** Whether vm:setup has run for this kernel. */
export function kernelReady(kernel: KernelVersion, env?: Readonly<Record<string, string | undefined>>): boolean {
  return existsSync(kernelEnvFile(kernel, env));
}

/** The set-up kernel. Errors: E_VM_SETUP with the command to run when it is not set up. */
export function loadKernelEnv(kernel: KernelVersion, env?: Readonly<Record<string, string | undefined>>): KernelEnv {
  const file = kernelEnvFile(kernel, env);
  if (!existsSync(file)) {
    throw new KlpcheckError(
      'E_VM_SETUP',
      `kernel ${kernel} is not set up: run 'npm run vm:setup${kernel === '6.1' ? '' : ` -- --kernel ${kernel}`}'`,
      file,
    );
  }
  return parseKernelEnv(kernel, readFileSync(file, 'utf8'), file);
}
