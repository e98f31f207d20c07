/**
 * The guest's initramfs: busybox-static with its applets, kmod's insmod and rmmod with their shared
 * libraries (busybox's own insmod words its errors otherwise; facts: real-kernel.md "Initramfs"),
 * /init and the step runner (vm/guest/), /klp/getpid-loop (test-syscall's hammering processes), the
 * batch script and every case's modules under
 * /cases/<id>/test_modules/ (the path functions.sh's log lines name). Written as a newc cpio, gzip'd.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KlpcheckError } from '../harness/errors.ts';

const GUEST = fileURLToPath(new URL('./guest/', import.meta.url));
const BUSYBOX = '/bin/busybox';
const KMOD = '/bin/kmod';

/** The guest files of the runner itself: /init and /functions.sh. */
export function guestFiles(): Record<string, string> {
  return { init: readFileSync(join(GUEST, 'init.sh'), 'utf8'), 'functions.sh': readFileSync(join(GUEST, 'functions.sh'), 'utf8') };
}

/** The shared libraries a host binary loads (ldd's resolved paths, the loader included). */
export function sharedLibraries(lddOutput: string): string[] {
  const libs = new Set<string>();
  for (const line of lddOutput.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.add(m[1]!);
  }
  return [...libs].sort();
}

export interface InitramfsContent {
  readonly batch: string;
  /** Case id -> module name -> host .ko path. */
  readonly modules: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

function put(root: string, path: string, from: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  copyFileSync(from, join(root, path));
}

/** Writes the staging tree and packs it into `out` (initrd.cpio.gz). Errors: E_VM_SETUP when a host tool is missing. */
export async function buildInitramfs(workDir: string, out: string, content: InitramfsContent): Promise<void> {
  const root = join(workDir, 'root');
  for (const d of ['bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'cases']) mkdirSync(join(root, d), { recursive: true });
  let applets: string[];
  let libs: string[];
  try {
    applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    libs = sharedLibraries(execFileSync('ldd', [KMOD], { encoding: 'utf8' }));
  } catch {
    throw new KlpcheckError('E_VM_SETUP', `${BUSYBOX} or ${KMOD} is missing: run 'npm run vm:setup'`);
  }
  put(root, 'bin/busybox', BUSYBOX);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(root, 'bin', a));
  // Outside busybox's folder and called by path: a standalone busybox ash runs its own applet
  // for a bare `insmod` whatever PATH says.
  put(root, 'kmod/kmod', KMOD);
  // test-syscall's hammering processes (vm/guest/getpid-loop.c), built here: a static binary with no libc.
  const loop = join(workDir, 'getpid-loop');
  try {
    execFileSync('gcc-12', ['-static', '-nostdlib', '-O2', '-o', loop, join(GUEST, 'getpid-loop.c')], { stdio: 'pipe' });
  } catch {
    throw new KlpcheckError('E_VM_SETUP', "gcc-12 cannot build vm/guest/getpid-loop.c: run 'npm run vm:setup'");
  }
  put(root, 'klp/getpid-loop', loop);
  chmodSync(join(root, 'klp/getpid-loop'), 0o755);
  for (const a of ['insmod', 'rmmod']) symlinkSync('kmod', join(root, 'kmod', a));
  for (const lib of libs) put(root, lib, lib);
  for (const [f, text] of Object.entries({ ...guestFiles(), 'batch.sh': content.batch })) writeFileSync(join(root, f), text);
  chmodSync(join(root, 'init'), 0o755);
  for (const [id, mods] of Object.entries(content.modules)) {
    for (const [name, ko] of Object.entries(mods)) put(root, `cases/${id}/test_modules/${name}.ko`, ko);
  }
  // Sorted names and --reproducible: the same content gives the same archive.
  await promisify(execFile)('sh', [
    '-c',
    `cd "$1" && find . | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible | gzip -1 -n > "$2"`,
    'sh',
    root,
    out,
  ]);
}
