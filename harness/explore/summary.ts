/**
 * An exploration's result as plain data: what the CLI prints, what a shard
 * writes to its file, and what merging several shards gives. Distinct states
 * are counted by the union of the shards' exact state sets, so states
 * reachable from two shards are counted once; states per depth, transitions
 * and coverage from each shard's ledger (shard-ledger.ts), each state at its
 * shallowest depth and each expanded state's successors once, so a merge
 * reports what one whole exploration reports; a property's shortest
 * counterexample is the shortest any shard found (each shard searches its
 * subtrees breadth first). Only the spec-level count is not kept per shard:
 * a merged result says so with null, never with a number it does not know.
 */
import { createHash } from 'node:crypto';
import { funcKey, type PatchDef, type Universe } from '../../model/kernel/definitions.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import { KlpcheckError, pointer } from '../errors.ts';
import { validate, validatorFor } from '../json-file.ts';
import { describeOp, type Op } from '../ops.ts';
import { checkOps, universeNames } from '../references.ts';
import { runSequence, type RunResult } from '../run-sequence.ts';
import { plural } from '../../report/plural.ts';
import { KLPCHECK_VERSION } from '../versions.ts';
import { candidateOps, newPatchDefs, patchName, scopeFuncs } from './candidates.ts';
import { coverageData, REQUIRED, type Milestone } from './coverage.ts';
import { rootUniverse } from './expand.ts';
import type { ExploreResult, Shard } from './explorer.ts';
import { formatScope, LIMITS, type ExploreScope } from './scope.ts';
import { expansionKey, successorsIn, type ShardLedgerData } from './shard-ledger.ts';
import { VisitedSet } from './visited.ts';

export interface ViolationSummary {
  readonly property: string;
  readonly depth: number;
  readonly universe: Universe;
  readonly ops: readonly Op[];
  readonly reason: string;
}

export interface ExploreSummary {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly shards: readonly Shard[];
  /** False when stopped (Ctrl-C) before the depth bound or the fixpoint. */
  readonly complete: boolean;
  /** Every reachable state in the scope was expanded: passes hold for sequences of any length. */
  readonly fixpoint: boolean;
  readonly depthReached: number;
  readonly distinctStates: number;
  /**
   * Distinct spec-level states (the Promela model's count; 0 when conformance is
   * not checked, so the spec model is not followed); null in a merged result:
   * the shards do not keep their spec states, so no count is known.
   */
  readonly specStates: number | null;
  /** Transitions checked: the successors of every expanded state (merged: of each state once). */
  readonly transitions: number;
  /** States first reached at each depth from the roots (0); at the fixpoint it ends with the empty level. A shard's: its own below the split. */
  readonly statesPerDepth: readonly number[];
  readonly properties: readonly string[];
  readonly violations: readonly ViolationSummary[];
  /** op -> outcome -> count */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly reached: readonly Milestone[];
  /** Every visited state, end to end (visited.ts export), for merging shards. */
  readonly states: Uint8Array;
  /** The checker memories the states' last two bytes number (ids are per exploration: merging renumbers them). */
  readonly memories: readonly string[];
  /** A shard's per-state depths and expansions, for an exact merge; absent in a whole or merged result. */
  readonly ledger?: ShardLedgerData;
  /** Wall-clock seconds; never printed on standard output (it would differ between two identical runs). */
  readonly seconds: number;
}

/**
 * Runs a violation's ops again as the search checked them: its property's
 * invariant alone (or conformance), over the scope's functions. Reading a
 * shard file replays each of its violations before a merge believes them
 * (fromJson, checkViolation); saving one replays it to build its trace.
 */
export function replayViolation(v: ViolationSummary, sem: Semantics, scope: ExploreScope): RunResult {
  const inv = INVARIANTS.find((i) => i.id === v.property);
  return runSequence(v.universe, sem, v.ops, {
    invariants: inv ? [inv] : [],
    conformance: v.property === CONFORMANCE,
    funcs: scopeFuncs(scope),
  });
}

