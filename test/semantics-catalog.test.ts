/**
 * The semantics catalog: every file of model/semantics/ is registered and
 * cites its source, and each proposal behaves, in hand-written sequences, as
 * its thread says at the points the thread argues about: which loads are
 * refused and with which errno, whom a load replaces, what runs afterwards,
 * and where a draft or a rule breaks an invariant.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Op } from '../harness/ops.ts';
import { runSuite } from '../harness/suite.ts';
import { runSequence, type RunResult } from '../harness/run-sequence.ts';
import type { PatchAttrs, PatchDef, Universe } from '../model/kernel/definitions.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { classify } from '../model/semantics/promises.ts';
import { invariantById } from '../properties/catalog.ts';
import { lp, ops, universe } from './support/universe.ts';

const DIR = 'model/semantics';
/** Files of the folder that hold shared code rather than a proposal. */
const HELPERS = new Set(['semantics.ts', 'registry.ts', 'rules.ts', 'set-family.ts', 'promises.ts']);
const SEEDS = '../shared/seeds';

const sem = (name: string): Semantics => {
  const s = semanticsByName(name);
  if (!s) throw new Error(`no semantics ${name}`);
  return s;
};

/** Runs with the conformance check (or one invariant) and returns the trace. */
function trace(name: string, u: Universe, seq: readonly Op[], property = 'conformance'): RunResult {
  const inv = property === 'conformance' ? null : invariantById(property)!;
  return runSequence(u, sem(name), seq, { invariants: inv ? [inv] : [], conformance: !inv });
}

const outcomes = (r: RunResult) => r.steps.map((s) => s.outcome);
/** The patches on klp_patches after the last step, in list order. */
const listed = (r: RunResult) =>
  [...r.steps[r.steps.length - 1]!.state.patches]
    .filter((p) => p.order > 0)
    .sort((a, b) => a.order - b.order)
    .map((p) => p.name);
const runs = (r: RunResult, func: string) => r.steps[r.steps.length - 1]!.state.running[`vmlinux:${func},0`];

const setAttr = (patch: string, attr: string, value: string): Op => ({ op: 'set_attr', patch, attr, value });
const insmodWith = (module: string, params: Record<string, string>): Op => ({ op: 'insmod', module, params });
const withParams = (p: PatchDef, attr_params: PatchDef['attr_params']): PatchDef => ({ ...p, attr_params });
const state = (id: number, version = 1) => ({ id, version });

describe('the registry', () => {
  // *.example.ts is the README's worked example, deliberately not registered (test/readme-example.test.ts).
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.example.ts') && !HELPERS.has(f));

  it('lists every semantics of every proposal file, and nothing else', async () => {
    const exported = new Set<Semantics>();
    for (const f of files) {
      // A URL computed at run time: vite cannot (and need not) analyse it, so say so instead of warning.
      const mod = (await import(/* @vite-ignore */ pathToFileURL(resolve(DIR, f)).href)) as Record<string, unknown>;
      const found = Object.values(mod).filter((v): v is Semantics => typeof v === 'object' && v !== null && 'spec' in v && 'hooks' in v);
      expect(found.length, `${f} exports a semantics`).toBeGreaterThan(0);
      for (const s of found) exported.add(s);
    }
    expect([...exported].filter((s) => !SEMANTICS.includes(s)).map((s) => s.name)).toEqual([]);
    expect(SEMANTICS.filter((s) => !exported.has(s)).map((s) => s.name)).toEqual([]);
  });

  it('gives every semantics a unique kebab-case name', () => {
    const names = SEMANTICS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  for (const s of SEMANTICS) {
    it(`${s.name} cites a seed thread or a facts section, and states its rule`, () => {
      expect(s.sources.length).toBeGreaterThan(0);
      for (const src of s.sources) {
        expect(src.ref).toMatch(/^(\d{3}_[0-9a-f]{16}\.txt|facts [A-F](\.\d+)?)/);
        if (/\.txt$/.test(src.ref) && existsSync(SEEDS)) expect(existsSync(join(SEEDS, src.ref)), src.ref).toBe(true);
        expect(src.author).not.toBe('');
        expect(src.date).toMatch(/^(\d{4}(-\d{2}){0,2}|v\d)/);
      }
      expect(s.rule.length).toBeGreaterThan(80);
    });

    it(`${s.name} draws only attributes and parameters it reads`, () => {
      expect(s.attrChoices.length).toBeGreaterThan(0);
      expect(s.attrChoices.length).toBeLessThanOrEqual(4);
      for (const a of s.attrChoices) for (const k of Object.keys(a)) expect(s.attrs, k).toContain(k);
      for (const p of s.paramChoices ?? []) for (const k of Object.keys(p)) expect(Object.keys(s.attrParams ?? {}), k).toContain(k);
      for (const attr of Object.values(s.attrParams ?? {})) expect(s.attrs).toContain(attr);
    });
  }
});

describe('stacking, upstream and per-state (the baselines)', () => {
  it('stacking: only the topmost patch can be disabled (-EBUSY)', () => {
    const r = trace(
      'stacking',
      universe(lp('p1', ['f1']), lp('p2', ['f1'])),
      ops('insmod p1', 'insmod p2', 'disable p1', 'disable p2', 'disable p1'),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'EBUSY', 'ok', 'ok']);
    expect(r.violation).toBeNull();
  });

  it('upstream: a replace patch takes every active patch, with nops for what it does not patch', () => {
    const r = trace('upstream', universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })), ops('insmod p1', 'insmod p2'));
    expect(listed(r)).toEqual(['p2']);
    expect(runs(r, 'f1')).toEqual(['original', 'original']);
  });

  it('per-state: a replace may not drop a block_disable state, and its patch cannot be disabled', () => {
    const bd = { id: 1, block_disable: true, callbacks: 'trace' as const };
    const u = universe(lp('p1', ['f1'], { replace: true }, [bd]), lp('p2', ['f1'], { replace: true }));
    const r = trace('per-state', u, ops('insmod p1', 'insmod p2', 'disable p1'));
    expect(outcomes(r)).toEqual(['ok', 'EINVAL', 'EINVAL']);
    expect(r.violation).toBeNull();
  });
});

