/**
 * Counts in reports and messages take the singular for exactly one: output
 * once said `1 sequences`, `1 steps` and `1 operations` wherever a count could
 * be one. Every such count goes through harness/plural.ts.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { summarize } from '../harness/explore/summary.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { exploreText } from '../report/explore/text.ts';
import { plural } from '../harness/plural.ts';
import { run } from './support/cli-run.ts';

/** A count of one with a plural noun, as the defect printed it. */
const ONE_PLURAL = /\b1 (sequences|steps|operations|states|distinct states|transitions|releases|cycles|cells|ops)\b/;

describe('plural', () => {
  it('singular for one, plural for any other count, an irregular plural when given', () => {
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(0, 'step')).toBe('0 steps');
    expect(plural(2, 'sequence')).toBe('2 sequences');
    expect(plural(1, 'patch', 'patches')).toBe('1 patch');
    expect(plural(3, 'patch', 'patches')).toBe('3 patches');
  });

  it('run --runs 1 --steps 1: one sequence of up to one operation', async () => {
    const r = await run(['run', '--semantics', 'upstream', '--invariant', 'module-safety', '--runs', '1', '--steps', '1', '--no-save']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^klpcheck run: seed 1, 1 sequence of up to 1 operation and 7 settling ones per property$/m);
    expect(r.stdout).toMatch(/^upstream +module-safety +holds {2}\(1 sequence, \d+ steps?\)$/m);
    expect(r.stdout).not.toMatch(ONE_PLURAL);
  });

  it('compare --runs 1 --steps 1: the cell and the legend say one sequence of up to one operation', async () => {
    const args = ['compare', '--semantics', 'upstream', '--invariants', 'module-safety', '--runs', '1', '--steps', '1', '--no-save'];
    const r = await run([...args, '--markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/holds for 1 sequence of up to 1 operation and 7 settling ones, \d+ operations? applied \(seed 1\)/);
    expect(r.stdout).not.toMatch(ONE_PLURAL);
    const text = await run(args);
    expect(text.stdout).not.toMatch(ONE_PLURAL);
    expect(text.stderr).toMatch(/^klpcheck compare: 1 cell in /m);
  });

  it('protocols --releases 1: every cycle of up to one release', async () => {
    const r = await run(['protocols', '--semantics', 'upstream', '--protocols', 'static-sets', '--releases', '1']);
    expect(r.stdout).toMatch(/every cycle of up to 1 release \(/);
    expect(r.stdout).not.toMatch(ONE_PLURAL);
  });

  it("explore's report: one distinct state, one transition, a one-step counterexample", () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=2');
    const s = summarize(explore({ semantics: upstream, scope, properties: ['no-function-shared-across-slots'] }), 0);
    expect(s.violations).toHaveLength(1);
    const one = { ...s, distinctStates: 1, transitions: 1, violations: s.violations.map((v) => ({ ...v, ops: v.ops.slice(0, 1) })) };
    const text = exploreText(one, []);
    expect(text).toMatch(/^1 distinct state \(.*\), 1 transition checked /m);
    expect(text).toMatch(/VIOLATED: shortest counterexample has 1 step$/m);
    expect(text).not.toMatch(ONE_PLURAL);
  });
});
