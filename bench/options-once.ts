/**
 * The bench scripts' command lines, as every klpcheck command reads its own
 * (README, input rules): an option given twice is refused, never read as the
 * last one.
 */
import type { parseArgs } from 'node:util';
import { KlpcheckError } from '../harness/errors.ts';

type ParsedToken = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** E_USAGE naming the first option given twice among parseArgs' `tokens`. */
export function refuseOptionsGivenTwice(tokens: readonly ParsedToken[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tokens ?? [])
    if (t.kind === 'option') {
      if (seen.has(t.name)) throw new KlpcheckError('E_USAGE', `--${t.name} given twice`);
      seen.add(t.name);
    }
}