describe('hybrid mode (Yafang Shao, facts F.1)', () => {
  const lp123 = universe(
    lp('lp1', ['funcA'], { replace: false, replaceable: false }),
    lp('lp2', ['funcA', 'funcB'], { replace: false, replaceable: true }),
    lp('lp3', ['funcB'], { replace: true }),
  );
  const petr = ops('insmod lp1', 'insmod lp2', 'block task1 funcB', 'insmod lp3', 'unblock task1', 'step');

  it('a replace patch leaves the non-replaceable patches active beside it', () => {
    const r = trace('hybrid', lp123, ops('insmod lp1', 'insmod lp2', 'insmod lp3'));
    expect(listed(r)).toEqual(['lp1', 'lp3']);
    expect(runs(r, 'funcA')).toEqual(['lp1', 'lp1']);
  });

  it('the admin makes a patch replaceable in sysfs; -EAGAIN on the patch in transition', () => {
    const u = universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace: true }));
    const r = trace('hybrid', u, [
      ...ops('insmod p1'),
      setAttr('p1', 'replaceable', '1'),
      ...ops('block task0 f2', 'insmod p2'),
      setAttr('p2', 'replaceable', '1'),
    ]);
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'EAGAIN']);
    const done = trace('hybrid', u, [...ops('insmod p1'), setAttr('p1', 'replaceable', '1'), ...ops('insmod p2')]);
    expect(listed(done)).toEqual(['p2']);
  });

  it("Petr Mladek's lp1/lp2/lp3: funcA runs the original during lp3's transition, then silently lp1's version", () => {
    const c = trace('hybrid', lp123, petr);
    expect(c.violation).toMatchObject({ step: 3, invariant: 'conformance' });
    expect(c.violation?.reason).toMatch(/funcA.*spec has "lp1", the implementation "original"/);
    const v = trace('hybrid', lp123, petr, 'no-silent-version-switch');
    expect(v.violation).toMatchObject({
      step: 5,
      reason: 'task0 switched vmlinux:funcA,0 from original to lp1 without switching in a transition that covers it',
    });
  });

  it('a replaceable flag written during a transition: nops were made at load, the replaced set is read at completion', () => {
    const u = universe(lp('p1', ['f1'], { replace: false, replaceable: true }), lp('p2', ['f2'], { replace: true }));
    const seq = [...ops('insmod p1', 'block task0 f2', 'insmod p2'), setAttr('p1', 'replaceable', '0'), ...ops('unblock task0', 'step')];
    expect(trace('hybrid', u, seq, 'no-silent-version-switch').violation?.reason).toBe(
      'task1 switched vmlinux:f1,0 from original to p1 without switching in a transition that covers it',
    );
  });
});

