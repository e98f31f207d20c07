/**
 * Promised or not (issue 12, §4): each semantics declares the properties its
 * rule promises, and a violation is a broken promise or a design choice.
 */
import { describe, expect, it } from 'vitest';
import { readJson, validate } from '../harness/json-file.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { ALL_PROPERTIES } from '../harness/suite.ts';
import { classify, promisedBy } from '../model/semantics/promises.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import { matrixText } from '../report/matrix/text.ts';

const recorded = validate<VerdictMatrix>('verdict-matrix', readJson('verdicts/expected.json'), 'verdicts/expected.json');
const classOf = (s: string, p: string) => classify(semanticsByName(s), p, true);

describe('promises', () => {
  it('classify tells a broken promise from a design choice and from holds', () => {
    const sem = { promises: [{ property: 'no-lost-fix', source: 'test' }] };
    expect(classify(sem, 'no-lost-fix', true)).toBe('broken-promise');
    expect(classify(sem, 'no-function-shared-across-slots', true)).toBe('design-choice');
    expect(classify(sem, 'no-lost-fix', false)).toBe('holds');
    expect(classify(undefined, 'no-lost-fix', true)).toBe('broken-promise');
  });

  for (const s of SEMANTICS) {
    it(`${s.name} promises only known properties, once each, each with a source`, () => {
      const ids = s.promises.map((p) => p.property);
      for (const id of ids) expect(ALL_PROPERTIES, `${s.name}: ${id}`).toContain(id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of s.promises) expect(p.source.length, `${s.name}: ${p.property}`).toBeGreaterThan(10);
      expect(ids).toContain('conformance');
    });
  }

  it('reads the recorded verdicts as the threads do', () => {
    // Upstream's non-replace patches stack on one function by design (seed 002).
    expect(classOf('upstream', 'no-function-shared-across-slots')).toBe('design-choice');
    expect(classOf('stacking', 'no-state-shared-across-slots')).toBe('design-choice');
    // Song Liu's rule says nothing of states; the strict reading promises functions.
    expect(classOf('replace-tag-strict', 'no-state-shared-across-slots')).toBe('design-choice');
    expect(classOf('replace-tag-strict', 'no-function-shared-across-slots')).toBe('broken-promise');
    // Drafts that fall short of their rule, and the kernel's consistency model.
    expect(classOf('replace-tag-draft', 'no-lost-fix')).toBe('broken-promise');
    expect(classOf('replace-set-unfiltered-nops', 'no-silent-version-switch')).toBe('broken-promise');
    expect(classOf('per-state', 'callback-pairing')).toBe('broken-promise');
    expect(classOf('slots', 'conformance')).toBe('broken-promise');
    expect(classOf('slots', 'no-foreign-removal')).toBe('broken-promise');
    expect(classOf('upstream', 'no-foreign-removal')).toBe('design-choice');
    // Every recorded violation is one or the other.
    for (const c of recorded.cells.filter((x) => x.verdict === 'violated')) {
      expect(['broken-promise', 'design-choice']).toContain(classOf(c.semantics, c.property));
    }
  });

  it('the terminal matrix marks a design choice D and a broken promise X', () => {
    const m: VerdictMatrix = {
      ...recorded,
      semantics: ['upstream', 'replace-tag-draft'],
      properties: ['no-function-shared-across-slots', 'no-lost-fix'],
      cells: recorded.cells.filter(
        (c) =>
          ['upstream', 'replace-tag-draft'].includes(c.semantics) &&
          ['no-function-shared-across-slots', 'no-lost-fix'].includes(c.property),
      ),
      promised: promisedBy(SEMANTICS),
    };
    const text = matrixText(m);
    expect(text).toMatch(/^upstream\s+D2\s+ok~$/m);
    expect(text).toMatch(/^replace-tag-draft\s+D2\s+X2$/m);
    expect(text).toMatch(
      /upstream \/ no-function-shared-across-slots \(design choice\): counterexamples\/upstream\/no-function-shared-across-slots-[0-9a-f]{12}\.json, 2 steps/,
    );
  });
});
