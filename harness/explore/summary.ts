/**
 * An exploration's result as plain data: what the CLI prints, what a shard
 * writes to its file, and what merging several shards gives. Distinct states
 * are counted by the union of the shards' exact state sets, so states
 * reachable from two shards are counted once; a property's shortest
 * counterexample is the shortest any shard found (each shard searches its
 * subtrees breadth first).
 */
import type { Universe } from '../../model/kernel/definitions.ts';
import { KlpcheckError } from '../errors.ts';
import type { Op } from '../ops.ts';
import { KLPCHECK_VERSION } from '../versions.ts';
import { coverageData, REQUIRED, type Milestone } from './coverage.ts';
import type { ExploreResult, Shard } from './explorer.ts';
import { formatScope, type ExploreScope } from './scope.ts';
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
  /** Distinct spec-level states (the Promela model's count); 0 in a merged result (not kept per shard). */
  readonly specStates: number;
  readonly transitions: number;
  readonly properties: readonly string[];
  readonly violations: readonly ViolationSummary[];
  /** op -> outcome -> count */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly reached: readonly Milestone[];
  /** Every visited state, end to end (visited.ts export), for merging shards. */
  readonly states: Uint8Array;
  /** The checker memories the states' last two bytes number (ids are per exploration: merging renumbers them). */
  readonly memories: readonly string[];
  /** Wall-clock seconds; never printed on standard output (it would differ between two identical runs). */
  readonly seconds: number;
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
    seconds,
  };
}

const sameScope = (a: ExploreScope, b: ExploreScope) => formatScope(a) === formatScope(b);

/**
 * Merges the results of shards i/n of one exploration. Refused (E_USAGE,
 * naming the file): shards of different semantics, scopes, properties or
 * shard counts, a shard given twice, a missing shard, or a part that is not
 * a shard at all; a merge of fewer than all shards must never read as a pass.
 */
