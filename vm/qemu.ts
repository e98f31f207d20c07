/**
 * One boot of the VM (facts: real-kernel.md "VM"): TCG with one vCPU and 512 MiB (/dev/kvm here
 * cannot boot a stock kernel; -smp 2 is 3x slower), the console on ttyS0 and the guest's reports on
 * ttyS1, both to files. A boot that outlives its time limit is killed: the caller gets what the
 * guest wrote so far and `timedOut`, never a hang.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelEnv } from './kernel-env.ts';

export interface BootResult {
  /** What the guest wrote to ttyS1. */
  readonly data: string;
  /** The console (ttyS0), for a report when the boot went wrong. */
  readonly console: string;
  readonly timedOut: boolean;
  readonly seconds: number;
}

export function qemuArgs(env: KernelEnv, initrd: string, dir: string, append: string): string[] {
  return [
    ...(env.qemuDatadir ? ['-L', env.qemuDatadir] : []),
    '-accel',
    'tcg',
    '-m',
    '512',
    '-smp',
    '1',
    '-display',
    'none',
    '-monitor',
    'none',
    '-no-reboot',
    '-nodefaults',
    '-serial',
    `file:${join(dir, 'console.log')}`,
    '-serial',
    `file:${join(dir, 'data.txt')}`,
    '-kernel',
    env.vmlinuz,
    '-initrd',
    initrd,
    // no_timer_check: on a loaded host TCG's timer can miss the IO-APIC check and panic the boot.
    '-append',
    `console=ttyS0 quiet panic=-1 printk.devkmsg=on log_buf_len=4M no_timer_check ${append}`.trim(),
  ];
}

/**
 * Boots and waits for the guest to power off. `timeoutSeconds` bounds the boot; `idleSeconds`
 * bounds the silence on ttyS1 (a step that hangs), whichever comes first.
 */
export function boot(
  env: KernelEnv,
  initrd: string,
  dir: string,
  append: string,
  timeoutSeconds: number,
  idleSeconds = 90,
): Promise<BootResult> {
  const start = Date.now();
  const data = join(dir, 'data.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(env.qemu, qemuArgs(env, initrd, dir, append), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    let timedOut = false;
    let size = -1;
    let quietSince = Date.now();
    const timer = setInterval(() => {
      const now = existsSync(data) ? statSync(data).size : 0;
      if (now !== size) [size, quietSince] = [now, Date.now()];
      if (Date.now() - start > timeoutSeconds * 1000 || Date.now() - quietSince > idleSeconds * 1000) {
        timedOut = true;
        child.kill('SIGKILL');
      }
    }, 1000);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', () => {
      clearInterval(timer);
      const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
      resolve({ data: read('data.txt'), console: read('console.log') + stderr, timedOut, seconds: (Date.now() - start) / 1000 });
    });
  });
}
