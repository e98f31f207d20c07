/**
 * What an interrupted exploration's report claims: exactly the levels it
 * expanded in full (depthReached), never "every sequence up to" a depth it
 * only began, and never "holds".
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { summarize } from '../harness/explore/summary.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { exploreText } from '../report/explore/text.ts';

const SCOPE = 'patches=2,functions=1,states=0,tasks=1,depth=4';

/** A search of SCOPE for module-safety (not violated there), stopped at its `polls`th look at the stop flag. */
function stopped(polls: number) {
  let n = 0;
  return explore({ semantics: upstream, scope: parseScope(SCOPE), properties: ['module-safety'], shouldStop: () => ++n > polls });
}

describe("an interrupted exploration's wording", () => {
  it('says which depth was checked in full and that longer sequences were not all checked', () => {
    const r = stopped(3);
    expect(r.complete).toBe(false);
    const d = r.depthReached;
    const partial = `(INCOMPLETE: every sequence up to depth ${d}, not every longer one)`;
    const text = exploreText(summarize(r, 0));
    expect(text).toMatch(new RegExp(`^\\d+ distinct states \\(.*\\), \\d+ transitions checked ${literal(partial)}$`, 'm'));
    expect(text).toMatch(
      new RegExp(`^module-safety +not violated by any sequence checked ${literal(partial)} in scope ${SCOPE}(  VACUOUS: .*)?$`, 'm'),
    );
    expect(text).not.toMatch(/ holds | so far |for every sequence up to depth/);
  });

  it('claims no more than was checked: every level up to depthReached in full, not all of the next', () => {
    const finished = explore({ semantics: upstream, scope: parseScope(SCOPE), properties: ['module-safety'] });
    // 0, 2 and 5 stop as a level starts (nothing of depth d + 1 checked), 3 and 7 within one.
    for (const polls of [0, 2, 3, 5, 7]) {
      const r = stopped(polls);
      expect(r.complete, `${polls}`).toBe(false);
      const d = r.depthReached;
      // The states of each level up to d are those of the finished search.
      expect(r.statesPerDepth, `${polls}`).toEqual(finished.statesPerDepth.slice(0, d + 1));
      // Fewer transitions than a finished search to depth d + 1: the next level is not all checked.
      const next = explore({
        semantics: upstream,
        scope: parseScope(SCOPE.replace('depth=4', `depth=${d + 1}`)),
        properties: ['module-safety'],
      });
      expect(r.transitions, `${polls}`).toBeLessThan(next.transitions);
      expect(exploreText(summarize(r, 0))).toContain(`(INCOMPLETE: every sequence up to depth ${d}, not every longer one)`);
    }
  });

  it("a shard's interrupted share says the same of its share", () => {
    let n = 0;
    const r = explore({
      semantics: upstream,
      scope: parseScope(SCOPE),
      properties: ['module-safety'],
      shard: { index: 0, count: 2 },
      shouldStop: () => ++n > 3,
    });
    expect(r.complete).toBe(false);
    expect(exploreText(summarize(r, 0))).toMatch(
      new RegExp(
        `^module-safety +not violated in this shard's share \\(INCOMPLETE: every sequence up to depth ${r.depthReached}, not every longer one\\); merge every shard for the whole scope(  VACUOUS: .*)?$`,
        'm',
      ),
    );
  });

  it("a shard's counterexample is never called the shortest: another shard may hold a shorter one", () => {
    // At depth 10, shard 1/8 meets a conformance break of 10 steps first; the whole search's shortest has 6.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=10');
    const r = explore({ semantics: upstream, scope, properties: ['conformance'], shard: { index: 1, count: 8 } });
    expect(r.violations.find((x) => x.property === 'conformance')?.depth).toBe(10);
    const text = exploreText(summarize(r, 0));
    expect(text).toContain(
      `conformance                      VIOLATED: a counterexample of 10 steps in this shard's share, not known to be the shortest; merge every shard for the shortest\n`,
    );
    expect(text).not.toContain('shortest counterexample has');
  });

  it('a finished search keeps its words', () => {
    const r = explore({ semantics: upstream, scope: parseScope(SCOPE), properties: ['module-safety'] });
    const text = exploreText(summarize(r, 0));
    expect(text).toMatch(/^\d+ distinct states \(.*\), \d+ transitions checked up to depth 4$/m);
    expect(text).toMatch(new RegExp(`^module-safety +holds for every sequence up to depth 4 in scope ${SCOPE}(  VACUOUS: .*)?$`, 'm'));
    expect(text).not.toContain('INCOMPLETE');
  });
});

/** `text` as a regular expression that matches it literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe("an interrupted merge's counterexamples", () => {
  it('are called the shortest only up to one level past the depth checked in full (hostile-user finding)', () => {
    // A merge's depth is its least advanced shard's; another shard may report a violation deeper than that,
    // and a shorter one may lie in the unchecked part of the levels between.
    const whole = summarize(explore({ semantics: upstream, scope: parseScope('patches=2,functions=1,states=0,tasks=1,depth=3') }), 0);
    const v = whole.violations[0]!;
    expect(v.ops.length).toBe(2);
    const line = (depthReached: number) =>
      exploreText({ ...whole, complete: false, depthReached })
        .split('\n')
        .find((l) => l.startsWith(v.property))!;
    expect(line(1)).toMatch(/VIOLATED: shortest counterexample has 2 steps/);
    expect(line(0)).toMatch(
      /VIOLATED: a counterexample of 2 steps, not known to be the shortest \(INCOMPLETE: every sequence checked up to depth 0 only\)/,
    );
    expect(exploreText(whole)).toMatch(/VIOLATED: shortest counterexample has 2 steps/);
  });
});
