/**
 * Writes issue 11's goals table (goals-table.ts) into README.md from
 * bench/results.json: `npm run bench:goals` alone, and `npm run bench`
 * after each run (run.ts). The file is read as every klpcheck command reads
 * JSON (harness/json-file.ts readJson: a syntax error at its line and
 * column), and the README is written as every output file is
 * (harness/atomic-write.ts: through `README.md.<pid>.tmp` and a rename, its
 * permission bits kept, no temporary file left on a failure), through a
 * link to the file it names.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomically } from '../harness/atomic-write.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { readJson, readText } from '../harness/json-file.ts';
import { goalsTable, withGoalsTable } from './goals-table.ts';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

/**
 * Rewrites the README's table from the results file; true when its text
 * changed. Errors: KlpcheckError naming the file and the place in it
 * (E_SCHEMA at a figure's JSON pointer, E_USAGE for the README's markers,
 * E_IO or E_NO_FILE for a file that cannot be read or written).
 */
export function rewriteReadmeGoals(readme = README, results = RESULTS): boolean {
  const table = goalsTable(readJson(results), results);
  const before = readText(readme);
  let after: string;
  try {
    after = withGoalsTable(before, table);
  } catch (e) {
    throw e instanceof KlpcheckError ? new KlpcheckError(e.code, e.message, readme) : e;
  }
  if (after === before) return false;
  try {
    writeFileAtomically(realpathSync(readme), after);
  } catch (e) {
    throw new KlpcheckError('E_IO', `cannot write the goals table (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, readme);
  }
  return true;
}

/**
 * Rewrites it and says so through `say`: a failure is one error line
 * (`klpcheck: FILE:/pointer: ... [CODE]`) and exit status 2, the README left
 * as it was.
 */
export function rewriteReadmeGoalsSaying(say: (line: string) => void): void {
  try {
    say(rewriteReadmeGoals() ? `wrote the goals table into ${README}` : `${README}: the goals table is current`);
  } catch (e) {
    // Anything else is klpcheck's own bug, and goes up as one.
    if (!(e instanceof KlpcheckError)) throw e;
    say(e.format());
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  rewriteReadmeGoalsSaying((line) => process.stderr.write(`${line}\n`));
