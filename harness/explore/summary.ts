/**
 * An exploration's result as plain data: what a worker posts back, what a
 * shard writes to its file, and what merging several of them gives. Distinct
 * states are counted by the union of fingerprints, so overlapping shards are
 * not counted twice; a property's shortest counterexample is the shortest
 * any shard found (each shard searches its subtrees breadth first).
 */
import type { Universe } from '../../model/kernel/definitions.ts';
import type { Op } from '../ops.ts';
import type { ExploreResult, Shard } from './explorer.ts';
import { REQUIRED, type Milestone } from './coverage.ts';
import type { ExploreScope } from './scope.ts';

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
  readonly complete: boolean;
  readonly depthReached: number;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly properties: readonly string[];
  readonly violations: readonly ViolationSummary[];
  /** op -> outcome -> count */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly reached: readonly Milestone[];
  readonly fingerprints: Float64Array;
  readonly seconds: number;
}

export function summarize(r: ExploreResult, seconds: number): ExploreSummary {
  return {
    semantics: r.semantics,
    scope: r.scope,
    shards: r.shard ? [r.shard] : [],
    complete: r.complete,
    depthReached: r.depthReached,
    distinctStates: r.distinctStates,
    transitions: r.transitions,
    properties: r.properties,
    violations: r.violations.map((v) => ({
      property: v.property,
      depth: v.depth,
      universe: v.universe,
      ops: v.result.steps.map((s) => s.op),
      reason: v.result.violation?.reason ?? '',
    })),
    outcomes: Object.fromEntries([...r.coverage.outcomes].map(([op, m]) => [op, Object.fromEntries(m)])),
    reached: [...r.coverage.reached].sort(),
    fingerprints: Float64Array.from(r.fingerprints),
    seconds,
  };
}

export function merge(parts: readonly ExploreSummary[]): ExploreSummary {
  const first = parts[0];
  if (!first) throw new Error('merge: nothing to merge');
  const fps = new Set<number>();
  for (const p of parts) for (const f of p.fingerprints) fps.add(f);
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
    shards: parts.flatMap((p) => p.shards),
    complete: parts.every((p) => p.complete),
    depthReached: Math.min(...parts.map((p) => p.depthReached)),
    distinctStates: fps.size,
    transitions: parts.reduce((n, p) => n + p.transitions, 0),
    properties: first.properties,
    violations: first.properties.flatMap((prop) => (shortest.has(prop) ? [shortest.get(prop)!] : [])),
    outcomes,
    reached: [...new Set(parts.flatMap((p) => p.reached))].sort(),
    fingerprints: Float64Array.from(fps),
    seconds: Math.max(...parts.map((p) => p.seconds)),
  };
}

export function missingMilestones(s: ExploreSummary): Milestone[] {
  return REQUIRED.filter((m) => !s.reached.includes(m));
}

/** JSON for a shard file: the fingerprints as base64 of their float64 bytes. */
export function toJson(s: ExploreSummary): string {
  const { fingerprints, ...rest } = s;
  return `${JSON.stringify({ ...rest, fingerprints: Buffer.from(fingerprints.buffer, fingerprints.byteOffset, fingerprints.byteLength).toString('base64') }, null, 1)}\n`;
}

export function fromJson(text: string): ExploreSummary {
  const raw = JSON.parse(text) as Omit<ExploreSummary, 'fingerprints'> & { fingerprints: string };
  const bytes = Buffer.from(raw.fingerprints, 'base64');
  const fingerprints = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { ...raw, fingerprints };
}