describe("Petr Mladek's safer hybrid variants (seed 003)", () => {
  const pair = (f1: string[], f2: string[], a1: PatchAttrs, a2: PatchAttrs) => universe(lp('p1', f1, a1), lp('p2', f2, a2));
  const offBand: PatchAttrs = { replace: false, replaceable: false };

  it('1, gated: a replace patch conflicting with a non-replaceable one is refused; the weaker definition lets a superset load', () => {
    const overlap = pair(['fA', 'fB'], ['fB', 'fC'], offBand, { replace: true });
    const superset = pair(['fA', 'fB'], ['fA', 'fB', 'fC'], offBand, { replace: true });
    expect(outcomes(trace('hybrid-gated-shared', overlap, ops('insmod p1', 'insmod p2')))).toEqual(['ok', 'EINVAL']);
    expect(outcomes(trace('hybrid-gated-partial', overlap, ops('insmod p1', 'insmod p2')))).toEqual(['ok', 'EINVAL']);
    expect(outcomes(trace('hybrid-gated-shared', superset, ops('insmod p1', 'insmod p2')))).toEqual(['ok', 'EINVAL']);
    const r = trace('hybrid-gated-partial', superset, ops('insmod p1', 'insmod p2'));
    expect(outcomes(r)).toEqual(['ok', 'ok']);
    expect(listed(r)).toEqual(['p1', 'p2']);
  });

  it("1, gated, still lets Petr's lp1/lp2/lp3 through: lp2 stacked on lp1 without a replace, and lp3 conflicts only with lp2", () => {
    const u = universe(
      lp('lp1', ['funcA'], offBand),
      lp('lp2', ['funcA', 'funcB'], { replaceable: true }),
      lp('lp3', ['funcB'], { replace: true }),
    );
    const r = trace(
      'hybrid-gated-shared',
      u,
      ops('insmod lp1', 'insmod lp2', 'block task1 funcB', 'insmod lp3', 'unblock task1', 'step'),
      'no-silent-version-switch',
    );
    expect(r.violation?.step).toBe(5);
  });

  it('2, auto: a patch replaces what it conflicts with and nothing else', () => {
    const overlap = pair(['fA', 'fB'], ['fB', 'fC'], {}, {});
    const r = trace('hybrid-auto-shared', overlap, ops('insmod p1', 'insmod p2'));
    expect(listed(r)).toEqual(['p2']);
    expect(runs(r, 'fA')).toEqual(['original', 'original']);
    expect(listed(trace('hybrid-auto-shared', pair(['fA'], ['fC'], {}, {}), ops('insmod p1', 'insmod p2')))).toEqual(['p1', 'p2']);
  });

  it('2, auto, weaker definition: a superset is no conflict, so it stacks instead of replacing', () => {
    const superset = pair(['fA', 'fB'], ['fA', 'fB', 'fC'], {}, {});
    expect(listed(trace('hybrid-auto-shared', superset, ops('insmod p1', 'insmod p2')))).toEqual(['p2']);
    const r = trace('hybrid-auto-partial', superset, ops('insmod p1', 'insmod p2'), 'no-function-shared-across-slots');
    expect(r.violation?.reason).toMatch(/both use vmlinux:fA,0/);
  });

  it('3, listed: replaces the patches it names, even non-conflicting ones; an unnamed conflict is refused', () => {
    const named = trace('hybrid-listed-shared', pair(['fA'], ['fC'], {}, { replaces: ['p1'] }), ops('insmod p1', 'insmod p2'));
    expect(listed(named)).toEqual(['p2']);
    const unnamed = trace('hybrid-listed-shared', pair(['fA'], ['fA', 'fC'], {}, { replaces: [] }), ops('insmod p1', 'insmod p2'));
    expect(outcomes(unnamed)).toEqual(['ok', 'EINVAL']);
    expect(
      outcomes(trace('hybrid-listed-partial', pair(['fA'], ['fA', 'fC'], {}, { replaces: [] }), ops('insmod p1', 'insmod p2'))),
    ).toEqual(['ok', 'ok']);
  });
});

