/** Golden files for the verdict-matrix renderers (text, markdown, HTML) on a small hand-made matrix. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCounterexample } from '../harness/counterexample.ts';
import type { Cell, HoldsBoundedCell, VerdictMatrix } from '../harness/matrix.ts';
import { matrixHtml } from '../report/matrix/html.ts';
import { matrixMarkdown } from '../report/matrix/markdown.ts';
import { matrixText } from '../report/matrix/text.ts';
import { howChecked, longCell, notApplicableGroups, shortCell, vacuousGroups } from '../report/matrix/cells.ts';
import { expectGolden } from './support/golden.ts';
import fc from 'fast-check';
import { commandsArb, DEFAULT_SCOPE, OpCommand, SETTLE_STEPS, settleOps } from '../harness/generators.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

const upstream = semanticsByName('upstream')!;

const CE = 'test/golden/fixture.json';
const matrix: VerdictMatrix = {
  format: 2,
  klpcheck: '0.1.0',
  seed: 1,
  runs: 100,
  max_steps: 30,
  corpus: 'counterexamples',
  semantics: ['upstream', 'per-state'],
  properties: ['conformance', 'no-function-shared-across-slots', 'shadow-lifetime'],
  cells: [
    {
      semantics: 'upstream',
      property: 'conformance',
      verdict: 'holds-random',
      sequences: 100,
      steps: 1000,
      fixed: ['counterexamples/upstream/conformance-000000000000.json'],
    },
    {
      semantics: 'upstream',
      property: 'no-function-shared-across-slots',
      verdict: 'violated',
      counterexamples: [
        { file: CE, length: 8, source: 'random' },
        { file: 'counterexamples/upstream/no-function-shared-across-slots-111111111111.json', length: 9, source: 'exhaustive' },
      ],
      reason: 'p3 and p4 both use vmlinux:f2,0',
    },
    { semantics: 'upstream', property: 'shadow-lifetime', verdict: 'not-applicable', reason: 'upstream has no is_shadow states' },
    { semantics: 'per-state', property: 'conformance', verdict: 'holds-random', sequences: 100, steps: 900 },
    {
      semantics: 'per-state',
      property: 'no-function-shared-across-slots',
      verdict: 'violated',
      counterexamples: [{ length: 2, source: 'random' }],
      reason: 'p1 and p2 both use vmlinux:f1,0',
    },
    { semantics: 'per-state', property: 'shadow-lifetime', verdict: 'holds-random', sequences: 100, steps: 900 },
  ],
};
const exhaustive: VerdictMatrix = {
  ...matrix,
  exhaustive: { scope: 'patches=2,functions=2,states=1,tasks=2,depth=4', depth: 4 },
  cells: matrix.cells.map((c) =>
    c.verdict === 'holds-random'
      ? c.semantics === 'upstream'
        ? {
            semantics: c.semantics,
            property: c.property,
            verdict: 'holds-bounded',
            sequences: 100,
            steps: 1000,
            states: 4242,
            transitions: 9999,
            depth: 4,
            fixpoint: false,
            vacuous: ['load refused'],
          }
        : {
            semantics: c.semantics,
            property: c.property,
            verdict: 'holds-bounded',
            sequences: 100,
            steps: 900,
            states: 4242,
            transitions: 9999,
            depth: 4,
            fixpoint: false,
          }
      : c,
  ),
};
const dir = 'test/golden';

describe('verdict matrix renderers', () => {
  it('text', () => expectGolden(join(dir, 'matrix.txt'), matrixText(matrix), 'test/matrix-render.test.ts'));
  it('text, exhaustive with a vacuous pass', () =>
    expectGolden(join(dir, 'matrix-exhaustive.txt'), matrixText(exhaustive), 'test/matrix-render.test.ts'));
  it('a random-only pass and a bounded one have distinct marks and legend entries', () => {
    const random = matrixText(matrix);
    const bounded = matrixText(exhaustive);
    // Neither upstream nor per-state promises function sharing: a design choice (D), not a broken promise (X).
    expect(random).toMatch(/^per-state\s+ok~\s+D2\s+ok~$/m);
    expect(bounded).toMatch(/^per-state\s+OK\s+D2\s+OK$/m);
    expect(random).toMatch(/^ {2}ok~ holds for every random sequence run; no bounded proof$/m);
    expect(random).not.toMatch(/^ {2}OK /m);
    expect(bounded).toMatch(/^ {2}OK {2}holds, and also exhaustively/m);
  });
  it('each cell says how far it was checked, in markdown', () => {
    const md = matrixMarkdown(exhaustive);
    expect(md).toContain(`[**violated (design choice): ${CE}, 8 steps**](${CE}) (and 1 more)`);
    expect(md).toContain(
      'holds for 100 sequences of up to 30 operations and 7 settling ones, 900 operations applied (seed 1); exhaustively for every sequence up to depth 4 in scope patches=2,functions=2,states=1,tasks=2,depth=4',
    );
    expect(md).toContain('n/a: upstream has no is_shadow states');
    expect(matrixMarkdown(matrix)).toContain('fixed (no longer reproduce): counterexamples/upstream/conformance-000000000000.json');
  });
  it("says a sequence's length as the matrix records it: --steps and the settling operations after them", () => {
    // "up to 3 operations" came with a 5-step counterexample: the settling ones were not said (hostile user, stop 41).
    const three = { ...exhaustive, settle_steps: 3 } as VerdictMatrix;
    expect(matrixMarkdown(three)).toContain('holds for 100 sequences of up to 30 operations and 3 settling ones, 900 operations applied');
    expect(howChecked(three)).toContain('100 random sequences of up to 30 operations and 3 settling ones per cell');
    // A matrix recorded before settle_steps was written ended its sequences alike: the default scope's.
    const { settle_steps: _, ...before } = exhaustive as VerdictMatrix & { settle_steps?: number };
    expect(matrixMarkdown(before as VerdictMatrix)).toContain(`of up to 30 operations and ${SETTLE_STEPS} settling ones`);
    expect(SETTLE_STEPS).toBe(settleOps(DEFAULT_SCOPE).length);
    // And the generator keeps it: no sequence is longer than --steps and the settling ones, and each ends with them.
    for (const seed of [1, 2, 3]) {
      for (const cmds of fc.sample(commandsArb(upstream, DEFAULT_SCOPE, 3), { numRuns: 50, seed })) {
        const ops = [...cmds].map((c) => (c as OpCommand).op);
        expect(ops.length).toBeLessThanOrEqual(3 + SETTLE_STEPS);
        expect(ops.slice(-SETTLE_STEPS)).toEqual(settleOps(DEFAULT_SCOPE));
      }
    }
  });
  it('a random pass whose sequences applied no operation is vacuous in every format, not a check', () => {
    // compare --steps 1 said "holds for 5 sequences of up to 1 operation" where none applied one (hostile user, stop 37).
    const none = {
      ...matrix,
      cells: matrix.cells.map((c) =>
        c.verdict === 'holds-random' && c.semantics === 'per-state' ? { ...c, steps: 0, vacuous: ['an operation applied' as const] } : c,
      ),
    } as VerdictMatrix;
    const text = matrixText(none);
    expect(text).toMatch(/^per-state\s+ok\?\s+D2\s+ok\?$/m);
    expect(text).toMatch(/^ {2}ok\? vacuous: no random sequence applied an operation \(nothing was checked\)/m);
    expect(text).toContain('\nVacuous (nothing or too little checked):\n  conformance (per-state): no random sequence applied');
    expect(matrixMarkdown(none)).toContain(
      '| vacuous for 100 sequences of up to 30 operations and 7 settling ones, 0 operations applied (seed 1); no random sequence applied an operation: nothing was checked |',
    );
    expect(matrixHtml(none, new Map())).toContain(
      '<td class="vacuous" title="vacuous for 100 sequences of up to 30 operations and 7 settling ones, 0 operations applied',
    );
    // Not when they did.
    expect(matrixText(matrix)).not.toMatch(/ok\?|Vacuous/);
  });

  it('says how far each exploration went when they differ: a fixpoint, a state budget', () => {
    const scope = 'patches=2,functions=1,states=0,tasks=1,depth=any';
    const reach = (c: Cell): Cell =>
      c.verdict !== 'holds-bounded'
        ? c
        : c.semantics === 'per-state'
          ? { ...c, depth: 27, fixpoint: true }
          : { ...c, depth: 5, fixpoint: false, state_budget: { states: 5000, in_depth: 6 } };
    const mixed: VerdictMatrix = { ...exhaustive, exhaustive: { scope, max_states: 5000 }, cells: exhaustive.cells.map(reach) };
    expect(matrixText(mixed)).toContain(
      `; then exhaustively, in scope ${scope}: every sequence up to depth 5 (the state budget, 5000 states, ran out in depth 6, which is not claimed) for upstream; every sequence of any length (fixpoint: no new state beyond depth 27) for per-state.`,
    );
    expect(matrixMarkdown(mixed)).toContain(
      `exhaustively for every sequence of any length (fixpoint: no new state beyond depth 27) in scope ${scope} (4242 states`,
    );
    const closed: VerdictMatrix = {
      ...mixed,
      exhaustive: { scope },
      cells: exhaustive.cells.map((c) => (c.verdict === 'holds-bounded' ? { ...c, depth: 27, fixpoint: true } : c)),
    };
    expect(matrixText(closed)).toContain(
      `; then exhaustively, every sequence of any length (fixpoint: no new state beyond depth 27) in scope ${scope}.`,
    );
    expect(matrixHtml(closed, new Map())).toContain(
      `also holds exhaustively, every sequence of any length (fixpoint: no new state beyond depth 27) in scope ${scope}.`,
    );
    // The packed engine covered states it did not store: the fixpoint is of the stored ones, as explore says it.
    const covered: VerdictMatrix = {
      ...closed,
      cells: closed.cells.map((c) => (c.verdict === 'holds-bounded' ? { ...c, depth: 21, covered: 640 } : c)),
    };
    expect(matrixText(covered)).toContain(
      `every sequence of any length (fixpoint: no new state stored beyond depth 21) in scope ${scope}.`,
    );
    expect(matrixText(covered)).not.toContain('no new state beyond');
  });
  it("says which stop each exploration met, a budget, the visited set's capacity or a worker's heap, and how to go past each", () => {
    const scope = 'patches=3,functions=3,states=2,tasks=2,depth=any';
    const stops: Record<string, NonNullable<HoldsBoundedCell['state_budget']>> = {
      upstream: { states: 5000, in_depth: 6 },
      'per-state': { states: 7160, in_depth: 3, worker_heap: 'KLPCHECK_WORKER_HEAP_MIB=32' },
      stacking: { states: 900, in_depth: 4, capacity: '16 GiB of stored states' },
    };
    const base = exhaustive.cells.find((c) => c.verdict === 'holds-bounded')!;
    const cells = Object.entries(stops).map(
      ([semantics, b]) => ({ ...base, semantics, depth: b.in_depth - 1, fixpoint: false, state_budget: b }) as Cell,
    );
    const m: VerdictMatrix = { ...exhaustive, exhaustive: { scope }, cells };
    const heap =
      "every sequence up to depth 2 (a worker thread's heap, KLPCHECK_WORKER_HEAP_MIB=32, ran out at 7160 states in depth 3, which is not claimed) for per-state";
    expect(howChecked(m)).toContain(heap);
    expect(howChecked(m)).toContain(
      "(the visited set's capacity, 16 GiB of stored states, ran out at 900 states in depth 4, which is not claimed) for stacking",
    );
    // One sentence for each kind, in that order: the heap's names both ways past it.
    expect(howChecked(m)).toMatch(
      /\. The state budget stopped an exploration: .*\. The visited set's capacity stopped an exploration: .*\. A worker thread out of memory stopped an exploration: bound the search \(a smaller depth in --scope, or --max-states\), or give the workers a larger heap \(KLPCHECK_WORKER_HEAP_MIB=MiB, .*\)\.$/,
    );
    expect(matrixText(m)).toContain(heap);
    expect(matrixMarkdown(m)).toContain(
      "up to depth 2 (a worker thread's heap, KLPCHECK_WORKER_HEAP_MIB=32, ran out at 7160 states in depth 3",
    );
    expect(matrixHtml(m, new Map())).toContain("a worker thread's heap, KLPCHECK_WORKER_HEAP_MIB=32, ran out at 7160 states");
  });

  it('says both reasons of a cell whose random runs and exploration each checked nothing (helper-90)', () => {
    const plain = exhaustive.cells.find((c) => c.semantics === 'per-state' && c.property === 'conformance')!;
    const why = 'nothing to check, as no sequence of at most 1 step loads two patches (--steps 2 would)';
    const nothing = "nothing checked, as a worker thread's heap, KLPCHECK_WORKER_HEAP_MIB=32, ran out in depth 1";
    const cell = { ...plain, verdict: 'holds-random', sequences: 1, steps: 4, vacuous_in_scope: why, exhaustive_nothing: nothing } as Cell;
    const m: VerdictMatrix = { ...exhaustive, cells: exhaustive.cells.map((c) => (c === plain ? cell : c)) };
    expect(longCell(m, cell)).toContain(`${why}; the exhaustive search: ${nothing}`);
    expect(vacuousGroups(m)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ property: 'conformance', why }),
        expect.objectContaining({ property: 'conformance', why: `the exhaustive search: ${nothing}` }),
      ]),
    );
  });

  it('names every semantics of one reach, and says only the scope when no cell held', () => {
    const scope = 'patches=2,functions=1,states=0,tasks=1,depth=any';
    const two: VerdictMatrix = {
      ...exhaustive,
      exhaustive: { scope, max_states: 5000 },
      cells: exhaustive.cells.map((c) =>
        c.verdict === 'holds-bounded' ? { ...c, depth: 5, fixpoint: false, state_budget: { states: 5000, in_depth: 6 } } : c,
      ),
    };
    expect(
      howChecked({ ...two, cells: [...two.cells, { ...two.cells.find((c) => c.verdict === 'holds-bounded')!, semantics: 'stacking' }] }),
    ).toContain(
      `then exhaustively, every sequence up to depth 5 (the state budget, 5000 states, ran out in depth 6, which is not claimed) in scope ${scope}.`,
    );
    const mixed: VerdictMatrix = {
      ...two,
      cells: [...two.cells, { ...two.cells.find((c) => c.verdict === 'holds-bounded')!, semantics: 'stacking', depth: 21, fixpoint: true }],
    };
    expect(howChecked(mixed)).toContain(
      'which is not claimed) for upstream, per-state; every sequence of any length (fixpoint: no new state beyond depth 21) for stacking.',
    );
    // A budget stopped them (perhaps the default one, never typed): say how to go further; not once every search closed.
    const further = ' The state budget stopped an exploration: --max-states N raises it, --max-states any lifts it.';
    expect(howChecked(two).endsWith(`which is not claimed) in scope ${scope}.${further}`)).toBe(true);
    const allClosed = {
      ...two,
      cells: two.cells.map((c) => (c.verdict === 'holds-bounded' ? { ...c, state_budget: undefined, fixpoint: true } : c)),
    };
    expect(howChecked(allClosed)).not.toContain('state budget');
    const none: VerdictMatrix = { ...two, cells: two.cells.filter((c) => c.verdict !== 'holds-bounded') };
    expect(howChecked(none)).toMatch(
      new RegExp(`; then exhaustively, every semantics explored in scope ${scope.replace(/[=,]/g, '.')}\\.$`),
    );
  });
  it('marks a pass the scope gave nothing to check as vacuous, and says why, in every renderer', () => {
    const why = 'nothing to check, as no universe of the scope has two releases of one owner (patches=3 would)';
    const plain = exhaustive.cells.find((c) => c.semantics === 'per-state' && c.property === 'conformance')!;
    expect(shortCell(plain)).toBe('OK');
    const cell = { ...plain, vacuous_in_scope: why } as Cell;
    expect(shortCell(cell)).toBe('ok?');
    expect(longCell(exhaustive, cell)).toMatch(
      / \(4242 states, 9999 transitions\); vacuous in scope: nothing to check, as no universe .* \(patches=3 would\)$/,
    );
    const m: VerdictMatrix = { ...exhaustive, cells: exhaustive.cells.map((c) => (c === plain ? cell : c)) };
    expect(matrixText(m)).toMatch(/^per-state\s+ok\?\s+D2\s+OK$/m);
    expect(matrixMarkdown(m)).toContain(`vacuous in scope: ${why}`);
    // Under the table, by property for the scope's reason, by exploration for a missed milestone.
    expect(matrixText(m)).toContain(
      `Vacuous (nothing or too little checked):\n  every pass (upstream): never reached load refused\n  conformance (per-state): ${why}\n`,
    );
    expect(matrixHtml(m, new Map([[CE, readCounterexample(CE)]]))).toContain(`<li><code>conformance</code> (per-state): ${why}</li>`);
    expect(matrixHtml(m, new Map([[CE, readCounterexample(CE)]]))).toContain('<td class="vacuous" title="holds for 100 sequences');
  });
  it("gives the page's render command as words bash reads back: a path with a space or '(' is quoted, one with '-' first is not an option (helper-128)", () => {
    const at = (file: string) => ({
      ...matrix,
      cells: matrix.cells.map((c) =>
        c.verdict === 'violated' && c.semantics === 'upstream'
          ? { ...c, counterexamples: [{ file, length: 8, source: 'random' as const }] }
          : c,
      ),
    });
    const page = (file: string) => matrixHtml(at(file), new Map([[file, readCounterexample(CE)]]));
    expect(page('sp ace (x)/upstream/a.json')).toContain("<code>klpcheck render 'sp ace (x)/upstream/a.json'</code>");
    expect(page("it's/a.json")).toContain("<code>klpcheck render 'it'\\''s/a.json'</code>");
    expect(page('-o/upstream/a.json')).toContain('<code>klpcheck render ./-o/upstream/a.json</code>');
    expect(page(CE)).toContain(`<code>klpcheck render ${CE}</code>`);
    // A control character is shown as its escape, which no quoting gives back: the path is to be typed (helper-129).
    const tabbed = page('t\\tb/upstream/a.json');
    expect(tabbed).toContain('<code>t\\tb/upstream/a.json</code>');
    expect(tabbed).not.toContain('klpcheck render t');
    expect(tabbed).toContain('the path holds a control character, shown above as its escape');
  });
  it("opens a section whose record today's replay does not give with a CAUTION, as render does (helper-128)", () => {
    const loaded = new Map([[CE, readCounterexample(CE)]]);
    const cautions = new Map([[CE, 'is still violated, but not as recorded (recorded with another reason: "R <b>") under upstream']]);
    const page = matrixHtml(matrix, loaded, cautions);
    const section = page.slice(page.indexOf('<section'), page.indexOf('</section>'));
    expect(section).toContain(
      '<p><strong>CAUTION:</strong> this record is still violated, but not as recorded (recorded with another reason: &quot;R &lt;b&gt;&quot;) under upstream; it is shown as saved, not as klpcheck runs it today</p>',
    );
    expect(section.indexOf('CAUTION')).toBeLessThan(section.indexOf('Counterexample to quote'));
    expect(matrixHtml(matrix, loaded)).not.toContain('CAUTION');
  });
  it('groups the notes under the table: one line a property and reason, with every semantics it holds for, once each', () => {
    const bounded = (semantics: string, property: string, more: object) =>
      ({
        semantics,
        property,
        verdict: 'holds-bounded',
        sequences: 1,
        steps: 1,
        states: 1,
        transitions: 1,
        depth: 1,
        fixpoint: true,
        ...more,
      }) as Cell;
    const na = (semantics: string, property: string, reason: string) =>
      ({ semantics, property, verdict: 'not-applicable', reason }) as Cell;
    const why = 'nothing to check, as no universe of the scope has a state id (states=1 would)';
    const m: VerdictMatrix = {
      ...exhaustive,
      cells: [
        bounded('a', 'p', { vacuous_in_scope: why, vacuous: ['load refused', 'load completed'] }),
        bounded('a', 'q', { vacuous_in_scope: why, vacuous: ['load refused', 'load completed'] }),
        bounded('b', 'p', { vacuous_in_scope: why }),
        bounded('b', 'q', {}),
        bounded('c', 'p', { vacuous_in_scope: 'other' }),
        na('a', 'r', 'a has no is_shadow states'),
        na('b', 'r', 'b has no is_shadow states'),
        na('c', 'r', 'for its own reason'),
      ],
    };
    expect(vacuousGroups(m)).toEqual([
      { property: 'p', why, semantics: ['a', 'b'] },
      { why: 'never reached load refused, load completed', semantics: ['a'] },
      { property: 'q', why, semantics: ['a'] },
      { property: 'p', why: 'other', semantics: ['c'] },
    ]);
    expect(notApplicableGroups(m)).toEqual([
      { property: 'r', why: 'has no is_shadow states', semantics: ['a', 'b'] },
      { property: 'r', why: 'for its own reason', semantics: ['c'] },
    ]);
  });
  it('markdown', () => expectGolden(join(dir, 'matrix.md'), matrixMarkdown(matrix), 'test/matrix-render.test.ts'));
  it('html, linked to the counterexample timeline', () => {
    const html = matrixHtml(matrix, new Map([[CE, readCounterexample(CE)]]));
    expectGolden(join(dir, 'matrix.html'), html, 'test/matrix-render.test.ts');
    expect(html).toContain('href="#ce-upstream-no-function-shared-across-slots"');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((x) => x[1]);
    expect(new Set(ids).size, 'element ids are unique').toBe(ids.length);
    expect(html).toMatch(/th code \{ white-space: nowrap; \}/);
    expect(matrixHtml(matrix, new Map([[CE, readCounterexample(CE)]]))).toBe(html);
  });
});
