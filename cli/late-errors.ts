/**
 * Errors found after the work, not before it: a counterexample whose name a
 * hand-edited file already takes (E_CONFLICT; that file is kept as it is), a
 * folder removed or a result file made by another process during a long run.
 * Minutes or hours of work must not be lost to them: the command prints its
 * report, every verdict and writes every other file first, naming each file it
 * could not write; then this raises one line on stderr and exit 2, as for any
 * bad input (cli/main.ts).
 */
import { isAbsolute, relative, sep } from 'node:path';
import { escapeControls, KlpcheckError } from '../harness/errors.ts';
import { plural } from '../harness/plural.ts';

/**
 * Throws the first of `errors` (undefined entries skipped), saying how many
 * more there were: the report names each of them. Returns when there are none.
 * The file is named as standard output names saved files: relative to the
 * current directory when it is under it (the store's paths are absolute).
 */
export function raiseLate(errors: readonly (KlpcheckError | undefined)[]): void {
  const [first, ...rest] = errors.filter((e): e is KlpcheckError => e !== undefined);
  if (!first) return;
  const more = rest.length ? ` (and ${plural(rest.length, 'more file', 'more files')} not written, named above)` : '';
  throw new KlpcheckError(first.code, `${first.message}${more}`, first.file === undefined ? undefined : shownPath(first.file), first.where);
}

/**
 * An absolute path under the current directory made relative to it; any
 * other path as given (a path outside it as typed, not as a run of `../`).
 */
export function shownPath(file: string): string {
  // A control character in a name is shown as its escape, as on an error line: a newline split a verdict line in two.
  if (!isAbsolute(file)) return escapeControls(file);
  const rel = relative(process.cwd(), file);
  return escapeControls(rel === '' || rel.split(sep)[0] === '..' || isAbsolute(rel) ? file : rel);
}

/**
 * `read()`, with the file of an error it raises named as shownPath names it:
 * the store's paths are absolute, and every other line names a file relative
 * to the current folder (compare and run, reading the saved counterexamples).
 */
export function namingFilesAsShown<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof KlpcheckError && e.file !== undefined) throw new KlpcheckError(e.code, e.message, shownPath(e.file), e.where);
    throw e;
  }
}

/** How a verdict or report line says that its counterexample was not saved: the file, why, and the code. */
export function notSaved(e: KlpcheckError): string {
  return `NOT SAVED: ${e.file !== undefined ? `${shownPath(e.file)}: ` : ''}${e.message} [${e.code}]`;
}

/** How many counterexamples a command saved: new files, files already there with the same bytes. */
export interface SavedCounts {
  written: number;
  exists: number;
}

/**
 * `counterexamples: N new, M already saved[, K not saved]`: what a command's
 * summary on stderr says of the files it saved (run, compare, explore), kept off
 * standard output, which depends only on the version, the arguments and the seed;
 * `counterexamples: none written (--no-save)` with `noSave`, and
 * `counterexamples: none found` when `violated` is 0: nothing was violated,
 * not even by a saved counterexample replayed.
 */
export function savedSummary(saved: SavedCounts, notSavedCount: number, violated: number, noSave = false): string {
  // "0 new, 0 already saved" under --no-save read as if no saved file matched (hostile-user finding, stop 49).
  if (noSave) return 'counterexamples: none written (--no-save)';
  // Nothing violated: "0 new, 0 already saved" read as a count of files looked for (helper-87, stop 52). Not when a
  // saved counterexample replayed violates, which no count here holds: "none found" sat under six VIOLATED (helper-88).
  if (!violated) return 'counterexamples: none found';
  return `counterexamples: ${saved.written} new, ${saved.exists} already saved${notSavedCount ? `, ${notSavedCount} not saved` : ''}`;
}
