/**
 * The last shrinking pass takes out the patch decorations a finding does not
 * need (harness/plainer-patches.ts, minimize.ts): attributes back to their
 * defaults, list attributes an element shorter, owners and releases, the
 * universe's forbid_downgrade; each kept whenever the property no longer
 * fails without it.
 */
import { describe, expect, it } from 'vitest';
import type { Universe } from '../model/kernel/definitions.ts';
import { minimize } from '../harness/minimize.ts';
import type { Op } from '../harness/ops.ts';
import { plainerPatches } from '../harness/plainer-patches.ts';
import { runSequence } from '../harness/run-sequence.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { noFunctionSharedAcrossSlots } from '../properties/no-function-shared-across-slots.ts';
import { noSilentDowngrade } from '../properties/no-silent-downgrade.ts';

const vmlinuxF1 = [{ name: 'vmlinux', funcs: [{ old_name: 'f1' }] }];

describe('plainerPatches', () => {
  it('offers each attribute dropped, each list element dropped, one owner, the owners, the release, then forbid_downgrade', () => {
    const u: Universe = {
      patches: [
        {
          name: 'p1',
          objects: vmlinuxF1,
          attrs: { replace: true, replaces: ['p2', 'p3'] },
          owners: ['vendor', 'user'],
          release: 3,
        },
        { name: 'p2', objects: vmlinuxF1, attrs: { replaceable: true } },
      ],
      modules: [],
      forbid_downgrade: true,
    };
    const first = (v: Universe) => v.patches[0]!;
    const got = [...plainerPatches(u)];
    expect(got.map((v) => [first(v).attrs, first(v).owners, first(v).release, v.patches[1]!.attrs, v.forbid_downgrade])).toEqual([
      [{ replaces: ['p2', 'p3'] }, ['vendor', 'user'], 3, { replaceable: true }, true],
      [{ replace: true }, ['vendor', 'user'], 3, { replaceable: true }, true],
      [{ replace: true, replaces: ['p3'] }, ['vendor', 'user'], 3, { replaceable: true }, true],
      [{ replace: true, replaces: ['p2'] }, ['vendor', 'user'], 3, { replaceable: true }, true],
      [{ replace: true, replaces: ['p2', 'p3'] }, ['user'], 3, { replaceable: true }, true],
      [{ replace: true, replaces: ['p2', 'p3'] }, ['vendor'], 3, { replaceable: true }, true],
      [{ replace: true, replaces: ['p2', 'p3'] }, undefined, 3, { replaceable: true }, true],
      [{ replace: true, replaces: ['p2', 'p3'] }, ['vendor', 'user'], undefined, { replaceable: true }, true],
      [{ replace: true, replaces: ['p2', 'p3'] }, ['vendor', 'user'], 3, undefined, true],
      [{ replace: true, replaces: ['p2', 'p3'] }, ['vendor', 'user'], 3, { replaceable: true }, undefined],
    ]);
    // A dropped part is gone, not undefined: the file says nothing of it (a key left as undefined is written as nothing
    // by JSON, but an empty attrs would be written as {}).
    expect(Object.keys(got[8]!.patches[1]!)).toEqual(['name', 'objects']);
    expect(Object.keys(got[6]!.patches[0]!)).not.toContain('owners');
    expect(Object.keys(got[7]!.patches[0]!)).not.toContain('release');
    expect(Object.keys(got[9]!)).toEqual(['patches', 'modules']);
    // The universe offered is never the one given, changed in place.
    expect(u.patches[0]!.attrs).toEqual({ replace: true, replaces: ['p2', 'p3'] });
  });

  it('drops a list of one element whole, and offers no empty list of attributes or owners', () => {
    const u: Universe = { patches: [{ name: 'p1', objects: vmlinuxF1, attrs: { replace_sets: [1], replace: 1 } }], modules: [] };
    expect([...plainerPatches(u)].map((v) => v.patches[0]!.attrs)).toEqual([{ replace: 1 }, { replace_sets: [1] }]);
    // Nor an empty owners list (the schema wants one at least): one owner goes with the owners.
    const owned: Universe = { patches: [{ name: 'p1', objects: vmlinuxF1, owners: ['user'] }], modules: [] };
    expect([...plainerPatches(owned)].map((v) => v.patches[0]!.owners)).toEqual([undefined]);
  });

  it("offers a patch's one empty module object in vmlinux, and no other object", () => {
    const u: Universe = {
      patches: [
        { name: 'p1', objects: [{ name: 'mod', funcs: [], callbacks: 'demo' }] },
        { name: 'p2', objects: [{ name: 'mod', funcs: [{ old_name: 'm1' }] }] },
        { name: 'p3', objects: [{ name: 'mod', funcs: [] }, ...vmlinuxF1] },
        { name: 'p4', objects: [{ name: 'vmlinux', funcs: [] }] },
      ],
      modules: [{ name: 'mod' }],
    };
    expect([...plainerPatches(u)].map((v) => v.patches.map((p) => p.objects))).toEqual([
      [[{ name: 'vmlinux', funcs: [], callbacks: 'demo' }], u.patches[1]!.objects, u.patches[2]!.objects, u.patches[3]!.objects],
    ]);
    // An object whose funcs are NULL has no functions either.
    const nul: Universe = { patches: [{ name: 'p1', objects: [{ name: 'mod', funcs: null }] }], modules: [{ name: 'mod' }] };
    expect([...plainerPatches(nul)].map((v) => v.patches[0]!.objects)).toEqual([[{ name: 'vmlinux', funcs: null }]]);
  });

  it('offers nothing for a plain patch, and leaves module parameters as they are', () => {
    const plain: Universe = {
      patches: [
        { name: 'p1', objects: vmlinuxF1, params: { tag: '1' }, attr_params: { tag: 'replace' }, states: [] },
        // patch->objs == NULL: no object to move.
        { name: 'p2', objects: null },
      ],
      modules: [],
    };
    expect([...plainerPatches(plain)]).toEqual([]);
  });
});