export function summarize(r: ExploreResult, seconds: number): ExploreSummary {
  const cov = coverageData(r.coverage);
  return {
    semantics: r.semantics,
    scope: r.scope,
    shards: r.shard ? [r.shard] : [],
    complete: r.complete,
    fixpoint: r.fixpoint,
    depthReached: r.depthReached,
    distinctStates: r.distinctStates,
    specStates: r.specStates,
    transitions: r.transitions,
    statesPerDepth: r.statesPerDepth,
    properties: r.properties,
    violations: r.violations.map((v) => ({
      property: v.property,
      depth: v.depth,
      universe: v.universe,
      ops: v.result.steps.map((s) => s.op),
      reason: v.result.violation?.reason ?? '',
    })),
    outcomes: cov.outcomes,
    reached: cov.reached,
    states: r.visited.export(),
    memories: r.memories,
    ...(r.ledger ? { ledger: r.ledger } : {}),
    seconds,
  };
}

const sameScope = (a: ExploreScope, b: ExploreScope) => formatScope(a) === formatScope(b);

/**
 * Merges the results of shards i/n of one exploration. Refused (E_SCHEMA,
 * naming the file and the JSON pointer): shards of different semantics,
 * scopes (both files named, each with its scope), properties or shard
 * counts, a shard in two files (both named, and a shard then in no file), a
 * part that is not a shard at all, or a state no file expanded (each file
 * holding it named, at its ledger entry); a missing shard is E_USAGE (a file left off the command
 * line): a merge of fewer than all shards must never read as a pass.
 */
export function merge(parts: readonly ExploreSummary[], files: readonly string[] = parts.map((_, i) => `part ${i + 1}`)): ExploreSummary {
  if (!parts[0]) throw new KlpcheckError('E_USAGE', 'merge: nothing to merge');
  // In shard order, whatever the operands' order: the merged states, memories and
  // the first of two equally short counterexamples, so the merged file, do not depend on it.
  const order = parts.map((_, i) => i).sort((a, b) => (parts[a]!.shards[0]?.index ?? 0) - (parts[b]!.shards[0]?.index ?? 0));
  return mergeInOrder(
    order.map((i) => parts[i]!),
    order.map((i) => files[i]!),
  );
}

/**
 * The shards below `count` that no file holds (`seen` holds only indexes
 * below it): how many, and the first `shown` as `i/count`, then `and N more`.
 * Never a list of every index: a /shards count edited to 2000000000 built
 * one and ran out of memory.
 */
function missingShards(seen: ReadonlyMap<number, unknown>, count: number, shown = 8): { readonly total: number; readonly text: string } {
  const first: number[] = [];
  for (let i = 0; i < count && first.length < shown; i++) if (!seen.has(i)) first.push(i);
  const total = count - seen.size;
  return {
    total,
    text: `${first.map((i) => `${i}/${count}`).join(', ')}${total > first.length ? ` and ${total - first.length} more` : ''}`,
  };
}

