/**
 * The generated C compiles without a warning against the Debian 6.1 kernel's
 * headers, for every selftest and thread scenario (built as the VM run
 * builds them, vm/build.ts: a module several universes share is compiled once). Runs only when `npm run vm:setup` has put the headers
 * in the cache; the same check by hand: npx tsx vm/cgen/build-check.ts.
 *
 * The scenarios' modules go to the kernel's module cache, where `klpcheck vm`
 * builds the very same ones (a module's folder is named by a hash of its
 * kernel and sources, vm/kbuild.ts), not to a folder of the test's own: the
 * cache keeps each module's warnings beside it (vm/build.ts problems.txt), and
 * the first test below holds a cached module to them. Built in a folder of
 * its own, the check took 70 s of both cores on every `npm test`, and CI's VM
 * step then compiled the same modules again (2026-12-06: 48 scenarios, no
 * module built anew and 1.6 s with the cache, as `build-check.ts --keep <cache>/kernel-6.1/modules`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDir, checkFiles, headersDir, writeModuleSet } from '../vm/cgen/build-check.ts';
import { generateModuleSources } from '../vm/cgen/index.ts';
import type { ModuleSet } from '../vm/cgen/contract.ts';
import { buildModules } from '../vm/build.ts';
import { loadKernelEnv, type KernelEnv } from '../vm/kernel-env.ts';
import { splitModules } from '../vm/kbuild.ts';
import { KlpcheckError } from '../harness/errors.ts';

const ROOT = join(import.meta.dirname, '..');
const headers = headersDir('6.1');
const gcc = spawnSync('gcc-12', ['--version']).status === 0;
const why = !headers
  ? 'no Linux 6.1 headers in ${KLPCHECK_CACHE:-~/.cache/klpcheck}/kernel-6.1: run npm run vm:setup'
  : 'gcc-12 is not installed: run npm run vm:setup';

/** The source file each copy of `name` comes from, in the order of the module's ELF symbol table (= kallsyms). */
function copyOrder(ko: string, name: string): string[] {
  const out = spawnSync('readelf', ['-sW', ko], { encoding: 'utf8' }).stdout;
  let file = '';
  const order: string[] = [];
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] === 'FILE') file = cols[7] ?? '';
    else if (cols[3] === 'FUNC' && cols[7] === name) order.push(file);
  }
  return order;
}

