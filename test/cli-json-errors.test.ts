import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../harness/json-file.ts';

const parses = (t: string) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('findJsonSyntaxError (the line and column of a bad scenario file)', () => {
  it.each([
    ['{"a": }', 6, "unexpected '}', expected a value"],
    ['[1,2,]', 5, "unexpected ']', expected a value"],
    ['{"a":1,}', 7, "unexpected '}', expected a property name in double quotes"],
    ['{"a" 1}', 5, "unexpected '1', expected ':' after the property name"],
    ['{"a": [1] "b": 2}', 10, "unexpected '\"', expected ',' or '}'"],
    ['{"a":1', 6, "unexpected end of input, expected ',' or '}'"],
    ['"ab\ncd"', 3, 'control character (such as a raw newline) in string'],
    ['{"x":"\\q"}', 6, 'invalid escape in string'],
    ['{} x', 3, "unexpected 'x' after the JSON value"],
    ['', 0, 'unexpected end of input, expected a value'],
  ])('%j fails at offset %i: %s', (text, at, message) => {
    expect(parses(text)).toBe(false);
    expect(findJsonSyntaxError(text)).toEqual({ at, message });
  });

  it('finds nothing wrong in any JSON.stringify output', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (v, indent) => findJsonSyntaxError(JSON.stringify(v, null, indent)) === undefined), { seed: 4242 });
  });

  it('agrees with JSON.parse on damaged JSON texts', () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\n', '0', 'tru', '\\', ' '))
      .map(([t, n, insert]) => {
        const at = n % (t.length + 1);
        return t.slice(0, at) + insert + t.slice(at + (n % 2));
      });
    fc.assert(fc.property(damaged, (t) => (findJsonSyntaxError(t) === undefined) === parses(t)), { seed: 4242 });
  });
});
