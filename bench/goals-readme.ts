/**
 * Writes issue 11's goals table (goals-table.ts) into README.md from
 * bench/results.json: `npm run bench:goals` alone, and `npm run bench`
 * after each run (run.ts). The README is written whole to a temporary file
 * and renamed over, so an interrupted write leaves the old one.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { goalsTable, type GoalsResults, withGoalsTable } from './goals-table.ts';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

/** Rewrites the README's table from the results file; true when its text changed. Errors: goals-table.ts's. */
export function rewriteReadmeGoals(readme = README, results = RESULTS): boolean {
  const before = readFileSync(readme, 'utf8');
  const after = withGoalsTable(before, goalsTable(JSON.parse(readFileSync(results, 'utf8')) as GoalsResults));
  if (after === before) return false;
  writeFileSync(`${readme}.tmp`, after);
  renameSync(`${readme}.tmp`, readme);
  return true;
}

/** Rewrites it and says so on stderr; a failure is one line and exit 2, the README left as it was. */
export function rewriteReadmeGoalsSaying(say: (line: string) => void): void {
  try {
    say(rewriteReadmeGoals() ? `wrote the goals table into ${README}` : `${README}: the goals table is current`);
  } catch (e) {
    say(`the goals table was not written: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  rewriteReadmeGoalsSaying((line) => process.stderr.write(`${line}\n`));
