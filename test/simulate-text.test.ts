/**
 * The report of `klpcheck simulate` (report/simulate/text.ts), line for line
 * over a summary made by hand: each kind of property line, the header, the
 * note past a conformance break, and the saved notes. Found wanting by
 * Stryker on the first version: the command's tests read two lines of it.
 */
import { describe, expect, it } from 'vitest';
import type { SimulationSummary } from '../harness/explore/packed/simulate.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { simulateText, walkVacuity } from '../report/simulate/text.ts';
import type { Op } from '../harness/ops.ts';

const insmod = (module: string): Op => ({ op: 'insmod', module }) as Op;

/** A summary of two walks at patches=2: conformance broken, no-lost-fix not, no-silent-downgrade out of scope. */
function summary(over: Partial<SimulationSummary> = {}): SimulationSummary {
  return {
    semantics: 'upstream',
    scope: parseScope('patches=2,functions=2,states=1,tasks=2'),
    seed: 7,
    walks: 2,
    length: 5,
    steps: 10,
    universes: 2,
    properties: ['conformance', 'no-lost-fix', 'no-silent-downgrade'],
    violations: [
      {
        property: 'conformance',
        depth: 3,
        universe: { patches: [] },
        ops: [insmod('p1'), insmod('p2'), insmod('p1')],
        reason: 'the reason',
        walk: 2,
      },
    ],
    outcomes: { insmod: { ok: 6, EBUSY: 4 } },
    reached: ['load completed', 'load refused', 'transition completed by a retry'],
    ...over,
  } as SimulationSummary;
}

describe("simulate's report", () => {
  it('says what was walked, each property as it stands, and the coverage', () => {
    const text = simulateText(summary(), [
      { property: 'conformance', file: 'counterexamples/upstream/conformance-0.json', savedLength: 2 },
    ]);
    const lines = text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'klpcheck simulate: upstream, scope patches=2,functions=2,states=1,tasks=2',
      '2 random walks of up to 5 steps (seed 7): 10 steps checked in 2 universes, the reference implementation and the spec model in lockstep',
      'a walk is no proof: a property not violated held on these walks only (explore checks every sequence in a scope);',
      "a walk fixes each patch's definition as the patch first loads: more walks meet more universes",
      '',
    ]);
    expect(lines.slice(5, 9)).toEqual([
      `${'conformance'.padEnd(32)} VIOLATED: a counterexample of 3 steps (walk 2; the shortest the walks found, not known to be the shortest) -> counterexamples/upstream/conformance-0.json, shrunk to 2 steps`,
      `${''.padEnd(32)} the reason`,
      `${'no-lost-fix'.padEnd(32)} not violated on 2 random walks of up to 5 steps (seed 7) in scope patches=2,functions=2,states=1,tasks=2`,
      `${'no-silent-downgrade'.padEnd(32)} VACUOUS IN SCOPE: nothing to check, as no universe of the scope has two releases of one owner (patches=3 would)`,
    ]);
    expect(lines.slice(9, 13)).toEqual([
      '',
      'Past a conformance break a walk follows the reference implementation alone:',
      "ops are those the kernel allows, and every invariant is checked on the kernel's transitions.",
      '',
    ]);
    expect(lines[13]).toBe('Coverage (operation: outcomes):');
    expect(lines[14]).toBe(`  ${'insmod'.padEnd(16)} EBUSY 4, ok 6`);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('names a save that failed, flags a pass that never reached a milestone, and says when the spec model is not followed', () => {
    const text = simulateText(summary({ properties: ['conformance', 'no-lost-fix'], reached: ['load completed'] }), [
      { property: 'conformance', notSaved: 'not saved: a hand-edited file of that name' },
    ]);
    expect(text).toMatch(/ -> not saved: a hand-edited file of that name\n/);
    expect(text).toMatch(
      /^no-lost-fix +not violated on .*tasks=2 {2}VACUOUS: never reached load refused, transition completed by a retry$/m,
    );
    const alone = simulateText(summary({ properties: ['no-lost-fix'], violations: [] }));
    expect(alone).toMatch(
      /^2 random walks of up to 5 steps \(seed 7\): 10 steps checked in 2 universes, the reference implementation alone \(the spec model not followed: conformance is not checked\)$/m,
    );
    expect(alone).toMatch(/^Without conformance a walk follows the reference implementation alone:$/m);
    expect(alone).toMatch(/^ops are those the kernel allows, and no-lost-fix is checked/m);
  });

  it("finds each violation's own note, and adds nothing where there is none (--no-save) or nothing was shrunk", () => {
    const line = (notes: Parameters<typeof simulateText>[1]) => simulateText(summary(), notes).split('\n')[5];
    const head = `${'conformance'.padEnd(32)} VIOLATED: a counterexample of 3 steps (walk 2; the shortest the walks found, not known to be the shortest)`;
    expect(line([])).toBe(head);
    expect(
      line([
        { property: 'no-lost-fix', file: 'other.json' },
        { property: 'conformance', file: 'c.json' },
      ]),
    ).toBe(`${head} -> c.json`);
  });

  it("words a vacuity's remedy in simulate's options: the depth as --length, beside a scope key", () => {
    const scope = parseScope('patches=2,functions=2,states=1,tasks=2');
    expect(walkVacuity('no-silent-downgrade', scope, 1)).toBe(
      'nothing to check, as no universe of the scope has two releases of one owner (patches=3 and --length 2 would)',
    );
    expect(walkVacuity('no-silent-downgrade', { ...scope, patches: 3 }, 1)).toBe(
      'nothing to check, as no sequence of at most 1 step loads two releases of one owner (--length 2 would)',
    );
    expect(walkVacuity('no-silent-downgrade', { ...scope, patches: 3 }, 2)).toBeNull();
    expect(walkVacuity('conformance', scope, 1)).toBeNull();
  });
});
