/**
 * Files and folders a command writes: checked before any work (a minute of
 * `compare` must not end in "cannot write"), written through a temporary
 * file and a rename so that a reader never sees half a file, and never left
 * behind as `*.tmp`. Every command that writes goes through here.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cannotWrite, openNew, tmpFor, unreadableExisting, writeFileAtomically } from '../harness/atomic-write.ts';
import { escapeControls, KlpcheckError } from '../harness/errors.ts';
import { denied, folderInTheWay, linkThenDotDot, NAME_TOO_LONG, nameTooLong, notAFolder, pathKind, realPath } from '../harness/folders.ts';
import { atOrInCounterexampleStore, COUNTEREXAMPLES, EXPECTED, inCounterexampleStore, readByStore } from './paths.ts';
import { kindOf, TEXT_MAX, withoutBom } from '../harness/json-file.ts';

/** Creates and removes a temporary file, the only reliable test of "can write here" (root, read-only mounts, /proc). */
function probe(tmp: string, shown: string, flag: string): void {
  try {
    // Made new as the write will make it: its name taken is said as the write says it (openNew), where "cannot
    // write here (EEXIST)" read as a folder one may not write (hostile-user finding, stop 44).
    closeSync(openNew(tmp, shown, 0o666, flag));
  } catch (e) {
    // Nothing was made, so nothing to remove: removing it anyway failed in a folder the user may not enter
    // (EACCES), and that error replaced this one as an internal error (hostile-user finding).
    if (e instanceof KlpcheckError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    // A folder the system does not find though the checks' made-absolute path has it: one missing before a '..'
    // (`--html rel/../x.html`, rel missing) was "cannot write here (ENOENT)" (helper-110).
    const missing = code === 'ENOENT' ? firstMissingFolder(tmp) : undefined;
    // Named as the system has it (realPath): made absolute as text, `lnk/../nope` named a folder beside the link (helper-111).
    if (missing !== undefined)
      throw new KlpcheckError('E_IO', `${flag}: the folder ${escapeControls(realPath(missing))} does not exist`, shown);
    throw new KlpcheckError('E_IO', `${flag}: cannot write here (${code ?? (e as Error).message})`, shown);
  }
  rmSync(tmp, { force: true });
}

/**
 * The first folder on the way to `file`, as written and as the system walks
 * it (a name before '..' included), that does not exist; undefined when
 * every one does.
 */
function firstMissingFolder(file: string): string | undefined {
  const parts = file.split('/').slice(0, -1);
  let at = '';
  for (const part of parts) {
    at = at === '' ? part || '/' : at.endsWith('/') ? `${at}${part}` : `${at}/${part}`;
    if (part !== '' && pathKind(at) === 'missing') return at;
  }
  return undefined;
}

/**
 * Checks, before the work, that `file` (the value of option `flag`) can be
 * written: a name (not `-`; `printsWithout` says that without the option the
 * text goes to standard output), outside the saved counterexamples, in an
 * existing folder, writable, not a directory. With
 * `existing: 'refuse'` an existing file is E_CONFLICT unless `force`;
 * with 'compare' writeAtomically decides later, by content. `startsWith`, with
 * 'compare', is the text every file the command writes begins with (promela's
 * banner): an existing file that begins otherwise cannot hold what will be
 * written, so without `force` it is refused now, with writeAtomically's own
 * line, not after the work (11 s of generating at promela's largest scope).
 */
export function checkOutputFile(
  file: string,
  flag: string,
  opts: {
    readonly force: boolean;
    readonly existing: 'refuse' | 'compare';
    readonly printsWithout?: boolean;
    readonly startsWith?: string;
    /** compare --record: the file is the recorded matrix, verdicts/expected.json, which only it may write. */
    readonly recording?: true;
    /**
     * A counterexample folder the command saves to or replays from besides
     * counterexamples/ (compare --out DIR): the file may not be one that
     * every later run and compare read as a counterexample there (paths.ts
     * readByStore). compare --html into its own
     * --out folder, over a counterexample it had just saved or replayed,
     * passed every check made before the work (helper-106).
     */
    readonly store?: { readonly folder: string; readonly flag: string; readonly semantics: readonly string[] };
  },
): void {
  if (file === '') throw new KlpcheckError('E_USAGE', `${flag} needs a file name, not ''`);
  refuseDash(file, flag, 'file', opts.printsWithout);
  refuseUnspelledName(file, flag, 'file');
  // Not into the store, even with --force: every later run and compare read the file as a counterexample and refused
  // the store for it (render, hostile-user nit, stop 35; explore --out, promela --out, relate --html, stop 37).
  if (inCounterexampleStore(file))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag} is in the saved counterexamples (counterexamples/), where run and compare read every file as one: write it elsewhere`,
      file,
    );
  if (opts.store !== undefined && readByStore(file, opts.store.folder, opts.store.semantics))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag} is a JSON file in the counterexample folder ${opts.store.flag} (${escapeControls(opts.store.folder)}), or a semantics' folder of it, which run and compare read: write it elsewhere`,
      file,
    );
  // Nor over the recorded matrix, even with --force: explore, run and the tests read it on every run, and compare
  // --html over it left "invalid JSON ... unexpected '<'" for the next explore (helper-76, stop 47).
  if (!opts.recording && sameFile(file, EXPECTED))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag} is the recorded verdict matrix (verdicts/expected.json), which compare --record alone writes: write it elsewhere`,
      file,
    );
  // The checks below read the folder as written; the write goes where the system takes the path.
  refuseLinkThenDotDot(file, flag);
  refuseLink(file, flag);
  const kind = pathKind(file);
  if (kind === 'directory') throw new KlpcheckError('E_IO', `${flag}: is a directory, not a file`, file);
  // A name ending in '/', '/.' or '/..' names a folder: the write failed with "cannot write here (ENOENT)", which hid
  // why (helper-71, stop 45; '/.' helper-75).
  if (/(^|\/)(\.\.?)?$/.test(file))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag}: ends in '${file.slice(file.lastIndexOf('/'))}', which names a folder; give a file name`,
      file,
    );
  // Nor over a saved counterexample anywhere, even with --force: one in run's or compare's --out folder is as much
  // a store as counterexamples/ (compare --html over one replaced it: stop 37's second hostile user).
  if (kind === 'file' && isCounterexampleFile(file))
    throw new KlpcheckError('E_USAGE', `${flag} is a saved counterexample; not replaced, even with --force: write it elsewhere`, file);
  if (kind === 'file' && opts.existing === 'refuse' && !opts.force) {
    throw new KlpcheckError('E_CONFLICT', `${flag}: exists; not overwritten (use --force to replace it)`, file);
  }
  if (kind === 'file' && opts.existing === 'compare' && !opts.force && opts.startsWith !== undefined) {
    if (!beginsWith(file, opts.startsWith)) throw otherContent(file);
  }
  const problem = notAFolder(dirname(resolve(file)));
  if (problem !== undefined) throw new KlpcheckError('E_IO', `${flag}: ${problem.text}`, file);
  // The probe below makes a new file, which a sticky folder allows; only the rename over F fails, after the work.
  // With 'compare' the file may come out unchanged (no rename): said then, by writeAtomically.
  if (kind === 'file' && opts.force && opts.existing === 'refuse') {
    const sticky = stickyRefusal(file);
    if (sticky !== undefined) throw new KlpcheckError('E_IO', `${flag}: ${sticky}`, file);
  }
  // The temporary name is cut to fit the file system (atomic-write.ts tmpFor), so the probe no longer meets a name
  // too long: only the rename after the work did, and a whole search's result was lost (helper-71, stop 45).
  if (nameTooLong(file)) throw new KlpcheckError('E_IO', `${flag}: ${NAME_TOO_LONG}`, file);
  probe(tmpFor(file), file, flag);
}

