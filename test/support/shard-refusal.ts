/**
 * The one line the CLI would print for a shard file holding `raw`, named
 * a.json: its KlpcheckError formatted, or 'accepted' when fromJson reads it.
 * Shared by the merge tests that edit shard files by hand.
 */
import { KlpcheckError } from '../../harness/errors.ts';
import { fromJson } from '../../harness/explore/shard-format.ts';

export function refusal(raw: unknown): string {
  try {
    fromJson(raw, 'a.json');
  } catch (e) {
    if (e instanceof KlpcheckError) return e.format();
    throw e;
  }
  return 'accepted';
}
