/**
 * The packed engine over every semantics it has (harness/explore/packed/
 * replace-rules.ts asks each semantics' own rule and hooks): successor for
 * successor against the explorer's Expander over the object implementation,
 * and the two flaws of the threads found exhaustively at their breadth-first
 * shortest length with every invariant checked: Petr Mladek's lp1/lp2/lp3
 * counter-example to hybrid mode (facts F.1, Z5eYzcF5JLR4o5Yl@pathway.suse.cz,
 * 2025-01-27) and the replace_set implementation whose klp_add_nops is not
 * filtered by set (Petr Mladek's review, 2026-04-07,
 * adUd0Mojbtrwmeod@pathway.suse.cz).
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef } from '../model/kernel/definitions.ts';
import { packedExploreInParallel, packedRefusal } from '../harness/explore/packed/explore.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { hybrid } from '../model/semantics/hybrid.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { againstObjects } from './support/object-lockstep-space.ts';

const PACKED = SEMANTICS;

describe('the packed engine over every semantics it has', () => {
  it('has every semantics, per-state’s shadow-variable ops and block_disable included', () => {
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    expect(SEMANTICS.filter((s) => packedRefusal({ semantics: s.name, scope })).map((s) => s.name)).toEqual([]);
  });

  // The scope where each rule shows: two patches on one function (replace or not, replaceable or not, in a
  // set or a tag or not), a state id to carry, a task to sleep in the function. Depth 4 reaches a write, then a
  // replace, and a force of a blocked transition; depth 5 (every semantics agreed there by hand) doubled CI's time for it.
  it.each(PACKED.map((s) => s.name))('has the object implementation’s states and successors for %s', (name) => {
    const semantics = PACKED.find((s) => s.name === name)!;
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    const { result, differences, roots } = againstObjects(new PackedLockstep(scope, { semantics }), semantics, scope);
    expect(roots[0]).toBe(roots[1]);
    expect(differences).toEqual([]);
    expect(result.distinctStates).toBeGreaterThan(1000);
  });

  it('gives the rule and the hooks a loading patch’s writable attributes as built (a rule that reads them, made up)', () => {
    // No semantics of the registry reads the incoming patch's own replaceable; one that did saw it false (hostile-user finding).
    const readsIt: Semantics = {
      ...hybrid,
      name: 'hybrid-refusing-replaceable-loads',
      spec: {
        ...hybrid.spec,
        load: (active, incoming) => (incoming.attrs?.replaceable ? { refuse: 'replaceable' } : hybrid.spec.load(active, incoming)),
      },
      hooks: { ...hybrid.hooks, isCompatible: (active, p) => !p.writable.get('replaceable') && hybrid.hooks.isCompatible(active, p) },
    };
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=3');
    const { result, differences } = againstObjects(new PackedLockstep(scope, { semantics: readsIt }), readsIt, scope);
    expect(differences).toEqual([]);
    expect(result.violations.map((v) => v.property)).not.toContain('conformance');
  });

  it('keeps each patch’s writable attribute alike on both sides, the third patch’s too (as mutation testing asked)', () => {
    const scope = parseScope('patches=3,functions=1,states=0,tasks=1,depth=4');
    const model = new PackedLockstep(scope, { semantics: hybrid });
    const r = packedSearch(model, { depth: scope.depth });
    // Working state and the two sides' readings, as the search's own decode leaves them.
    const m = model as unknown as { decode(key: Uint8Array): unknown; w: Uint8Array; attrBits(s: Uint8Array): number };
    let thirdReplaceable = 0;
    for (let i = 0; i < r.distinctStates; i++) {
      const key = r.visited.get(i);
      if (!model.specLevelLength(key)) continue;
      m.decode(key);
      const spec = m.attrBits(m.w);
      expect(model.kernel.attrBits(m.w)).toBe(spec);
      if ((spec >>> 8) & 1) thirdReplaceable++;
    }
    expect(thirdReplaceable).toBeGreaterThan(0);
  });

  it("finds Petr Mladek's lp1/lp2/lp3 flaw of hybrid mode at its shortest length, 6, with every invariant checked", async () => {
    const scope = parseScope('patches=3,functions=1,states=0,tasks=1,depth=6');
    const s = await packedExploreInParallel({ semantics: 'hybrid', scope, workers: 1 }).done;
    expect(s.complete).toBe(true);
    const v = s.violations.find((x) => x.property === 'no-silent-version-switch');
    expect(v, 'hybrid mode switches a function silently').toBeDefined();
    // Breadth first: every transition up to depth 5 was checked before this one.
    expect(v!.depth).toBe(6);
    const funcsOf = (p: PatchDef) => (p.objects ?? []).flatMap((o) => (o.funcs ?? []).map((f) => `${o.name}:${f.old_name}`));
    const kind = (p: PatchDef) => `${p.attrs?.replace ? 'replace' : 'no-replace'}/${p.attrs?.replaceable ? 'replaceable' : 'fixed'}`;
    const [lp1, lp2, lp3] = v!.universe.patches;
    // lp1 non-replaceable and lp2 replaceable share funcA; lp3 replaces and does not patch it, so it gets a nop from lp2 only.
    expect([lp1, lp2, lp3].map((p) => kind(p!))).toEqual([
      'no-replace/fixed',
      'no-replace/replaceable',
      expect.stringMatching(/^replace\//),
    ]);
    const funcA = funcsOf(lp1!).filter((f) => funcsOf(lp2!).includes(f));
    expect(funcA).toHaveLength(1);
    expect(funcsOf(lp3!)).not.toContain(funcA[0]);
    expect(v!.ops.filter((o) => o.op === 'insmod').map((o) => 'module' in o && o.module)).toEqual(['p1', 'p2', 'p3']);
    expect(v!.ops.at(-1)).toEqual({ op: 'transition_step' });
    // The reason is the object implementation's, on replaying the path (explore.ts summarize).
    expect(v!.reason).toMatch(new RegExp(`switched ${funcA[0]},0 from original to p1 without switching`));
  }, 120_000);

  it('finds the unfiltered nops of replace_set switching another set’s function at its shortest length, 5', async () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=5');
    const found = async (semantics: string) =>
      (await packedExploreInParallel({ semantics, scope, workers: 1 }).done).violations.find(
        (x) => x.property === 'no-silent-version-switch',
      );
    expect(await found('replace-set')).toBeUndefined();
    const v = await found('replace-set-unfiltered-nops');
    expect(v?.depth).toBe(5);
    expect(v!.reason).toMatch(/switched vmlinux:f1,0 from original to p1 without switching in a transition that covers it/);
    const sets = v!.universe.patches.map((p) => p.attrs?.replace_set);
    expect(sets[0]).not.toBe(sets[1]);
  }, 120_000);
});
