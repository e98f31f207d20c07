/**
 * Owners (issue 12, §1): no foreign removal and no foreign overlap on the
 * real semantics, beyond the broken fixtures of invariants.test.ts: what
 * counts as the admin asking, what a shared owner allows, and the moment a
 * nop takes a foreign fix away.
 */
import { describe, expect, it } from 'vitest';
import { Lockstep, runSequence } from '../harness/run-sequence.ts';
import { loadThreadScenario, semanticsOutcome } from '../harness/thread-outcomes.ts';
import type { Op } from '../harness/ops.ts';
import type { PatchAttrs, PatchDef, Universe } from '../model/kernel/definitions.ts';
import { hybrid } from '../model/semantics/hybrid.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { slots } from '../model/semantics/slots.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { invariantById } from '../properties/catalog.ts';
import { foreign } from '../properties/owners.ts';
import { lp, ops, universe } from './support/universe.ts';

const owned = (owners: string[], name: string, funcs: string[], attrs: PatchAttrs = {}): PatchDef => ({
  ...lp(name, funcs, attrs),
  owners: owners as [string],
});

function removal(sem: Semantics, u: Universe, seq: readonly Op[]) {
  return runSequence(u, sem, seq, { invariants: [invariantById('no-foreign-removal')!], conformance: false }).violation;
}

describe('no foreign removal', () => {
  const user = owned(['user'], 'p1', ['f1'], { slot: 2 });
  const merging = { ...owned(['vendor'], 'p2', ['f2'], { slot: 1, merge_slots: [2] }) };
  const plain = { ...owned(['vendor'], 'p2', ['f2'], { slot: 1 }), attr_params: { add_merge_slots: 'add_merge_slots' as const } };

  it("slots: a vendor patch built with merge_slots covering the user's slot removes it (the vendor's build, not the admin)", () => {
    expect(removal(slots, universe(user, merging), ops('insmod p1', 'insmod p2'))?.reason).toMatch(
      /^p2 \(vendor\) replaced and freed p1 \(user\)/,
    );
  });

  it('slots: the same removal asked for by the admin with add_merge_slots=2 at load is allowed', () => {
    const seq: Op[] = [...ops('insmod p1'), { op: 'insmod', module: 'p2', params: { add_merge_slots: '2' } }];
    expect(removal(slots, universe(user, plain), seq)).toBeNull();
    // ... and the run really did replace p1 (the pass is not vacuous).
    const r = runSequence(universe(user, plain), slots, seq, { invariants: [], conformance: false });
    expect(r.steps.at(-1)!.state.patches.find((p) => p.name === 'p1')?.status).toBe('freed');
  });

  it('upstream: a vendor cumulative replacing a vendor hotfix is no foreign removal; a shared owner is not foreign', () => {
    const hot = owned(['vendor'], 'p1', ['f1']);
    const joint = owned(['vendor', 'user'], 'p1', ['f1']);
    const cumulative = owned(['vendor'], 'p2', ['f2'], { replace: true });
    expect(removal(upstream, universe(hot, cumulative), ops('insmod p1', 'insmod p2'))).toBeNull();
    expect(removal(upstream, universe(joint, cumulative), ops('insmod p1', 'insmod p2'))).toBeNull();
    expect(foreign(joint, cumulative)).toBe(false);
    expect(foreign(owned(['user'], 'p1', ['f1']), cumulative)).toBe(true);
  });

  it("upstream: the user's own disable is not a removal", () => {
    const u = universe(owned(['user'], 'p1', ['f1']), owned(['vendor'], 'p2', ['f2']));
    expect(removal(upstream, u, ops('insmod p1', 'insmod p2', 'disable p1'))).toBeNull();
  });

  it("upstream: while the vendor's cumulative is in transition, its nop already takes the user's fix from switched tasks", () => {
    const u = universe(owned(['user'], 'p1', ['f1']), owned(['vendor'], 'p2', ['f2'], { replace: true }));
    const r = runSequence(u, upstream, ops('insmod p1', 'block task0 f1', 'insmod p2'), {
      invariants: [invariantById('no-foreign-removal')!],
      conformance: false,
    });
    expect(r.violation?.step).toBe(2);
    expect(r.violation?.reason).toMatch(/^p2 \(vendor\) nops away vmlinux:f1,0 of p1 \(user\)/);
  });

  it("hybrid: the admin's sysfs write of replaceable=1 is the admin asking", () => {
    const u = universe(
      owned(['user'], 'p1', ['f1'], { replace: 0, replaceable: false }),
      owned(['vendor'], 'p2', ['f2'], { replace: 1, replaceable: true }),
    );
    const asked: Op[] = [...ops('insmod p1'), { op: 'set_attr', patch: 'p1', attr: 'replaceable', value: '1' }, ...ops('insmod p2')];
    expect(removal(hybrid, u, asked)).toBeNull();
    const r = runSequence(u, hybrid, asked, { invariants: [], conformance: false });
    expect(r.steps.at(-1)!.state.patches.find((p) => p.name === 'p1')?.status).toBe('freed');
  });

  it('a patch as the invariants read it follows each sysfs write of replaceable; one not loaded is its definition', () => {
    const u = universe(owned(['user'], 'p1', ['f1'], { replace: 0, replaceable: false }), owned(['vendor'], 'p2', ['f2']));
    const run = new Lockstep(u, hybrid, { invariants: [], conformance: false });
    const replaceable = () => run.loadedDef('p1').attrs?.replaceable;
    run.step(ops('insmod p1')[0]!);
    expect(replaceable()).toBe(false);
    for (const value of ['1', '0', '1']) {
      run.step({ op: 'set_attr', patch: 'p1', attr: 'replaceable', value });
      expect(replaceable()).toBe(value === '1');
    }
    expect(run.loadedDef('p2')).toBe(u.patches[1]);
    expect(() => run.loadedDef('p9')).toThrow('patch p9 is not in the universe');
  });
});

