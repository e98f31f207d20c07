/**
 * Building the generated modules against the cached kernel headers: every module not yet in the
 * cache, in as few `make -C <headers> M=<dir> modules` invocations as kbuild allows (one per round
 * of vm/kbuild.ts; one when no module name repeats with other code). Each module lives in
 * <kernel cache>/modules/<name>-<hash>/ and is never rebuilt; symbols a module exports (the core's
 * klpcheck_block_point) reach the next rounds through KBUILD_EXTRA_SYMBOLS. The compiler's and
 * modpost's warnings for a module are kept beside it (problems.txt), so that a module taken from the
 * cache still tells them: vm/cgen/build-check.ts fails a universe on any.
 *
 * A build works in a folder of its own below the cache (.build-PID-XXXXXX) and moves each module's
 * folder into the cache, whole, once its round is made: a module is in the cache when its folder
 * holds its .ko, its problems.txt and its exports.symvers, all written before the move. Built in
 * place, a build stopped between the .ko and problems.txt left a module every later build took as
 * built without a warning, and two builds at once (npm test beside klpcheck vm, each clone of the
 * repository sharing ~/.cache/klpcheck) compiled in the same folders and failed (helper-95,
 * 2026-12-06). A build stopped by a signal leaves its own folder, never a module that looks built;
 * the next build removes it once its process is gone.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
const symversPath = (dir: string, m: ModuleSource) => join(dir, m.id, 'exports.symvers');

/** Whether module `m` is built in `dir`: its .ko, its warnings and its exports, the three a build writes last. */
const built = (dir: string, m: ModuleSource) => [koPath, problemsPath, symversPath].every((path) => existsSync(path(dir, m)));

/** make's lines that are warnings or errors (build-check.ts's criterion: a warning fails the check). */
export function problemLines(text: string): string[] {
  return text.split('\n').filter((l) => /warning|error/i.test(l));
}

/** Writes a module's sources into its folder below `stage` (the build's own). */
function writeModuleDir(stage: string, m: ModuleSource): void {
  const folder = join(stage, m.id);
  mkdirSync(folder, { recursive: true });
  for (const [f, text] of Object.entries(m.files)) writeFileSync(join(folder, f), text);
}

/**
 * Moves module `m`, built in `stage`, into the cache `dir`, never deleting a built module there: the
 * move fails while the cache holds a folder of that name. When it does, a built module there
 * (another build's, moved in meanwhile) stands and this copy goes; a folder that is not one (a build
 * in place stopped halfway, before 2026-12-06) is moved aside into `stage` first, and the move tried
 * again. Deleting that folder instead, after a look that found it unbuilt, could delete another
 * build's module moved in between the two (helper-96 widened that gap and got a module with a
 * warning reported clean). Errors: E_VM_BUILD when the folder keeps changing under it.
 */
function publish(stage: string, dir: string, m: ModuleSource): void {
  const from = join(stage, m.id);
  const to = join(dir, m.id);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return renameSync(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
    if (built(dir, m)) return rmSync(from, { recursive: true, force: true });
    try {
      renameSync(to, join(stage, `${m.id}.aside-${attempt}`));
    } catch (e) {
      // Another build moved it aside, or its copy in, meanwhile: look again.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new KlpcheckError('E_VM_BUILD', `${m.name}: its folder in the module cache kept changing while this build moved its copy in`, to);
}

/**
 * Removes the folders of builds stopped by a signal (their `finally` never ran): `.build-PID-*` of a
 * process that is gone. A live process of that number, its own or a later one's, keeps its folder.
 */
function removeStoppedBuilds(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = /^\.build-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs make for one round of modules whose sources are in `dir` (the build's own folder), writing
 * each one's problems.txt and exports.symvers there. Errors: E_VM_BUILD with make's first error
 * lines, named by `cache`, the module cache the round's modules would be moved into: the build's
 * own folder is removed with the failure, so a line naming it (.build-PID-XXXXXX/.round-...) named
 * a folder the user could not find (hostile-user review); make's paths are told from the module's
 * folder on (p1-<hash>/p1.c:4:2), the name that folder would have in the cache.
 */
async function makeRound(
  env: KernelEnv,
  dir: string,
  round: readonly ModuleSource[],
  extraSymbols: readonly string[],
  cache: string,
): Promise<void> {
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
        .replaceAll(`${roundDir}/`, '')
        .replaceAll(`${dir}/`, '')
        .trim()
        .split('\n')
        .filter((l) => /error|Error/.test(l))
        .slice(0, 3)
        .join(' | ');
      const folders = round.map((m) => m.id).join(', ');
      throw new KlpcheckError(
        'E_VM_BUILD',
        `make modules failed for ${round.map((m) => m.name).join(', ')} (${round.length === 1 ? 'its folder' : 'their folders'} here would be ${folders}; nothing of the failed build is kept): ${text || 'see make output'}`,
        cache,
      );
    }
    // Each module keeps its own exports for later rounds.
    const symvers = existsSync(join(roundDir, 'Module.symvers')) ? readFileSync(join(roundDir, 'Module.symvers'), 'utf8').split('\n') : [];
    for (const m of round) {
      const lines = symvers.filter((l) => l.split('\t')[2]?.endsWith(`${m.id}/${m.name}`));
      writeFileSync(symversPath(dir, m), lines.length ? `${lines.join('\n')}\n` : '');
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
  removeStoppedBuilds(dir);
  const missing = all.filter((m) => !built(dir, m));
  const start = process.hrtime.bigint();
  let invocations = 0;
  const plan = rounds(missing);
  if (plan.length) {
    const stage = mkdtempSync(join(dir, `.build-${process.pid}-`));
    try {
      for (const m of plan.flat()) writeModuleDir(stage, m);
      for (const round of plan) {
        // Exports of every other module already built (the core first: rounds() sorts names).
        const extra = [...new Set(all.map((m) => symversPath(dir, m)))].filter((f) => existsSync(f) && readFileSync(f, 'utf8') !== '');
        await makeRound(env, stage, round, extra, dir);
        invocations++;
        for (const m of round) publish(stage, dir, m);
      }
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    ko: perSet.map((mods) => Object.fromEntries(mods.map((m) => [m.name, koPath(dir, m)]))),
    problems: perSet.map((mods) =>
      mods.flatMap((m) => {
        // Every module is built by now: a missing problems.txt is no module, never one without warnings.
        if (!built(dir, m)) throw new KlpcheckError('E_VM_BUILD', `${m.name} is not in the module cache after its build`, join(dir, m.id));
        return problemLines(readFileSync(problemsPath(dir, m), 'utf8'));
      }),
    ),
    built: new Set(missing.map((m) => m.id)).size,
    invocations,
    seconds,
  };
}