export function merge(parts: readonly ExploreSummary[], files: readonly string[] = parts.map((_, i) => `part ${i + 1}`)): ExploreSummary {
  const first = parts[0];
  if (!first) throw new KlpcheckError('E_USAGE', 'merge: nothing to merge');
  const seen = new Map<number, string>();
  let count = 0;
  parts.forEach((p, i) => {
    const file = files[i]!;
    if (p.semantics !== first.semantics)
      throw new KlpcheckError('E_USAGE', `a shard of ${p.semantics}, not ${first.semantics} as ${files[0]}`, file);
    if (!sameScope(p.scope, first.scope))
      throw new KlpcheckError('E_USAGE', `a shard of scope ${formatScope(p.scope)}, not ${formatScope(first.scope)} as ${files[0]}`, file);
    if (p.properties.join(',') !== first.properties.join(','))
      throw new KlpcheckError('E_USAGE', `checks other properties than ${files[0]}`, file);
    if (!p.shards.length) throw new KlpcheckError('E_USAGE', 'not a shard: a whole exploration needs no merge', file);
    for (const s of p.shards) {
      if (count && s.count !== count)
        throw new KlpcheckError('E_USAGE', `shard ${s.index}/${s.count} of another split than ${files[0]} (${count} shards)`, file);
      count = s.count;
      const twice = seen.get(s.index);
      if (twice !== undefined) throw new KlpcheckError('E_USAGE', `shard ${s.index}/${s.count} given twice (also ${twice})`, file);
      seen.set(s.index, file);
    }
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length)
    throw new KlpcheckError(
      'E_USAGE',
      `merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing; a partial merge would claim more than was checked`,
    );
  const states = new VisitedSet();
  const memories = new Map<string, number>();
  for (const p of parts) {
    const ids = p.memories.map((m) => memories.get(m) ?? memories.set(m, memories.size).get(m)!);
    const renumbered = p.states.slice();
    for (let o = 0; o < renumbered.length; o += renumbered[o]! + 1) {
      const end = o + renumbered[o]!;
      const id = ids[renumbered[end - 1]! | (renumbered[end]! << 8)];
      if (id === undefined) throw new KlpcheckError('E_USAGE', 'a state names a checker memory the file does not list', undefined);
      renumbered[end - 1] = id & 0xff;
      renumbered[end] = id >>> 8;
    }
    states.addAll(renumbered);
  }
  const shortest = new Map<string, ViolationSummary>();
  for (const p of parts) {
    for (const v of p.violations) {
      const best = shortest.get(v.property);
      if (!best || v.ops.length < best.ops.length) shortest.set(v.property, v);
    }
  }
  const outcomes: Record<string, Record<string, number>> = {};
  for (const p of parts) {
    for (const [op, m] of Object.entries(p.outcomes)) {
      outcomes[op] ??= {};
      for (const [o, n] of Object.entries(m)) outcomes[op]![o] = (outcomes[op]![o] ?? 0) + n;
    }
  }
  return {
    semantics: first.semantics,
    scope: first.scope,
    shards: [],
    complete: parts.every((p) => p.complete),
    fixpoint: parts.every((p) => p.fixpoint),
    depthReached: Math.min(...parts.map((p) => p.depthReached)),
    distinctStates: states.size,
    specStates: 0,
    transitions: parts.reduce((n, p) => n + p.transitions, 0),
    properties: first.properties,
    violations: first.properties.flatMap((prop) => (shortest.has(prop) ? [shortest.get(prop)!] : [])),
    outcomes,
    reached: [...new Set(parts.flatMap((p) => p.reached))].sort(),
    states: states.export(),
    memories: [...memories.keys()],
    seconds: Math.max(...parts.map((p) => p.seconds)),
  };
}

export function missingMilestones(s: ExploreSummary): Milestone[] {
  return REQUIRED.filter((m) => !s.reached.includes(m));
}

/** JSON for a shard file: the states as base64; the klpcheck version, since state bytes are only comparable within one. */
export function toJson(s: ExploreSummary): string {
  const { states, seconds: _, ...rest } = s;
  return `${JSON.stringify({ format: 'klpcheck-explore-shard', klpcheck: KLPCHECK_VERSION, ...rest, states: Buffer.from(states.buffer, states.byteOffset, states.byteLength).toString('base64') }, null, 1)}\n`;
}

/** A shard file's result; throws E_SCHEMA naming the file and the place when it is not one. */
export function fromJson(raw: unknown, file = 'shard'): ExploreSummary {
  const bad = (where: string, why: string) => new KlpcheckError('E_SCHEMA', why, file, where);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw bad('', 'not an explore shard file (an object with format klpcheck-explore-shard)');
  const r = raw as Record<string, unknown>;
  if (r.format !== 'klpcheck-explore-shard')
    throw bad('/format', 'not an explore shard file (written by klpcheck explore --shard I/N --out FILE)');
  if (r.klpcheck !== KLPCHECK_VERSION)
    throw bad('/klpcheck', `written by klpcheck ${String(r.klpcheck)}, not ${KLPCHECK_VERSION}: state encodings differ between versions`);
  if (typeof r.semantics !== 'string') throw bad('/semantics', 'missing semantics');
  const scope = r.scope as Record<string, unknown> | undefined;
  for (const k of ['patches', 'functions', 'states', 'tasks'] as const) {
    if (!scope || !Number.isInteger(scope[k])) throw bad(`/scope/${k}`, 'missing or not a whole number');
  }
  if (scope!.depth !== undefined && !Number.isInteger(scope!.depth)) throw bad('/scope/depth', 'not a whole number');
  const shards = r.shards;
  if (
    !Array.isArray(shards) ||
    !shards.every((s) => s && Number.isInteger(s.index) && Number.isInteger(s.count) && s.index >= 0 && s.index < s.count)
  ) {
    throw bad('/shards', 'a list of {index, count} with 0 <= index < count');
  }
  for (const k of ['complete', 'fixpoint'] as const) if (typeof r[k] !== 'boolean') throw bad(`/${k}`, 'missing or not true/false');
  for (const k of ['depthReached', 'distinctStates', 'specStates', 'transitions'] as const)
    if (!Number.isInteger(r[k])) throw bad(`/${k}`, 'missing or not a whole number');
  if (!Array.isArray(r.properties) || !r.properties.every((p) => typeof p === 'string'))
    throw bad('/properties', 'a list of property names');
  if (!Array.isArray(r.violations)) throw bad('/violations', 'missing');
  if (!r.outcomes || typeof r.outcomes !== 'object' || !Array.isArray(r.reached)) throw bad('/outcomes', 'missing coverage');
  if (typeof r.states !== 'string') throw bad('/states', 'missing states');
  if (!Array.isArray(r.memories) || !r.memories.every((m) => typeof m === 'string')) throw bad('/memories', 'a list of strings');
  const states = new Uint8Array(Buffer.from(r.states, 'base64'));
  try {
    new VisitedSet().addAll(states);
  } catch {
    throw bad('/states', 'a truncated state list');
  }
  const { format: _f, klpcheck: _k, ...rest } = r;
  return { ...(rest as unknown as ExploreSummary), states, seconds: 0 };
}
