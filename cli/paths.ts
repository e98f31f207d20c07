/** Where the repository's data lives, wherever klpcheck is run from. */
import { readdirSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { pathKind, realPath } from '../harness/folders.ts';
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
  const real = realPath(path);
  const [store, ...linked] = storeRoots(COUNTEREXAMPLES);
  const place = placeUnder(real, store!);
  if (place !== 'outside') return place;
  return linked.some((root) => placeUnder(real, root) !== 'outside') ? 'inside' : 'outside';
}

/**
 * The real paths a store's files may lie under: the folder's own, then
 * those of its entries that are links to folders. A semantics folder may be
 * one (harness/counterexample.ts walks a linked folder as the folder it links
 * to), and a path through it resolves outside the store's own real path:
 * with counterexamples/stacking a link, render --out
 * counterexamples/stacking/x.json was written there (helper-107).
 */
function storeRoots(folder: string): string[] {
  const roots = [realPath(folder)];
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return roots; // not there yet, or not to be listed: said by the checks that need it
  }
  for (const e of entries) {
    if (!e.isSymbolicLink()) continue;
    const target = realPath(join(folder, e.name));
    if (pathKind(target) === 'directory') roots.push(target);
  }
  return roots;
}

/**
 * Whether `path` is a file that run and compare would read as a
 * counterexample of the store `folder`, or one where the store keeps a
 * semantics' counterexamples (`semantics`: the names of its folders; a file
 * there failed every later run, helper-107), its links resolved as
 * inCounterexampleStore resolves them: a `.json` file in it or below it, in
 * no folder whose name starts with '.' (harness/counterexample.ts
 * checkStoreFolders, which refuses the store for one it would not replay),
 * also through a semantics folder that is a link.
 */
export function readByStore(path: string, folder: string, semantics: readonly string[]): boolean {
  const real = realPath(path);
  const [store, ...linked] = storeRoots(folder);
  const rel = relative(store!, real);
  if (semantics.includes(rel)) return true;
  const read = (r: string) => r.split('/').every((p) => !p.startsWith('.')) && r.endsWith('.json');
  if (placeUnder(real, store!) === 'inside' && read(rel)) return true;
  return linked.some((root) => placeUnder(real, root) === 'inside' && read(relative(root, real)));
}

/** Where the real path `real` lies against the real folder `root`. */
function placeUnder(real: string, root: string): 'itself' | 'inside' | 'outside' {
  const rel = relative(root, real);
  if (rel === '') return 'itself';
  return rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel) ? 'inside' : 'outside';
}
