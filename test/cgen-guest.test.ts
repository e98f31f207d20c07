/**
 * The guest side of the contract on a real kernel: klpcheck_core's block
 * points in their three modes (killable, interruptible, kernel thread) and a
 * sleeper holding its module, driven by test/fixtures/cgen/guest-init.sh in a
 * busybox initramfs under qemu (TCG, one vCPU, as real-kernel.md describes).
 * Runs only when `npm run vm:setup` has installed qemu and busybox-static and
 * cached the 6.1 kernel; about a minute of guest time (two 15 s fake-signal waits).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDir, headersDir, writeModuleSet } from '../vm/cgen/build-check.ts';
import { generateModuleSources } from '../vm/cgen/index.ts';

const cache = process.env.KLPCHECK_CACHE ?? join(homedir(), '.cache', 'klpcheck');
const envFile = join(cache, 'kernel-6.1', 'kernel.env');
const vmlinuz = existsSync(envFile)
  ? readFileSync(envFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('vmlinuz='))
      ?.slice('vmlinuz='.length)
  : undefined;
const headers = headersDir('6.1');
const tools =
  ['qemu-system-x86_64', 'cpio', 'gcc-12'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0) &&
  existsSync('/bin/busybox');
const ready = Boolean(headers && vmlinuz && existsSync(vmlinuz) && tools);

/** f1 in the stand-in, patched by lp1 and then lp2 (both stacking). */
const UNIVERSE = {
  patches: [
    { name: 'lp1', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }] },
    { name: 'lp2', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }] },
  ],
  modules: [],
};

const APPLETS = ['sh', 'mount', 'cat', 'cut', 'echo', 'sleep', 'insmod', 'rmmod', 'poweroff'];

describe.skipIf(!ready)(
  `block points on Linux 6.1 in qemu (${ready ? 'kernel found' : 'skipped: run npm run vm:setup for qemu, busybox-static and the 6.1 kernel'})`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'klpcheck-cgen-guest-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('killable sleepers hold a transition and their module, interruptible ones switch at the fake signal, kernel threads need force', async () => {
      const mods = join(work, 'mods');
      writeModuleSet(generateModuleSources(UNIVERSE, '6.1'), mods);
      expect((await buildDir(headers!, mods, '6.1')).problems).toEqual([]);
      const root = join(work, 'root');
      for (const d of ['bin', 'mods', 'proc', 'sys', 'dev', 'tmp']) mkdirSync(join(root, d), { recursive: true });
      copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
      for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
      for (const m of ['klpcheck_core', 'klpcheck_vmlinux', 'lp1', 'lp2'])
        copyFileSync(join(mods, `${m}.ko`), join(root, 'mods', `${m}.ko`));
      writeFileSync(join(root, 'init'), readFileSync(join(import.meta.dirname, 'fixtures', 'cgen', 'guest-init.sh')), { mode: 0o755 });
      const initrd = join(work, 'initrd.gz');
      expect(spawnSync('sh', ['-c', `cd '${root}' && find . | cpio -o -H newc 2>/dev/null | gzip > '${initrd}'`]).status).toBe(0);
      const log = join(work, 'console.log');
      const qemu = spawnSync(
        'qemu-system-x86_64',
        ['-accel', 'tcg', '-m', '512', '-smp', '1', '-display', 'none', '-monitor', 'none', '-no-reboot', '-nodefaults']
          .concat(['-serial', `file:${log}`, '-kernel', vmlinuz!, '-initrd', initrd])
          .concat(['-append', 'console=ttyS0 quiet loglevel=3 panic=-1']),
        { timeout: 900_000 },
      );
      expect(qemu.status).toBe(0);
      const console = readFileSync(log, 'utf8');
      const out = console
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[ABC] |^END$/.test(l));
      expect(out, `console:\n${console}`).toEqual([
        'A sleeping: vmlinux:f1',
        'A stalled: 1',
        'A rmmod rc: 1',
        'A released: vmlinux: f1: original',
        'A done: 0',
        'A new reader: lp1: f1',
        'B stalled: 1',
        'B after signal: 0',
        'B still sleeping: vmlinux:f1',
        'B released: lp2: f1',
        'C after signal: 1',
        'C rmmod rc: 1',
        'C forced: gone',
        'C reader: lp1: f1',
        'END',
      ]);
    }, 1_200_000);
  },
);
