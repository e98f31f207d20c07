/**
 * Files and folders a command writes: checked before any work (a minute of
 * `compare` must not end in "cannot write"), written through a temporary
 * file and a rename so that a reader never sees half a file, and never left
 * behind as `*.tmp`. Every command that writes goes through here.
 */
import { existsSync, lstatSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { tmpFor, writeFileAtomically } from '../harness/atomic-write.ts';
import { KlpcheckError } from '../harness/errors.ts';

/** The temporary name beside `file`, unique per process. */

function kindOf(path: string): 'missing' | 'directory' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/** Creates and removes a temporary file, the only reliable test of "can write here" (root, read-only mounts, /proc). */
function probe(tmp: string, shown: string): void {
  try {
    writeFileSync(tmp, '', { flag: 'wx' });
  } catch (e) {
    throw new KlpcheckError('E_IO', `cannot write here (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, shown);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Checks, before the work, that `file` (the value of option `flag`) can be
 * written: a name (not `-`; `printsWithout` says that without the option the
 * text goes to standard output), in an existing folder, writable, not a directory. With
 * `existing: 'refuse'` an existing file is E_CONFLICT unless `force`;
 * with 'compare' writeAtomically decides later, by content.
 */
export function checkOutputFile(
  file: string,
  flag: string,
  opts: { readonly force: boolean; readonly existing: 'refuse' | 'compare'; readonly printsWithout?: boolean },
): void {
  if (file === '') throw new KlpcheckError('E_USAGE', `${flag} needs a file name, not ''`);
  refuseDash(file, flag, 'file', opts.printsWithout);
  refuseLink(file, flag);
  const kind = kindOf(file);
  if (kind === 'directory') throw new KlpcheckError('E_IO', `${flag}: is a directory, not a file`, file);
  if (kind === 'file' && opts.existing === 'refuse' && !opts.force) {
    throw new KlpcheckError('E_CONFLICT', `${flag}: exists; not overwritten (use --force to replace it)`, file);
  }
  const folder = dirname(resolve(file));
  if (kindOf(folder) !== 'directory') throw new KlpcheckError('E_IO', `${flag}: the folder ${folder} does not exist`, file);
  probe(tmpFor(file), file);
}

/**
 * `-` is standard output to most tools, and written as a name it made a file
 * called `-`. klpcheck writes standard output only where no output option is
 * given (render, promela); elsewhere standard output already carries the
 * report, so `-` would mix two texts. It is refused everywhere alike (E_USAGE);
 * `./-` names a file or folder called `-`.
 */
function refuseDash(path: string, flag: string, kind: 'file' | 'folder', printsWithout = false): void {
  if (path !== '-') return;
  const hint = printsWithout ? `; without ${flag} the text goes to standard output` : '';
  throw new KlpcheckError('E_USAGE', `${flag} -: '-' is not taken for standard output (for a ${kind} named '-', write ./-)${hint}`);
}

/**
 * A rename over a symbolic link replaces the link, and writing through a
 * dangling one or a loop writes somewhere the user did not name; reading a
 * FIFO blocks, and a rename over a device node (/dev/null) replaces the
 * device: klpcheck writes regular files only (E_IO). A directory is left to
 * the caller, which says so in its own words.
 */
function refuseLink(file: string, flag: string): void {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return; // nothing there yet
  }
  if (st.isSymbolicLink())
    throw new KlpcheckError('E_IO', `${flag}: is a symbolic link; klpcheck writes regular files only (name the file itself)`, file);
  if (!st.isFile() && !st.isDirectory())
    throw new KlpcheckError('E_IO', `${flag}: is not a regular file (a device, FIFO or socket); klpcheck writes regular files only`, file);
}

/**
 * Checks, before the work, that the folder `dir` (the value of option `flag`)
 * exists and is writable, or can be created: its nearest existing ancestor is
 * a writable folder. Nothing is created here.
 */
export function checkOutputDir(dir: string, flag: string): void {
  if (dir === '') throw new KlpcheckError('E_USAGE', `${flag} needs a folder name, not ''`);
  refuseDash(dir, flag, 'folder');
  let at = resolve(dir);
  while (kindOf(at) === 'missing' && dirname(at) !== at) at = dirname(at);
  if (kindOf(at) !== 'directory') throw new KlpcheckError('E_IO', `${flag}: ${at === resolve(dir) ? 'is' : `${at} is`} not a folder`, dir);
  probe(tmpFor(resolve(at, '.klpcheck-probe')), dir);
}

/**
 * Writes through a temporary file and a rename, so that a reader never sees
 * half a file; an existing file with other content is kept unless `force`.
 * The temporary file is removed whatever happens.
 */
export function writeAtomically(file: string, text: string, force: boolean): 'written' | 'unchanged' {
  refuseLink(file, 'output');
  let old: string | undefined;
  try {
    old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch (e) {
    throw new KlpcheckError('E_IO', `cannot read the existing file: ${(e as Error).message}`, file);
  }
  if (old === text) return 'unchanged';
  if (old !== undefined && !force) throw new KlpcheckError('E_CONFLICT', 'exists with other content; not overwritten (use --force)', file);
  try {
    writeFileAtomically(file, text);
  } catch (e) {
    throw new KlpcheckError('E_IO', `cannot write: ${(e as Error).message}`, file);
  }
  return 'written';
}
