/**
 * `explore --out` result files. Reading one for `explore --merge` goes through
 * the shared reader (harness/json-file.ts: missing, directory, empty, not
 * UTF-8, invalid JSON, a scenario or counterexample given instead), then the
 * shape merge() relies on and a known semantics. Which shards belong together
 * (missing, repeated, of another scope) is merge's question, not this one's.
 * Saving one keeps a complete result from being replaced by an interrupted one.
 */
import { denied } from '../harness/folders.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { readFileSync } from 'node:fs';
import { fromJson, toJson } from '../harness/explore/shard-format.ts';
import type { ExploreSummary } from '../harness/explore/summary.ts';
import { kindOf, parseJson, readText, requireKind, TEXT_MAX, withoutBom } from '../harness/json-file.ts';
import { writeAtomically } from './output-files.ts';

/**
 * An explore shard file: readable UTF-8 JSON of the right kind, then
 * fromJson (harness/explore/shard-format.ts): its shape and version, a known
 * semantics, digests that match, and violations that replay (each one's ops,
 * run again, violate its property at their last op, as when the search found
 * them) and lie within the file's scope. Each failure is one line naming the
 * file and the JSON pointer.
 */
export function readShard(file: string): ExploreSummary {
  const data = parseJson(readText(file), file);
  requireKind(data, 'explore-result', file);
  if (kindOf(data) !== 'explore-result') {
    const why = "not an explore result ('klpcheck explore --out FILE' writes one)";
    // An object is told apart by its /format: said at that pointer, with what is there instead.
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new KlpcheckError('E_SCHEMA', why, file, '');
    const format = (data as { format?: unknown }).format;
    const found = format === undefined ? 'missing' : `${JSON.stringify(format)}, not "klpcheck-explore-shard"`;
    throw new KlpcheckError('E_SCHEMA', `${found}: ${why}`, file, '/format');
  }
  return fromJson(data, file);
}

/**
 * Writes `summary` to `file` atomically (cli/output-files.ts), except that an
 * INCOMPLETE result never replaces a file holding a complete one, even with
 * `force`: --force is given before the run, when nobody knows that Ctrl-C will
 * cut it short, and the complete result may have taken hours. Nor one the user
 * may not read, which may hold one ('kept-unread'; `force` replaces it with a
 * complete result). 'kept' and 'kept-unread' tell the caller to say so; over a
 * new file or an incomplete one it writes as ever. `flag` (`--out`) names the
 * option in a write's error (cli/output-files.ts writeAtomically).
 */
export function saveResult(
  file: string,
  summary: ExploreSummary,
  force: boolean,
  flag?: string,
): 'written' | 'unchanged' | 'kept' | 'kept-unread' {
  const held = summary.complete ? 'other' : resultIn(file);
  if (held !== 'other') return held === 'complete' ? 'kept' : 'kept-unread';
  refuseTooLarge(file, summary);
  let text: string;
  try {
    text = toJson(summary);
  } catch (e) {
    // Within the JSON around them of the limit, the states pass refuseTooLarge and the text still cannot be made.
    if (stringTooLong(e)) throw tooLarge(file, summary);
    throw e;
  }
  return writeAtomically(file, text, force, flag);
}

/**
 * E_IO when `summary`'s file could not be made: its states and its ledger's
 * numbers go in as base64, 4 characters for 3 bytes, and past TEXT_MAX V8
 * makes no string (upstream's whole default space, 8.6 million states, ended
 * a search of minutes with an internal error), nor could --merge read it.
 * Refused before any text is made; the JSON around them (saveResult) is
 * caught as it fails.
 */
export function refuseTooLarge(file: string, summary: ExploreSummary): void {
  if (4 * Math.ceil(storedBytes(summary) / 3) > TEXT_MAX) throw tooLarge(file, summary);
}

const storedBytes = (s: ExploreSummary) => s.states.byteLength + 4 * (s.ledger?.expanded.length ?? 0);

function tooLarge(file: string, summary: ExploreSummary): KlpcheckError {
  return new KlpcheckError(
    'E_IO',
    `${summary.distinctStates} states (${storedBytes(summary)} bytes as stored) are more than one result file holds (${TEXT_MAX} characters of JSON); bound the depth in --scope, or explore a smaller scope (shards of a whole space each hold all of it)`,
    file,
  );
}

/** Whether `e` is V8's refusal to make a string past TEXT_MAX: JSON.stringify's RangeError, or Buffer's ERR_STRING_TOO_LONG. */
export function stringTooLong(e: unknown): boolean {
  return (
    (e instanceof RangeError && e.message === 'Invalid string length') ||
    (e as NodeJS.ErrnoException | null)?.code === 'ERR_STRING_TOO_LONG'
  );
}

/** Whether `file` is an explore result whose /complete is true, one the user may not read, or anything else (none, another kind). */
function resultIn(file: string): 'complete' | 'unread' | 'other' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return denied(e) ? 'unread' : 'other';
  }
  try {
    const data: unknown = JSON.parse(withoutBom(text));
    return kindOf(data) === 'explore-result' && (data as { complete?: unknown }).complete === true ? 'complete' : 'other';
  } catch {
    return 'other';
  }
}