function mergeInOrder(parts: readonly ExploreSummary[], files: readonly string[]): ExploreSummary {
  const first = parts[0]!;
  /** Each shard index, with the file and pointer that hold it first; and the first index found in two files. */
  const seen = new Map<number, string>();
  let twice: { readonly index: number; readonly places: readonly [string, string] } | undefined;
  let count = 0;
  parts.forEach((p, i) => {
    const file = files[i]!;
    // Where two files disagree, neither is at fault alone: both are named, each with its value.
    if (p.semantics !== first.semantics)
      throw new KlpcheckError(
        'E_SCHEMA',
        `shard files of different semantics: ${files[0]}:/semantics is ${first.semantics}, ${file}:/semantics is ${p.semantics}`,
      );
    if (!sameScope(p.scope, first.scope))
      throw new KlpcheckError(
        'E_SCHEMA',
        `shard files of different scopes: ${files[0]}:/scope is ${formatScope(first.scope)}, ${file}:/scope is ${formatScope(p.scope)}`,
      );
    if (p.properties.join(',') !== first.properties.join(','))
      throw new KlpcheckError(
        'E_SCHEMA',
        `shard files of different properties: ${files[0]}:/properties is ${first.properties.join(',')}, ${file}:/properties is ${p.properties.join(',')}`,
      );
    if (!p.shards.length) throw new KlpcheckError('E_SCHEMA', 'not a shard: a whole exploration needs no merge', file, '/shards');
    for (const s of p.shards) {
      if (count && s.count !== count)
        throw new KlpcheckError(
          'E_SCHEMA',
          `shard files of different splits: ${files[0]}:/shards/0/count is ${count}, ${file}:/shards/${p.shards.indexOf(s)}/count is ${s.count}`,
        );
      count = s.count;
      const place = `${file}:/shards/${p.shards.indexOf(s)}/index`;
      const had = seen.get(s.index);
      if (had === undefined) seen.set(s.index, place);
      else twice ??= { index: s.index, places: [had, place] };
    }
  });
  const missing = missingShards(seen, count);
  // Which of two files holding one shard is wrong only the user knows: both are named, and a shard then in no file.
  if (twice)
    throw new KlpcheckError(
      'E_SCHEMA',
      `shard files of one shard: ${twice.places.join(' and ')} are both shard ${twice.index}/${count}${
        missing.total ? `, and no file holds shard${missing.total > 1 ? 's' : ''} ${missing.text}` : ''
      }`,
    );
  if (missing.total)
    throw new KlpcheckError(
      'E_USAGE',
      `merge: shard${missing.total > 1 ? 's' : ''} ${missing.text} missing; a partial merge would claim more than was checked`,
    );
  const states = new VisitedSet();
  const memories = new Map<string, number>();
  /** Per merged state: its shallowest depth over the shards, and its expansion's key and the file that gave it. */
  const depthOf: number[] = [];
  const expansionOf: (string | undefined)[] = [];
  const expandedIn: number[] = [];
  const key = new Uint8Array(256);
  /** Per part: its checker-memory ids, renumbered into the merge's. */
  const idsOf: number[][] = [];
  parts.forEach((p, pi) => {
    const file = files[pi]!;
    const ledger = p.ledger;
    if (!ledger) throw new KlpcheckError('E_SCHEMA', 'a shard without its per-state ledger cannot be merged exactly', file, '/ledger');
    const ids = p.memories.map((m) => memories.get(m) ?? memories.set(m, memories.size).get(m)!);
    idsOf[pi] = ids;
    let depth = 0;
    for (let o = 0, j = 0; o < p.states.length; o += p.states[o]! + 1, j++) {
      const len = p.states[o]!;
      key.set(p.states.subarray(o + 1, o + 1 + len));
      const id = ids[key[len - 2]! | (key[len - 1]! << 8)];
      if (id === undefined) throw new KlpcheckError('E_SCHEMA', 'a state names a checker memory the file does not list', file, '/states');
      key[len - 2] = id & 0xff;
      key[len - 1] = id >>> 8;
      while (depth < ledger.levelEnds.length && j >= ledger.levelEnds[depth]!) depth++;
      const { index } = states.add(key.subarray(0, len));
      depthOf[index] = Math.min(depthOf[index] ?? depth, depth);
      const e = ledger.expanded[j]!;
      if (!e) continue;
      const expansion = ledger.expansions[e - 1]!;
      const had = expansionOf[index];
      if (had !== undefined && had !== expansion)
        throw new KlpcheckError(
          'E_SCHEMA',
          `a state has other successors than in ${files[expandedIn[index]!]}: not shards of one exploration`,
          file,
          `/ledger/expanded/${j}`,
        );
      expansionOf[index] = expansion;
      expandedIn[index] = pi;
    }
  });
  const complete = parts.every((p) => p.complete);
  const bound = first.scope.depth ?? Infinity;
  const statesPerDepth: number[] = [];
  const outcomes: Record<string, Record<string, number>> = {};
  const parsed = new Map<string, Record<string, Record<string, number>>>();
  let transitions = 0;
  for (let i = 0; i < states.size; i++) {
    const d = depthOf[i]!;
    while (statesPerDepth.length <= d) statesPerDepth.push(0);
    statesPerDepth[d]!++;
    const k = expansionOf[i];
    if (k === undefined) {
      // The whole search expands every state above the bound; so must the shards, together.
      if (complete && d < bound) {
        const held = holdersOf(states.get(i), parts, idsOf, files);
        throw new KlpcheckError(
          'E_SCHEMA',
          `merge: no shard file expanded a state at depth ${d}: ${held.join(' and ')} hold${held.length > 1 ? '' : 's'} it unexpanded: not the shards of one exploration (another split depth?), or a ledger edited`,
        );
      }
      continue;
    }
    let m = parsed.get(k);
    if (!m) parsed.set(k, (m = JSON.parse(k) as Record<string, Record<string, number>>));
    transitions += successorsIn(m);
    for (const [op, byOutcome] of Object.entries(m)) {
      outcomes[op] ??= {};
      for (const [o, n] of Object.entries(byOutcome)) outcomes[op]![o] = (outcomes[op]![o] ?? 0) + n;
    }
  }
  const deepest = statesPerDepth.length - 1;
  // As one whole search: the fixpoint when no state lies at the bound, and then the empty level closes the list.
  const fixpoint = complete && deepest < bound;
  if (fixpoint) statesPerDepth.push(0);
  const shortest = new Map<string, ViolationSummary>();
  for (const p of parts) {
    for (const v of p.violations) {
      const best = shortest.get(v.property);
      if (!best || v.ops.length < best.ops.length) shortest.set(v.property, v);
    }
  }
  return {
    semantics: first.semantics,
    scope: first.scope,
    shards: [],
    complete,
    fixpoint,
    depthReached: !complete ? Math.min(...parts.map((p) => p.depthReached)) : fixpoint ? deepest : bound,
    distinctStates: states.size,
    specStates: null,
    transitions,
    statesPerDepth,
    properties: first.properties,
    violations: first.properties.flatMap((prop) => (shortest.has(prop) ? [shortest.get(prop)!] : [])),
    outcomes,
    reached: [...new Set(parts.flatMap((p) => p.reached))].sort(),
    states: states.export(),
    memories: [...memories.keys()],
    seconds: Math.max(...parts.map((p) => p.seconds)),
  };
}

