/**
 * Exhaustive bounded exploration, breadth first, as TLC does for a TLA+
 * specification: every state reachable within the scope, each visited once
 * (by its fingerprint), the reference implementation in lockstep with the
 * spec model so that conformance is checked on every transition too. A
 * property's first violation is its shortest counterexample; that property
 * is then no longer checked, and the search goes on for the others.
 */
import type { PatchDef, Universe } from '../../model/kernel/definitions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import type { Op } from '../ops.ts';
import { Lockstep, runSequence, type RunResult } from '../run-sequence.ts';
import { candidateOps, newPatchDefs, scopeFuncs, TARGET_MODULE, withPatch } from './candidates.ts';
import { Coverage } from './coverage.ts';
import { fingerprint, stateKey } from './key.ts';
import type { ExploreScope } from './scope.ts';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface ExploreOptions {
  readonly semantics: Semantics;
  readonly scope: ExploreScope;
  /** Properties to check (default: conformance and every invariant that applies). */
  readonly properties?: readonly string[];
  /** Explore only the subtrees of this shard (split at splitDepth). */
  readonly shard?: Shard;
  readonly splitDepth?: number;
  /** Polled between states: true stops the search cleanly (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (p: { depth: number; states: number; transitions: number }) => void;
}

export interface FoundViolation {
  readonly property: string;
  readonly depth: number;
  readonly universe: Universe;
  readonly result: RunResult;
}

export interface ExploreResult {
  readonly semantics: string;
  readonly scope: ExploreScope;
  readonly shard?: Shard;
  /** False when stopped before the depth bound. */
  readonly complete: boolean;
  readonly depthReached: number;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly statesPerDepth: readonly number[];
  readonly properties: readonly string[];
  readonly violations: readonly FoundViolation[];
  readonly coverage: Coverage;
  /** The fingerprints seen, for merging shards. */
  readonly fingerprints: ReadonlySet<number>;
}

interface Node {
  readonly run: Lockstep;
  readonly known: readonly PatchDef[];
  readonly id: number;
}

/**
 * Ops that fail before reaching the livepatch core and change nothing:
 * loading a loaded module (-EEXIST), removing one that is not loaded or
 * writing a sysfs file that does not exist (-ENOENT). The random runs and
 * the unit tests cover them; exhaustively they would double the transitions.
 */
function pointless(op: Op, run: Lockstep): boolean {
  const spec = run.spec;
  switch (op.op) {
    case 'insmod':
      return spec.isLoaded(op.module);
    case 'rmmod':
      return !spec.isLoaded(op.module);
    case 'disable':
    case 'enable':
    case 'force':
    case 'set_attr':
      return !spec.isRegistered(op.patch);
    default:
      return false;
  }
}

export function applicableProperties(sem: Semantics, wanted?: readonly string[]): string[] {
  const all = [CONFORMANCE, ...INVARIANTS.filter((i) => i.appliesTo(sem)).map((i) => i.id)];
  return wanted ? all.filter((p) => wanted.includes(p)) : all;
}

function rootUniverses(sem: Semantics, scope: ExploreScope): { universe: Universe; shadowIds: Set<number> }[] {
  const base = (): Universe => ({ patches: [], modules: [{ name: TARGET_MODULE }], kernel: { tasks: scope.tasks }, forbid_downgrade: true });
  if (!sem.spec.perState || scope.states === 0) return [{ universe: base(), shadowIds: new Set() }];
  // Whether a state id owns shadow variables is the id's, not a patch's: chosen once per universe.
  return Array.from({ length: 2 ** scope.states }, (_, mask) => ({
    universe: base(),
    shadowIds: new Set(Array.from({ length: scope.states }, (_, i) => i + 1).filter((id) => mask & (1 << (id - 1)))),
  }));
}

