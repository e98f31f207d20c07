/**
 * The second half of `npm run mutate`: reads the Stryker JSON reports in
 * reports/mutation/ (one per scope, named by MUTATE_SCOPE; see
 * stryker.config.mjs) and writes bench/mutation.json with the mutation score
 * of every mutated file and the survivors, so that the score is a file, not a
 * claim. Score = (killed + timed out) / (all mutants except compile and
 * runtime errors), as Stryker computes it; "no coverage" counts as survived.
 * A file mutated in several scopes keeps its newest report.
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = 'reports/mutation';
const OUT = 'bench/mutation.json';

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly Mutant[] }>>;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['CompileError', 'RuntimeError', 'Ignored', 'Pending']);

const reports = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.incremental.json'))
  .map((f) => ({ scope: f.slice(0, -'.json'.length), path: join(DIR, f) }))
  .sort((a, b) => statSync(a.path).mtimeMs - statSync(b.path).mtimeMs);

const files = new Map<string, unknown>();
for (const { scope, path } of reports) {
  const r = JSON.parse(readFileSync(path, 'utf8')) as Report;
  const mutated = Object.keys(r.files).sort();
  const command = `MUTATE_SCOPE=${scope} npm run mutate -- --mutate '${mutated.join(',')}'`;
  for (const [file, { mutants }] of Object.entries(r.files)) {
    const valid = mutants.filter((m) => !INVALID.has(m.status));
    const count = (s: string) => valid.filter((m) => m.status === s).length;
    const detected = valid.filter((m) => DETECTED.has(m.status)).length;
    files.set(file, {
      scope,
      command,
      mutants: valid.length,
      killed: count('Killed'),
      timeout: count('Timeout'),
      survived: count('Survived'),
      no_coverage: count('NoCoverage'),
      score_percent: valid.length ? Math.round((1000 * detected) / valid.length) / 10 : null,
      survivors: valid
        .filter((m) => !DETECTED.has(m.status))
        .map(
          (m) =>
            `${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status}${m.replacement ? `: ${m.replacement.replace(/\s+/g, ' ').slice(0, 80)}` : ''}`,
        ),
    });
  }
}

const sorted = Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)));
const totals = [...files.values()] as { mutants: number; killed: number; timeout: number }[];
const all = totals.reduce((a, f) => a + f.mutants, 0);
const detected = totals.reduce((a, f) => a + f.killed + f.timeout, 0);
const out = {
  note: 'npm run mutate (Stryker 9.6.1, vitest.mutate.config.ts, concurrency 1); score = (killed + timeout) / valid mutants',
  score_percent: all ? Math.round((1000 * detected) / all) / 10 : null,
  mutants: all,
  files: sorted,
};
writeFileSync(`${OUT}.tmp`, `${JSON.stringify(out, null, 2)}\n`);
renameSync(`${OUT}.tmp`, OUT);
process.stderr.write(`wrote ${OUT}: ${detected}/${all} mutants detected over ${files.size} files\n`);