/**
 * Where the files hold merged state `target` (its bytes, memory id
 * renumbered): `file:/ledger/expanded/j` for each, j its place in the file.
 * Only for the error that names them: it reads every file's states again.
 */
function holdersOf(target: Uint8Array, parts: readonly ExploreSummary[], idsOf: readonly number[][], files: readonly string[]): string[] {
  const wanted = Uint8Array.from(target);
  const len = wanted.length;
  const key = new Uint8Array(256);
  const held: string[] = [];
  parts.forEach((p, pi) => {
    for (let o = 0, j = 0; o < p.states.length; o += p.states[o]! + 1, j++) {
      if (p.states[o] !== len) continue;
      key.set(p.states.subarray(o + 1, o + 1 + len));
      const id = idsOf[pi]![key[len - 2]! | (key[len - 1]! << 8)]!;
      key[len - 2] = id & 0xff;
      key[len - 1] = id >>> 8;
      if (key.subarray(0, len).every((b, x) => b === wanted[x])) held.push(`${files[pi]}:/ledger/expanded/${j}`);
    }
  });
  return held;
}

/**
 * Whether the summary is one shard's share of an exploration, not the whole:
 * it may not say a property holds, and its counterexamples may not be the
 * shortest overall. A merge holds every shard (merge() refuses fewer).
 */
export function isShardShare(s: ExploreSummary): boolean {
  return s.shards.length > 0 && s.shards.length < s.shards[0]!.count;
}