describe('minimize over patch decorations', () => {
  const hybrid = semanticsByName('hybrid')!;
  const replay = (u: Universe, o: readonly Op[]) => runSequence(u, hybrid, o, { invariants: [noSilentDowngrade], conformance: false });
  // The corpus's hybrid downgrade as fast-check shrank it (seed 1): a user's p2 replaces the vendor's newer p3, so that
  // task0 runs the vendor's older p1's f1.
  const drawn: Universe = {
    patches: [
      { name: 'p1', objects: vmlinuxF1, attrs: { replace: false, replaceable: false }, owners: ['vendor'], release: 1 },
      { name: 'p2', objects: [{ name: 'vmlinux', funcs: [] }], attrs: { replace: true, replaceable: false }, owners: ['user'], release: 2 },
      { name: 'p3', objects: vmlinuxF1, attrs: { replace: false, replaceable: true }, owners: ['vendor'], release: 3 },
    ],
    modules: [],
    kernel: { tasks: 1 },
    forbid_downgrade: true,
  };
  const drawnOps: Op[] = [
    { op: 'insmod', module: 'p1' },
    { op: 'insmod', module: 'p3' },
    { op: 'insmod', module: 'p2' },
  ];
  const reason = "task0 runs p1's vmlinux:f1,0 (release 1) in place of p3's (release 3): an older release took back a newer one's fix";

  it('drops what the downgrade does not need, and keeps what its reason reads', () => {
    expect(replay(drawn, drawnOps).violation?.reason).toBe(reason);
    const m = minimize(drawn, drawnOps, 'no-silent-downgrade', replay);
    // Any replacing patch does it, the vendor's as well as a user's, with or without a release of its own; the
    // releases the reason names, and the attributes that make p2 replace p3, stay.
    expect(m.universe).toEqual({
      patches: [
        { name: 'p1', objects: vmlinuxF1, release: 1 },
        { name: 'p2', objects: [{ name: 'vmlinux', funcs: [] }], attrs: { replace: true } },
        { name: 'p3', objects: vmlinuxF1, attrs: { replaceable: true }, release: 3 },
      ],
      modules: [],
      kernel: { tasks: 1 },
      forbid_downgrade: true,
    });
    expect(m.result.steps.map((s) => s.op)).toEqual(drawnOps);
    expect(m.result.violation?.reason).toBe(reason);
  });

  it('keeps a decoration whose loss breaks the property for another reason: another finding', () => {
    // Without its owners p2 is the vendor's, and the vendor's own release 2 replacing release 3 is a downgrade too, in
    // two steps: the same property, told another way. The shrink keeps p2 the user's, as the finding has it.
    const vendors = { ...drawn, patches: drawn.patches.map((p) => (p.name === 'p2' ? { ...p, owners: undefined } : p)) };
    const ownReplace = replay(vendors, [drawnOps[1]!, drawnOps[2]!]).violation;
    expect(ownReplace?.invariant).toBe('no-silent-downgrade');
    expect(ownReplace?.reason).not.toBe(reason);
    // replace-tag-draft: two tags that overlap are the draft's missing function check; two patches without a tag
    // overlap under every proposal, by design. Both break no-function-shared-across-slots.
    const draft = semanticsByName('replace-tag-draft')!;
    const tagged: Universe = {
      patches: [
        { name: 'p1', objects: vmlinuxF1, attrs: { replace: 1 } },
        { name: 'p2', objects: vmlinuxF1, attrs: { replace: 2 } },
      ],
      modules: [],
      kernel: { tasks: 1 },
    };
    const loads: Op[] = [
      { op: 'insmod', module: 'p1' },
      { op: 'insmod', module: 'p2' },
    ];
    const byDraft = (u: Universe, o: readonly Op[]) =>
      runSequence(u, draft, o, { invariants: [noFunctionSharedAcrossSlots], conformance: false });
    const untagged = { ...tagged, patches: tagged.patches.map(({ attrs: _, ...p }) => p) };
    expect(byDraft(untagged, loads).violation?.reason).toBe('p1 (slot patch:p1) and p2 (slot patch:p2) both use vmlinux:f1,0');
    const m = minimize(tagged, loads, 'no-function-shared-across-slots', byDraft);
    expect(m.universe).toEqual(tagged);
    expect(m.result.violation?.reason).toBe('p1 (slot tag:1) and p2 (slot tag:2) both use vmlinux:f1,0');
  });

  it('moves an empty module object to vmlinux, and then the module no step loads goes', () => {
    const u: Universe = {
      patches: [{ name: 'p1', objects: [{ name: 'mod', funcs: [] }] }],
      modules: [{ name: 'mod' }],
      kernel: { tasks: 1 },
    };
    const load: Op[] = [{ op: 'insmod', module: 'p1' }];
    // A property that fails, for one reason, whenever a step runs.
    const any = (v: Universe, o: readonly Op[]) => {
      const r = runSequence(v, hybrid, o, { invariants: [], conformance: false });
      return o.length ? { ...r, violation: { step: 0, invariant: 'x', reason: 'kept' } } : r;
    };
    expect(minimize(u, load, 'x', any).universe).toEqual({
      patches: [{ name: 'p1', objects: [{ name: 'vmlinux', funcs: [] }] }],
      modules: [],
      kernel: { tasks: 1 },
    });
    // Where the module's object gives the reason its words, it stays in the module.
    const says = (v: Universe, o: readonly Op[]) => {
      const r = any(v, o);
      return r.violation ? { ...r, violation: { ...r.violation, reason: v.patches[0]!.objects![0]!.name } } : r;
    };
    expect(minimize(u, load, 'x', says).universe).toEqual(u);
  });

  it('keeps an attribute the property fails only with', () => {
    // The same finding, as a replay that no longer fails once p2 loses replace=true or its release would see it.
    const needsReplace = (u: Universe, o: readonly Op[]) => {
      const r = replay(u, o);
      return u.patches.some((p) => p.attrs?.replace === true && p.release === 2) ? r : { ...r, violation: null };
    };
    const m = minimize(drawn, drawnOps, 'no-silent-downgrade', needsReplace);
    const p2 = m.universe.patches.find((p) => p.name === 'p2')!;
    expect(p2.attrs).toEqual({ replace: true });
    expect(p2.release).toBe(2);
  });
});
