/** Golden files for the verdict-matrix renderers (text, markdown, HTML) on a small hand-made matrix. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCounterexample } from '../harness/counterexample.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { matrixHtml } from '../report/matrix/html.ts';
import { matrixMarkdown } from '../report/matrix/markdown.ts';
import { matrixText } from '../report/matrix/text.ts';
import { expectGolden } from './support/golden.ts';

const CE = 'test/golden/fixture.json';
const matrix: VerdictMatrix = {
  format: 1,
  klpcheck: '0.1.0',
  seed: 1,
  runs: 100,
  max_steps: 30,
  semantics: ['upstream', 'per-state'],
  properties: ['conformance', 'no-function-shared-across-slots', 'shadow-lifetime'],
  cells: [
    { semantics: 'upstream', property: 'conformance', verdict: 'holds', sequences: 100, steps: 1000 },
    {
      semantics: 'upstream',
      property: 'no-function-shared-across-slots',
      verdict: 'violated',
      counterexample: CE,
      length: 8,
      reason: 'p3 and p4 both use vmlinux:f2,0',
    },
    { semantics: 'upstream', property: 'shadow-lifetime', verdict: 'not-applicable' },
    { semantics: 'per-state', property: 'conformance', verdict: 'holds', sequences: 100, steps: 900 },
    {
      semantics: 'per-state',
      property: 'no-function-shared-across-slots',
      verdict: 'violated',
      length: 2,
      reason: 'p1 and p2 both use vmlinux:f1,0',
    },
    // per-state promises shadow-lifetime (facts C.3): a broken promise, where function sharing is a design choice.
    { semantics: 'per-state', property: 'shadow-lifetime', verdict: 'violated', length: 7, reason: 'shadow <1, 1> outlives state 1' },
  ],
};
const exhaustive: VerdictMatrix = {
  ...matrix,
  mode: 'exhaustive',
  scope: 'patches=2,functions=2,states=1,tasks=2,depth=4',
  max_steps: 4,
  cells: matrix.cells.map((c) =>
    c.verdict === 'holds'
      ? { semantics: c.semantics, property: c.property, verdict: 'holds', states: 4242, transitions: 9999, vacuous: ['load refused'] }
      : c,
  ),
};
const dir = 'test/golden';

describe('verdict matrix renderers', () => {
  it('text', () => expectGolden(join(dir, 'matrix.txt'), matrixText(matrix), 'test/matrix-render.test.ts'));
  it('text, exhaustive with a vacuous pass', () =>
    expectGolden(join(dir, 'matrix-exhaustive.txt'), matrixText(exhaustive), 'test/matrix-render.test.ts'));
  it('markdown', () => expectGolden(join(dir, 'matrix.md'), matrixMarkdown(matrix), 'test/matrix-render.test.ts'));
  it('html, linked to the counterexample timeline', () => {
    const html = matrixHtml(matrix, new Map([[CE, readCounterexample(CE)]]));
    expectGolden(join(dir, 'matrix.html'), html, 'test/matrix-render.test.ts');
    expect(html).toContain('href="#ce-upstream-no-function-shared-across-slots"');
    expect(matrixHtml(matrix, new Map([[CE, readCounterexample(CE)]]))).toBe(html);
  });
});