describe('the replace tag (seed 000)', () => {
  it('as first posted: a replace=0 patch is superseded by any tagged patch and its fix is lost', () => {
    const u = universe(lp('p1', ['f1'], { replace: 0 }), lp('p2', ['f2'], { replace: 1 }));
    const r = trace('replace-tag-draft', u, ops('insmod p1', 'insmod p2'), 'no-lost-fix');
    expect(r.violation?.reason).toBe("p1's fix of vmlinux:f1,0 stopped running (now original) for task0; p2 may not replace p1");
    // Song Liu's rule, the draft's spec, keeps p1: a conformance failure.
    expect(trace('replace-tag-draft', u, ops('insmod p1', 'insmod p2')).violation?.reason).toBe(
      'at /patches/0/status the spec has "enabled", the implementation "freed"',
    );
  });

  it('as first posted: two tags patch one function, since the compatibility check was left unchanged', () => {
    const u = universe(lp('p1', ['f1'], { replace: 1 }), lp('p2', ['f1'], { replace: 2 }));
    const r = trace('replace-tag-draft', u, ops('insmod p1', 'insmod p2'), 'no-function-shared-across-slots');
    expect(r.violation?.reason).toBe('p1 (slot tag:1) and p2 (slot tag:2) both use vmlinux:f1,0');
    expect(listed(r)).toEqual(['p1', 'p2']);
  });

  it("as first posted: klp_add_nops still nops another tag's functions until the nops are discarded", () => {
    const u = universe(lp('p1', ['f1'], { replace: 1 }), lp('p2', ['f2'], { replace: 2 }));
    const r = trace(
      'replace-tag-draft',
      u,
      ops('insmod p1', 'block task0 f2', 'insmod p2', 'unblock task0', 'step'),
      'no-silent-version-switch',
    );
    expect(r.violation).toMatchObject({
      step: 4,
      reason: 'task1 switched vmlinux:f1,0 from original to p1 without switching in a transition that covers it',
    });
  });

  it("Song Liu's rule: a function patched under another tag refuses the load; the same tag replaces", () => {
    const u = universe(lp('p1', ['f1'], { replace: 1 }), lp('p2', ['f1'], { replace: 2 }), lp('p3', ['f1', 'f2'], { replace: 1 }));
    const r = trace('replace-tag', u, ops('insmod p1', 'insmod p2', 'insmod p3'));
    expect(outcomes(r)).toEqual(['ok', 'EINVAL', 'ok']);
    expect(listed(r)).toEqual(['p3']);
    expect(r.violation).toBeNull();
  });

  it("Song Liu's rule: replace=0 is never replaced; two replace=0 patches may share a function, but not under the strict reading", () => {
    const u = universe(lp('p1', ['f1'], { replace: 0 }), lp('p2', ['f1'], { replace: 0 }), lp('p3', ['f2'], { replace: 1 }));
    const r = trace('replace-tag', u, ops('insmod p1', 'insmod p3', 'insmod p2'));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok']);
    expect(listed(r)).toEqual(['p1', 'p3', 'p2']);
    expect(outcomes(trace('replace-tag-strict', u, ops('insmod p1', 'insmod p3', 'insmod p2')))).toEqual(['ok', 'ok', 'EINVAL']);
  });
});

