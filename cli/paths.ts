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
  const rel = relative(realPath(COUNTEREXAMPLES), realPath(path));
  if (rel === '') return 'itself';
  return rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel) ? 'inside' : 'outside';
}
