/**
 * Names on the command line (`--semantics A,B`, `--invariants X,Y`,
 * `--protocols P,Q`), one way for every command: each name must be known,
 * else one line listing the known names: E_SEMANTICS for a semantics (as in
 * a file: README's table has one code for it wherever it is named), E_USAGE
 * for the others.
 */
import { KlpcheckError } from '../harness/errors.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

/** The items named in `value` (a string `A,B`), or undefined when the option is absent. */
export function list<T>(value: unknown, known: readonly string[], what: string, find: (n: string) => T | undefined): T[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value.split(',').map((n) => {
    const found = find(n.trim());
    if (found === undefined) throw new KlpcheckError('E_USAGE', `unknown ${what} '${n}' (known: ${known.join(', ')})`);
    return found;
  });
}

/** The semantics called `name` on the command line, or E_SEMANTICS listing the known names. */
export function semanticsNamed(name: string): Semantics {
  const sem = semanticsByName(name);
  if (!sem) throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${name}' (known: ${SEMANTICS.map((s) => s.name).join(', ')})`);
  return sem;
}

/** `--semantics A,B`: the semantics named, or every registered one when the option is absent. */
export function selectedSemantics(value: unknown): readonly Semantics[] {
  return typeof value === 'string' ? value.split(',').map((n) => semanticsNamed(n.trim())) : SEMANTICS;
}
