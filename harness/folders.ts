/**
 * What is at a path and, for a folder to write in, why nothing can be made
 * there, in the words every output check uses (cli/output-files.ts, before
 * the work) and every save (harness/atomic-write.ts readExisting, after it):
 * "X is not a folder", "cannot look inside the folder X (EACCES)".
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { escapeControls } from './errors.ts';

/** What is at `path` once links are followed; 'unreachable' when a folder on the way may not be entered. */
export function pathKind(path: string): 'missing' | 'unreachable' | 'directory' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (e) {
    // A folder on the way that the user may not enter (EACCES) hides what is below it: it may exist.
    return denied(e) ? 'unreachable' : 'missing';
  }
}

/**
 * `path` with its links resolved: its real path, or, when it is not there
 * yet, its folder's real path and its name, or as a last resort the path
 * made absolute. Two names of one folder (a link) give one answer.
 */
export function realPath(path: string): string {
  // The system's realpath(3), as a write resolves the path: Node's own realpathSync drops `link/..` as text first,
  // so `link/../x` with `link` a link into counterexamples/upstream was a path outside the store, and a render
  // --out there wrote into it (helper-106). The folder as written, not made absolute first, for the same reason.
  try {
    return realpathSync.native(path);
  } catch {
    try {
      return join(realpathSync.native(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/**
 * When `path` goes through a link and then `..`, the two folders it names:
 * the system's (the link's target's parent) and the one path.resolve and
 * path.join give, which drop `link/..` as text. klpcheck writes files by the
 * system's path and folders of saves by joined paths, so such a path would be
 * checked in one place and written in another (helper-107: run --out
 * lnk/../archive listed one folder and saved in the other). Undefined when
 * they are one folder, or when the part up to the last `..` does not exist
 * (the other checks say so).
 */
export function linkThenDotDot(path: string): { readonly system: string; readonly text: string } | undefined {
  const parts = path.split('/');
  const last = parts.lastIndexOf('..');
  if (last < 0) return undefined;
  const upTo = parts.slice(0, last + 1).join('/');
  let system: string;
  try {
    system = realpathSync.native(upTo);
  } catch {
    return undefined;
  }
  const text = realPath(resolve(upTo));
  return system === text ? undefined : { system, text };
}

/** Whether `e`, the file system's error, says the user may not read (or enter) what was asked for. */
export function denied(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * Why nothing can be made in `folder`, or undefined when it is a folder: it is
 * a file, or below one (that file is named: it is what to fix), or it does not
 * exist (`missing`).
 */
export function notAFolder(folder: string): { readonly text: string; readonly missing: boolean } | undefined {
  const kind = pathKind(folder);
  if (kind === 'directory') return undefined;
  // Named in a message, where format() would make a newline a space and so name another folder: escaped here.
  if (kind === 'file') return { text: `${escapeControls(folder)} is not a folder`, missing: false };
  // The nearest folder above that is there, or that cannot be looked into.
  let at = dirname(folder);
  let above = pathKind(at);
  while (above === 'missing' && dirname(at) !== at) above = pathKind((at = dirname(at)));
  if (above === 'file') return { text: `${escapeControls(at)} is not a folder`, missing: false };
  if (kind === 'unreachable' || above === 'unreachable') {
    // Named at the last folder that can be looked at: the one the user may not enter.
    while (above === 'unreachable' && dirname(at) !== at) above = pathKind((at = dirname(at)));
    return { text: `cannot look inside the folder ${escapeControls(at)} (EACCES)`, missing: false };
  }
  // A name the file system refuses is not missing: no save can make it (helper-71, stop 45).
  if (nameTooLong(folder)) return { text: `the folder ${escapeControls(folder)}: ${NAME_TOO_LONG}`, missing: false };
  return { text: `the folder ${escapeControls(folder)} does not exist`, missing: true };
}

/** How a path the file system refuses for its length is said (nameTooLong). */
export const NAME_TOO_LONG = 'a name too long for this system (ENAMETOOLONG)';

/** Whether the file system refuses `path` for a name too long (a part past 255 bytes, or the whole past 4095). */
export function nameTooLong(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENAMETOOLONG';
  }
}

/**
 * Why files cannot be looked up or made in `folder`, or undefined when they
 * can, or when it is missing (a save makes it): it is a file, or below one, or
 * the user may not enter it or a folder above it. A save there failed after the
 * work as "cannot read the existing file: permission denied" for a file that
 * was not there, or "cannot write: EEXIST" (hostile-user finding).
 */
export function folderInTheWay(folder: string): string | undefined {
  const problem = notAFolder(folder);
  if (problem !== undefined) return problem.missing ? undefined : problem.text;
  try {
    accessSync(folder, constants.X_OK);
    return undefined;
  } catch (e) {
    return `cannot look inside the folder ${escapeControls(folder)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