/** Whether this process has CAP_FOWNER (bit 3 of CapEff, Linux), which lifts the sticky folder's rule. */
function hasFowner(): boolean {
  try {
    const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return eff !== undefined && (BigInt(`0x${eff}`) & 8n) !== 0n;
  } catch {
    return false;
  }
}

/**
 * Why the existing `file` cannot be replaced (renamed over) by this process,
 * or undefined when it can as far as the sticky bit goes: in a folder with the
 * sticky bit (the "restricted deletion flag", as /tmp has; man 2 rename), only
 * the file's owner, the folder's owner or a privileged process (root,
 * CAP_FOWNER) may. `explore --out F --force` over root's file in /tmp, run as
 * another user, searched and then failed with "cannot write: EPERM"
 * (hostile-user finding). Root is never refused.
 */
export function stickyRefusal(file: string): string | undefined {
  const uid = process.geteuid?.();
  if (uid === undefined || uid === 0 || process.getuid?.() === 0) return undefined;
  let owner: number;
  let folder: { mode: number; uid: number };
  try {
    owner = statSync(file).uid;
    folder = statSync(dirname(resolve(file)));
  } catch {
    return undefined; // nothing there to replace, or said by another check
  }
  if ((folder.mode & 0o1000) === 0 || owner === uid || folder.uid === uid || hasFowner()) return undefined;
  return 'cannot replace it: it belongs to another user in a sticky folder (EPERM)';
}