describe.skipIf(!headers || !gcc)(`generated modules build on Linux 6.1 (${headers && gcc ? 'headers found' : `skipped: ${why}`})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'klpcheck-cgen-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a warning fails the check (a module with an unused variable), also when the module comes from the cache', async () => {
    const set: ModuleSet = {
      files: {
        Kbuild: 'obj-m += warn.o\n',
        'warn.c':
          '#include <linux/module.h>\nstatic int __init w_init(void)\n{\n\tint unused;\n\treturn 0;\n}\nmodule_init(w_init);\nMODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("w");\n',
      },
      modules: [],
      probes: [],
    };
    const dir = join(scratch, 'warn');
    const env = loadKernelEnv('6.1');
    const first = await buildModules(env, [set], dir);
    expect(first.built).toBe(1);
    expect(first.problems[0]!.join('\n')).toMatch(/unused variable/);
    const again = await buildModules(env, [set], dir);
    expect(again.built).toBe(0);
    expect(again.problems).toEqual(first.problems);
    // A clean module has none.
    const clean: ModuleSet = { ...set, files: { ...set.files, 'warn.c': set.files['warn.c']!.replace('\tint unused;\n', '') } };
    expect((await buildModules(env, [clean], dir)).problems).toEqual([[]]);
  }, 600_000);

  it('rebuilds a module a stopped build left half made, and two builds at once into one cache both end with it built (helper-95)', async () => {
    const set = (n: number): ModuleSet => ({
      files: {
        Kbuild: `obj-m += half${n}.o\n`,
        [`half${n}.c`]:
          '#include <linux/module.h>\nstatic int __init h_init(void)\n{\n\tint unused;\n\treturn 0;\n}\nmodule_init(h_init);\nMODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("h");\n',
      },
      modules: [],
      probes: [],
    });
    const env = loadKernelEnv('6.1');
    const dir = join(scratch, 'half');
    // What a build in place stopped between the .ko and its warnings left: the module's folder with a .ko and no problems.txt.
    const first = await buildModules(env, [set(1)], dir);
    const folder = dirname(first.ko[0]!.half1!);
    rmSync(join(folder, 'problems.txt'));
    const again = await buildModules(env, [set(1)], dir);
    expect(again.built).toBe(1);
    expect(again.problems[0]!.join('\n')).toMatch(/unused variable/);
    // Two builds of the same new module at once: each compiles in a folder of its own, and both find it built after.
    const both = await Promise.all([buildModules(env, [set(2)], dir), buildModules(env, [set(2)], dir)]);
    for (const b of both) {
      expect(b.problems[0]!.join('\n')).toMatch(/unused variable/);
      for (const ko of b.ko.flatMap((k) => Object.values(k))) expect(existsSync(ko)).toBe(true);
    }
    // Nothing of the builds' own folders is left behind, and the next build removes one a build stopped by a signal left.
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(dir, `.build-${gone}-stopped`, 'half1-0000'), { recursive: true });
    mkdirSync(join(dir, `.build-${process.pid}-running`));
    await buildModules(env, [set(1)], dir);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([`.build-${process.pid}-running`]);
    rmSync(join(dir, `.build-${process.pid}-running`), { recursive: true });
  }, 600_000);

  it('copy k of a repeated name is the k-th in the module symbol table, so old_sympos k finds it', async () => {
    const u = {
      kernel: { vmlinux_symbols: { f1: 3 } },
      patches: [{ name: 'p', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'f1', old_sympos: 3 }] }] }],
      modules: [],
    };
    const dir = join(scratch, 'sympos');
    writeModuleSet(generateModuleSources(u, '6.1'), dir);
    const r = await buildDir(headers!, dir, '6.1');
    expect(r.problems).toEqual([]);
    expect(copyOrder(join(dir, 'klpcheck_vmlinux.ko'), 'f1')).toEqual([
      'klpcheck_vmlinux-main.c',
      'klpcheck_vmlinux-u2.c',
      'klpcheck_vmlinux-u3.c',
    ]);
  }, 600_000);

  it(
    'every selftest and thread scenario builds without a warning',
    async () => {
      const cache = join(loadKernelEnv('6.1').dir, 'modules');
      const verdicts = await checkFiles([join(ROOT, 'scenarios/selftests'), join(ROOT, 'scenarios/threads')], '6.1', cache);
      const bad = verdicts.filter((v) => v.verdict !== 'ok').map((v) => `${v.file}: ${v.verdict}\n  ${v.detail.join('\n  ')}`);
      expect(bad, bad.join('\n')).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(40);
    },
    30 * 60_000,
  );
});

describe('a module whose build fails', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'klpcheck-build-fail-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is named with the folder it would have in the cache, never the build folder removed with it', async () => {
    // A stand-in for the kernel's headers: `make -C <headers> M=<dir> modules` fails as gcc does, naming each module's source.
    const headers = join(scratch, 'headers');
    mkdirSync(headers);
    writeFileSync(
      join(headers, 'Makefile'),
      "modules:\n\t@for d in $(M)/*/; do echo \"$${d}bad.c:4:2: error: expected ';' before '}' token\" >&2; done; exit 2\n",
    );
    const env: KernelEnv = {
      kernel: '6.1',
      abi: 'a',
      release: '6.1.0-test',
      version: 'v',
      vmlinuz: '',
      headers,
      qemu: '',
      makeFlags: [],
      dir: scratch,
    };
    const set: ModuleSet = { files: { Kbuild: 'obj-m += bad.o\n', 'bad.c': 'int x\n' }, modules: [], probes: [] };
    const [m] = splitModules(set, env.release);
    const cache = join(scratch, 'modules');
    let error: unknown;
    await buildModules(env, [set], cache).catch((e: unknown) => (error = e));
    expect(error).toBeInstanceOf(KlpcheckError);
    const line = (error as KlpcheckError).format();
    // The staging folder (.build-PID-XXXXXX) and its round (.round-...) are gone by now: a user could not look there.
    expect(line).not.toMatch(/\.build-|\.round-/);
    expect(readdirSync(cache)).toEqual([]);
    // make's own last line is in the language of the user's locale: the test holds the line up to gcc's error.
    const start =
      `klpcheck: ${cache}: make modules failed for bad (its folder here would be ${m!.id}; nothing of the failed build is kept): ` +
      `${m!.id}/bad.c:4:2: error: expected ';' before '}' token`;
    expect(line.slice(0, start.length)).toBe(start);
    expect(line).toMatch(/ \[E_VM_BUILD\]$/);
  });
});
