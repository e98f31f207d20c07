/** Where the repository's data lives, wherever klpcheck is run from. */
import { readdirSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
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
  const roots = storeRoots(COUNTEREXAMPLES);
  const [store, ...linked] = roots.paths;
  // The store's own folder, also as a bind mount of it (the same identity).
  const place = placeUnder(real, store!);
  if (place !== 'outside') return place;
  if (roots.storeId !== undefined && identity(real) === roots.storeId) return 'itself';
  if (linked.some((root) => placeUnder(real, root) !== 'outside')) return 'inside';
  // As written: a path under counterexamples/ by its text is in it, whatever links below lead elsewhere.
  if (placeUnder(resolve(path), resolve(COUNTEREXAMPLES)) === 'inside') return 'inside';
  // Below a bind mount of the store or of a folder in it: a folder above the path has one of their identities.
  return identitiesAbove(real).some((id) => roots.ids.has(id)) ? 'inside' : 'outside';
}

/** A folder's device and inode, which a bind mount of it shares; undefined when it is no folder there. */
function identity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** The identities of the existing folders at and above the real path `real`, nearest first. */
function identitiesAbove(real: string): string[] {
  const out: string[] = [];
  for (let p = real; ; p = dirname(p)) {
    const id = identity(p);
    if (id !== undefined) out.push(id);
    if (p === dirname(p)) return out;
  }
}

/**
 * The folders a store's files may lie in, as the system finds them: the
 * store's real path, then the target of every link met below it at any
 * depth, as the store's reader walks them (harness/counterexample.ts), a
 * dangling one's too (made later, it would be read), but for names that
 * begin with '.', which the reader skips; and the identities (device,
 * inode) of every folder walked, which a bind mount shares. A path through
 * a link below the store resolves outside the store's own real path: with
 * counterexamples/stacking or counterexamples/upstream/sub a link, render
 * --out wrote there (helper-107, helper-108).
 */
function storeRoots(folder: string): { readonly paths: string[]; readonly ids: Set<string>; readonly storeId: string | undefined } {
  const paths = [realPath(folder)];
  const ids = new Set<string>();
  const seen = new Set<string>();
  const walk = (dir: string) => {
    const real = realPath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const id = identity(real);
    if (id !== undefined) ids.add(id);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // not there yet, or not to be listed: said by the checks that need it
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) {
        const kind = pathKind(p);
        const target = kind === 'missing' ? danglingTarget(p) : realPath(p);
        if (target !== undefined) paths.push(target);
        if (kind === 'directory') walk(p);
      } else if (e.isDirectory()) walk(p);
    }
  };
  walk(folder);
  return { paths, ids, storeId: identity(paths[0]!) };
}

/** Where the dangling link `link` points, as a path the system would make (undefined when it cannot be read). */
function danglingTarget(link: string): string | undefined {
  try {
    return realPath(resolve(dirname(link), readlinkSync(link)));
  } catch {
    return undefined;
  }
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
  const [store, ...linked] = storeRoots(folder).paths;
  const rel = relative(store!, real);
  if (semantics.includes(rel)) return true;
  const read = (r: string) => r.split('/').every((p) => !p.startsWith('.')) && r.endsWith('.json');
  if (placeUnder(real, store!) === 'inside' && read(rel)) return true;
  return linked.some((root) => placeUnder(real, root) === 'inside' && read(relative(root, real)));
}

/** Where the real path `real` lies against the real folder `root`. */
export function placeUnder(real: string, root: string): 'itself' | 'inside' | 'outside' {
  const rel = relative(root, real);
  if (rel === '') return 'itself';
  return rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel) ? 'inside' : 'outside';
}
