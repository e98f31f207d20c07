/**
 * The shard file (`explore --shard i/n --out F`, read back by `--merge`):
 * a search's summary as JSON, written byte for byte the same for the same
 * result, and read back only when every member a merge believes is sealed
 * by its digest, every violation replays and lies in the file's scope, and
 * the states agree with their counts; anything else is E_SCHEMA naming the
 * file and the JSON pointer.
 */
import { createHash } from 'node:crypto';
import { semanticsByName } from '../../model/semantics/registry.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { plural } from '../plural.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import { canonicalJson } from '../canonical-json.ts';
import { KlpcheckError, pointer } from '../errors.ts';
import { schemaValues, validate, validatorFor } from '../json-file.ts';
import { checkOps, universeNames } from '../references.ts';
import { KLPCHECK_VERSION } from '../versions.ts';
import { scopeFuncs } from './candidates.ts';
import { LIMITS, type ExploreScope } from './scope.ts';
import { addExpansion, expansionKey, type ShardLedgerData } from './shard-ledger.ts';
import { replayViolation, SHARD_MAX, type ExploreSummary, type ViolationSummary } from './summary.ts';
import { checkInScope } from './violation-scope.ts';
import { MILESTONES } from './coverage.ts';

/**
 * The shard file format's version, checked as the klpcheck version is:
 * 2 added the per-state ledger (shard-ledger.ts); a version-1 file's merge
 * counted the levels above the split once per shard. 3 writes each task's
 * spec record once in a state (state-key.ts): a version-2 file's states
 * would never equal a version-3 file's, and their union would count every
 * shared state twice. 4 added /statesSha256, the digest of the state bytes:
 * bytes flipped in /states still decoded to well-formed states, and the merge
 * counted them as other states. 5 seals the ledger as 4 sealed the states,
 * with the digests of both in /sha256 (shardDigests): a ledger edited and
 * still well formed (a level end moved, a state said to be expanded, a
 * successor count raised) changed the merged depths, transitions and
 * coverage without a word. 6 seals the members a verdict names and the
 * rest the merge believes (SEALED): /scope, /semantics or /properties edited
 * alike in every file made a verdict of a scope, a semantics or a property
 * never searched; /reached hid a VACUOUS note; /depthReached said an
 * interrupted search went deeper than it did; /violations with an entry
 * deleted made a violated property hold, and one replaced by a longer
 * counterexample that also replays was called the shortest.
 */
export const SHARD_FORMAT = 6;

/**
 * The members of a shard file a merge believes without being able to check
 * them, each sealed by a digest in /sha256: what its verdict names (the
 * semantics, the scope, the properties), which shard it is, how deep an
 * interrupted search got, the milestones reached (their absence is the
 * verdict's VACUOUS note), the checker memories the states' last bytes
 * number, the violations (each is also replayed and held to the scope, but
 * neither tells one deleted, or one replaced by a longer one), the states
 * (their union is the merged state count) and a shard's ledger (its level
 * ends give the merged depths, its expansions the transitions and the
 * coverage). Not sealed: /complete (false claims less, and a search said
 * complete whose states are not all expanded is refused by the merge), the
 * counts a merge computes again from the ledger (each must agree with what
 * the ledger gives, checkLedgerCounts, and /distinctStates with /states),
 * and the format's own members.
 */
const SEALED = [
  'semantics',
  'scope',
  'shards',
  'properties',
  'depthReached',
  'reached',
  'memories',
  'violations',
  'states',
  'ledger',
] as const;

/** The sealed members checked before the violations (which are read in their terms), so that an edited one is blamed, not an entry. */
const HEADER = SEALED.filter((k) => k !== 'violations' && k !== 'states' && k !== 'ledger');

/**
 * The /sha256 member of a shard file holding `file`'s members: for each
 * sealed member it has (SEALED; the ledger only in a shard's file), the
 * digest of its value (digestOf), so that a file whose keys were reordered,
 * or that was indented again, keeps its digests while any change of a value
 * does not. toJson writes it; fromJson computes it again and refuses a
 * member whose digest differs, at that member.
 */
