/**
 * `explore --out` result files. Reading one for `explore --merge` goes through
 * the shared reader (harness/json-file.ts: missing, directory, empty, not
 * UTF-8, invalid JSON, a scenario or counterexample given instead), then the
 * shape merge() relies on and a known semantics. Which shards belong together
 * (missing, repeated, of another scope) is merge's question, not this one's.
 * Saving one keeps a complete result from being replaced by an interrupted one.
 */
import { KlpcheckError, pointer } from '../harness/errors.ts';
import { readFileSync } from 'node:fs';
import { fromJson, replayViolation, toJson, type ExploreSummary } from '../harness/explore/summary.ts';
import { kindOf, parseJson, readText, requireKind } from '../harness/json-file.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { writeAtomically } from './output-files.ts';
import { plural } from '../report/plural.ts';

/**
 * An explore shard file: readable UTF-8 JSON of the right kind, then the shape
 * and version checks of fromJson (harness/explore/summary.ts), a known
 * semantics, and violations that replay: each one's ops, run again, violate
 * its property at their last op, as when the search found them. Each failure
 * is one line naming the file and the JSON pointer.
 */
export function readShard(file: string): ExploreSummary {
  const data = parseJson(readText(file), file);
  requireKind(data, 'explore-result', file);
  if (kindOf(data) !== 'explore-result')
    throw new KlpcheckError('E_SCHEMA', "not an explore result ('klpcheck explore --out FILE' writes one)", file);
  const summary = fromJson(data, file);
  const sem = semanticsByName(summary.semantics);
  if (!sem) throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${summary.semantics}'`, file, pointer('semantics'));
  // An edited violation that does not replay was reported VIOLATED (or, when saved, an internal error).
  summary.violations.forEach((v, i) => {
    const r = replayViolation(v, sem, summary.scope);
    const n = v.ops.length;
    if (!r.violation)
      throw new KlpcheckError(
        'E_SCHEMA',
        `does not replay: ${v.property} is not violated by its ${ops(n)} under ${sem.name}`,
        file,
        `/violations/${i}`,
      );
    if (r.steps.length !== n)
      throw new KlpcheckError(
        'E_SCHEMA',
        `does not replay as recorded: under ${sem.name} ${v.property} is violated after ${ops(r.steps.length)} applied, not after its ${n}`,
        file,
        `/violations/${i}`,
      );
  });
  return summary;
}

/** `1 op`, `2 ops`. */
const ops = (n: number) => plural(n, 'op');

/**
 * Writes `summary` to `file` atomically (cli/output-files.ts), except that an
 * INCOMPLETE result never replaces a file holding a complete one, even with
 * `force`: --force is given before the run, when nobody knows that Ctrl-C will
 * cut it short, and the complete result may have taken hours. 'kept' tells the
 * caller to say so; over a new file or an incomplete one it writes as ever.
 */
export function saveResult(file: string, summary: ExploreSummary, force: boolean): 'written' | 'unchanged' | 'kept' {
  if (!summary.complete && holdsCompleteResult(file)) return 'kept';
  return writeAtomically(file, toJson(summary), force);
}

/** Whether `file` is an explore result whose /complete is true; anything unreadable or of another kind is not. */
function holdsCompleteResult(file: string): boolean {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return kindOf(data) === 'explore-result' && (data as { complete?: unknown }).complete === true;
  } catch {
    return false;
  }
}