/**
 * The E_IO error for `file`, the value of option `flag`, that could not be
 * written after the work (`e`, the file system's error), in the words the
 * checks before the work use: its folder removed meanwhile, the sticky
 * folder's rule, permission denied.
 */
function lateWriteError(file: string, flag: string, e: unknown): KlpcheckError {
  // Already said in words (a temporary file in the way): the option goes in front.
  if (e instanceof KlpcheckError) return new KlpcheckError(e.code, `${flag}: ${e.message}`, file, e.where);
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const problem = notAFolder(dirname(resolve(file)));
  const sticky = code === 'EPERM' ? stickyRefusal(file) : undefined;
  const why =
    problem !== undefined
      ? `${problem.text} (${code})`
      : sticky !== undefined
        ? sticky
        : denied(e)
          ? `cannot write here: permission denied (${code})`
          : `cannot write here (${code})`;
  return new KlpcheckError('E_IO', `${flag}: ${why}`, file);
}

/**
 * Whether `file` holds a klpcheck counterexample (json-file.ts kindOf) as the
 * readers would take it: a byte order mark dropped, up to TEXT_MAX bytes.
 * Unreadable or not JSON: not one (the later checks say why). A file over
 * 4 MiB (an explore result may be hundreds) is parsed only when its bytes
 * could spell the `steps` key every counterexample has, written out or with
 * an escape; until helper-106 one over 4 MiB was never one, and a
 * counterexample padded with spaces, which replay read, was replaced.
 */
function isCounterexampleFile(file: string): boolean {
  try {
    const size = statSync(file).size;
    if (size > TEXT_MAX) return false;
    // Scanned a piece at a time first: read whole, a 250 MB explore result replaced with --force cost 2 to 4 s and
    // 200 MB more memory, twice (helper-109).
    if (size > 4 << 20 && !fileMentions(file, ['steps', '\\u'])) return false;
    return kindOf(JSON.parse(withoutBom(readFileSync(file, 'utf8')))) === 'counterexample';
  } catch {
    return false;
  }
}

