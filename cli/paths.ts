/** Where the repository's data lives, wherever klpcheck is run from. */
import { isAbsolute, relative } from 'node:path';
import { realPath } from '../harness/folders.ts';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const COUNTEREXAMPLES = fileURLToPath(new URL('../counterexamples', import.meta.url));
export const EXPECTED = fileURLToPath(new URL('../verdicts/expected.json', import.meta.url));

/**
 * Whether `path` is in the repository's counterexamples/ or below it, as
 * written or as its links resolve (a folder, not a prefix: counterexamples2/
 * is not in it). A path not there yet counts by its folder's real path.
 */
export function inCounterexampleStore(path: string): boolean {
  return placeInStore(path) === 'inside';
}

/** Whether `path` is the repository's counterexamples/ itself or in it, as inCounterexampleStore reads a path. */
export function atOrInCounterexampleStore(path: string): boolean {
  return placeInStore(path) !== 'outside';
}

function placeInStore(path: string): 'itself' | 'inside' | 'outside' {
  return placeIn(path, COUNTEREXAMPLES);
}

/**
 * Whether `path` is a file that run and compare would read as a
 * counterexample of the store `folder` (its links resolved, as
 * inCounterexampleStore reads a path): a `.json` file in it or below it,
 * in no folder whose name starts with '.' (harness/counterexample.ts
 * checkStoreFolders, which refuses the store for one it would not replay).
 */
export function readByStore(path: string, folder: string): boolean {
  const rel = relative(realPath(folder), realPath(path));
  if (rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return false;
  const parts = rel.split('/');
  return parts.at(-1)!.endsWith('.json') && parts.every((p) => !p.startsWith('.'));
}

function placeIn(path: string, folder: string): 'itself' | 'inside' | 'outside' {
  const rel = relative(realPath(folder), realPath(path));
  if (rel === '') return 'itself';
  return rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel) ? 'inside' : 'outside';
}
