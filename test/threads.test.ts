/**
 * The thread scenarios (scenarios/threads/*.json) under every semantics: the
 * recorded outcomes (<name>.outcomes.json) must be what the semantics do
 * today, and the points each thread argues about must come out as the
 * thread says. After changing a semantics or a scenario, re-record with
 * `npm run record:threads` and read the diff.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  loadThreadScenario,
  outcomesFileFor,
  readThreadOutcomes,
  threadOutcomes,
  threadScenarioFiles,
  type SemanticsOutcome,
  type ThreadOutcomes,
} from '../harness/thread-outcomes.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';

const files = threadScenarioFiles();
const recorded = new Map<string, ThreadOutcomes>(files.map((f) => [loadThreadScenario(f).name, readThreadOutcomes(outcomesFileFor(f))]));

function run(scenario: string, semantics: string): SemanticsOutcome {
  const r = recorded.get(scenario)?.semantics[semantics];
  if (!r) throw new Error(`no recorded run of ${scenario} under ${semantics}`);
  return r;
}
const outcomes = (r: SemanticsOutcome) => r.steps.map((s) => s.outcome);
const final = (r: SemanticsOutcome) => r.steps[r.steps.length - 1]!.enabled;
const broken = (r: SemanticsOutcome, property: string) => r.steps.findIndex((s) => s.violated.some((v) => v.property === property));

describe('thread scenarios', () => {
  it('are the ones the issue lists', () => {
    expect([...recorded.keys()].sort()).toEqual([
      'block-disable-downgrade',
      'joe-hotfix-back-in-set-2',
      'joe-user-patch-in-set-3',
      'joe-weekly-cycle',
      'joe-weekly-cycle-with-user-patch',
      'petr-downgrade-5a-3a',
      'petr-downgrade-5a-3a-block-disable',
      'petr-downgrade-5a-3a-new-state',
      'petr-downgrade-5a-3a-versions',
      'petr-lp1-lp2-lp3',
      'petr-pair-disjoint',
      'petr-pair-overlap',
      'petr-pair-subset',
      'petr-pair-superset',
      'yafang-dynamic-enumeration',
      'yafang-fix1-fix5',
    ]);
  });

  for (const file of files) {
    it(`${file}: the recorded outcomes cover every semantics and are today's`, () => {
      expect(existsSync(outcomesFileFor(file)), `${outcomesFileFor(file)}: run npm run record:threads`).toBe(true);
      const s = loadThreadScenario(file);
      expect(s.source.ref).toMatch(/^(\d{3}_[0-9a-f]{16}\.txt|facts [A-F](\.\d+)?)$/);
      const rec = recorded.get(s.name)!;
      expect(Object.keys(rec.semantics)).toEqual(SEMANTICS.map((x) => x.name));
      expect(threadOutcomes(s), `${file} changed: run npm run record:threads and read the diff`).toEqual(rec);
    });
  }

  it('refuses a scenario whose op names a patch the universe lacks', () => {
    expect(() => loadThreadScenario('test/fixtures/thread-unknown-patch.json')).toThrow(KlpcheckError);
    expect(() => loadThreadScenario('test/fixtures/thread-unknown-patch.json')).toThrow(/patch 'lp9' is not in the universe/);
  });
});

describe("Petr Mladek's lp1/lp2/lp3 (facts F.1)", () => {
  it('hybrid mode: funcA runs the original during the transition, then silently lp1 when the nops go', () => {
    const r = run('petr-lp1-lp2-lp3', 'hybrid');
    expect(broken(r, 'conformance')).toBe(3);
    expect(broken(r, 'no-silent-version-switch')).toBe(5);
    expect(final(r)).toEqual(['lp1', 'lp3']);
  });

  it('idea 1 (gated) does not help; idea 3 (listed) refuses lp2 on top of lp1; replace_set refuses lp2 across sets', () => {
    expect(broken(run('petr-lp1-lp2-lp3', 'hybrid-gated-shared'), 'no-silent-version-switch')).toBe(5);
    expect(outcomes(run('petr-lp1-lp2-lp3', 'hybrid-listed-shared'))[1]).toBe('EINVAL');
    for (const name of ['replace-set', 'replace-sets-positional', 'slots']) {
      const r = run('petr-lp1-lp2-lp3', name);
      expect(outcomes(r)[1], name).toBe('EINVAL');
      expect(r.first_violation, name).toBeNull();
    }
  });

  it('upstream: lp3 replaces both and nothing switches silently', () => {
    const r = run('petr-lp1-lp2-lp3', 'upstream');
    expect(broken(r, 'no-silent-version-switch')).toBe(-1);
    expect(final(r)).toEqual(['lp3']);
  });
});

describe("Petr Mladek's two definitions of a conflict (seed 003)", () => {
  it('differ only on the superset pair', () => {
    for (const idea of ['gated', 'listed']) {
      for (const pair of ['disjoint', 'overlap', 'subset']) {
        expect(outcomes(run(`petr-pair-${pair}`, `hybrid-${idea}-shared`)), `${idea} ${pair}`).toEqual(
          outcomes(run(`petr-pair-${pair}`, `hybrid-${idea}-partial`)),
        );
      }
      expect(outcomes(run('petr-pair-superset', `hybrid-${idea}-shared`))).toEqual(['ok', 'EINVAL']);
      expect(outcomes(run('petr-pair-superset', `hybrid-${idea}-partial`))).toEqual(['ok', 'ok']);
    }
    expect(final(run('petr-pair-superset', 'hybrid-auto-shared'))).toEqual(['Patch2']);
    expect(final(run('petr-pair-superset', 'hybrid-auto-partial'))).toEqual(['Patch1', 'Patch2']);
  });

  it('every set proposal refuses a cross-set overlap and keeps disjoint patches side by side', () => {
    for (const name of [
      'replace-set',
      'replace-sets-positional',
      'replace-sets-flat',
      'replace-sets-set',
      'slots',
      'provides-obsoletes',
      'replace-tag',
    ]) {
      expect(outcomes(run('petr-pair-overlap', name)), name).toEqual(['ok', 'EINVAL']);
      expect(final(run('petr-pair-disjoint', name)), name).toEqual(['Patch1', 'Patch2']);
    }
  });
});

describe("Joe Lawrence's weekly cycle (seed 001)", () => {
  it('replace_sets, slots and provides run the whole week, downgrade included, with nothing broken', () => {
    for (const name of ['replace-sets-positional', 'replace-sets-flat', 'replace-sets-set', 'slots', 'provides-obsoletes']) {
      const r = run('joe-weekly-cycle', name);
      expect(outcomes(r), name).toEqual(Array(10).fill('ok'));
      expect(final(r), name).toEqual(['klp-3a']);
      expect(r.first_violation, name).toBeNull();
    }
  });

  it("a single replace_set cannot absorb the set-2 hotfix: Monday's cumulative is refused", () => {
    expect(outcomes(run('joe-weekly-cycle', 'replace-set')).slice(0, 4)).toEqual(['ok', 'ok', 'ok', 'EINVAL']);
  });

  it('a hotfix back in set 2 after the {1,2} cumulative: positional coexists, flat replaces the cumulative, set refuses', () => {
    expect(final(run('joe-hotfix-back-in-set-2', 'replace-sets-positional'))).toEqual(['klp-2a', 'klp-2b']);
    expect(final(run('joe-hotfix-back-in-set-2', 'replace-sets-flat'))).toEqual(['klp-2b']);
    expect(outcomes(run('joe-hotfix-back-in-set-2', 'replace-sets-set'))[4]).toBe('EINVAL');
  });

  it('a user patch in set 3: refused without the admin, and then wiped by the hardcoded {1,2,3}', () => {
    for (const name of ['slots', 'provides-obsoletes']) {
      const r = run('joe-user-patch-in-set-3', name);
      expect(outcomes(r), name).toEqual(['ok', 'ok', 'ok', 'EINVAL', 'ok']);
      expect(final(r), name).toEqual(['klp-3a']);
    }
    expect(outcomes(run('joe-user-patch-in-set-3', 'replace-sets-positional')).slice(3)).toEqual(['EINVAL', 'EINVAL']);
    expect(broken(run('joe-user-patch-in-set-3', 'replace-tag-draft'), 'no-lost-fix')).toBe(3);
  });
});

describe("Yafang Shao's Fix1..Fix5 (seed 003)", () => {
  it('hybrid mode ends as Yafang describes; the replace tag draft loses Fix2 on the way', () => {
    expect(final(run('yafang-fix1-fix5', 'hybrid'))).toEqual(['Fix2', 'Fix4', 'Fix5']);
    expect(outcomes(run('yafang-fix1-fix5', 'upstream'))[2]).toBe('EACCES');
    expect(run('yafang-fix1-fix5', 'replace-tag-draft').steps[3]!.violated.map((v) => v.property)).toEqual(['conformance', 'no-lost-fix']);
  });
});

describe('block_disable and a downgrade (seed 004)', () => {
  it('per-state refuses both the downgrade and the disable; upstream refuses only the downgrade', () => {
    expect(outcomes(run('block-disable-downgrade', 'per-state'))).toEqual(['ok', 'ok', 'ok', 'EINVAL', 'EINVAL']);
    expect(outcomes(run('block-disable-downgrade', 'upstream'))).toEqual(['ok', 'ok', 'ok', 'EINVAL', 'ok']);
    expect(final(run('block-disable-downgrade', 'per-state'))).toEqual(['klp-2']);
  });
});
