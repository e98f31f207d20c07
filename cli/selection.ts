/**
 * Comma-separated selections on the command line (`--semantics A,B`,
 * `--invariants X,Y`, `--protocols P,Q`), one way for every command: each
 * name must be known, else E_USAGE listing the known names.
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

/** `--semantics A,B`: the semantics named, or every registered one when the option is absent. */
export function selectedSemantics(value: unknown): readonly Semantics[] {
  return (
    list(
      value,
      SEMANTICS.map((s) => s.name),
      'semantics',
      semanticsByName,
    ) ?? SEMANTICS
  );
}