export function explore(o: ExploreOptions): ExploreResult {
  const { semantics: sem, scope } = o;
  const properties = applicableProperties(sem, o.properties);
  const invariants = INVARIANTS.filter((i) => properties.includes(i.id));
  const runOpts = { invariants, conformance: properties.includes(CONFORMANCE), funcs: scopeFuncs(scope) };
  const seen = new Set<number>();
  const parents: number[] = [];
  const ops: (Op | null)[] = [];
  const done = new Set<string>();
  const violations: FoundViolation[] = [];
  const coverage = new Coverage();
  const statesPerDepth: number[] = [];
  let transitions = 0;

  const roots = rootUniverses(sem, scope).map((r, i) => {
    const run = new Lockstep(r.universe, sem, runOpts);
    parents.push(-1);
    ops.push(null);
    seen.add(fingerprint(`${i}#${stateKey(run, [])}`));
    return { node: { run, known: [] as PatchDef[], id: parents.length - 1 }, shadowIds: r.shadowIds };
  });
  const shadowOf = new Map<number, Set<number>>(roots.map((r) => [r.node.id, r.shadowIds]));
  const rootOf: number[] = roots.map((r) => r.node.id);
  let level: Node[] = roots.map((r) => r.node);
  statesPerDepth.push(level.length);

  const pathTo = (id: number): Op[] => {
    const path: Op[] = [];
    for (let n = id; parents[n]! >= 0; n = parents[n]!) path.push(ops[n]!);
    return path.reverse();
  };

  let depth = 0;
  let stopped = false;
  for (depth = 1; depth <= scope.depth && level.length && !stopped; depth++) {
    const next: Node[] = [];
    for (const node of level) {
      if (o.shouldStop?.()) {
        stopped = true;
        break;
      }
      const shadowIds = shadowOf.get(rootOf[node.id]!)!;
      const successors: { run: Lockstep; known: readonly PatchDef[]; op: Op }[] = [];
      for (const op of candidateOps(sem, scope, node.known)) {
        if (!node.run.applicable(op) || pointless(op, node.run)) continue;
        successors.push({ run: node.run.branch(), known: node.known, op });
      }
      if (node.known.length < scope.patches) {
        for (const def of newPatchDefs(sem, scope, node.known, shadowIds)) {
          const known = [...node.known, def];
          successors.push({ run: node.run.branch(withPatch(node.run.universe, def)), known, op: { op: 'insmod', module: def.name } });
        }
      }
      for (const s of successors) {
        transitions++;
        const found = s.run.stepAll(s.op, done);
        coverage.record(s.op, s.run);
        const id = parents.length;
        parents.push(node.id);
        ops.push(s.op);
        rootOf[id] = rootOf[node.id]!;
        for (const v of found) {
          done.add(v.invariant);
          const universe = s.run.universe;
          const path = pathTo(id);
          const inv = INVARIANTS.find((i) => i.id === v.invariant);
          const result = runSequence(universe, sem, path, { invariants: inv ? [inv] : [], conformance: !inv, funcs: runOpts.funcs });
          violations.push({ property: v.invariant, depth, universe, result });
        }
        const fp = fingerprint(`${rootOf[id]}#${stateKey(s.run, s.known)}`);
        if (seen.has(fp)) {
          parents.pop();
          ops.pop();
          continue;
        }
        seen.add(fp);
        next.push({ run: s.run, known: s.known, id });
      }
      o.onProgress?.({ depth, states: seen.size, transitions });
    }
    if (stopped) break;
    if (o.shard && depth === (o.splitDepth ?? 2)) {
      const { index, count } = o.shard;
      level = next.filter((_, i) => i % count === index);
    } else level = next;
    statesPerDepth.push(level.length);
  }
  return {
    semantics: sem.name,
    scope,
    ...(o.shard ? { shard: o.shard } : {}),
    complete: !stopped,
    depthReached: stopped ? depth - 1 : Math.min(depth - 1, scope.depth),
    distinctStates: seen.size,
    transitions,
    statesPerDepth,
    properties,
    violations,
    coverage,
    fingerprints: seen,
  };
}