export function missingMilestones(s: ExploreSummary): Milestone[] {
  return REQUIRED.filter((m) => !s.reached.includes(m));
}

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
 * interrupted search went deeper than it did.
 */
export const SHARD_FORMAT = 6;

/** The most shards one exploration is split into: what --shard i/n takes, and what a shard file may say. */
export const SHARD_MAX = 1024;

/**
 * The members of a shard file a merge believes without being able to check
 * them, each sealed by a digest in /sha256: what its verdict names (the
 * semantics, the scope, the properties), which shard it is, how deep an
 * interrupted search got, the milestones reached (their absence is the
 * verdict's VACUOUS note), the checker memories the states' last bytes
 * number, the states (their union is the merged state count) and a shard's
 * ledger (its level ends give the merged depths, its expansions the
 * transitions and the coverage). Not sealed: /complete (false claims less,
 * and a search said complete whose states are not all expanded is refused
 * by the merge), /violations (each is replayed and held to the scope), the
 * counts a merge computes again from the ledger (/distinctStates must also
 * agree with /states), and the format's own members.
 */
const SEALED = ['semantics', 'scope', 'shards', 'properties', 'depthReached', 'reached', 'memories', 'states', 'ledger'] as const;

/** The sealed members checked before the violations (which are read in their terms), so that an edited one is blamed, not an entry. */
const HEADER = SEALED.filter((k) => k !== 'states' && k !== 'ledger');

/**
 * The /sha256 member of a shard file holding `file`'s members: for each
 * sealed member it has (SEALED, or those of `members`; the ledger only in a shard's file), the
 * sha256 (hex) of its value as canonical JSON (canonicalJson), so that a
 * file whose keys were reordered, or that was indented again, keeps its
 * digests while any change of a value does not. toJson writes it; fromJson
 * computes it again and refuses a member whose digest differs, at that member.
 */
export function shardDigests(file: Readonly<Record<string, unknown>>, members: readonly string[] = SEALED): Record<string, string> {
  return Object.fromEntries(
    members.filter((k) => file[k] !== undefined).map((k) => [k, createHash('sha256').update(canonicalJson(file[k])).digest('hex')]),
  );
}