export function shardDigests(file: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(SEALED.filter((k) => file[k] !== undefined).map((k) => [k, digestOf(file[k])]));
}

/** The sha256 (hex) of `value` as canonical JSON (canonicalJson). */
function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * JSON for a shard file: the states as base64; the klpcheck version, since
 * state bytes are only comparable within one; a shard's ledger with the
 * per-state expansion numbers as base64 of little-endian u32s. Keys in one
 * order whoever made the summary (a run, a merge, a file read back): the
 * coverage sorted as the report prints it and the violations in the order of
 * the properties, so the same result is the same bytes; last, /sha256, the
 * digests of the members a merge believes (shardDigests).
 */
export function toJson(s: ExploreSummary): string {
  const { states, seconds: _, ledger, ...rest } = s;
  const file = {
    format: 'klpcheck-explore-shard',
    formatVersion: SHARD_FORMAT,
    klpcheck: KLPCHECK_VERSION,
    // The fields below replace rest's values in their places: the order of the fields stays the summary's.
    ...rest,
    violations: [...s.violations].sort((a, b) => s.properties.indexOf(a.property) - s.properties.indexOf(b.property)),
    outcomes: Object.fromEntries(sortedEntries(s.outcomes).map(([op, m]) => [op, Object.fromEntries(sortedEntries(m))])),
    reached: [...s.reached].sort(),
    states: Buffer.from(states.buffer, states.byteOffset, states.byteLength).toString('base64'),
    ...(ledger
      ? {
          ledger: {
            levelEnds: ledger.levelEnds,
            expanded: u32Base64(ledger.expanded),
            expansions: ledger.expansions.map((e) => JSON.parse(e) as unknown),
          },
        }
      : {}),
  };
  return `${JSON.stringify({ ...file, sha256: shardDigests(file) }, null, 1)}\n`;
}

