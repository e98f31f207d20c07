/**
 * The packed engine's upstream spec model (harness/explore/packed/) against
 * two independent engines: the object spec model, state for state and
 * successor for successor over whole spaces (test/support/object-spec-space.ts),
 * and Spin on the Promela model (promela/model.ts), count for count.
 */
import { hex, label } from './support/packed-keys.ts';
import { describe, expect, it } from 'vitest';
import { DefinitionTree, keyDefinitions } from '../harness/explore/packed/definition-tree.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { packedSearch, type PackedSpace } from '../harness/explore/packed/search.ts';
import { PackedSpec } from '../harness/explore/packed/spec.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import type { Op } from '../harness/ops.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { runSpin, spinMissing } from '../promela/spin.ts';
import { promelaModel, upstreamPromela } from '../promela/model.ts';
import { PROMELA_RULES } from '../promela/rules.ts';
import { ObjectSpecSpace, specLevelKey } from './support/object-spec-space.ts';
import { packContext } from '../harness/explore/state-key.ts';
import { scopeFuncs } from '../harness/explore/candidates.ts';
import { SpecModel } from '../model/spec/spec-model.ts';
import { applicable, applyToSpec } from '../harness/ops.ts';

/** Wraps a space so that every expansion is recorded: state -> its successors as `op -> key`, sorted. */
function recording(space: PackedSpace, opAt: (key: Uint8Array, pos: number) => Op) {
  const successors = new Map<string, string[]>();
  const recorded: PackedSpace = {
    roots: () => space.roots(),
    expand: (key, emit) => {
      const list: string[] = [];
      space.expand(key, (out, length, pos) => {
        list.push(`${label(opAt(key, pos))} -> ${hex(out.subarray(0, length))}`);
        emit(out, length, pos);
      });
      successors.set(hex(key), list.sort());
    },
  };
  return { recorded, successors };
}

/** Whole spaces, and bounded ones where the whole would take the object side minutes (319,295 and 3,366,707 states). */
const SCOPES = [
  'patches=1,functions=1,states=0,tasks=1,depth=any',
  'patches=1,functions=2,states=1,tasks=1,depth=any',
  'patches=1,functions=1,states=1,tasks=2,depth=any',
  'patches=2,functions=1,states=0,tasks=1,depth=any',
  'patches=2,functions=1,states=1,tasks=1,depth=6',
  'patches=3,functions=1,states=1,tasks=1,depth=5',
];

