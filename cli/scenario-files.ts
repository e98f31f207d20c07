/**
 * The FILE... operands of the scenario commands: a file stands for itself,
 * a directory for every *.json below it in sorted order (so runs and their
 * reports are reproducible).
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { escapeControls, KlpcheckError } from '../harness/errors.ts';
import { plural } from '../harness/plural.ts';
import { unreadable } from '../harness/json-file.ts';
import { asNamed, onceEach, refuseTwice, sameAgain, type Named } from './given-once.ts';
import { placeUnder } from './paths.ts';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing file is reported when it is read, with its name
  }
}

/**
 * What a directory entry is once its links are followed: a dangling link or
 * a link loop is bad input, named with its path (not an internal error).
 */
function entryKind(path: string): 'file' | 'directory' | 'other' {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
  } catch (e) {
    throw unreadable(path, e);
  }
}

/** An entry below a folder that is not read, and why: said to the user (scenarioFiles), never silent. */
interface LeftOut {
  readonly path: string;
  readonly why: string;
}

/**
 * The *.json files below `dir`, and the *.json entries that are not regular
 * files (a FIFO, a socket, a device: reading one could wait forever), each
 * in sorted order. Skips dot-files and dot-directories (editor swap files,
 * .git) and node_modules: `klpcheck scenario .` means the scenarios, not the
 * dependencies. A linked folder is walked as the folder it links to, each
 * real folder once (`seen`), so a link loop ends: one was skipped without a
 * word, and a scenario behind it never ran (hostile-user finding, stop 35).
 * A link to a folder that holds the first one (`up -> ..`) is a loop too,
 * and is not walked; a link that leads nowhere (dangling, a loop) is bad
 * input only when it is named *.json, as a scenario would be (helper-122:
 * a dangling README.txt stopped the whole run). Each is left out and said
 * (`others`, with why), as is a *.json that is not a regular file.
 */
function jsonFilesBelow(dir: string, seen = new Set<string>(), root = ''): { readonly files: string[]; readonly others: LeftOut[] } {
  const files: string[] = [];
  const others: LeftOut[] = [];
  let entries;
  try {
    const real = realpathSync(dir);
    if (seen.has(real)) return { files, others };
    // A link to a folder that holds the walk's first folder (`up -> ..`) is a loop too, through that folder:
    // walking it would walk the first folder again below itself, and all that is beside it. Said, as left out.
    if (root !== '' && placeUnder(root, real) !== 'outside') {
      others.push({ path: dir, why: 'a link to a folder that holds the folder given (a loop): not walked' });
      return { files, others };
    }
    seen.add(real);
    root ||= real;
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw unreadable(dir, e); // a folder the user may not read (EACCES): named, not an internal error
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    const json = e.name.endsWith('.json');
    let kind: 'file' | 'directory' | 'other';
    try {
      kind = e.isSymbolicLink() ? entryKind(path) : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other';
    } catch (err) {
      // A link that leads nowhere (dangling, a loop) named *.json is a scenario that cannot be read: bad input. Any
      // other is not a scenario, but may have been a folder of them (a share not mounted): left out, and said.
      if (json || !(err instanceof KlpcheckError)) throw err;
      others.push({ path, why: err.message });
      continue;
    }
    if (kind === 'directory') {
      if (e.name === 'node_modules') continue;
      const below = jsonFilesBelow(path, seen, root);
      files.push(...below.files);
      others.push(...below.others);
      continue;
    }
    // <name>.outcomes.json beside a thread scenario is recorded data, not a scenario.
    if (!json || e.name.endsWith('.outcomes.json')) continue;
    if (kind === 'file') files.push(path);
    else others.push({ path, why: 'not a regular file' });
  }
  return { files, others };
}

/** Files of another kind that a folder may hold beside the ones wanted: which, what they are, and what runs them. */
export interface Skip {
  readonly test: (file: string) => boolean;
  /** A noun for one of them: 'thread scenario'. */
  readonly what: string;
  /** What runs them, after the count: "run them with ...". */
  readonly hint: string;
}

/**
 * `skip` leaves out files found below a directory (a file named itself is always kept).
 * A file or folder given twice, or a file given and found below a folder given, is
 * E_USAGE (cli/given-once.ts): it was run once, silently, and the count line said
 * fewer files than the user gave. A file found twice only below the folders given
 * (a link beside its target) is run once, under its first name, and `say` gets the
 * line that says so: that folder was refused, and could not be run at all.
 */
export function scenarioFiles(
  operands: readonly string[],
  say: (line: string) => void,
  skip?: Skip,
  /** What the files are, for a folder that holds none: replay's are counterexamples. */
  what = 'scenario',
): string[] {
  refuseTwice(asNamed(operands), 'file or folder');
  const files = operands.flatMap((operand): Named[] => {
    if (!isDirectory(operand)) return [{ file: operand, operand }];
    const { files: below, others } = jsonFilesBelow(operand);
    // Not read, and said: a FIFO named *.json below a folder had been dropped without a word.
    for (const other of others) say(`${escapeControls(other.path)}: left out: ${other.why}`);
    const found = skip ? below.filter((f) => !skip.test(f)) : below;
    // Files left out are said, never silent: a folder's count line accounts for what it held (hostile-user finding, 2026-12-03).
    const left = below.length - found.length;
    const why = skip && left ? `${plural(left, skip.what)}, ${skip.hint}` : '';
    if (found.length === 0)
      throw new KlpcheckError('E_NO_FILE', `no *.json ${what} files below this directory${why ? ` (it holds ${why})` : ''}`, operand);
    if (left) say(`${escapeControls(operand)}: left out ${why}`);
    return found.map((file) => ({ file, operand }));
  });
  return onceEach(files, 'file', (file, first) => say(sameAgain(file, first))).map((f) => f.file);
}
