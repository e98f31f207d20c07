/**
 * `explore --help` shows the range of every number it takes (README: values
 * "within the range `--help` shows"): each scope value and --shard's i/n. The
 * ranges are read back from the help text and tried on the parsers, so the
 * help cannot drift from what is accepted: each end shown is accepted, one
 * past it refused.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../cli/command.ts';
import { explore } from '../cli/commands/explore.ts';
import { depthBoundIn, parseScope, scopeRanges } from '../harness/explore/scope.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { run } from './support/cli-run.ts';

const help = async () => (await run(['explore', '--help'])).stdout;

/** The E_USAGE line `f` throws, or 'accepted'. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof KlpcheckError) return `${e.message} [${e.code}]`;
    throw e;
  }
  return 'accepted';
}

describe('explore --help shows the ranges the parsers enforce', () => {
  it('names every scope key with its range, and each end shown is accepted, one past it refused', async () => {
    const text = await help();
    const line = /^Scope keys and values \(K=N\): (.*)$/m.exec(text)?.[1];
    expect(line, text).toBeDefined();
    const ranges = [...line!.matchAll(/(\w+) (\d+) to (\d+)/g)].map((m) => [m[1]!, Number(m[2]), Number(m[3])] as const);
    expect(ranges.map(([key]) => key)).toEqual(['patches', 'functions', 'states', 'tasks', 'depth', 'taskModel']);
    expect(line).toContain('depth 1 to 30 or any');
    expect(refusal(() => parseScope('depth=any'))).toBe('accepted');
    // A word that was meant as `any` is told of it (hostile-user finding: 'depth=ANY' was told only of numbers).
    expect(refusal(() => parseScope('depth=ANY'))).toBe("scope depth takes a whole number from 1 to 30 or 'any', not 'ANY' [E_USAGE]");
    for (const [key, min, max] of ranges) {
      expect(
        refusal(() => parseScope(`${key}=${min}`)),
        `${key}=${min}`,
      ).toBe('accepted');
      expect(
        refusal(() => parseScope(`${key}=${max}`)),
        `${key}=${max}`,
      ).toBe('accepted');
      expect(refusal(() => parseScope(`${key}=${max + 1}`))).toBe(
        `scope ${key} takes a whole number from ${min} to ${max}${key === 'depth' ? " or 'any'" : ''}, not '${max + 1}' [E_USAGE]`,
      );
      if (min > 0) expect(refusal(() => parseScope(`${key}=${min - 1}`))).toMatch(/\[E_USAGE\]$/);
    }
  });

  it("shows --shard's i/n range, and the largest n shown is accepted, one more refused", async () => {
    const text = await help();
    const m = /^ +--shard I\/N .*\[i\/n with 0 <= i < n <= (\d+); needs --out\]$/m.exec(text);
    expect(m, text).not.toBeNull();
    const max = Number(m![1]);
    const shard = (value: string) => () => parseCommandLine(explore, ['--semantics', 'upstream', '--shard', value, '--out', 'x.json']);
    expect(refusal(shard(`${max - 1}/${max}`))).toBe('accepted');
    expect(refusal(shard('0/1'))).toBe('accepted');
    expect(refusal(shard(`0/${max + 1}`))).toBe(`--shard n takes a whole number from 1 to ${max}, not '${max + 1}' [E_USAGE]`);
    expect(refusal(shard(`${max}/${max}`))).toMatch(/^--shard i takes a whole number from 0 to \d+, not '\d+' \[E_USAGE\]$/);
  });

  it("promela --help shows the ranges of the keys Spin's model takes, from the same table", async () => {
    const text = (await run(['promela', '--help'])).stdout;
    const line = /^Scope keys and values \(K=N\): (.*)\.$/m.exec(text)?.[1];
    expect(line, text).toBe(scopeRanges(['patches', 'functions', 'states', 'tasks']));
    expect(line).toMatch(/^patches 1 to \d+, functions 1 to \d+, states 0 to \d+, tasks 1 to \d+$/);
  });
});

describe('a scope text with spaces around its keys and values', () => {
  it('is read as without them, as --semantics names are trimmed, and a spaced depth bound is still seen as one', () => {
    // "patches=1, functions=1" was "unknown scope key ' functions'"; a splitter of its own in depthBoundIn would miss
    // " depth=3" once parseScope read it (hostile-user test, 2026-12-03).
    expect(parseScope('patches=1, functions=1 ,depth = 2')).toEqual(parseScope('patches=1,functions=1,depth=2'));
    expect(depthBoundIn('patches=1, depth=3')).toBe('depth=3');
    expect(depthBoundIn('patches=1, depth = any')).toBeUndefined();
    expect(depthBoundIn(undefined)).toBeUndefined();
    expect(refusal(() => parseScope('patches=1,,depth=2'))).toMatch(/^unknown scope key '' /);
    // An empty scope as a whole says so (stop 38's hostile user: "unknown scope key ''").
    for (const empty of ['', '  '])
      expect(refusal(() => parseScope(empty))).toBe(
        'the scope is empty; give K=V,... (keys: patches, functions, states, tasks, depth, taskModel) [E_USAGE]',
      );
    expect(refusal(() => parseScope('patches=1 2'))).toBe("scope patches takes a whole number from 1 to 5, not '1 2' [E_USAGE]");
  });
});