describe('no foreign overlap', () => {
  const overlap = (sem: Semantics, u: Universe, seq: readonly Op[]) =>
    runSequence(u, sem, seq, { invariants: [invariantById('no-foreign-overlap')!], conformance: false }).violation;

  it("upstream: a user's non-replace patch on the vendor's function is an overlap; the vendor's own stack is not", () => {
    const v = owned(['vendor'], 'p1', ['f1']);
    expect(overlap(upstream, universe(v, owned(['user'], 'p2', ['f1'])), ops('insmod p1', 'insmod p2'))?.reason).toBe(
      'p1 (vendor) and p2 (user) both patch vmlinux:f1,0',
    );
    expect(overlap(upstream, universe(v, owned(['vendor'], 'p2', ['f1'])), ops('insmod p1', 'insmod p2'))).toBeNull();
  });

  it('upstream: a shared state id across owners is an overlap', () => {
    const a = { ...owned(['vendor'], 'p1', ['f1']), states: [{ id: 1, version: 1 }] };
    const b = { ...owned(['user'], 'p2', ['f2']), states: [{ id: 1, version: 1 }] };
    expect(overlap(upstream, universe(a, b), ops('insmod p1', 'insmod p2'))?.reason).toBe('p1 (vendor) and p2 (user) both use state 1');
  });
});

describe("Joe Lawrence's user patch in set 3 (scenarios/threads)", () => {
  const s = loadThreadScenario('scenarios/threads/joe-user-patch-in-set-3.json');
  const foreignAt = (sem: Semantics, step: number) =>
    semanticsOutcome(s, sem)
      .steps[step]!.violated.filter((v) => v.property === 'no-foreign-removal')
      .map((v) => v.reason);

  it("upstream's cumulative klp-3a wipes the user's patch at step 4: a violation, no longer silence", () => {
    expect(foreignAt(upstream, 3)).toEqual([expect.stringMatching(/^klp-3a \(vendor\) replaced and freed user-fix \(user\)/)]);
  });

  it("slots: the admin's add_merge_slots=4 does not cover the set 3 the vendor built into merge_slots", () => {
    expect(semanticsOutcome(s, slots).steps[3]!.outcome).toBe('EINVAL');
    expect(foreignAt(slots, 4)).toEqual([expect.stringMatching(/^klp-3a \(vendor\) replaced and freed user-fix \(user\)/)]);
  });
});

describe("Joe Lawrence's weekly cycle with a user patch in set 3 (scenarios/threads)", () => {
  const s = loadThreadScenario('scenarios/threads/joe-weekly-cycle-with-user-patch.json');
  it("Petr's plan gives the vendor's klp-2b set 3 and it replaces the user's patch, under every set proposal", () => {
    for (const name of ['replace-sets-positional', 'replace-sets-flat', 'replace-sets-set', 'slots', 'provides-obsoletes']) {
      const o = semanticsOutcome(s, semanticsByName(name)!);
      expect(o.first_violation, name).toMatchObject({ step: 5, property: 'no-foreign-removal' });
      expect(o.first_violation!.reason).toMatch(/^klp-2b \(vendor\) replaced and freed user-fix \(user\)/);
    }
  });
});

describe("Yafang Shao's dynamic enumeration (scenarios/threads/yafang-dynamic-enumeration.json)", () => {
  const s = loadThreadScenario('scenarios/threads/yafang-dynamic-enumeration.json');
  it("the script's sets keep the user's patch and every fix under slots and the replace_sets readings", () => {
    for (const name of ['replace-sets-positional', 'replace-sets-flat', 'replace-sets-set', 'slots', 'provides-obsoletes']) {
      const o = semanticsOutcome(s, semanticsByName(name)!);
      expect(o.first_violation, name).toBeNull();
      expect(o.steps.at(-1)!.enabled, name).toEqual(['usr-1', 'klp-c2', 'klp-h3']);
    }
  });
  it('upstream: the same cumulative wipes the user patch', () => {
    expect(semanticsOutcome(s, upstream).first_violation).toMatchObject({ step: 4, property: 'no-foreign-removal' });
  });
});
