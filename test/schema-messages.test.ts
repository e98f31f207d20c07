/**
 * What a schema error says (harness/json-file.ts describeValue): for a
 * pattern that is a run of one character class, the first character outside
 * it and where it is, not the pattern alone; for a verdict matrix's cell, the
 * fault of the cell's own kind (the schema's discriminator on `verdict`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validate } from '../harness/json-file.ts';
import { basicScenario, run, TempDir } from './support/cli-run.ts';

async function refusalOf(params: Record<string, string>): Promise<string> {
  const s = basicScenario();
  s.steps[0] = { ...s.steps[0], params };
  const r = await run(['scenario', new TempDir().write('s.json', s)]);
  expect(r.code).toBe(2);
  return r.stderr.replace(/^klpcheck: .*?s\.json:/, '');
}

describe('schema pattern messages', () => {
  it.each([
    ['tâsk0', `'â' (U+00E2) at character 2`],
    ['task0 task1', 'a blank at character 6'],
    ['a"b', 'a double quote at character 2'],
    ['x\u00a0y', 'U+00A0 at character 2'],
    ['😀', `'😀' (U+1F600) at character 1`],
  ])('a parameter value %j: %s', async (value, bad) => {
    expect(await refusalOf({ klp_pids: value })).toBe(
      `/steps/0/params/klp_pids: must match pattern "^[!#-~]*$": ${bad} is not allowed [E_SCHEMA]\n`,
    );
  });

  it('a parameter name, at its object', async () => {
    expect(await refusalOf({ 'klp pids': '1' })).toBe(
      `/steps/0/params/klp pids: property name 'klp pids' must match pattern "^[A-Za-z0-9_.-]+$": a blank at character 4 is not allowed [E_SCHEMA]\n`,
    );
  });
});

describe('verdict matrix cells', () => {
  const refusal = (change: (cell: Record<string, unknown>) => void): string => {
    const m = JSON.parse(readFileSync('verdicts/expected.json', 'utf8'));
    const i = m.cells.findIndex((c: { verdict: string }) => c.verdict === 'holds-random');
    change(m.cells[i]);
    try {
      validate('verdict-matrix', m, 'expected.json');
    } catch (e) {
      return `${(e as { where?: string }).where?.replace(`/cells/${i}`, '/cells/I')}: ${(e as Error).message}`;
    }
    return 'valid';
  };

  it("names an unknown property of a holds-random cell, not a violated cell's missing one", () => {
    // It said "must have required property 'counterexamples'" (hostile user, stop 42).
    expect(refusal((c) => (c.extra = 1))).toBe("/cells/I/extra: unknown property 'extra'");
  });

  it('names an unknown verdict', () => {
    expect(refusal((c) => (c.verdict = 'holds'))).toBe("/cells/I: unknown verdict 'holds'");
    expect(refusal(() => {})).toBe('valid');
  });
});

describe('a quoted name', () => {
  it('keeps its newline, escaped, where it was made a blank', async () => {
    const s = basicScenario();
    s.steps[2] = { op: 'disable_lp', patch: 'test_klp_livepatch\n \tx' };
    const r = await run(['scenario', new TempDir().write('s.json', s)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.json:\/steps\/2\/patch: patch 'test_klp_livepatch\\n \\tx' is not in the universe \[E_REFERENCE\]\n$/);
  });
});
