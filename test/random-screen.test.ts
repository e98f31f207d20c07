/**
 * The screen (harness/random-screen.ts) against each property's own random
 * run (harness/random-run.ts), which it stands in for where it finds a
 * property holding: on every semantics, every applicable property, for two
 * seeds and two sequence lengths, the same verdict, the same first failing
 * run (fast-check's numRuns at the failure) and the same steps.
 */
import { describe, expect, it } from 'vitest';
import { randomRun } from '../harness/random-run.ts';
import { screenProperties } from '../harness/random-screen.ts';
import { ALL_PROPERTIES, runProperty, runSuite } from '../harness/suite.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import { CONFORMANCE, INVARIANTS } from '../properties/catalog.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

const RUNS = 80;

describe('the screen of random runs', () => {
  for (const [seed, maxCommands] of [
    [1, 30],
    [7, 6],
  ] as const) {
    it(`finds what each property's own run finds, on every semantics (seed ${seed}, ${maxCommands} steps)`, () => {
      let held = 0;
      let failed = 0;
      for (const sem of SEMANTICS) {
        const screen = screenProperties({ semantics: sem, properties: ALL_PROPERTIES, runs: RUNS, seed, maxCommands }).byProperty;
        const applicable = [null, ...INVARIANTS.filter((i) => i.appliesTo(sem))];
        expect([...screen.keys()]).toEqual(applicable.map((i) => i?.id ?? CONFORMANCE));
        for (const invariant of applicable) {
          const own = randomRun({ semantics: sem, invariant, runs: RUNS, seed, maxCommands });
          const seen = screen.get(own.property)!;
          const where = `${sem.name} ${own.property}`;
          expect(seen.failingRun, where).toBe(own.failure ? own.runs : undefined);
          expect(seen.steps, where).toBe(own.steps);
          if (own.failure) failed++;
          else {
            expect(own.runs, where).toBe(RUNS);
            held++;
          }
        }
      }
      // Both kinds are met, so that the comparison means something either way.
      expect(held).toBeGreaterThan(25);
      expect(failed).toBeGreaterThan(25);
    });
  }

  it('leaves out what does not apply, and screens only the properties asked for', () => {
    const upstream = semanticsByName('upstream')!;
    const screen = screenProperties({
      semantics: upstream,
      properties: ['shadow-lifetime', 'transition-sanity'],
      runs: 5,
      seed: 1,
    }).byProperty;
    expect([...screen.keys()]).toEqual(['transition-sanity']);
  });

  it('without conformance among them, a conformance break changes nothing for the others', () => {
    // replace-tag-draft breaks conformance within the first runs, and a silent version switch soon after;
    // transition-sanity holds throughout.
    const sem = semanticsByName('replace-tag-draft')!;
    const properties = ['no-silent-version-switch', 'transition-sanity'];
    const screen = screenProperties({ semantics: sem, properties, runs: 60, seed: 2 }).byProperty;
    expect(
      screenProperties({ semantics: sem, properties: [CONFORMANCE], runs: 60, seed: 2 }).byProperty.get(CONFORMANCE)!.failingRun,
    ).toBeDefined();
    expect([...screen.keys()]).toEqual(properties);
    for (const id of properties) {
      const own = randomRun({ semantics: sem, invariant: INVARIANTS.find((i) => i.id === id)!, runs: 60, seed: 2 });
      expect(screen.get(id), id).toEqual({ steps: own.steps, ...(own.failure ? { failingRun: own.runs } : {}) });
    }
    expect(screen.get('no-silent-version-switch')!.failingRun).toBeDefined();
    expect(screen.get('transition-sanity')!.failingRun).toBeUndefined();
  });

  it('ends at the run by which every property it screens was found violated (helper-80: it drew every run left)', () => {
    const upstream = semanticsByName('upstream')!;
    const properties = ['no-foreign-removal', 'no-silent-downgrade'];
    const screen = screenProperties({ semantics: upstream, properties, runs: 5000, seed: 1 });
    const last = Math.max(...properties.map((p) => screen.byProperty.get(p)!.failingRun!));
    expect(last).toBeLessThan(50);
    expect(screen.runs).toBe(last);
    // With one still holding, every run is drawn.
    expect(screenProperties({ semantics: upstream, properties: [...properties, 'transition-sanity'], runs: 300, seed: 1 }).runs).toBe(300);
  });

  it('throws what the code it runs throws, where it had reported every property holding (helper-80)', () => {
    const sem = semanticsByName('replace-set')!;
    let steps = 0;
    // A kernel that fails on its 100th transition step, as a latent bug of the reference implementation would.
    const kernel = (u: Universe, s: Semantics) => {
      const k = new Kernel(u, s.hooks);
      const transitionStep = k.transitionStep.bind(k);
      k.transitionStep = () => {
        if (++steps === 100) throw new Error('a latent bug');
        return transitionStep();
      };
      return k;
    };
    expect(() => screenProperties({ semantics: sem, properties: ALL_PROPERTIES, runs: 300, seed: 1, kernel })).toThrow('a latent bug');
  });

  it("runSuite's results over the screen are each property's own", () => {
    const sem = semanticsByName('replace-tag-draft')!;
    const o = { semantics: sem, runs: 40, seed: 3, maxCommands: 8 };
    const suite = runSuite(o);
    expect(suite.map((r) => r.property)).toEqual(ALL_PROPERTIES);
    expect(suite.some((r) => r.verdict === 'holds') && suite.some((r) => r.verdict === 'violated')).toBe(true);
    for (const r of suite) expect(r, r.property).toEqual(runProperty(o, r.property));
  });
});