describe("replace_set (Petr Mladek's review, v2: facts F.3)", () => {
  it('sets coexist; a function or a state id of another set refuses the load (-EINVAL)', () => {
    const u = universe(
      lp('p1', ['f1'], { replace_set: 0 }, [state(1)]),
      lp('p2', ['f2'], { replace_set: 1 }),
      lp('p3', ['f1'], { replace_set: 1 }),
      lp('p4', ['f3'], { replace_set: 1 }, [state(1)]),
    );
    const r = trace('replace-set', u, ops('insmod p1', 'insmod p2', 'insmod p3', 'insmod p4'));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'EINVAL', 'EINVAL']);
    expect(listed(r)).toEqual(['p1', 'p2']);
  });

  it('a patch replaces its own set only, carrying its states at no lower version', () => {
    const u = universe(
      lp('p1', ['f1'], { replace_set: 0 }, [state(1, 2)]),
      lp('p2', ['f2'], { replace_set: 1 }),
      lp('p3', ['f3'], { replace_set: 0 }, [state(1, 1)]),
      lp('p4', ['f3'], { replace_set: 0 }, [state(1, 2)]),
    );
    const r = trace('replace-set', u, ops('insmod p1', 'insmod p2', 'insmod p3', 'insmod p4'));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'EINVAL', 'ok']);
    expect(listed(r)).toEqual(['p2', 'p4']);
    expect(runs(r, 'f1')).toEqual(['original', 'original']);
    expect(runs(r, 'f2')).toEqual(['p2', 'p2']);
  });

  it('force marks the replaced patches of the same set, never the transition patch itself (facts F.4.3)', () => {
    const u = universe(lp('p1', ['f1'], { replace_set: 0 }), lp('p2', ['f2'], { replace_set: 1 }), lp('p3', ['f3'], { replace_set: 0 }));
    const r = trace('replace-set', u, ops('insmod p1', 'insmod p2', 'block task0 f3', 'insmod p3', 'force p3', 'step'));
    expect(r.violation).toBeNull();
    const forced = r.steps[r.steps.length - 1]!.state.patches.filter((p) => p.forced).map((p) => p.name);
    expect(forced).toEqual(['p1']);
  });

  it("without the per-set filter in klp_add_nops, another set's function switches back when the nops go", () => {
    const u = universe(lp('p1', ['f1'], { replace_set: 1 }), lp('p2', ['f2'], { replace_set: 0 }));
    const seq = ops('insmod p1', 'block task0 f2', 'insmod p2', 'unblock task0', 'step');
    expect(trace('replace-set', u, seq, 'no-silent-version-switch').violation).toBeNull();
    const r = trace('replace-set-unfiltered-nops', u, seq, 'no-silent-version-switch');
    expect(r.violation).toMatchObject({
      step: 4,
      reason: 'task1 switched vmlinux:f1,0 from original to p1 without switching in a transition that covers it',
    });
    expect(trace('replace-set-unfiltered-nops', u, seq).violation).toMatchObject({ step: 2, invariant: 'conformance' });
  });
});

describe('the replace_sets array, three readings (seed 001)', () => {
  const cycle = universe(
    lp('klp-1a', ['cve_a'], { replace_sets: [1] }),
    lp('klp-1c', ['hot_x'], { replace_sets: [2] }),
    lp('klp-2a', ['cve_a', 'hot_x'], { replace_sets: [1, 2] }),
    lp('klp-2b', ['hot_y'], { replace_sets: [2] }),
  );
  const monTue = ops('insmod klp-1a', 'insmod klp-1c', 'insmod klp-2a', 'insmod klp-2b');

  it("all three: Monday's cumulative {1,2} replaces klp-1a and wipes the set-2 hotfix", () => {
    for (const reading of ['positional', 'flat', 'set']) {
      const r = trace(`replace-sets-${reading}`, cycle, monTue.slice(0, 3));
      expect(listed(r), reading).toEqual(['klp-2a']);
      expect(r.violation).toBeNull();
    }
  });

  it("Tuesday's hotfix back in set 2: positional coexists, flat replaces the whole cumulative, set refuses", () => {
    expect(listed(trace('replace-sets-positional', cycle, monTue))).toEqual(['klp-2a', 'klp-2b']);
    expect(listed(trace('replace-sets-flat', cycle, monTue))).toEqual(['klp-2b']);
    const set = trace('replace-sets-set', cycle, monTue);
    expect(outcomes(set)).toEqual(['ok', 'ok', 'ok', 'EINVAL']);
    expect(listed(set)).toEqual(['klp-2a']);
  });

  it('an empty array is set 0, which only set 0 replaces', () => {
    const u = universe(lp('p1', ['f1']), lp('p2', ['f2'], { replace_sets: [1, 2] }), lp('p3', ['f3'], { replace_sets: [] }));
    expect(listed(trace('replace-sets-positional', u, ops('insmod p1', 'insmod p2')))).toEqual(['p1', 'p2']);
    expect(listed(trace('replace-sets-positional', u, ops('insmod p1', 'insmod p3')))).toEqual(['p3']);
  });

  it("names a patch's slot by its sets, ascending, each array's own however often and in whatever order asked", () => {
    // The names are remembered per array (replace-sets.ts sortedSets): one remembered for the wrong array would show here.
    const asked: [PatchAttrs, string, string][] = [
      [{ replace_sets: [2, 1] }, 'sets:1,2', 'set:2'],
      [{ replace_sets: [2] }, 'sets:2', 'set:2'],
      [{ replace_sets: [1, 2] }, 'sets:1,2', 'set:1'],
      [{ replace_sets: [] }, 'sets:0', 'set:0'],
      [{}, 'sets:0', 'set:0'],
      [{ replace_sets: [3, 1, 2] }, 'sets:1,2,3', 'set:3'],
    ];
    for (let round = 0; round < 2; round++)
      for (const [attrs, unordered, positional] of asked) {
        expect(sem('replace-sets-set').slotOf('p', attrs)).toBe(unordered);
        expect(sem('replace-sets-flat').slotOf('p', attrs)).toBe(unordered);
        expect(sem('replace-sets-positional').slotOf('p', attrs)).toBe(positional);
      }
  });
});