/** JSON text of `value` with every object's keys sorted (and undefined members left out, as JSON.stringify leaves them). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
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
    throw bad('/klpcheck', `written by klpcheck ${String(r.klpcheck)}, not ${KLPCHECK_VERSION}: state encodings differ between versions`);
  if (r.formatVersion !== SHARD_FORMAT)
    throw bad(
      '/formatVersion',
      r.formatVersion === undefined
        ? 'an older explore shard format (its merge counted the levels above the split once per shard): explore the shards again'
        : `explore shard format ${JSON.stringify(r.formatVersion)}, not ${SHARD_FORMAT}`,
    );
  if (typeof r.semantics !== 'string') throw bad('/semantics', 'missing semantics');
  // Known before the violations are read: whether one lies in the scope depends on what the search of this semantics builds.
  const sem = semanticsByName(r.semantics);
  if (!sem) throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${r.semantics}'`, file, pointer('semantics'));
  // A /scope deleted or replaced is that member's fault, not its first key's.
  if (!r.scope || typeof r.scope !== 'object' || Array.isArray(r.scope)) throw bad('/scope', 'missing or not an object');
  const scope = r.scope as Record<string, unknown>;
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
  if (
    !Array.isArray(shards) ||
    !shards.every((s) => s && Number.isInteger(s.index) && Number.isInteger(s.count) && s.index >= 0 && s.index < s.count)
  ) {
    throw bad('/shards', 'a list of {index, count} with 0 <= index < count');
  }
  shards.forEach((s, i) => {
    if (s.count > SHARD_MAX) throw bad(`/shards/${i}/count`, `a split into at most ${SHARD_MAX} shards (as --shard takes), not ${s.count}`);
  });
  for (const k of ['complete', 'fixpoint'] as const) if (typeof r[k] !== 'boolean') throw bad(`/${k}`, 'missing or not true/false');
  for (const k of ['depthReached', 'distinctStates', 'transitions'] as const)
    if (!Number.isInteger(r[k])) throw bad(`/${k}`, 'missing or not a whole number');
  if (r.specStates !== null && !Number.isInteger(r.specStates))
    throw bad('/specStates', 'missing or not a whole number (null in a merged result)');
  if (!Array.isArray(r.properties) || !r.properties.every((p) => typeof p === 'string'))
    throw bad('/properties', 'a list of property names');
  // A name no search checks, or one twice, would be reported as holding (hostile-user finding).
  const known = [CONFORMANCE, ...INVARIANTS.map((i) => i.id)];
  r.properties.forEach((p, i, all) => {
    if (!known.includes(p)) throw bad(`/properties/${i}`, `unknown property '${p}' (properties: ${known.join(', ')})`);
    if (all.indexOf(p) !== i) throw bad(`/properties/${i}`, `property '${p}' listed twice`);
  });
  if (!Array.isArray(r.violations)) throw bad('/violations', 'missing or not a list');
  if (!r.outcomes || typeof r.outcomes !== 'object' || !Array.isArray(r.reached)) throw bad('/outcomes', 'missing coverage');
  if (!Array.isArray(r.memories) || !r.memories.every((m) => typeof m === 'string')) throw bad('/memories', 'a list of strings');
  const sums = r.sha256;
  if (!sums || typeof sums !== 'object' || Array.isArray(sums))
    throw bad('/sha256', 'missing or not an object (member -> sha256 digest of what a merge believes)');
  checkDigests(r, sums as Record<string, unknown>, HEADER, bad);
  r.violations.forEach((v, i) => checkViolation(v, i, r.properties as string[], r.violations as unknown[], sem, scope as never, file));
  if (typeof r.states !== 'string') throw bad('/states', 'missing states');
  if (!Array.isArray(r.statesPerDepth) || !r.statesPerDepth.every((n) => Number.isInteger(n) && n >= 0))
    throw bad('/statesPerDepth', 'a list of whole numbers');
  const decoded = Buffer.from(r.states, 'base64');
  // Node skips what is not base64: only text that encodes back to itself is (toJson writes it so).
  if (decoded.toString('base64') !== r.states) throw bad('/states', 'not base64');
  const states = new Uint8Array(decoded);
  let count = 0;
  // Each state ends with its checker-memory id (two bytes).
  for (let o = 0; o < states.length; o += states[o]! + 1, count++)
    if (states[o]! < 2 || o + 1 + states[o]! > states.length) throw bad('/states', 'a truncated state list');
  const ledger = shards.length ? ledgerFromJson(r.ledger, count, bad) : undefined;
  checkDigests(r, sums as Record<string, unknown>, ['states', 'ledger'], bad);
  checkStateCounts(count, r.distinctStates as number, ledger, r.complete as boolean, scope.depth as number | undefined, bad);
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
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/**
 * Refuses a violation (its universe and ops) that the search of `scope`
 * under `sem` could not have found, so that no violation is reported 'in
 * scope S' that lies outside S. The rule is the search's own: its universe
 * is rootUniverse(scope) (the target module mod, scope.tasks tasks, nothing
 * else) with patches p1, p2 ... added as the ops first load them, each
 * definition one newPatchDefs gives after the ones before it (so at most
 * scope.patches patches, functions among scopeFuncs(scope), state ids 1 to
 * scope.states, in the order of the symmetry reduction); each op is one of
 * candidateOps for the patches loaded so far, or the load of the next patch;
 * and with a depth bound there are at most that many ops. Not refused, as
 * they change no state: patches after the last one the ops load (the search
 * defines a patch when it first loads it, and two universes that differ
 * only in patches not loaded yet are the same state: candidates.ts), if
 * each is a definition the search could give next; and ops the search skips
 * as pointless (insmod of a loaded module and the like). The bounds are
 * checked first, each with what exceeds it. E_SCHEMA naming `file`, at `at`
 * (the entry's pointer) /universe, /ops (their number) or /ops/j.
 */
