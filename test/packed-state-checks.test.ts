/**
 * The invariants' state parts (harness/explore/packed/invariants.ts
 * PackedCheckParts.state) are asked once per state, of the step that first
 * reaches it (PackedSpace.violatedByNewState), where they were asked of every
 * step. Held here for every semantics: the search that asks them of every
 * non-quiet step finds each violation at the same depth, by the same path,
 * and the state parts read nothing of the step but the state it leads to.
 */
import { describe, expect, it } from 'vitest';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch, type PackedSearchResult } from '../harness/explore/packed/search.ts';
import { PackedInvariants, type PackedStep } from '../harness/explore/packed/invariants.ts';
import { PackedReplaceRules } from '../harness/explore/packed/replace-rules.ts';
import { DefinitionTree } from '../harness/explore/packed/definition-tree.ts';
import { KernelStepEvents } from '../harness/explore/packed/kernel.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';

/** The violations a search reports, each with its whole path. */
const found = (r: PackedSearchResult) => r.violations.map((v) => `${v.property} at ${v.depth}: ${v.path!.join(',')}`);

/** The lockstep, its state parts asked of every step but a quiet one, with the step's own violations. */
function everyStep(model: PackedLockstep) {
  return {
    properties: model.properties,
    roots: () => model.roots(),
    expand: (key: Uint8Array, emit: (out: Uint8Array, length: number, pos: number, violated?: number) => void) =>
      model.expand(key, (out, length, pos, step = 0) => emit(out, length, pos, out === key ? step : step | model.violatedByNewState())),
  };
}

describe('the state parts of the packed invariants, asked of new states only', () => {
  it.each(SEMANTICS.map((s) => [s.name, s] as const))(
    '%s: every violation at the depth and by the path of the search that asks them of every step',
    (_, semantics) => {
      const scope = parseScope(`patches=2,functions=1,states=${semantics.spec.perState ? 1 : 0},tasks=1,depth=5`);
      const asNew = packedSearch(new PackedLockstep(scope, { semantics }), { depth: scope.depth, paths: true, storeEveryState: true });
      const asEvery = packedSearch(everyStep(new PackedLockstep(scope, { semantics })), { depth: scope.depth, paths: true });
      expect(found(asNew)).toEqual(found(asEvery));
      expect(asNew.distinctStates).toBe(asEvery.distinctStates);
    },
    60_000,
  );

  it('finds a state part’s violation that only new states show (upstream: two slots patch one function at depth 2)', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=3');
    const r = packedSearch(new PackedLockstep(scope), { depth: scope.depth });
    expect(r.violations.map((v) => [v.property, v.depth])).toContainEqual(['no-function-shared-across-slots', 2]);
  });

  it('has state parts that read only the state after the step', () => {
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=1');
    for (const semantics of SEMANTICS) {
      const tree = new DefinitionTree(semantics, scope);
      const parts = new PackedInvariants(tree, new PackedReplaceRules(tree)).parts;
      const withState = [...parts].filter(([, p]) => p.state);
      expect(withState.map(([id]) => id).sort()).toEqual([
        'no-foreign-overlap',
        'no-function-shared-across-slots',
        'no-state-shared-across-slots',
        'one-active-patch-per-slot',
        'transition-sanity',
      ]);
      // The last step of a root's expansion, every field but the state it leads to made unreadable.
      const model = new PackedLockstep(scope, { semantics });
      model.expand(model.roots()[0]!, () => {});
      const { node, after } = (model as unknown as { checked: PackedStep }).checked;
      const stateOnly = new Proxy({ node, after } as PackedStep, {
        get: (t, k) => {
          if (k === 'node' || k === 'after') return t[k];
          throw new Error(`a state part read the step's ${String(k)}`);
        },
      });
      for (const [id, p] of withState) expect(() => p.state!(stateOnly), `${semantics.name} ${id}`).not.toThrow();
    }
  });

  it('leaves a WARN to transition-sanity’s step part', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=1');
    const tree = new DefinitionTree(SEMANTICS[0]!, scope);
    const ts = new PackedInvariants(tree, new PackedReplaceRules(tree)).parts.get('transition-sanity')!;
    const events = new KernelStepEvents(2);
    events.warned = true;
    expect(ts.step!({ events } as PackedStep)).toBe(true);
    events.warned = false;
    expect(ts.step!({ events } as PackedStep)).toBe(false);
  });
});
