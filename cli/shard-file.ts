/**
 * Reading an `explore --out` result file for `explore --merge` through the
 * shared reader (harness/json-file.ts: missing, directory, empty, not UTF-8,
 * invalid JSON, a scenario or counterexample given instead), then the shape
 * merge() relies on and a known semantics. Which shards belong together
 * (missing, repeated, of another scope) is merge's question, not this one's.
 */
import { KlpcheckError, pointer } from '../harness/errors.ts';
import { fromJson, type ExploreSummary } from '../harness/explore/summary.ts';
import { kindOf, parseJson, readText, requireKind } from '../harness/json-file.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

/** The JSON type of each field of ExploreSummary as toJson writes it. */
const FIELDS: Readonly<Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'>> = {
  semantics: 'string',
  scope: 'object',
  shards: 'array',
  complete: 'boolean',
  depthReached: 'number',
  distinctStates: 'number',
  transitions: 'number',
  properties: 'array',
  violations: 'array',
  outcomes: 'object',
  reached: 'array',
  fingerprints: 'string',
  seconds: 'number',
};

const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

export function readShard(file: string): ExploreSummary {
  const text = readText(file);
  const data = parseJson(text, file);
  requireKind(data, 'explore-result', file);
  if (kindOf(data) !== 'explore-result') throw new KlpcheckError('E_SCHEMA', "not an explore result ('klpcheck explore --out FILE' writes one)", file);
  const record = data as Record<string, unknown>;
  for (const [field, type] of Object.entries(FIELDS)) {
    if (typeOf(record[field]) !== type) throw new KlpcheckError('E_SCHEMA', `must be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}`, file, pointer(field));
  }
  if (!semanticsByName(record.semantics as string)) {
    throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${record.semantics}'`, file, pointer('semantics'));
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(record.fingerprints as string) || Buffer.from(record.fingerprints as string, 'base64').length % 8 !== 0) {
    throw new KlpcheckError('E_SCHEMA', 'must be base64 of 8-byte state fingerprints', file, pointer('fingerprints'));
  }
  return fromJson(text);
}
