/**
 * An exploration's result as plain data: what the CLI prints, what a shard
 * writes to its file, and what merging several shards gives. Distinct states
 * are counted by the union of the shards' exact state sets, so states
 * reachable from two shards are counted once; states per depth, transitions
 * and coverage from each shard's ledger (shard-ledger.ts), each state at its
 * shallowest depth and each expanded state's successors once, so a merge
 * reports what one whole exploration reports; a property's shortest
 * counterexample is the shortest any shard found (each shard searches its
 * subtrees breadth first) and, of equally short ones, the one the whole
 * search meets first (violation-scope.ts SearchPath), in the whole search's
 * order. Only the spec-level count is not kept per shard:
 * a merged result says so with null, never with a number it does not know.
 * The shard file that carries a result between machines is shard-format.ts.
 */
import type { Universe } from '../../model/kernel/definitions.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import { escapeControls, KlpcheckError, pointer } from '../errors.ts';
import type { Op } from '../ops.ts';
import { runSequence, type RunResult } from '../run-sequence.ts';
import { scopeFuncs } from './candidates.ts';
import { coverageData, REQUIRED, type Milestone } from './coverage.ts';
import { loadOrderLabelings, relabeledUniverse } from './load-order-labels.ts';
import type { ExploreResult, Shard, StateBudget } from './explorer.ts';
import { formatScope, type ExploreScope } from './scope.ts';
import { addExpansion, type ShardLedgerData } from './shard-ledger.ts';
import { checkInScope, compareSearchPaths, type SearchPath } from './violation-scope.ts';
import { VisitedSet, type VisitedLimits } from './visited.ts';

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
  /** False when stopped (Ctrl-C) before the depth bound, the fixpoint or the state budget. */
  readonly complete: boolean;
  /** Present when the state budget stopped the search (explorer.ts StateBudget): complete up to depthReached. */
  readonly stateBudget?: StateBudget;
  /** Every reachable state in the scope was expanded: passes hold for sequences of any length. */
  readonly fixpoint: boolean;
  readonly depthReached: number;
  /** States stored; the packed engine's leave out those covered (`covered`). */
  readonly distinctStates: number;
  /**
   * Successors past a conformance break that the packed engine did not store,
   * because a stored state has the same definitions, kernel and checkers'
   * memory (packed/covered-past-break.ts), each time one was reached; absent
   * or 0 when it stored every state, as the object engine does.
   */
  readonly covered?: number;
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

/**
 * The universe a violation the search found is saved with: its own, or, for
 * a property that reads owners and releases (checked for every load order:
 * load-order-labels.ts), relabeled with the first load order under which its
 * ops violate it at their last step, so that it replays as it was found.
 * Its own when none does (the caller's replay then says so).
 */
export function witnessUniverse(v: ViolationSummary, sem: Semantics, scope: ExploreScope): Universe {
  if (!INVARIANTS.find((i) => i.id === v.property)?.readsOwners) return v.universe;
  for (const l of loadOrderLabelings(scope.patches)) {
    const universe = relabeledUniverse(v.universe, l);
    const r = replayViolation({ ...v, universe }, sem, scope);
    if (r.violation?.invariant === v.property && r.steps.length === v.ops.length) return universe;
  }
  return v.universe;
}

