/**
 * The README's worked example of adding a proposal is real code: the block
 * in README.md is model/semantics/replace-set-song.example.ts (not in the
 * registry), it type-checks with the rest, and it behaves as the README says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProperty, ALL_PROPERTIES } from '../harness/suite.ts';
import { replaceSetSong } from '../model/semantics/replace-set-song.example.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { classify } from '../model/semantics/promises.ts';

describe('README: adding a proposal', () => {
  it('shows the example file as it is', () => {
    const readme = readFileSync('README.md', 'utf8');
    const file = readFileSync('model/semantics/replace-set-song.example.ts', 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${file}\`\`\``);
  });
  it("is not registered, so the recorded verdicts stay the catalog's", () => {
    expect(SEMANTICS.map((s) => s.name)).not.toContain(replaceSetSong.name);
  });
  it('holds every property it promises, and breaks only the two the README names (seed 1)', () => {
    for (const p of ALL_PROPERTIES) {
      const r = runProperty({ semantics: replaceSetSong, runs: 100, seed: 1 }, p);
      const expected = ['no-foreign-removal', 'no-silent-downgrade'].includes(p)
        ? 'violated'
        : r.verdict === 'not-applicable'
          ? 'not-applicable'
          : 'holds';
      expect(r.verdict, `${p}: ${r.counterexample?.violation.reason}`).toBe(expected);
      expect(classify(replaceSetSong, p, r.verdict === 'violated')).not.toBe('broken-promise');
    }
  });
});

describe("README: today's verdicts", () => {
  it('counts the violated cells, broken promises and design choices of verdicts/expected.json, and the quick start quotes that count', () => {
    const readme = readFileSync('README.md', 'utf8').replace(/\s+/g, ' ');
    const m = JSON.parse(readFileSync('verdicts/expected.json', 'utf8')) as {
      cells: { semantics: string; property: string; verdict: string }[];
      promised: Record<string, string[]>;
    };
    const violated = m.cells.filter((c) => c.verdict === 'violated');
    const broken = violated.filter((c) => (m.promised[c.semantics] ?? []).includes(c.property)).length;
    // The README said 98, 28 and 70 after the matrix was re-recorded with 101, 31 and 70 (hostile-user finding).
    expect(readme).toContain(
      `${violated.length} of the ${m.cells.length} cells are violated, ${broken} broken promises and ${violated.length - broken} design choices`,
    );
    // The time is the README's measure, not the test's: only the counts are checked.
    expect(readme).toMatch(new RegExp(`${m.cells.length} cells in \\d+\\.\\d s \\(seed 1\\); ${violated.length} violated, so exit 1`));
  });
});