describe('slots and provides/obsoletes, with the admin parameter (seed 001)', () => {
  const admin = { add_merge_slots: 'add_merge_slots' as const, also_obsoletes: 'also_obsoletes' as const };
  const u = universe(
    lp('vendor-1', ['f1'], { slot: 1, provides: 1 }),
    lp('customer', ['f2'], { slot: 3, provides: 3 }),
    withParams(lp('vendor-2', ['f1', 'f2'], { slot: 1, provides: 1 }), admin),
  );

  for (const name of ['slots', 'provides-obsoletes']) {
    it(`${name}: a vendor patch touching a customer's function is refused, unless the admin adds the customer's slot`, () => {
      const refused = trace(name, u, ops('insmod vendor-1', 'insmod customer', 'insmod vendor-2'));
      expect(outcomes(refused)).toEqual(['ok', 'ok', 'EINVAL']);
      const param: Record<string, string> = name === 'slots' ? { add_merge_slots: '3' } : { also_obsoletes: '3' };
      const r = trace(name, u, [...ops('insmod vendor-1', 'insmod customer'), insmodWith('vendor-2', param)]);
      expect(outcomes(r)).toEqual(['ok', 'ok', 'ok']);
      expect(listed(r)).toEqual(['vendor-2']);
      expect(r.violation).toBeNull();
    });
  }

  it('slots: merge_slots replaces the listed slots; the patch then occupies only its own', () => {
    const m = universe(
      lp('a', ['f1'], { slot: 1 }),
      lp('b', ['f2'], { slot: 2 }),
      lp('c', ['f1', 'f2'], { slot: 1, merge_slots: [2] }),
      lp('d', ['f3'], { slot: 2 }),
    );
    const r = trace('slots', m, ops('insmod a', 'insmod b', 'insmod c', 'insmod d'));
    expect(listed(r)).toEqual(['c', 'd']);
    expect(r.steps[r.steps.length - 1]!.state.patches.filter((p) => p.order > 0).map((p) => p.slot)).toEqual(['slot:1', 'slot:2']);
  });

  it('the parameter of one semantics is ignored by another: replace_sets has no admin override', () => {
    const v = universe(
      lp('vendor-1', ['f1'], { replace_sets: [1] }),
      lp('customer', ['f2'], { replace_sets: [3] }),
      withParams(lp('vendor-2', ['f1', 'f2'], { replace_sets: [1] }), admin),
    );
    const r = trace('replace-sets-positional', v, [
      ...ops('insmod vendor-1', 'insmod customer'),
      insmodWith('vendor-2', { add_merge_slots: '3' }),
    ]);
    expect(outcomes(r)).toEqual(['ok', 'ok', 'EINVAL']);
  });
});

describe("the README's worked example of a new proposal", () => {
  it('compiles as written, and every property holds for it', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Adding a proposal'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    // The file as a maintainer would create it, with its imports pointed at this checkout.
    const file = join(mkdtempSync(join(tmpdir(), 'klpcheck-readme-')), 'replace-set-song.ts');
    writeFileSync(
      file,
      code!.replace(/from '\.\.?\//g, (m) => `from '${resolve(DIR, m.includes('..') ? '..' : '.')}/`),
    );
    const { replaceSetSong } = (await import(/* @vite-ignore */ file)) as { replaceSetSong: Semantics };
    expect(replaceSetSong.name).toBe('replace-set-song');
    const results = runSuite({ semantics: replaceSetSong, runs: 100, seed: 1 });
    // Every property it promises holds; what breaks is what breaks for every set proposal, and it never promised it.
    const violated = results.filter((r) => r.verdict === 'violated').map((r) => r.property);
    expect(violated).toEqual(['no-foreign-removal', 'no-silent-downgrade']);
    for (const p of violated) expect(classify(replaceSetSong, p, true)).toBe('design-choice');
  });
});
