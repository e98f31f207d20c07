/**
 * The one parser for every number a user types: option values (--runs,
 * --steps, --workers, --seed, --shard i/n) and scope values (depth=5).
 * Decimal digits only, no sign, no leading zero, no exponent, no space
 * inside, and an explicit range, so `1e3`, `0x10`, `007`, `1 0`, `depth=1=2`
 * and twenty-digit values are refused with one line instead of read as
 * something else. Spaces around a number are left out, as they are around
 * names (--semantics) and a scope's keys and values (hostile-user finding,
 * 2026-12-03: `--seed " 1"` was refused while `--semantics " upstream"` was
 * taken).
 */
import { KlpcheckError } from './errors.ts';
import { unspaced } from './unspaced.ts';

/** A closed range of whole numbers, both ends included. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * `text` as a whole number in `range`, or E_USAGE naming `what` (e.g. `--runs`
 * or `scope depth`); `orWord` names what else it takes, as "or 'any'". Digits
 * are checked before Number() so that no value is
 * rounded: 2^53 + 1 cannot sneak in as 2^53.
 */
export function parseWhole(text: string, what: string, range: Range, orWord?: string): number {
  const t = unspaced(text);
  const n = DECIMAL.test(t) && t.length <= 16 ? Number(t) : NaN;
  if (!(n >= range.min && n <= range.max)) {
    const word = orWord ? ` ${orWord}` : '';
    throw new KlpcheckError('E_USAGE', `${what} takes a whole number from ${range.min} to ${range.max}${word}, not '${text}'`);
  }
  return n;
}

/**
 * The seeds fast-check really uses. fast-check 4 (QualifiedParameters.readSeed,
 * lib/fast-check.js) keeps `seed | 0` when that equals the seed, and folds any
 * other number into 32 bits (`seed32 ^ (seed - seed32) * 2^32`), so 4294967297
 * runs as 1. Accepting only signed 32-bit integers makes every accepted seed
 * name its own run, printed exactly as typed.
 */
export const SEED_RANGE: Range = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** A seed as typed: an optional minus sign, then parseWhole's rules, in SEED_RANGE. */
export function parseSeed(text: string, what = '--seed'): number {
  const refuse = (): never => {
    throw new KlpcheckError(
      'E_USAGE',
      `${what} takes a whole number from ${SEED_RANGE.min} to ${SEED_RANGE.max} (a 32-bit seed) or 'random', not '${text}'`,
    );
  };
  const t = unspaced(text);
  const negative = t.startsWith('-');
  const digits = negative ? t.slice(1) : t;
  if (!DECIMAL.test(digits) || digits.length > 10 || (negative && digits === '0')) refuse();
  const n = negative ? -Number(digits) : Number(digits);
  if (n < SEED_RANGE.min || n > SEED_RANGE.max) refuse();
  return n;
}

/** What parseShard takes, in its words and the help's: `i/n with 0 <= i < n <= max`. */
export function shardForm(max: number): string {
  return `i/n with 0 <= i < n <= ${max}`;
}

/** `i/n` with 0 <= i < n <= max: this machine's share of a sharded exploration. */
export function parseShard(text: string, what: string, max: number): { readonly index: number; readonly count: number } {
  // Each part is trimmed by parseWhole.
  const m = /^([^/]*)\/([^/]*)$/.exec(text);
  if (!m) throw new KlpcheckError('E_USAGE', `${what} takes ${shardForm(max)}, not '${text}'`);
  const count = parseWhole(m[2]!, `${what} n`, { min: 1, max });
  const index = parseWhole(m[1]!, `${what} i`, { min: 0, max: count - 1 });
  return { index, count };
}
