/**
 * A file named twice on the command line, under any of its names (`./a.json`,
 * a link to it: sameFile), is the command line's mistake (E_USAGE), refused
 * before any work: a merge would count a shard twice, and a scenario run once
 * silently (as `scenario a.json a.json` did) reports fewer files than were
 * given. Shared by `explore --merge` and every command that takes FILE|DIR
 * operands (cli/scenario-files.ts). A file met twice only by walking the
 * folders given (a link beside its target) is no mistake of the command line:
 * onceEach runs it once and says so.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { escapeControls, KlpcheckError } from '../harness/errors.ts';
import { sameFile } from './output-files.ts';

/** A file to read, and the operand that named it: itself, or the folder it was found below. */
export interface Named {
  readonly file: string;
  readonly operand: string;
}

/** Whether `f` was named on the command line itself, not found below a folder given. */
const direct = (f: Named): boolean => f.operand === f.file;

/**
 * How one of two names of a file came to the command line: as itself, or below
 * a folder given; a name other than `other`'s is said, so that both are named.
 */
const source = (f: Named, other: Named): string =>
  direct(f) ? `as ${f.file}` : f.file === other.file ? `below ${f.operand}` : `as ${f.file} below ${f.operand}`;

/** What stat says of `path`; undefined where it cannot say (nothing there, a link loop, a name too long): the read that follows names that error. */
function stat(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false, bigint: true });
  } catch {
    return undefined;
  }
}

const isFolder = (path: string): boolean => stat(path)?.isDirectory() === true;

/** The E_USAGE error for `twice`, the same file or folder as `first`, given earlier; `what` says what to name once. */
function givenTwice(first: Named, twice: Named, what: string): KlpcheckError {
  const other =
    source(first, twice) === source(twice, first)
      ? ''
      : direct(first) && direct(twice)
        ? ` (the ${isFolder(first.file) ? 'folder' : 'file'} ${first.file} under another name)`
        : ` (${source(first, twice)} and ${source(twice, first)})`;
  return new KlpcheckError('E_USAGE', `given twice on the command line${other}: name each ${what} once`, twice.file);
}

/**
 * E_USAGE naming the first file given twice (`what`, such as "shard file",
 * says what to name once), with the other name it was given under; returns
 * when each is given once.
 */
export function refuseTwice(files: readonly Named[], what: string): void {
  const at = files.findIndex((f, i) => files.findIndex((g) => sameFile(g.file, f.file)) !== i);
  if (at < 0) return;
  const twice = files[at]!;
  throw givenTwice(
    files.find((g) => sameFile(g.file, twice.file))!,
    twice,
    what,
  );
}

/** What makes two names one file (as sameFile): its device and inode, or, where nothing is there, its full path. */
function identity(path: string): string {
  // A link loop was an internal error (ELOOP) here, before the read could say E_NO_FILE (hostile-user test, 2026-12-03).
  const st = stat(path);
  return st === undefined ? `path ${resolve(path)}` : `inode ${st.dev}:${st.ino}`;
}

/**
 * `files` with each file once. A file given on the command line and met again
 * (given again, or found below a folder given) is E_USAGE, naming both names,
 * as refuseTwice. One met twice only below the folders given (a link or a hard
 * link beside its target, or folders given one inside the other) is kept under
 * its first name, in its first place; `again` is told of each name left out.
 */
export function onceEach(files: readonly Named[], what: string, again: (file: Named, first: Named) => void): Named[] {
  const groups = new Map<string, Named[]>();
  const keys = files.map((f) => identity(f.file));
  files.forEach((f, i) => {
    const group = groups.get(keys[i]!);
    if (group) group.push(f);
    else groups.set(keys[i]!, [f]);
  });
  for (const group of groups.values()) {
    if (group.length < 2 || !group.some(direct)) continue;
    const first = group[0]!;
    throw givenTwice(first, direct(first) ? group[1]! : group.find(direct)!, what);
  }
  return files.filter((f, i) => {
    const first = groups.get(keys[i]!)![0]!;
    if (first !== f) again(f, first);
    return first === f;
  });
}

/** How `again` says that `file` is `first` again, for a line on stderr. */
export function sameAgain(file: Named, first: Named): string {
  return file.file === first.file
    ? `${escapeControls(file.file)} is below both ${escapeControls(first.operand)} and ${escapeControls(file.operand)}: run once`
    : `${escapeControls(file.file)} is ${escapeControls(first.file)} again: run once`;
}

/** The operands themselves, each naming itself. */
export const asNamed = (operands: readonly string[]): Named[] => operands.map((file) => ({ file, operand: file }));