function sortedEntries<T>(o: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function u32Base64(a: Uint32Array): string {
  const b = Buffer.alloc(a.length * 4);
  a.forEach((n, i) => b.writeUInt32LE(n, i * 4));
  return b.toString('base64');
}

/**
 * Every member a shard file may hold: the summary's (ExploreSummary, but its
 * wall-clock seconds and a state budget, which --out refuses), the format's,
 * and the digests. Any other is refused at its place (a misspelt or invented
 * member was ignored: hostile-user finding of stop 31).
 */
const MEMBERS: readonly (Exclude<keyof ExploreSummary, 'seconds' | 'stateBudget'> | 'format' | 'formatVersion' | 'klpcheck' | 'sha256')[] =
  [
    'format',
    'formatVersion',
    'klpcheck',
    'semantics',
    'scope',
    'shards',
    'complete',
    'fixpoint',
    'depthReached',
    'distinctStates',
    'specStates',
    'transitions',
    'statesPerDepth',
    'properties',
    'violations',
    'outcomes',
    'reached',
    'states',
    'memories',
    'ledger',
    'sha256',
  ];

/**
 * A shard file's result; throws E_SCHEMA naming the file and the place when
 * it is not one, E_SEMANTICS when its semantics is unknown, E_REFERENCE when
 * a violation's ops name what its universe lacks.
 */
export function fromJson(raw: unknown, file = 'shard'): ExploreSummary {
  const bad = (where: string, why: string) => new KlpcheckError('E_SCHEMA', why, file, where);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw bad('', 'not an explore shard file (an object with format klpcheck-explore-shard)');
  const r = raw as Record<string, unknown>;
  if (r.format !== 'klpcheck-explore-shard')
    throw bad('/format', 'not an explore shard file (written by klpcheck explore --shard I/N --out FILE)');
  if (r.klpcheck !== KLPCHECK_VERSION)
    throw bad(
      '/klpcheck',
      `written by klpcheck ${typeof r.klpcheck === 'string' ? r.klpcheck : (JSON.stringify(r.klpcheck) ?? 'of no version')}, not ${KLPCHECK_VERSION}: state encodings differ between versions`,
    );
  if (r.formatVersion !== SHARD_FORMAT)
    throw bad(
      '/formatVersion',
      r.formatVersion === undefined
        ? 'an older explore shard format (its merge counted the levels above the split once per shard): explore the shards again'
        : !Number.isInteger(r.formatVersion)
          ? `${JSON.stringify(r.formatVersion)} is not a format number (explore writes ${SHARD_FORMAT})`
          : `explore shard format ${JSON.stringify(r.formatVersion)}, not ${SHARD_FORMAT}: explore the shards again`,
    );
  const unknown = Object.keys(r).find((k) => !(MEMBERS as readonly string[]).includes(k));
  if (unknown !== undefined) throw bad(pointer(unknown), `not a member of a shard file (members: ${MEMBERS.join(', ')})`);
  // An array or a number at /semantics was called "missing" (hostile-user finding, stop 44).
  if (typeof r.semantics !== 'string')
    throw bad('/semantics', r.semantics === undefined ? 'missing semantics' : 'not a semantics name (a string)');
  // Known before the violations are read: whether one lies in the scope depends on what the search of this semantics builds.
  const sem = semanticsByName(r.semantics);
  if (!sem) throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${r.semantics}'`, file, pointer('semantics'));
  // A /scope deleted or replaced is that member's fault, not its first key's.
  if (!isObject(r.scope)) throw bad('/scope', 'missing or not an object');
  const scope = r.scope;
  for (const k of Object.keys(scope))
    if (!Object.hasOwn(LIMITS, k)) throw bad(pointer('scope', k), `unknown scope key (keys: ${Object.keys(LIMITS).join(', ')})`);
  for (const k of ['patches', 'functions', 'states', 'tasks'] as const) {
    if (!Number.isInteger(scope[k])) throw bad(`/scope/${k}`, 'missing or not a whole number');
  }
  for (const k of ['depth', 'taskModel'] as const)
    if (scope[k] !== undefined && !Number.isInteger(scope[k])) throw bad(`/scope/${k}`, 'not a whole number');
  // The limits the command line's parseScope enforces: a scope it refuses was never explored.
  for (const [k, [min, max]] of Object.entries(LIMITS)) {
    const v = scope[k] as number | undefined;
    if (v !== undefined && (v < min || v > max))
      throw bad(
        `/scope/${k}`,
        `scope ${k} takes a whole number from ${min} to ${max}${k === 'depth' ? ' (absent: any depth)' : ''}, not ${v}`,
      );
  }
  const shards = r.shards;
  if (!Array.isArray(shards)) throw bad('/shards', 'a list of {index, count} with 0 <= index < count');
  // Each wrong item at its own place (helper-106: a bad index was said at /shards).
  shards.forEach((s, i) => {
    if (!isObject(s)) throw bad(`/shards/${i}`, 'not an object {index, count} with 0 <= index < count');
    // At its own place, as an unknown member is: one was caught only by the digest (stop 62's note).
    const other = Object.keys(s).find((k) => k !== 'index' && k !== 'count');
    if (other !== undefined) throw bad(pointer('shards', i, other), 'not a member of a shard (members: index, count)');
    if (!Number.isInteger(s.count) || (s.count as number) < 1) throw bad(`/shards/${i}/count`, 'not a whole number from 1');
    if (!Number.isInteger(s.index) || (s.index as number) < 0 || (s.index as number) >= (s.count as number))
      throw bad(`/shards/${i}/index`, `not a whole number from 0 to count - 1 (${(s.count as number) - 1})`);
    if ((s.count as number) > SHARD_MAX)
      throw bad(`/shards/${i}/count`, `a split into at most ${SHARD_MAX} shards (as --shard takes), not ${s.count}`);
  });
  for (const k of ['complete', 'fixpoint'] as const) if (typeof r[k] !== 'boolean') throw bad(`/${k}`, 'missing or not true/false');
  for (const k of ['depthReached', 'distinctStates', 'transitions'] as const)
    if (!isCount(r[k])) throw bad(`/${k}`, 'missing or not a whole number from 0 to 2^53 - 1');
  if (r.specStates !== null && !isCount(r.specStates))
    throw bad('/specStates', 'missing or not a whole number from 0 to 2^53 - 1 (null in a merged result)');
  if (!Array.isArray(r.properties) || !r.properties.every((p) => typeof p === 'string'))
    throw bad('/properties', 'a list of property names');
  // A name no search checks, or one twice, would be reported as holding (hostile-user finding).
  const known = [CONFORMANCE, ...INVARIANTS.map((i) => i.id)];
  r.properties.forEach((p, i, all) => {
    if (!known.includes(p)) throw bad(`/properties/${i}`, `unknown property '${p}' (properties: ${known.join(', ')})`);
    if (all.indexOf(p) !== i) throw bad(`/properties/${i}`, `property '${p}' listed twice`);
  });
  if (!Array.isArray(r.violations)) throw bad('/violations', 'missing or not a list');
  if (!isObject(r.outcomes))
    throw bad('/outcomes', r.outcomes === undefined ? 'missing coverage' : 'not an object of op -> outcome -> count (coverage)');
  checkOutcomes(r.outcomes, ['outcomes'], bad);
  if (!Array.isArray(r.reached)) throw bad('/reached', 'missing or not a list of milestones');
  // Each one a milestone, once: an invented one, or one twice, was merged and written out as reached (helper-110).
  const milestones = Object.keys(MILESTONES);
  r.reached.forEach((m, i, all) => {
    if (typeof m !== 'string' || !milestones.includes(m))
      throw bad(`/reached/${i}`, `not a milestone (milestones: ${milestones.join(', ')})`);
    if (all.indexOf(m) !== i) throw bad(`/reached/${i}`, `milestone '${m}' listed twice`);
  });
  if (!Array.isArray(r.memories)) throw bad('/memories', 'a list of strings');
  r.memories.forEach((m, i, all) => {
    if (typeof m !== 'string') throw bad(`/memories/${i}`, 'not a string');
    // Each memory is written once, its place its id: one twice would be two ids of one memory (helper-110).
    if (all.indexOf(m) !== i) throw bad(`/memories/${i}`, `the memory at /memories/${all.indexOf(m)} again`);
  });
  const sums = r.sha256;
  if (!isObject(sums)) throw bad('/sha256', 'missing or not an object (member -> sha256 digest of what a merge believes)');
  checkDigests(r, sums, HEADER, bad);
  r.violations.forEach((v, i) => checkViolation(v, i, r.properties as string[], r.violations as unknown[], sem, scope as never, file));
  // After the entries, so that a malformed one is told as such: each entry replays and lies in the scope, but
  // one deleted, or replaced by a longer one that also does, left a property holding or a counterexample
  // called the shortest that is not (hostile-user finding).
  checkDigests(r, sums, ['violations'], bad);
  if (typeof r.states !== 'string') throw bad('/states', r.states === undefined ? 'missing states' : 'not base64 text (a string)');
  if (!Array.isArray(r.statesPerDepth)) throw bad('/statesPerDepth', 'missing or not a list of whole numbers (the states of each level)');
  // At the element, as the other counts: a -1 or a "3" at level 3 was told at /statesPerDepth (hostile-user review).
  const level = r.statesPerDepth.findIndex((n) => !isCount(n));
  if (level >= 0) throw bad(`/statesPerDepth/${level}`, `not a whole number from 0 to 2^53 - 1 (the states of level ${level})`);
  const decoded = Buffer.from(r.states, 'base64');
  // Node skips what is not base64: only text that encodes back to itself is (toJson writes it so).
  if (decoded.toString('base64') !== r.states) throw bad('/states', 'not base64');
  const states = new Uint8Array(decoded);
  let count = 0;
  // Each state ends with its checker-memory id (two bytes).
  for (let o = 0; o < states.length; o += states[o]! + 1, count++)
    if (states[o]! < 2 || o + 1 + states[o]! > states.length) throw bad('/states', 'a truncated state list');
  // Before the ledger, whose counts are then checked against these states: an emptied list is at fault, not them.
  if (!count) throw bad('/states', 'no state: every exploration holds at least its root states (depth 0)');
  const ledger = shards.length ? ledgerFromJson(r.ledger, count, bad) : undefined;
  checkDigests(r, sums, ['states', 'ledger'], bad);
  checkStateCounts(count, r.distinctStates as number, ledger, r.complete as boolean, scope.depth as number | undefined, bad);
  if (ledger) checkLedgerCounts(r, ledger, shards[0] as { index: number; count: number }, bad);
  const { format: _f, formatVersion: _v, klpcheck: _k, ledger: _l, sha256: _d, ...rest } = r;
  return { ...(rest as unknown as ExploreSummary), states, ...(ledger ? { ledger } : {}), seconds: 0 };
}

/**
 * One /violations entry, refused at its pointer below /violations/i:
 * schema/explore-violation.schema.json (its ops and universe are the
 * counterexample format's definitions, so an unknown op or a universe out of
 * shape is told as for a counterexample), a property the file checks, and
 * one entry per property, whose depth is its number of ops, and ops that
 * name only what its universe has (harness/references.ts, E_REFERENCE, as
 * for a counterexample file; the block_task functions are the scope's);
 * then ops that, replayed as the search checked them (replayViolation),
 * violate the property at their last op; last, a universe and ops within the
 * file's scope (checkInScope): an entry is first found true, then found
 * where the verdict puts it. A hand-edited entry (null, no ops, no depth,
 * another depth) was an internal error, or saved as another counterexample;
 * one that did not replay was reported VIOLATED; one outside the scope was
 * reported as a violation in it.
 */
function checkViolation(
  v: unknown,
  i: number,
  properties: readonly string[],
  all: readonly unknown[],
  sem: Semantics,
  scope: ExploreScope,
  file: string,
): void {
  // The ops' definitions live in the counterexample schema, which must be registered before a schema that refers to them.
  validatorFor('counterexample');
  try {
    validate<ViolationSummary>('explore-violation', v, file);
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    throw new KlpcheckError(e.code, e.message, file, `/violations/${i}${e.where ?? ''}`);
  }
  const { property, depth, ops } = v as ViolationSummary;
  // The depth goes into a saved counterexample's provenance, and so into its name: another depth is another file.
  if (depth !== ops.length)
    throw new KlpcheckError(
      'E_SCHEMA',
      `${depth}, but the entry has ${ops.length} op${ops.length === 1 ? '' : 's'}: a counterexample is found at the depth of its length`,
      file,
      `/violations/${i}/depth`,
    );
  if (!properties.includes(property))
    throw new KlpcheckError(
      'E_SCHEMA',
      `'${property}' is not one of the properties the file checks (/properties)`,
      file,
      `/violations/${i}/property`,
    );
  // Names its own universe lacks (insmod p9) replay as refused ops, and would be saved as a file klpcheck refuses to read.
  const at = ['violations', i];
  checkOps(
    ops,
    universeNames((v as ViolationSummary).universe, file, [...at, 'universe']),
    file,
    (j) => [...at, 'ops', j],
    scopeFuncs(scope),
  );
  const first = all.findIndex((w) => (w as ViolationSummary).property === property);
  if (first !== i)
    throw new KlpcheckError(
      'E_SCHEMA',
      `a second counterexample for ${property} (also /violations/${first})`,
      file,
      `/violations/${i}/property`,
    );
  // An edited violation that does not replay was reported VIOLATED (or, when saved, an internal error).
  const r = replayViolation(v as ViolationSummary, sem, scope);
  if (!r.violation)
    throw new KlpcheckError(
      'E_SCHEMA',
      `does not replay: ${property} is not violated by its ${plural(ops.length, 'op')} under ${sem.name}`,
      file,
      `/violations/${i}`,
    );
  if (r.steps.length !== ops.length)
    throw new KlpcheckError(
      'E_SCHEMA',
      `does not replay as recorded: under ${sem.name} ${property} is violated after ${plural(r.steps.length, 'op')} applied, not after its ${ops.length}`,
      file,
      `/violations/${i}`,
    );
  checkInScope(v as ViolationSummary, sem, scope, file, `/violations/${i}`);
  // Last, as the others say more of an edited entry. The reason is printed as the verdict's: one the ops do not give
  // (a line of its own forged into the report) is refused.
  if (r.violation.reason !== (v as ViolationSummary).reason)
    throw new KlpcheckError(
      'E_SCHEMA',
      `is not the reason its ops give under ${sem.name}: ${JSON.stringify(r.violation.reason)}`,
      file,
      `/violations/${i}/reason`,
    );
}

/**
 * The sealed `members` of `file` against their digests in `sums` (/sha256):
 * a digest of no sealed member, or of one of `members` the file lacks, is
 * refused at /sha256/<key>, one
 * missing at /sha256/<member>, a member whose value hashes to another digest
 * at /<member>, E_SCHEMA. After each member's shape check, so that a member
 * out of shape is told as such.
 */
function checkDigests(
  file: Readonly<Record<string, unknown>>,
  sums: Readonly<Record<string, unknown>>,
  members: readonly string[],
  bad: (where: string, why: string) => KlpcheckError,
): void {
  for (const k of Object.keys(sums)) {
    if (!(SEALED as readonly string[]).includes(k))
      throw bad(pointer('sha256', k), `the digest of no member a shard file seals (it seals ${SEALED.join(', ')})`);
    // A whole result's file has no ledger.
    if (members.includes(k) && file[k] === undefined) throw bad(pointer('sha256', k), `the digest of /${k}, which the file does not hold`);
  }
  for (const k of members) {
    if (file[k] === undefined) continue;
    let digest: string;
    try {
      digest = digestOf(file[k]);
    } catch (e) {
      // JSON.parse reads values nested thousands deep that canonical JSON cannot walk: not a shard file's.
      if (e instanceof RangeError) throw bad(`/${k}`, 'nested too deeply to be a shard file member');
      throw e;
    }
    const had = sums[k];
    if (typeof had !== 'string' || !/^[0-9a-f]{64}$/.test(had))
      throw bad(`/sha256/${k}`, 'missing or not a sha256 digest (64 lowercase hex digits)');
    if (had !== digest) throw bad(`/${k}`, `does not match its digest /sha256/${k} (it hashes to ${digest}): damaged or edited`);
  }
}

/**
 * What the states a file holds must agree with, whatever its digests say (a
 * file could be sealed again after an edit; an empty /states is refused
 * before, at its own pointer: it merged into 'holds ... 0 distinct states'):
 * /distinctStates is the number of states /states holds; and a shard's
 * ledger has the roots as its first
 * level (not empty, above 0), at most one level per depth below the bound
 * after them, and, when the search is complete, a last level ending with its
 * last state (a state after it would be at a depth the search never reached).
 * Each E_SCHEMA at the pointer of the number at fault.
 */
function checkStateCounts(
  count: number,
  distinctStates: number,
  ledger: ShardLedgerData | undefined,
  complete: boolean,
  depth: number | undefined,
  bad: (where: string, why: string) => KlpcheckError,
): void {
  if (distinctStates !== count) throw bad('/distinctStates', `${distinctStates}, but /states holds ${plural(count, 'state')}`);
  if (!ledger) return;
  const ends = ledger.levelEnds;
  if (!ends.length) throw bad('/ledger/levelEnds', 'no level: the root states (depth 0) make the first');
  if (!ends[0]) throw bad('/ledger/levelEnds/0', 'no root state: every exploration holds at least its root states (depth 0)');
  if (depth !== undefined && ends.length > depth + 1)
    throw bad('/ledger/levelEnds', `${ends.length} levels, more than the roots and the ${depth} the depth bound allows`);
  const last = ends.length - 1;
  if (complete && ends[last] !== count)
    throw bad(
      `/ledger/levelEnds/${last}`,
      `${ends[last]}, but the search is complete (/complete) and its last level ends with its ${plural(count, 'state')}`,
    );
}

/**
 * A shard's own counts, which the merge computes again from the sealed
 * ledger and never reads (summary.ts merge), must be what that ledger gives:
 * /transitions the successors of its expansions, /outcomes their sum by op
 * and outcome, /statesPerDepth the size of each level (the visited set's
 * growth, but at the split depth, where the shard keeps its share of the
 * level, every count-th state from its index on), and /fixpoint whether the
 * complete search ended on an empty level. An edit of one of them, in range,
 * was taken and then silently ignored (hostile-user finding, 2026-12-03);
 * each is E_SCHEMA at its pointer, with the value the ledger gives.
 */
function checkLedgerCounts(
  r: Readonly<Record<string, unknown>>,
  ledger: ShardLedgerData,
  shard: { readonly index: number; readonly count: number },
  bad: (where: string, why: string) => KlpcheckError,
): void {
  const byId = ledger.expansions.map((k) => JSON.parse(k) as Record<string, Record<string, number>>);
  const outcomes: Record<string, Record<string, number>> = {};
  let transitions = 0;
  for (const e of ledger.expanded) if (e) transitions += addExpansion(outcomes, byId[e - 1]!);
  if (r.transitions !== transitions)
    throw bad('/transitions', `${String(r.transitions)}, but the ledger's expansions have ${plural(transitions, 'successor')}`);
  for (const op of new Set([...Object.keys(outcomes), ...Object.keys(r.outcomes as object)])) {
    const stated = (r.outcomes as Record<string, Record<string, number>>)[op] ?? {};
    const given = outcomes[op] ?? {};
    for (const o of new Set([...Object.keys(given), ...Object.keys(stated)]))
      if (stated[o] !== given[o])
        throw bad(pointer('outcomes', op, o), `${stated[o] ?? 'missing'}, but the ledger's expansions have ${given[o] ?? 'none'}`);
  }
  const perDepth = r.statesPerDepth as readonly number[];
  const ends = ledger.levelEnds;
  if (perDepth.length !== ends.length)
    throw bad(
      '/statesPerDepth',
      `${plural(perDepth.length, 'level')}, but the ledger has ${plural(ends.length, 'level')} (/ledger/levelEnds)`,
    );
  let split = -1;
  ends.forEach((end, d) => {
    const grown = end - (d ? ends[d - 1]! : 0);
    if (perDepth[d] === grown) return;
    const share = Math.max(0, Math.ceil((grown - shard.index) / shard.count));
    if (split < 0 && d > 0 && perDepth[d] === share) {
      split = d;
      return;
    }
    throw bad(
      `/statesPerDepth/${d}`,
      `${perDepth[d]}, but the ledger's level ${d} holds ${plural(grown, 'state')}${split < 0 && d > 0 ? ` (shard ${shard.index}/${shard.count}'s share, at the split depth: ${share})` : ''}`,
    );
  });
  const fixpoint = r.complete === true && perDepth[perDepth.length - 1] === 0;
  if (r.fixpoint !== fixpoint)
    throw bad(
      '/fixpoint',
      fixpoint
        ? 'false, but the search is complete and its last level is empty: a fixpoint'
        : `true, but ${r.complete === true ? 'the last level holds states' : 'the search is not complete (/complete)'}: no fixpoint`,
    );
}

/** Whether `o` is a JSON object (not null, not a list). */
function isObject(o: unknown): o is Record<string, unknown> {
  return !!o && typeof o === 'object' && !Array.isArray(o);
}

/**
 * Whether `n` is a count: a whole number from 0, exact in a double. A negative
 * one was read as it stood (hostile-user finding of stop 32), and 1e300, a
 * whole number, was taken as a count of transitions.
 */
function isCount(n: unknown): boolean {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

/** The ops and outcomes a coverage map may name (checkOutcomes), read from the counterexample schema once. */
let coverageNames: { readonly ops: readonly string[]; readonly outcomes: readonly string[] } | undefined;

/** What a shard file's /ledger holds (shard-ledger.ts ShardLedgerData, as toJson writes it). */
const LEDGER_MEMBERS: readonly string[] = ['levelEnds', 'expanded', 'expansions'];

/**
 * A coverage map of op -> outcome -> count (a file's /outcomes, a ledger's
 * expansion) at `at`: ops and outcomes the counterexample schema names, and
 * counts that are whole numbers. An op or an outcome no search makes was read
 * as it stood (hostile-user test, 2026-12-03).
 */
function checkOutcomes(map: unknown, at: readonly (string | number)[], bad: (where: string, why: string) => KlpcheckError): void {
  const { ops, outcomes } = (coverageNames ??= {
    ops: schemaValues('counterexample', 'Op', 'op'),
    outcomes: schemaValues('counterexample', 'TraceStep', 'outcome'),
  });
  if (!isObject(map)) throw bad(pointer(...at), 'not an object of op -> outcome -> count');
  for (const [op, byOutcome] of Object.entries(map)) {
    if (!ops.includes(op)) throw bad(pointer(...at, op), `not an op (ops: ${ops.join(', ')})`);
    if (!isObject(byOutcome)) throw bad(pointer(...at, op), 'not an object of outcome -> count');
    for (const [o, n] of Object.entries(byOutcome)) {
      if (!outcomes.includes(o)) throw bad(pointer(...at, op, o), `not an outcome (outcomes: ${outcomes.join(', ')})`);
      if (!isCount(n)) throw bad(pointer(...at, op, o), 'not a whole number from 0 to 2^53 - 1');
    }
  }
}

/** A shard's ledger from its file: level ends within the states, one expansion number per state, each expansion op -> outcome -> count. */
function ledgerFromJson(raw: unknown, count: number, bad: (where: string, why: string) => KlpcheckError): ShardLedgerData {
  if (!isObject(raw)) throw bad('/ledger', "missing or not an object: a shard's per-state depths and expansions");
  const l = raw;
  // At its own place, as an unknown member of the file is (helper-110: one was accepted with its digest written again).
  const other = Object.keys(l).find((k) => !LEDGER_MEMBERS.includes(k));
  if (other !== undefined) throw bad(pointer('ledger', other), `not a member of a ledger (members: ${LEDGER_MEMBERS.join(', ')})`);
  const ends = l.levelEnds;
  if (!Array.isArray(ends) || !ends.every((n, i) => Number.isInteger(n) && n >= (i ? ends[i - 1] : 0) && n <= count))
    throw bad('/ledger/levelEnds', `a list of ascending state counts up to ${count}`);
  const ex = l.expansions;
  const isMap = (x: unknown, each: (v: unknown) => boolean) => isObject(x) && Object.values(x).every(each);
  if (!Array.isArray(ex)) throw bad('/ledger/expansions', 'a list of expansions (operation -> outcome -> count)');
  ex.forEach((e, i) => {
    if (!isMap(e, (m) => isMap(m, isCount))) throw bad(`/ledger/expansions/${i}`, 'not an expansion (operation -> outcome -> count)');
    // Its ops and outcomes are the coverage's (helper-110: invented ones were merged).
    checkOutcomes(e, ['ledger', 'expansions', i], bad);
  });
  const bytes = typeof l.expanded === 'string' ? Buffer.from(l.expanded, 'base64') : undefined;
  // Node skips what is not base64, as for /states: only text that encodes back to itself is (helper-110: "!" + the text passed).
  if (!bytes || bytes.length !== count * 4 || bytes.toString('base64') !== l.expanded)
    throw bad('/ledger/expanded', `not ${count} expansion numbers (base64 of little-endian u32)`);
  const expanded = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    expanded[i] = bytes.readUInt32LE(i * 4);
    if (expanded[i]! > ex.length) throw bad(`/ledger/expanded/${i}`, `expansion ${expanded[i]! - 1} of ${ex.length}`);
  }
  return { levelEnds: ends as number[], expanded, expansions: ex.map((e) => expansionKey(e as Record<string, Record<string, number>>)) };
}
