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

/**
 * An explore shard file: readable UTF-8 JSON of the right kind, then the shape
 * and version checks of fromJson (harness/explore/summary.ts) and a known
 * semantics, each failure one line naming the file and the JSON pointer.
 */
export function readShard(file: string): ExploreSummary {
  const data = parseJson(readText(file), file);
  requireKind(data, 'explore-result', file);
  if (kindOf(data) !== 'explore-result')
    throw new KlpcheckError('E_SCHEMA', "not an explore result ('klpcheck explore --out FILE' writes one)", file);
  const summary = fromJson(data, file);
  if (!semanticsByName(summary.semantics))
    throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${summary.semantics}'`, file, pointer('semantics'));
  return summary;
}
