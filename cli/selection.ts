/**
 * Names on the command line (`--semantics A,B`, `--invariants X,Y`,
 * `--protocols P,Q`), one way for every command: each name must be known,
 * else one line listing the known names: E_SEMANTICS for a semantics (as in
 * a file: README's table has one code for it wherever it is named), E_USAGE
 * for the others. Names are trimmed (`A, B`), and a name given twice in one
 * list is refused: a matrix with the same row twice reports each finding twice.
 */
import { KlpcheckError } from '../harness/errors.ts';
import { notApplicableWhy } from '../harness/matrix.ts';
import { ALL_PROPERTIES } from '../harness/suite.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { unspaced } from '../harness/unspaced.ts';

/** The items named in `value` (a string `A,B`), or undefined when the option is absent. */
export function list<T>(value: unknown, known: readonly string[], what: string, find: (n: string) => T | undefined): T[] | undefined {
  if (typeof value !== 'string') return undefined;
  const names = once(value, what);
  return names.map((n) => {
    const found = find(n);
    if (found === undefined) throw new KlpcheckError('E_USAGE', `unknown ${what} '${n}' (known: ${known.join(', ')})`);
    return found;
  });
}

/** The trimmed names of a list `A,B`; E_USAGE when one is given twice. */
function once(value: string, what: string): string[] {
  const names = value.split(',').map(unspaced);
  const twice = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
  if (twice !== undefined) throw new KlpcheckError('E_USAGE', `${what} '${twice}' is named twice in '${value}': name it once`);
  return names;
}

/** The semantics called `name` on the command line, or E_SEMANTICS listing the known names. */
export function semanticsNamed(name: string): Semantics {
  const sem = semanticsByName(unspaced(name));
  if (!sem) throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${name}' (known: ${SEMANTICS.map((s) => s.name).join(', ')})`);
  return sem;
}

/**
 * `--invariant X` of run and explore: the property named, trimmed as a
 * --semantics name is, or undefined when the option is absent. E_USAGE for an
 * unknown one, listing the known names; a list gets a hint, since these
 * commands check one property, or all of them (compare takes --invariants X,Y).
 */
export function invariantNamed(value: unknown, command: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = unspaced(value);
  if (ALL_PROPERTIES.includes(name)) return name;
  const one = name.includes(',') ? `; ${command} checks one property, or all of them without --invariant` : '';
  throw new KlpcheckError('E_USAGE', `unknown invariant '${value}' (known: ${ALL_PROPERTIES.join(', ')})${one}`);
}

/** `--semantics A,B`: the semantics named, or every registered one when the option is absent. */
export function selectedSemantics(value: unknown): readonly Semantics[] {
  return typeof value === 'string' ? once(value, 'semantics').map(semanticsNamed) : SEMANTICS;
}

/**
 * E_USAGE when no selected property applies to any selected semantics: every
 * cell would be n/a, and exit 0 would say "everything checked passed" when
 * nothing was checked (explore, run and compare alike). `verb` ends the line:
 * "nothing to explore".
 */
export function requireApplicable(semantics: readonly Semantics[], properties: readonly string[], verb: string): void {
  if (semantics.some((sem) => properties.some((p) => notApplicableWhy(sem, p) === undefined))) return;
  // Every name quoted, in a list as alone: 'a', 'b' (a name alone was quoted and a list was not).
  const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
  const what = properties.length === 1 ? `invariant ${quoted(properties)} does not` : `none of ${quoted(properties)}`;
  const to = `semantics ${quoted(semantics.map((s) => s.name))}`;
  const apply = properties.length === 1 ? 'apply' : 'applies';
  throw new KlpcheckError('E_USAGE', `${what} ${apply} to ${to} (n/a in the matrix): ${verb}`);
}
