/**
 * Building the generated modules against the cached kernel headers: every module not yet in the
 * cache, in as few `make -C <headers> M=<dir> modules` invocations as kbuild allows (one per round
 * of vm/kbuild.ts; one when no module name repeats with other code). Each module lives in
 * <kernel cache>/modules/<name>-<hash>/ and is never rebuilt; symbols a module exports (the core's
 * klpcheck_block_point) reach the next rounds through KBUILD_EXTRA_SYMBOLS. The compiler's and
 * modpost's warnings for a module are kept beside it (problems.txt), so that a module taken from the
 * cache still tells them: vm/cgen/build-check.ts fails a universe on any.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KlpcheckError } from '../harness/errors.ts';
import type { ModuleSet } from './cgen/contract.ts';
import type { KernelEnv } from './kernel-env.ts';
import { rounds, splitModules, type ModuleSource } from './kbuild.ts';

const run = promisify(execFile);

export interface BuildResult {
  /** Per set (same order as given): module name -> path of its .ko. */
  readonly ko: readonly Readonly<Record<string, string>>[];
  /**
   * Per set (same order): make's lines that say warning or error about its modules, when they were
   * built (kept in the cache with them); a line that names no module of its round counts for each.
   */
  readonly problems: readonly (readonly string[])[];
  /** Modules compiled now (not from the cache), and the make invocations and seconds it took. */
  readonly built: number;
  readonly invocations: number;
  readonly seconds: number;
}

const koPath = (dir: string, m: ModuleSource) => join(dir, m.id, `${m.name}.ko`);
const problemsPath = (dir: string, m: ModuleSource) => join(dir, m.id, 'problems.txt');

/** make's lines that are warnings or errors (build-check.ts's criterion: a warning fails the check). */
export function problemLines(text: string): string[] {
  return text.split('\n').filter((l) => /warning|error/i.test(l));
}

/** Writes a module's folder atomically (a half-written folder never looks complete). */
function writeModuleDir(dir: string, m: ModuleSource): void {
  const final = join(dir, m.id);
  if (existsSync(join(final, 'Kbuild'))) return;
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [f, text] of Object.entries(m.files)) writeFileSync(join(tmp, f), text);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
}

async function makeRound(env: KernelEnv, dir: string, round: readonly ModuleSource[], extraSymbols: readonly string[]): Promise<void> {
  const roundDir = join(dir, `.round-${process.pid}-${Date.now()}`);
  mkdirSync(roundDir, { recursive: true });
  try {
    for (const m of round) symlinkSync(join(dir, m.id), join(roundDir, m.id));
    writeFileSync(join(roundDir, 'Kbuild'), `obj-m += ${round.map((m) => `${m.id}/`).join(' ')}\n`);
    const args = [
      '-C',
      env.headers,
      `M=${roundDir}`,
      `-j${availableParallelism()}`,
      ...env.makeFlags,
      ...(extraSymbols.length ? [`KBUILD_EXTRA_SYMBOLS=${extraSymbols.join(' ')}`] : []),
      'modules',
    ];
    try {
      const { stdout, stderr } = await run('make', args, { maxBuffer: 64 << 20 });
      const lines = problemLines(`${stdout}\n${stderr}`);
      const named = (m: ModuleSource) => lines.filter((l) => l.includes(`${m.id}/`));
      const unnamed = lines.filter((l) => !round.some((m) => l.includes(`${m.id}/`)));
      for (const m of round) {
        const mine = [...named(m), ...unnamed];
        writeFileSync(problemsPath(dir, m), mine.length ? `${mine.join('\n')}\n` : '');
      }
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string };
      const text = `${err.stdout ?? ''}${err.stderr ?? ''}`
        .trim()
        .split('\n')
        .filter((l) => /error|Error/.test(l))
        .slice(0, 3)
        .join(' | ');
      throw new KlpcheckError(
        'E_VM_BUILD',
        `make modules failed for ${round.map((m) => m.name).join(', ')}: ${text || 'see make output'}`,
        join(roundDir, 'Kbuild'),
      );
    }
    // Each module keeps its own exports for later rounds.
    const symvers = existsSync(join(roundDir, 'Module.symvers')) ? readFileSync(join(roundDir, 'Module.symvers'), 'utf8').split('\n') : [];
    for (const m of round) {
      const lines = symvers.filter((l) => l.split('\t')[2]?.endsWith(`${m.id}/${m.name}`));
      writeFileSync(join(dir, m.id, 'exports.symvers'), lines.length ? `${lines.join('\n')}\n` : '');
    }
  } finally {
    rmSync(roundDir, { recursive: true, force: true });
  }
}

/**
 * Builds what the sets need into `dir` (the kernel's module cache by default); returns each set's .ko
 * paths and build problems. Errors: E_VM_BUILD with make's first error lines.
 */
export async function buildModules(env: KernelEnv, sets: readonly ModuleSet[], dir = join(env.dir, 'modules')): Promise<BuildResult> {
  mkdirSync(dir, { recursive: true });
  const perSet = sets.map((s) => splitModules(s, env.release));
  const all = perSet.flat();
  const missing = all.filter((m) => !existsSync(koPath(dir, m)));
  const start = process.hrtime.bigint();
  let invocations = 0;
  const plan = rounds(missing);
  for (const m of plan.flat()) writeModuleDir(dir, m);
  for (const round of plan) {
    // Exports of every other module already built (the core first: rounds() sorts names).
    const extra = [...new Set(all.map((m) => join(dir, m.id, 'exports.symvers')))].filter(
      (f) => existsSync(f) && readFileSync(f, 'utf8') !== '',
    );
    await makeRound(env, dir, round, extra);
    invocations++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    ko: perSet.map((mods) => Object.fromEntries(mods.map((m) => [m.name, koPath(dir, m)]))),
    problems: perSet.map((mods) =>
      mods.flatMap((m) => (existsSync(problemsPath(dir, m)) ? problemLines(readFileSync(problemsPath(dir, m), 'utf8')) : [])),
    ),
    built: new Set(missing.map((m) => m.id)).size,
    invocations,
    seconds,
  };
}
