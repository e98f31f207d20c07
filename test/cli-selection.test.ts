/**
 * cli/selection.ts requireApplicable: a command refuses a selection in which
 * every cell is n/a (it exited 0 having checked nothing), and runs one in
 * which any cell applies; the n/a cells are then reported as ever.
 */
import { describe, expect, it } from 'vitest';
import { invariantNamed, requireApplicable } from '../cli/selection.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

const sems = (...names: string[]) => names.map((n) => semanticsByName(n)!);

describe('a selection of semantics and properties', () => {
  it('runs when one property applies to one semantics, however many cells are n/a', () => {
    // shadow-lifetime applies to per-state only; conformance to every semantics.
    expect(() => requireApplicable(sems('stacking', 'upstream', 'per-state'), ['shadow-lifetime'], 'nothing to run')).not.toThrow();
    expect(() => requireApplicable(sems('stacking'), ['shadow-lifetime', 'conformance'], 'nothing to run')).not.toThrow();
  });

  it('is refused, E_USAGE naming what was selected, when every cell is n/a', () => {
    expect(() => requireApplicable(sems('stacking'), ['shadow-lifetime'], 'nothing to run')).toThrow(
      expect.objectContaining({ code: 'E_USAGE' }),
    );
    expect(() => requireApplicable(sems('stacking'), ['shadow-lifetime'], 'nothing to run')).toThrow(
      /^invariant 'shadow-lifetime' does not apply to semantics 'stacking' \(n\/a in the matrix\): nothing to run$/,
    );
    expect(() =>
      requireApplicable(sems('stacking', 'upstream'), ['shadow-lifetime', 'block-disable-honoured'], 'nothing to compare'),
    ).toThrow(
      /^none of 'shadow-lifetime', 'block-disable-honoured' applies to semantics 'stacking', 'upstream' \(n\/a in the matrix\): nothing to compare$/,
    );
    // Quoted alike whether one name or a list is given, on either side.
    expect(() => requireApplicable(sems('stacking', 'upstream'), ['shadow-lifetime'], 'nothing to run')).toThrow(
      /^invariant 'shadow-lifetime' does not apply to semantics 'stacking', 'upstream' \(n\/a in the matrix\): nothing to run$/,
    );
    expect(() => requireApplicable(sems('stacking'), ['shadow-lifetime', 'block-disable-honoured'], 'nothing to compare')).toThrow(
      /^none of 'shadow-lifetime', 'block-disable-honoured' applies to semantics 'stacking' \(n\/a in the matrix\): nothing to compare$/,
    );
  });

  it('takes --invariant with spaces around it, as --semantics, and refuses an unknown one or a list with a hint', () => {
    expect(invariantNamed(' conformance ', 'explore')).toBe('conformance');
    expect(invariantNamed(undefined, 'run')).toBeUndefined();
    expect(() => invariantNamed('bogus', 'run')).toThrow(/^unknown invariant 'bogus' \(known: conformance, one-active-patch-per-slot, /);
    expect(() => invariantNamed('bogus', 'run')).toThrow(/, no-silent-downgrade\)$/);
    expect(() => invariantNamed('bogus', 'run')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => invariantNamed('conformance,module-safety', 'run')).toThrow(
      /\); run checks one property, or all of them without --invariant$/,
    );
  });
});