export function checkInScope(
  v: { readonly universe: Universe; readonly ops: readonly Op[] },
  sem: Semantics,
  scope: ExploreScope,
  file: string,
  at: string,
): void {
  const { universe: u, ops } = v;
  const where = `in scope ${formatScope(scope)}`;
  const refuse = (to: string, why: string) => new KlpcheckError('E_SCHEMA', why, file, `${at}${to}`);
  const outside = (to: string, why: string) => refuse(to, `${why}: outside the file's scope ${formatScope(scope)}`);
  if (u.patches.length > scope.patches)
    throw outside('/universe', `${plural(u.patches.length, 'patch', 'patches')}, more than patches=${scope.patches}`);
  const tasks = u.kernel?.tasks ?? 2;
  if (tasks !== scope.tasks) throw outside('/universe', `${plural(tasks, 'task')} (/kernel/tasks), not tasks=${scope.tasks}`);
  const funcs = scopeFuncs(scope);
  const shown = funcs.map((f) => f.replace(/,0$/, ''));
  const ids = scope.states === 0 ? 'no state ids' : scope.states === 1 ? 'state id 1' : `state ids 1 to ${scope.states}`;
  for (const p of u.patches) {
    for (const o of p.objects ?? [])
      for (const f of o.funcs ?? []) {
        // A NULL old_name is no function; no definition the search gives has one (refused below).
        if (f.old_name === null || funcs.includes(funcKey(o.name, f.old_name, f.old_sympos ?? 0))) continue;
        throw outside(
          '/universe',
          `patch ${p.name} patches ${o.name}:${f.old_name}${f.old_sympos ? `,${f.old_sympos}` : ''}, not one of functions=${scope.functions} (${shown.slice(0, -1).join(', ')} and ${shown.at(-1)})`,
        );
      }
    for (const st of p.states ?? [])
      if (st.id < 1 || st.id > scope.states)
        throw outside('/universe', `patch ${p.name} has state id ${st.id}, beyond states=${scope.states} (${ids})`);
  }
  u.patches.forEach((p, k) => {
    if (p.name !== patchName(k + 1))
      throw refuse('/universe', `patch ${p.name} is at /patches/${k}: explore names its patches p1, p2 ... in the order it loads them`);
  });
  const { patches: _, ...rest } = u;
  const { patches: __, ...root } = rootUniverse(scope);
  if (canonicalJson(rest) !== canonicalJson(root))
    throw refuse(
      '/universe',
      `its modules, kernel and forbid_downgrade are not those of every universe explore builds ${where} (${canonicalJson(root)})`,
    );
  if (scope.depth !== undefined && ops.length > scope.depth)
    throw outside('/ops', `${plural(ops.length, 'op')}, more than depth=${scope.depth}`);
  // Which state ids own shadow variables is chosen once per search root; the universe's own definitions say which.
  const shadowIds = new Set(u.patches.flatMap((p) => (p.states ?? []).filter((st) => st.is_shadow === true).map((st) => st.id)));
  const known: PatchDef[] = [];
  /** Patch k, after the k patches before it, must be a definition the search gives a new patch. */
  const checkDef = (k: number) => {
    const spelled = canonicalJson(u.patches[k]);
    if (!newPatchDefs(sem, scope, known, shadowIds).some((d) => canonicalJson(d) === spelled))
      throw refuse(
        '/universe',
        `patch ${u.patches[k]!.name} (/patches/${k}) is none of the definitions explore gives the patch it loads ${ORDINALS[k] ?? `${k + 1}th`} ${where}`,
      );
  };
  let candidates: Set<string> | undefined;
  ops.forEach((op, j) => {
    candidates ??= new Set(candidateOps(sem, scope, known).map(canonicalJson));
    if (candidates.has(canonicalJson(op))) return;
    const next = patchName(known.length + 1);
    // The search's load of a new patch is that insmod alone, with no parameters.
    if (canonicalJson(op) === canonicalJson({ op: 'insmod', module: next }) && known.length < u.patches.length) {
      checkDef(known.length);
      known.push(u.patches[known.length]!);
      candidates = undefined;
      return;
    }
    if (op.op === 'insmod' && u.patches.some((p, k) => k > known.length && p.name === op.module))
      throw refuse(
        `/ops/${j}`,
        `${describeOp(op)} loads ${op.module} before ${next}: explore names its patches in the order it loads them`,
      );
    const loaded = known.map((d) => d.name);
    throw refuse(
      `/ops/${j}`,
      `${describeOp(op)} is not an operation explore tries ${loaded.length ? `after loading ${loaded.slice(0, -1).join(', ')}${loaded.length > 1 ? ' and ' : ''}${loaded.at(-1)}` : 'before loading a patch'} ${where}`,
    );
  });
  // Patches the ops never load change no state (candidates.ts), but each is still a definition the search could give next.
  for (let k = known.length; k < u.patches.length; k++) {
    checkDef(k);
    known.push(u.patches[k]!);
  }
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
  for (const [k, digest] of Object.entries(shardDigests(file, members))) {
    const had = sums[k];
    if (typeof had !== 'string' || !/^[0-9a-f]{64}$/.test(had))
      throw bad(`/sha256/${k}`, 'missing or not a sha256 digest (64 lowercase hex digits)');
    if (had !== digest) throw bad(`/${k}`, `does not match its digest /sha256/${k} (it hashes to ${digest}): damaged or edited`);
  }
}