describe('the packed upstream spec model', () => {
  it.each(SCOPES)('has the object spec model’s states and successors, transition for transition, at %s', (text) => {
    const scope = parseScope(text);
    const packed = new PackedSpec(scope);
    const p = recording(packed, (key, pos) => packed.tree.nodeAt(keyDefinitions(key)).list.ops[pos]!);
    const objects = new ObjectSpecSpace(upstream, scope);
    const o = recording(objects, (key, pos) => objects.successorOps(key).ops[pos]!);
    const rp = packedSearch(p.recorded, { depth: scope.depth });
    const ro = packedSearch(o.recorded, { depth: scope.depth });
    expect([rp.fixpoint, ro.fixpoint]).toEqual([scope.depth === undefined, scope.depth === undefined]);
    expect(rp.statesPerDepth).toEqual(ro.statesPerDepth);
    expect(rp.transitions).toBe(ro.transitions);
    // Every state but those of the last level (a bound's) was expanded.
    expect(p.successors.size).toBe(rp.distinctStates - (scope.depth === undefined ? 0 : rp.statesPerDepth.at(-1)!));
    // Every state's successors: the same ops lead to the same states.
    const differ: string[] = [];
    for (const [state, list] of o.successors) {
      if (JSON.stringify(p.successors.get(state)) !== JSON.stringify(list)) differ.push(state);
    }
    expect(differ.slice(0, 3).map((s) => ({ state: s, object: o.successors.get(s), packed: p.successors.get(s) }))).toEqual([]);
    expect(new Set(p.successors.keys())).toEqual(new Set(o.successors.keys()));
  });

  it('counts the states klpcheck explore counts at the spec level, where upstream never breaks conformance (one patch)', () => {
    for (const text of ['patches=1,functions=1,states=0,tasks=1', 'patches=1,functions=2,states=1,tasks=2']) {
      const scope = parseScope(`${text},depth=any`);
      const r = explore({ semantics: upstream, scope, properties: ['conformance'] });
      expect(r.violations).toEqual([]);
      expect(packedSearch(new PackedSpec(scope)).distinctStates, text).toBe(r.specStates);
    }
    // The count of model/spec/pack.ts's comment (503 spec-level states at patches=1,functions=1,states=0,tasks=1).
    expect(packedSearch(new PackedSpec(parseScope('patches=1,functions=1,states=0,tasks=1,depth=any'))).distinctStates).toBe(503);
  });

  it('stops at a depth bound, and at a state budget with the levels it expanded in full, as explore does', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const whole = packedSearch(new PackedSpec(scope));
    const at4 = packedSearch(new PackedSpec(scope), { depth: 4 });
    expect(at4.fixpoint).toBe(false);
    expect(at4.depthReached).toBe(4);
    expect(at4.statesPerDepth).toEqual(whole.statesPerDepth.slice(0, 5));
    const upTo4 = at4.distinctStates;
    // A budget of exactly the states up to depth 4 stops in depth 5 and reports depth 4's search.
    const budget = packedSearch(new PackedSpec(scope), { maxStates: upTo4 });
    expect(budget.stateBudget).toEqual({ states: upTo4, inDepth: 5 });
    expect([budget.depthReached, budget.distinctStates, budget.transitions, budget.fixpoint]).toEqual([4, upTo4, at4.transitions, false]);
    // A budget of the whole space reaches the fixpoint; one state fewer does not.
    expect(packedSearch(new PackedSpec(scope), { maxStates: whole.distinctStates }).fixpoint).toBe(true);
    expect(packedSearch(new PackedSpec(scope), { maxStates: whole.distinctStates - 1 }).fixpoint).toBe(false);
  });

  // A shortest path found by the packed search, with the tasks its ops name, leads the object spec model to the same state.
  it.each(['patches=2,functions=1,states=0,tasks=2,depth=5', 'patches=2,functions=2,states=1,tasks=1,depth=5'])(
    'names a shortest path to every state that the object spec model follows to the same state, at %s',
    (text) => {
      const scope = parseScope(text);
      const packed = new PackedSpec(scope);
      const r = packedSearch(packed, { depth: scope.depth, paths: true });
      const ctx = packContext(upstream, scope);
      let depthStart = 0;
      r.statesPerDepth.forEach((count, depth) => {
        for (let index = depthStart; index < depthStart + count; index++) {
          const key = r.visited.get(index).slice();
          const path = r.pathTo!(index);
          expect(path.length).toBe(depth);
          const { universe, ops } = packed.decodePath(path);
          expect(universe.patches).toEqual(packed.tree.nodeAt(keyDefinitions(key)).known());
          const spec = new SpecModel(universe, upstream, scopeFuncs(scope));
          for (const op of ops) {
            expect(applicable(op, spec), `${JSON.stringify(op)} after ${JSON.stringify(ops)}`).toBe(true);
            applyToSpec(op, spec);
          }
          expect(hex(specLevelKey(spec, keyDefinitions(key), ctx)), JSON.stringify(ops)).toBe(hex(key));
        }
        depthStart += count;
      });
    },
  );

  it('refuses what it does not model yet, the task model; takes attribute writes and shadow ops', () => {
    expect(() => new PackedSpec(parseScope('patches=1,taskModel=1'))).toThrow(/task model/);
    const scope = parseScope('patches=1,functions=1,states=1,tasks=1');
    // per-state: a root per choice of is_shadow state ids, and p1's code's shadow ops on its own state id.
    const perState = new DefinitionTree(semanticsByName('per-state')!, scope);
    expect(perState.roots).toHaveLength(2);
    const withState = perState.roots[1]!.list.newDefs.findIndex((d) => d.states?.length);
    expect(perState.roots[1]!.list.newDefs[withState]!.states![0]).toMatchObject({ id: 1, is_shadow: true });
    expect(perState.roots[1]!.child(withState).list.ops.filter((o) => o.op.startsWith('shadow_'))).toEqual([
      { op: 'shadow_alloc', patch: 'p1', obj: 1, id: 1 },
      { op: 'shadow_free', patch: 'p1', obj: 1, id: 1 },
    ]);
    const p1 = new DefinitionTree(semanticsByName('hybrid')!, scope).root.child(0);
    expect(p1.list.ops.filter((o) => o.op === 'set_attr')).toEqual([
      { op: 'set_attr', patch: 'p1', attr: 'replaceable', value: '0' },
      { op: 'set_attr', patch: 'p1', attr: 'replaceable', value: '1' },
    ]);
    expect(new DefinitionTree(upstream, scope).root.list.ops.length).toBeGreaterThan(0);
  });

  const missing = spinMissing();
  it.skipIf(missing)(
    `has as many states as Spin, past the scopes the object explorer can cover${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      // Spin's one extra state is its initial one, before init fills the tables (test/promela.test.ts).
      for (const text of ['patches=2,functions=1,states=0,tasks=1', 'patches=2,functions=2,states=1,tasks=1']) {
        const scope = parseScope(`${text},depth=any`);
        const r = packedSearch(new PackedSpec(scope));
        const spin = runSpin(upstreamPromela(scope));
        expect(spin.errors, text).toBe(0);
        expect([r.fixpoint, r.distinctStates + 1], text).toEqual([true, spin.stored]);
      }
      // Stacking's and replace_set's models (promela/rules.ts) against the packed spec model asking each one's rule.
      const scope = parseScope('patches=2,functions=2,states=1,tasks=1,depth=any');
      for (const name of ['stacking', 'replace-set']) {
        const r = packedSearch(new PackedSpec(scope, 0, semanticsByName(name)!));
        const spin = runSpin(promelaModel(PROMELA_RULES.get(name)!, scope));
        expect([spin.errors, r.fixpoint, r.distinctStates + 1], name).toEqual([0, true, spin.stored]);
      }
    },
    600_000,
  );
});
