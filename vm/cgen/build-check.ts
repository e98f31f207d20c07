/**
 * Compiles the generated modules of scenario files against a kernel's
 * headers and reports every warning and error: the check that the C of
 * vm/cgen is clean. The modules are built as the VM run builds them
 * (vm/build.ts), into a folder of the check's own: a module whose code
 * several universes share (the block-point core, a selftest module) is
 * compiled once, and the make invocations are few. A universe fails on a
 * warning or error about any of its modules. (One make per universe, each
 * compiling all its modules, took 373 s of the test suite's 570 s on two
 * cores, 2026-12-02.)
 *
 *   npx tsx vm/cgen/build-check.ts [--kernel 6.1|6.12] [--keep DIR] FILE|DIR...
 *
 * The headers come from the cache `npm run vm:setup` fills
 * (${KLPCHECK_CACHE:-~/.cache/klpcheck}/kernel-<version>/kernel.env, line
 * `headers=`). Exit 0 when every universe builds without a warning (a
 * universe C cannot express, E_INEXPRESSIBLE, is listed as refused), 1 when
 * one does not, 2 with one line for bad usage (E_USAGE), a missing file
 * (E_NO_FILE), a file that is no scenario (E_JSON, E_SCHEMA) or a kernel not
 * set up (E_VM_SETUP).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { KlpcheckError } from '../../harness/errors.ts';
import { readJson } from '../../harness/json-file.ts';
import { buildModules } from '../build.ts';
import { loadKernelEnv } from '../kernel-env.ts';
import type { KernelVersion, ModuleSet } from './contract.ts';
import { generateModuleSources } from './index.ts';

/** The kernel's headers directory from the set-up cache, or undefined when it is not there. */
export function headersDir(kernel: KernelVersion): string | undefined {
  const cache = process.env.KLPCHECK_CACHE ?? join(homedir(), '.cache', 'klpcheck');
  const env = join(cache, `kernel-${kernel}`, 'kernel.env');
  if (!existsSync(env)) return undefined;
  const line = readFileSync(env, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('headers='));
  const dir = line?.slice('headers='.length).trim();
  return dir && existsSync(join(dir, 'Makefile')) ? dir : undefined;
}

/** Writes a module set into dir (created). */
export function writeModuleSet(set: ModuleSet, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(set.files)) writeFileSync(join(dir, name), text);
}

export interface BuildResult {
  readonly ok: boolean;
  /** Compiler and modpost lines that are warnings or errors. */
  readonly problems: readonly string[];
  readonly modules: readonly string[];
}

/** One kbuild run over dir; a warning counts as a failure. */
export async function buildDir(headers: string, dir: string, kernel: KernelVersion): Promise<BuildResult> {
  const args = ['-C', headers, `M=${dir}`, 'CC=gcc-12', 'modules'];
  // 6.12's out-of-tree build needs BTF for modules off: there is no pahole (real-kernel.md).
  if (kernel === '6.12') args.push('CONFIG_DEBUG_INFO_BTF_MODULES=');
  const { status, text } = await new Promise<{ status: number | null; text: string }>((resolve, reject) => {
    const child = spawn('make', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (text += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code, text }));
  });
  const problems = text.split('\n').filter((l) => /warning|error/i.test(l));
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.ko'))
    .sort();
  return { ok: status === 0 && problems.length === 0, problems, modules };
}

function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new KlpcheckError('E_NO_FILE', 'no such file or folder', p);
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.json') && !f.endsWith('.outcomes.json')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

/** Per scenario file: built, refused (with the one-line reason) or failed (with its problems). */
export interface FileVerdict {
  readonly file: string;
  readonly verdict: 'ok' | 'refused' | 'failed';
  readonly detail: readonly string[];
}

/**
 * Generates and builds every scenario file, each universe's modules as the VM
 * run builds them (vm/build.ts buildModules) into one folder of the check's
 * own (`keep`, or a temporary one removed after): all universes at once, so
 * that a module several universes share is compiled once and the make
 * invocations are few. When that build fails, each universe is built again
 * alone (what was built stays), so that the failure is told of the universes
 * it is in. Errors: E_VM_SETUP when the kernel is not set up (loadKernelEnv).
 */
