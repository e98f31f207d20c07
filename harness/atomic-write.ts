/**
 * One way to write a file so that no reader ever sees half of it: the text
 * goes to `<file>.<pid>.tmp` in the same folder, which is renamed over the
 * name. The temporary file is removed whatever error happens, so a failed
 * write never leaves `*.tmp` behind; a process ended by a signal mid-write
 * (Ctrl-C on a 91 MB promela --out) leaves it, as JavaScript then runs no
 * more, and never a part of a file under the name (README: Output files). Used by the counterexample store, the VM's
 * real-kernel findings and every CLI output (cli/output-files.ts).
 */
import {
  chmodSync,
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { escapeControls, KlpcheckError } from './errors.ts';
import { denied, folderInTheWay } from './folders.ts';
import { TEXT_MAX } from './json-file.ts';

/** The longest name of one folder entry, in bytes, on Linux's file systems (NAME_MAX, include/uapi/linux/limits.h). */
const NAME_MAX = 255;

/**
 * The temporary name beside `file`, `<file>.<pid>.tmp` (one per process, so
 * two runs never share one). A name that would then pass NAME_MAX bytes is cut,
 * by whole characters, to make room: a file name of 246 to 255 bytes, which
 * the file system takes, was refused as ENAMETOOLONG for its temporary name
 * (hostile-user finding, stop 44).
 */
export function tmpFor(file: string): string {
  const suffix = `.${process.pid}.tmp`;
  const name = basename(file);
  if (Buffer.byteLength(name) + suffix.length <= NAME_MAX || !file.endsWith(name)) return `${file}${suffix}`;
  const chars = [...name];
  while (Buffer.byteLength(chars.join('')) + suffix.length > NAME_MAX) chars.pop();
  return `${file.slice(0, file.length - name.length)}${chars.join('')}${suffix}`;
}

/**
 * Writes `text` to `file` through a temporary file and a rename; errors are the
 * file system's, but for anything already at the temporary name, which is
 * E_IO (tmpInTheWay) and left as it is. A file replaced keeps its permission bits, as `cp` over an
 * existing file does: the new file was made with the umask's (644), so
 * `--force` over a read-only (444) result made it writable. A new file gets
 * `mode` less the umask (default 0o666: 644 under the usual umask); a script
 * asks 0o755, as the kernel's selftest runner runs it directly.
 */
export function writeFileAtomically(file: string, text: string, mode = 0o666): void {
  const tmp = tmpFor(file);
  const old = statSync(file, { throwIfNoEntry: false });
  const fd = openNew(tmp, file, mode);
  try {
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    if (old?.isFile()) chmodSync(tmp, old.mode & 0o777);
    renameSync(tmp, file);
  } catch (e) {
    // What the write left is removed (the temporary file is this process's own, made above); the error to report
    // is the write's.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // left as it is
    }
    throw e;
  }
}

/**
 * Opens `tmp`, `file`'s temporary name, as a new file (O_EXCL), never an
 * existing one: a link there was followed, its target overwritten, and the
 * link renamed to the name (hostile-user finding, stop 44). Something already
 * there is tmpInTheWay (E_IO, `flag` in front), left as it is; any other
 * error is the file system's. Returns the descriptor.
 */
export function openNew(tmp: string, file: string, mode = 0o666, flag?: string): number {
  try {
    return openSync(tmp, 'wx', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw tmpInTheWay(tmp, file, flag);
    throw e;
  }
}

/**
 * E_IO for something at `file`'s temporary name `tmp` that this process did
 * not make: a write killed at the instant left it, or someone put it there
 * (a link, a folder). Named, with what to do, and left as it is.
 */
export function tmpInTheWay(tmp: string, file: string, flag?: string): KlpcheckError {
  const what = `${escapeControls(tmp)} is in the way (left by a write that was killed?); remove it`;
  return new KlpcheckError('E_IO', flag === undefined ? what : `${flag}: ${what}`, file);
}

/**
 * The text of the file already at `file`, to compare with what would be written
 * there, or undefined when there is none (nothing at the name, or its folder
 * missing: the save makes it), or null for a regular file too large to read as
 * one text (json-file.ts TEXT_MAX), which is there and holds nothing klpcheck
 * writes: it is not read (the store read one whole and failed with
 * ERR_STRING_TOO_LONG, after 1.2 GB of memory: helper-71, stop 45). Throws E_IO, naming the file, when something
 * there cannot be read: a directory, a file without read permission, a link
 * to nothing (left as it is, as a read of the store refuses it), a link
 * loop; or when its folder is in the way, said as the checks before the work
 * say it (harness/folders.ts): a file, or a folder the user may not enter. That
 * is the user's to sort out, not a bug: the caller reports the file as not
 * saved and goes on (harness/errors.ts attempt()).
 */
export function readExisting(file: string): string | null | undefined {
  try {
    // A FIFO at the name would block the read forever, and no signal ended it (hostile-user finding, stop 35).
    const st = statSync(file, { throwIfNoEntry: false });
    if (st !== undefined && !st.isFile() && !st.isDirectory())
      throw new KlpcheckError('E_IO', 'is not a regular file (a pipe, a socket or a device); left as it is', file);
    if (st?.isFile() && st.size > TEXT_MAX) return null;
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof KlpcheckError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const folder = code === 'ENOTDIR' || denied(e) ? folderInTheWay(dirname(resolve(file))) : undefined;
    if (folder !== undefined) throw new KlpcheckError('E_IO', folder, file);
    // A link to nothing is the user's, as a reading of the store says (json-file.ts): the rename would replace it
    // (helper-71, stop 45: explore did, where run and compare refused it).
    const link = code === 'ENOENT' ? linkTarget(file) : undefined;
    if (link !== undefined) throw new KlpcheckError('E_IO', `a dangling symbolic link (to ${link}); left as it is`, file);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw unreadableExisting(file, e);
  }
}

/** Where the symbolic link `file` points, or undefined when `file` is no link. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The E_IO error for `file` that could not be written (`e`, the file system's
 * error), by its code: Node's message names the temporary file beside it
 * (out.json.1234.tmp), which the user never asked for.
 */
export function cannotWrite(file: string, e: unknown): KlpcheckError {
  if (e instanceof KlpcheckError) return e;
  return new KlpcheckError('E_IO', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
}

/** The E_IO error for an existing `file` that could not be read (`e`, the file system's error), its reason in words. */
export function unreadableExisting(file: string, e: unknown): KlpcheckError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EISDIR'
      ? 'is a directory, not a file'
      : denied(e)
        ? `cannot read the existing file: permission denied (${code})`
        : `cannot read the existing file (${code ?? (e as Error).message})`;
  return new KlpcheckError('E_IO', `${why}; left as it is`, file);
}