/** Whether the file's bytes hold any of `needles` (ASCII), read 4 MiB at a time; errors as openSync's and readSync's. */
export function fileMentions(file: string, needles: readonly string[]): boolean {
  const overlap = Math.max(...needles.map((n) => n.length)) - 1;
  const buffer = Buffer.alloc((4 << 20) + overlap);
  const fd = openSync(file, 'r');
  try {
    let kept = 0;
    for (;;) {
      const read = readSync(fd, buffer, kept, buffer.length - kept, null);
      if (read === 0) return false;
      const piece = buffer.subarray(0, kept + read);
      if (needles.some((n) => piece.indexOf(n) >= 0)) return true;
      // The last bytes again at the front, so that a needle across two pieces is found.
      kept = Math.min(overlap, piece.length);
      piece.copy(buffer, 0, piece.length - kept);
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether the existing `file` begins with `prefix`, reading no more of it; E_IO (as writeAtomically's) when it cannot be read. */
function beginsWith(file: string, prefix: string): boolean {
  const want = Buffer.from(prefix);
  const got = Buffer.alloc(want.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw unreadableExisting(file, e);
  }
  try {
    return readSync(fd, got, 0, got.length, 0) === want.length && got.equals(want);
  } finally {
    closeSync(fd);
  }
}

/** An existing file with other content than the text to write, kept: refused without --force (E_CONFLICT). */
function otherContent(file: string): KlpcheckError {
  return new KlpcheckError('E_CONFLICT', 'exists with other content; not overwritten (use --force)', file);
}

/**
 * E_USAGE for a path that goes through a link and then `..` to another
 * folder than the one its text names (harness/folders.ts linkThenDotDot):
 * klpcheck would check one and write the other.
 */
function refuseLinkThenDotDot(path: string, flag: string): void {
  const two = linkThenDotDot(path);
  if (two === undefined) return;
  throw new KlpcheckError(
    'E_USAGE',
    `${flag}: goes through a link and then '..', which names ${escapeControls(two.system)} to the system and ${escapeControls(two.text)} as written: name the folder without '..' after a link`,
    path,
  );
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
 * Node reads a command line as UTF-8 and puts U+FFFD for each byte that is
 * not: a name with such bytes reaches klpcheck as one no JS string spells
 * the way the system does. Written as it is, the file went to another name
 * (`pg\uFFFD.html` beside the user's `pg\xe9.html`), past the check for an
 * existing one (helper-128, 2026-12-07). A name may hold a real U+FFFD too;
 * it is refused as well, as the reads say (json-file.ts readJsonFile). Only
 * the path as given is read: a relative one's working directory is the
 * system's, whatever its name holds.
 */
function refuseUnspelledName(path: string, flag: string, kind: 'file' | 'folder'): void {
  if (!path.includes('\uFFFD')) return;
  throw new KlpcheckError(
    'E_USAGE',
    `${flag}: the path holds U+FFFD, which is how a name's bytes that are not UTF-8 reach klpcheck: it would write another ${kind} than the one named; give a UTF-8 name`,
    path,
  );
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
 * A folder named through a symbolic link is followed (a link to a folder is
 * a folder); a dangling link, a link loop or a name too long for the system
 * passed the checks and failed only at the first save, after the work, as
 * "cannot write: ENOENT" or "cannot read the existing file (ELOOP)"
 * (hostile-user finding): refused here, E_IO naming it.
 */
function refuseBrokenLink(full: string, dir: string, flag: string): void {
  try {
    statSync(full);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new KlpcheckError('E_IO', `${flag}: a symbolic link loop`, dir);
    if (code === 'ENAMETOOLONG') throw new KlpcheckError('E_IO', `${flag}: ${NAME_TOO_LONG}`, dir);
    if (code !== 'ENOENT') return; // said by the checks after this one
  }
  let target: string;
  try {
    if (!lstatSync(full).isSymbolicLink()) return;
    target = readlinkSync(full);
  } catch {
    return; // nothing there: a new folder
  }
  throw new KlpcheckError('E_IO', `${flag}: a dangling symbolic link (to ${escapeControls(target)})`, dir);
}

/**
 * Checks, before the work, that the folder `dir` (the value of option `flag`)
 * is a writable folder, or can be made: its parent is a writable folder. Only
 * `dir` itself is made (later, by the save), never the folders above it: a
 * mistyped `--out /nonexistent/dir` must not build a tree at the root. Nothing
 * is created here. `below` are the semantics whose counterexamples go in
 * `<dir>/<name>/`: a file there, or a folder the user may not enter, would fail
 * every save there after the work, so it is refused now.
 */
export function checkOutputDir(dir: string, flag: string, below: readonly { readonly name: string }[] = []): void {
  if (dir === '') throw new KlpcheckError('E_USAGE', `${flag} needs a folder name, not ''`);
  refuseDash(dir, flag, 'folder');
  // The default store's path is klpcheck's own, not read from a command line: a checkout under a folder with a real
  // U+FFFD in its name is written as it is (helper-129).
  if (dir !== COUNTEREXAMPLES) refuseUnspelledName(dir, flag, 'folder');
  refuseLinkThenDotDot(dir, flag);
  // A folder of its own inside the store is one nothing replays, and every later run and compare refused the store
  // (hostile-user finding, stop 35: run --out counterexamples/archive).
  // As the saves resolve it: the folder made absolute as text (`link/..` is the folder the link is in), then
  // its links (a file option's path is the system's, followed link by link: checkOutputFile).
  if (inCounterexampleStore(resolve(dir)))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag}: is inside counterexamples/, where nothing replays a folder of its own: give counterexamples itself, or a folder outside it`,
      dir,
    );
  const full = resolve(dir);
  refuseBrokenLink(full, dir, flag);
  // A missing folder before a '..' (`nope/../ce`): made absolute as text the folder is ./ce, which the saves then
  // used, where the system refuses the path as written (helper-111); said as a file option's is (probe). Only before
  // a '..': other missing folders above are said below, with what --out makes.
  const missing = dir.split('/').includes('..') ? firstMissingFolder(`${dir}/x`) : undefined;
  if (missing !== undefined && dir.slice(missing.length).split('/').includes('..'))
    throw new KlpcheckError('E_IO', `${flag}: the folder ${escapeControls(realPath(missing))} does not exist`, dir);
  const kind = pathKind(full);
  if (kind === 'file') throw new KlpcheckError('E_IO', `${flag}: is not a folder`, dir);
  if (kind === 'missing' || kind === 'unreachable') {
    const problem = notAFolder(kind === 'missing' ? dirname(full) : full);
    if (problem !== undefined) {
      const only = problem.missing ? ` (${flag} makes its last folder only, not the ones above it)` : '';
      throw new KlpcheckError('E_IO', `${flag}: ${problem.text}${only}`, dir);
    }
  }
  probe(tmpFor(resolve(kind === 'directory' ? full : dirname(full), '.klpcheck-probe')), dir, flag);
  const theStore = atOrInCounterexampleStore(full);
  for (const { name } of below) {
    const sub = join(full, name);
    // A semantics folder that links into counterexamples/ saves there, past the check of the folder above (helper-107:
    // run --out DIR with DIR/upstream a link to counterexamples/stacking).
    if (!theStore && atOrInCounterexampleStore(sub))
      throw new KlpcheckError(
        'E_USAGE',
        `${flag}: ${escapeControls(name)}/ is a link into counterexamples/, where a counterexample is saved only by its own semantics' run: give a folder whose semantics' folders are its own`,
        dir,
      );
    // A dangling link there passed, and every save failed after the work with ENOENT (helper-108).
    refuseBrokenLink(sub, `${dir}/${name}`, flag);
    const why = folderInTheWay(sub);
    if (why !== undefined) throw new KlpcheckError('E_IO', `${flag}: ${why}`, dir);
    // One that can be entered but not written passed, and every save there failed after the work (stop 40's hostile user).
    if (pathKind(sub) === 'directory') probe(tmpFor(join(sub, '.klpcheck-probe')), dir, `${flag}: ${escapeControls(name)}/`);
  }
}

/**
 * Whether `file`, another file option's value, goes straight into the folder
 * `dir` that checkOutputDir passed and that does not exist yet (compare
 * --html DIR/page.html with --out DIR, which the saves make only when they
 * save): then `file` is checked by checkInFolderMadeNow, not before. The two
 * folders compared as the system takes them (harness/folders.ts realPath), so
 * `lnk/sub` and `real/sub` are one folder when `lnk` links to `real`.
 */
export function intoFolderToBeMade(file: string, dir: string): boolean {
  return pathKind(resolve(dir)) === 'missing' && realPath(dirname(file)) === realPath(dir);
}

/**
 * Makes the folder `dir` (intoFolderToBeMade), the value of option `flag`,
 * then runs `check`, the check of the file to be written there; when `check`
 * refuses it, the folder is removed again (it is empty: the check's probe
 * removes what it makes), so that a refused command leaves nothing behind
 * (helper-110: made first, the folder stayed after every later refusal).
 * Call it last before the work. Returns what removes the folder again while
 * it is still empty, for a refusal after the work that saved nothing there
 * (helper-111: compare's budget that checked nothing); a folder that was
 * there already is never removed. Errors: `check`'s, or E_IO with the
 * system's code when the folder cannot be made (one made meanwhile by another
 * process is no error).
 */
export function checkInFolderMadeNow(dir: string, flag: string, check: () => void): () => void {
  const full = resolve(dir);
  try {
    mkdirSync(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' || pathKind(full) !== 'directory')
      throw new KlpcheckError('E_IO', `${flag}: cannot make the folder (${code ?? (e as Error).message})`, dir);
    check();
    return () => {};
  }
  const undo = () => {
    try {
      rmdirSync(full);
    } catch {
      // Not empty (a save, or another process, wrote there) or gone: left as it is.
    }
  };
  try {
    check();
  } catch (e) {
    undo();
    throw e;
  }
  return undo;
}

/**
 * checkOutputDir for a folder of files that run and compare never replay
 * (`what`: "a release cycle", "a real kernel's finding"): not
 * counterexamples/ nor in it, where such a file sat beside the
 * counterexamples unreplayed, where the README promises that nothing
 * unreplayed is kept (protocols --out, helper-85, stop 52; vm --out,
 * helper-108). E_USAGE naming `what`.
 */
export function checkOutputDirOutsideStore(dir: string, flag: string, what: string, below: readonly { readonly name: string }[]): void {
  refuseLinkThenDotDot(dir, flag);
  if (atOrInCounterexampleStore(resolve(dir)))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag}: is counterexamples/ or in it, which holds what run and compare replay, and they never replay ${what}: give a folder outside it`,
      dir,
    );
  checkOutputDir(dir, flag, below);
}

/**
 * checkOutputDir for the default counterexample store, before the work: a
 * user who may not write the checkout's counterexamples/ (a shared or a
 * distribution's install) was told only after the run or the search, with
 * every counterexample it found unsaved (stop 40's hostile user). `ways` is
 * what the command offers instead: `--out DIR or --no-save`, or `--no-save`.
 */
export function checkDefaultStore(below: readonly { readonly name: string }[], ways: string): void {
  try {
    checkOutputDir(COUNTEREXAMPLES, 'the counterexample store', below);
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    throw new KlpcheckError(e.code, `${e.message}: give ${ways}`, e.file, e.where);
  }
}

/**
 * Whether paths `a` and `b` name one file: the same path once resolved, or
 * two existing names of one file (a symbolic link, a hard link, `./` or `..`
 * on the way). A command checks that it does not write over its own input.
 */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false; // one of them does not exist: they are not one file yet
  }
}

/**
 * Writes through a temporary file and a rename, so that a reader never sees
 * half a file; an existing file with other content is kept unless `force`.
 * With `force`, a file the user may not read is replaced, as `cp -f` does
 * (the rename needs only its folder): it failed after the work, an explore
 * of minutes lost to "cannot read the existing file" (hostile-user finding).
 * The temporary file is removed whatever happens. With `flag`, the option
 * that named the file, a failed write says why as the checks before the work
 * do (`--html: ...`): it comes after the report (cli/late-errors.ts).
 * `mode`: a new file's permissions before the umask (atomic-write.ts).
 */
export function writeAtomically(file: string, text: string, force: boolean, flag?: string, mode?: number): 'written' | 'unchanged' {
  refuseLink(file, 'output');
  // An option's file was checked before the work; a folder of its path swapped for a link since then took the write
  // into the store, over a saved counterexample (helper-108). Asked again just before the write.
  if (flag !== undefined && (inCounterexampleStore(file) || isCounterexampleFile(file)))
    throw new KlpcheckError(
      'E_USAGE',
      `${flag} is in the saved counterexamples or is a saved counterexample now (its path changed during the work): not written`,
      file,
    );
  let old: string | undefined;
  /** An existing file of another size, which is other content, unread: one past TEXT_MAX could not be read at all. */
  let otherSize = false;
  try {
    const st = existsSync(file) ? statSync(file) : undefined;
    // A regular file of another size is not read: --force over a 600 MB file was "cannot read the existing file
    // (ERR_STRING_TOO_LONG)", after the work (hostile-user finding, stop 44). Anything else is read as before.
    otherSize = st !== undefined && st.isFile() && st.size !== Buffer.byteLength(text);
    old = st === undefined || otherSize ? undefined : readFileSync(file, 'utf8');
  } catch (e) {
    if (!(force && denied(e))) throw unreadableExisting(file, e);
  }
  if (old === text) return 'unchanged';
  if ((old !== undefined || otherSize) && !force) throw otherContent(file);
  try {
    writeFileAtomically(file, text, mode);
  } catch (e) {
    throw flag === undefined ? cannotWrite(file, e) : lateWriteError(file, flag, e);
  }
  return 'written';
}