export async function checkFiles(paths: readonly string[], kernel: KernelVersion, keep?: string): Promise<FileVerdict[]> {
  const root = keep ?? mkdtempSync(join(tmpdir(), 'klpcheck-cgen-'));
  try {
    const planned: ({ file: string; refused: string } | { file: string; set: ModuleSet })[] = [];
    for (const file of scenarioFiles(paths)) {
      const universe = (readJson(file) as { universe?: unknown }).universe;
      try {
        planned.push({ file, set: generateModuleSources(universe, kernel, { file, base: '/universe' }) });
      } catch (e) {
        // A universe C cannot express is refused; a file that is no scenario (E_SCHEMA, E_JSON) stops the check.
        if (!(e instanceof KlpcheckError) || e.code !== 'E_INEXPRESSIBLE') throw e;
        planned.push({ file, refused: e.format() });
      }
    }
    // The files first, then the kernel: a file that is no scenario is told whether or not the kernel is set up.
    const env = loadKernelEnv(kernel);
    const sets = planned.flatMap((p) => ('set' in p ? [p.set] : []));
    const all = await buildModules(env, sets, root).catch((e: unknown) => {
      if (!(e instanceof KlpcheckError)) throw e;
      return undefined;
    });
    const verdicts: FileVerdict[] = [];
    for (const p of planned) {
      if ('refused' in p) {
        verdicts.push({ file: p.file, verdict: 'refused', detail: [p.refused] });
        continue;
      }
      try {
        const built = all
          ? { ko: [all.ko[sets.indexOf(p.set)]!], problems: [all.problems[sets.indexOf(p.set)]!] }
          : await buildModules(env, [p.set], root);
        const problems = built.problems[0]!;
        const modules = Object.keys(built.ko[0]!).map((name) => `${name}.ko`);
        verdicts.push(
          problems.length ? { file: p.file, verdict: 'failed', detail: problems } : { file: p.file, verdict: 'ok', detail: modules.sort() },
        );
      } catch (e) {
        if (!(e instanceof KlpcheckError)) throw e;
        verdicts.push({ file: p.file, verdict: 'failed', detail: [e.format()] });
      }
    }
    return verdicts;
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

/** The options: `--kernel 6.1|6.12`, `--keep DIR`, then files and folders. Errors: E_USAGE for an unknown option or a missing or wrong value. */
function parseArgs(argv: readonly string[]): { kernel: KernelVersion; keep?: string; paths: string[] } {
  let kernel: KernelVersion = '6.1';
  let keep: string | undefined;
  const paths: string[] = [];
  const value = (i: number) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new KlpcheckError('E_USAGE', `${argv[i]} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--kernel') {
      const v = value(i++);
      if (v !== '6.1' && v !== '6.12') throw new KlpcheckError('E_USAGE', `--kernel ${JSON.stringify(v)}: the kernels are 6.1 and 6.12`);
      kernel = v;
    } else if (a === '--keep') keep = value(i++);
    else if (a.startsWith('--'))
      throw new KlpcheckError('E_USAGE', `unknown option ${a} (usage: build-check.ts [--kernel 6.1|6.12] [--keep DIR] FILE|DIR...)`);
    else paths.push(a);
  }
  if (paths.length === 0) paths.push('scenarios/selftests', 'scenarios/threads');
  return { kernel, ...(keep !== undefined ? { keep } : {}), paths };
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const { kernel, keep, paths } = parseArgs(argv);
    const verdicts = await checkFiles(paths, kernel, keep);
    for (const v of verdicts) {
      process.stdout.write(`${v.verdict.toUpperCase().padEnd(8)}${v.file}\n`);
      if (v.verdict !== 'ok') for (const d of v.detail) process.stdout.write(`        ${d}\n`);
    }
    const count = (k: FileVerdict['verdict']) => verdicts.filter((v) => v.verdict === k).length;
    process.stdout.write(
      `${count('ok')} built without warnings, ${count('refused')} refused, ${count('failed')} failed (Linux ${kernel})\n`,
    );
    return count('failed') > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    process.stderr.write(`${e.format()}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) process.exitCode = await main(process.argv.slice(2));