/**
 * What the states a file holds must agree with, whatever its digests say (a
 * file could be sealed again after an edit): every exploration holds at
 * least its root states (depth 0), so an empty /states is refused there (it
 * merged into 'holds ... 0 distinct states'); /distinctStates is the number
 * of states /states holds; and a shard's ledger has the roots as its first
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
  if (!count) throw bad('/states', 'no state: every exploration holds at least its root states (depth 0)');
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

/** A shard's ledger from its file: level ends within the states, one expansion number per state, each expansion op -> outcome -> count. */
function ledgerFromJson(raw: unknown, count: number, bad: (where: string, why: string) => KlpcheckError): ShardLedgerData {
  const l = raw as Record<string, unknown> | undefined;
  if (!l || typeof l !== 'object') throw bad('/ledger', "missing: a shard's per-state depths and expansions");
  const ends = l.levelEnds;
  if (!Array.isArray(ends) || !ends.every((n, i) => Number.isInteger(n) && n >= (i ? ends[i - 1] : 0) && n <= count))
    throw bad('/ledger/levelEnds', `a list of ascending state counts up to ${count}`);
  const ex = l.expansions;
  const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  const isMap = (x: unknown, each: (v: unknown) => boolean) =>
    !!x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every(each);
  if (!Array.isArray(ex)) throw bad('/ledger/expansions', 'a list of expansions (operation -> outcome -> count)');
  ex.forEach((e, i) => {
    if (!isMap(e, (m) => isMap(m, isCount))) throw bad(`/ledger/expansions/${i}`, 'not an expansion (operation -> outcome -> count)');
  });
  const bytes = typeof l.expanded === 'string' ? Buffer.from(l.expanded, 'base64') : undefined;
  if (!bytes || bytes.length !== count * 4) throw bad('/ledger/expanded', `not ${count} expansion numbers (base64 of little-endian u32)`);
  const expanded = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    expanded[i] = bytes.readUInt32LE(i * 4);
    if (expanded[i]! > ex.length) throw bad(`/ledger/expanded/${i}`, `expansion ${expanded[i]! - 1} of ${ex.length}`);
  }
  return { levelEnds: ends as number[], expanded, expansions: ex.map((e) => expansionKey(e as Record<string, Record<string, number>>)) };
}
