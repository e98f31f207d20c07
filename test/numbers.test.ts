/**
 * The one number parser (harness/numbers.ts): what it accepts, and that the
 * seeds it accepts are exactly those fast-check runs unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSeed, parseShard, parseWhole, SEED_RANGE } from '../harness/numbers.ts';

describe('parseWhole', () => {
  it('reads decimal digits within the range, both ends included', () => {
    expect(parseWhole('0', '--n', { min: 0, max: 5 })).toBe(0);
    expect(parseWhole('5', '--n', { min: 0, max: 5 })).toBe(5);
    expect(parseWhole('9007199254740991', '--n', { min: 0, max: Number.MAX_SAFE_INTEGER })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses anything that is not the canonical decimal form of an accepted number', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let n: number | undefined;
        try {
          n = parseWhole(text, '--n', { min: 1, max: 1000 });
        } catch {
          return;
        }
        expect(String(n)).toBe(text.trim());
      }),
      { seed: 10 },
    );
  });

  it('refuses what Number() would read: an exponent, hex, a leading zero, a sign (mutation testing, stop 34)', () => {
    for (const text of ['1e3', '0x10', '007', '+5', '-5', '', ' ', '12345678901234567'])
      expect(() => parseWhole(text, '--n', { min: 0, max: Number.MAX_SAFE_INTEGER }), text).toThrow(
        `--n takes a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, not '${text}'`,
      );
    expect(() => parseWhole('x', '--depth', { min: 1, max: 9 }, "or 'any'")).toThrow(
      "--depth takes a whole number from 1 to 9 or 'any', not 'x'",
    );
  });

  it('leaves out spaces around a number, as around names, and refuses one inside', () => {
    expect(parseWhole(' 5 ', '--n', { min: 0, max: 5 })).toBe(5);
    expect(() => parseWhole('1 0', '--n', { min: 0, max: 50 })).toThrow("--n takes a whole number from 0 to 50, not '1 0'");
    expect(parseSeed(' -7\t')).toBe(-7);
    expect(() => parseSeed('- 7')).toThrow(/not '- 7'/);
    expect(parseShard(' 1/2 ', '--shard', 8)).toEqual({ index: 1, count: 2 });
    expect(parseShard('1 / 2', '--shard', 8)).toEqual({ index: 1, count: 2 });
    // Spaces, tabs and line ends only: a byte order mark or an ideographic space is not one (hostile-user finding, stop 34).
    for (const text of ['\ufeff5', '\u30005', '5\u00a0']) expect(() => parseWhole(text, '--n', { min: 0, max: 9 }), text).toThrow(/not /);
    expect(() => parseSeed('\ufeff5')).toThrow(/not /);
    // Each refusal is a usage error (mutation testing, stop 34).
    for (const f of [() => parseWhole('x', '--n', { min: 0, max: 9 }), () => parseSeed('x'), () => parseShard('x', '--shard', 8)])
      expect(f).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('parseSeed', () => {
  it('accepts both ends of the signed 32-bit range and prints back as typed', () => {
    for (const s of ['0', '1', '-1', '2147483647', '-2147483648']) expect(String(parseSeed(s))).toBe(s);
  });

  it('accepts exactly the seeds fast-check keeps as they are (readSeed: seed | 0 === seed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), (n) => {
        const fastCheckKeeps = (n | 0) === n;
        let accepted = true;
        try {
          parseSeed(String(n));
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(fastCheckKeeps);
      }),
      { seed: 11 },
    );
    expect(SEED_RANGE).toEqual({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  });

  it('refuses, in one line naming the option, a seed one past either end, -0, and what is not digits (mutation testing, stop 34)', () => {
    // Ten digits pass the length check: the range is what refuses them.
    for (const text of ['2147483648', '-2147483649', '9999999999', '-0', 'x', '1e3', '--5', '12345678901'])
      expect(() => parseSeed(text), text).toThrow(
        `--seed takes a whole number from -2147483648 to 2147483647 (a 32-bit seed) or 'random', not '${text}'`,
      );
    expect(() => parseSeed('x', '--from-seed')).toThrow(/^--from-seed takes /);
  });
});

describe('parseShard', () => {
  it('reads i/n with 0 <= i < n', () => {
    expect(parseShard('0/1', '--shard', 8)).toEqual({ index: 0, count: 1 });
    expect(parseShard('7/8', '--shard', 8)).toEqual({ index: 7, count: 8 });
    expect(() => parseShard('8/8', '--shard', 8)).toThrow(/--shard i takes a whole number from 0 to 7/);
    expect(() => parseShard('0/9', '--shard', 8)).toThrow(/--shard n takes a whole number from 1 to 8/);
    // One slash, and the whole text: a third part was read as if it were not there (mutation testing, stop 34).
    for (const text of ['x', '0/1/2', '0/2/3', '/'])
      expect(() => parseShard(text, '--shard', 8), text).toThrow(
        text === '/' ? "--shard n takes a whole number from 1 to 8, not ''" : `--shard takes i/n with 0 <= i < n <= 8, not '${text}'`,
      );
  });
});