export function summarize(r: ExploreResult, seconds: number): ExploreSummary {
  const cov = coverageData(r.coverage);
  return {
    semantics: r.semantics,
    scope: r.scope,
    shards: r.shard ? [r.shard] : [],
    ...(r.stateBudget ? { stateBudget: r.stateBudget } : {}),
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
export function merge(
  parts: readonly ExploreSummary[],
  files: readonly string[] = parts.map((_, i) => `part ${i + 1}`),
  /** The visited set's capacity (VISITED_LIMITS); smaller in tests, so that a merge of seconds fills it. */
  limits?: VisitedLimits,
): ExploreSummary {
  if (!parts[0]) throw new KlpcheckError('E_USAGE', 'merge: nothing to merge');
  // In shard order, whatever the operands' order: the merged states, memories and
  // the first of two equally short counterexamples, so the merged file, do not depend on it.
  const order = parts.map((_, i) => i).sort((a, b) => (parts[a]!.shards[0]?.index ?? 0) - (parts[b]!.shards[0]?.index ?? 0));
  // Names go into messages that name two files at once, where format() would make a newline in a name a space:
  // each control character is escaped here, as format() escapes the one file it names.
  return mergeInOrder(
    order.map((i) => parts[i]!),
    order.map((i) => escapeControls(files[i]!)),
    limits,
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

function mergeInOrder(parts: readonly ExploreSummary[], files: readonly string[], limits?: VisitedLimits): ExploreSummary {
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
  const states = new VisitedSet(false, limits);
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
      // A search stops at a full set and claims the levels it expanded; a merge cannot stop with a claim
      // (a shard's states are not in depth order across files), so it refuses (it was an internal error).
      const full = states.refuses(key, len);
      if (full)
        throw new KlpcheckError(
          'E_USAGE',
          `merge: the shards hold more distinct states than the visited set holds (${full}), so they cannot be merged; explore with a smaller depth or scope`,
        );
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
    transitions += addExpansion(outcomes, m);
  }
  const deepest = statesPerDepth.length - 1;
  // As one whole search: the fixpoint when no state lies at the bound, and then the empty level closes the list.
  const fixpoint = complete && deepest < bound;
  if (fixpoint) statesPerDepth.push(0);
  /** A counterexample and the part (shard file) it came from, which an error about it names. */
  type Candidate = { readonly v: ViolationSummary; readonly part: number };
  const shortest = new Map<string, Candidate>();
  /** Where the search meets each counterexample asked about: worked out only for equally short ones. */
  const paths = new Map<ViolationSummary, SearchPath>();
  // Known: a shard file of an unknown semantics is refused on reading (shard-format.ts fromJson).
  const sem = semanticsByName(first.semantics);
  if (!sem) throw new Error(`merge: unknown semantics ${first.semantics}`);
  const pathOf = ({ v, part }: Candidate) => {
    let path = paths.get(v);
    if (!path) paths.set(v, (path = checkInScope(v, sem, first.scope, files[part]!, `/violations/${parts[part]!.violations.indexOf(v)}`)));
    return path;
  };
  parts.forEach((p, part) => {
    for (const v of p.violations) {
      const c: Candidate = { v, part };
      const best = shortest.get(v.property);
      // Of two equally short counterexamples the whole search finds first the one its breadth-first order meets
      // first. Why the least of the shards' is that one: each level is expanded in the order of its states' paths
      // (a path being the first found, so the least of the shortest), so the whole search's counterexample P has
      // the least path of the shortest violating ones. P runs through one state at the split depth, and that
      // state's shard holds all of P and finds it: a path it could prefer is a shortest path in the whole search
      // too (a step shorter would give a shorter counterexample), so it is not less than P. Every other shard's
      // is, for the same reason, a shortest path of the whole search, so not less than P either.
      if (
        !best ||
        v.ops.length < best.v.ops.length ||
        (v.ops.length === best.v.ops.length && compareSearchPaths(pathOf(c), pathOf(best)) < 0)
      )
        shortest.set(v.property, c);
    }
  });
  // The kept counterexamples in the order the whole search finds them: by depth, then where the search meets them;
  // one transition violating several gives them in the order of the properties, as run-sequence.ts checks them,
  // which the list starts in and a stable sort keeps.
  const violations = first.properties
    .flatMap((prop) => (shortest.has(prop) ? [shortest.get(prop)!] : []))
    .sort((a, b) => a.v.ops.length - b.v.ops.length || compareSearchPaths(pathOf(a), pathOf(b)))
    .map((c) => c.v);
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
    violations,
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

/** The milestones (coverage.ts) a pass must have reached not to be VACUOUS, that these transitions never reached. */
export function missingMilestones(s: Pick<ExploreSummary, 'reached'>): Milestone[] {
  return REQUIRED.filter((m) => !s.reached.includes(m));
}

/** The most shards one exploration is split into: what --shard i/n takes, and what a shard file may say. */
export const SHARD_MAX = 1024;
