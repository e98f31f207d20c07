/**
 * A value a schema pattern refuses (harness/json-file.ts describeValue):
 * for a pattern that is a run of one character class, the message names the
 * first character outside it and where it is, not the pattern alone.
 */
import { describe, expect, it } from 'vitest';
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
