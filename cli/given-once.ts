/**
 * A file named twice on the command line, under any of its names (`./a.json`,
 * a link to it: sameFile), is the command line's mistake (E_USAGE), refused
 * before any work: a merge would count a shard twice, and a scenario run once
 * silently (as `scenario a.json a.json` did) reports fewer files than were
 * given. Shared by `explore --merge` and every command that takes FILE|DIR
 * operands (cli/scenario-files.ts).
 */
import { KlpcheckError } from '../harness/errors.ts';
import { sameFile } from './output-files.ts';

/** A file to read, and the operand that named it: itself, or the folder it was found below. */
export interface Named {
  readonly file: string;
  readonly operand: string;
}

/** How one of two names of a file came to the command line: as itself, or below a folder given. */
const source = (f: Named): string => (f.operand === f.file ? `as ${f.file}` : `below ${f.operand}`);

/**
 * E_USAGE naming the first file given twice (`what`, such as "shard file",
 * says what to name once), with the other name it was given under; returns
 * when each is given once.
 */
export function refuseTwice(files: readonly Named[], what: string): void {
  const at = files.findIndex((f, i) => files.findIndex((g) => sameFile(g.file, f.file)) !== i);
  if (at < 0) return;
  const twice = files[at]!;
  const first = files.find((g) => sameFile(g.file, twice.file))!;
  const direct = first.operand === first.file && twice.operand === twice.file;
  const other =
    source(first) === source(twice)
      ? ''
      : direct
        ? ` (the file ${first.file} under another name)`
        : ` (${source(first)} and ${source(twice)})`;
  throw new KlpcheckError('E_USAGE', `given twice on the command line${other}: name each ${what} once`, twice.file);
}

/** The operands themselves, each naming itself. */
export const asNamed = (operands: readonly string[]): Named[] => operands.map((file) => ({ file, operand: file }));
