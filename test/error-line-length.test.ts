/**
 * An error line quotes values from the file it refuses, and those may be of
 * any length: a message is cut to MESSAGE_MAX characters (harness/errors.ts
 * clip), counted in code points so that no emoji is split, and never inside
 * an escape the line makes of a control character (hostile-user findings,
 * stop 44: an unknown op of a million characters made a line of 1 MB; a cut
 * at 60 UTF-16 units split an emoji into U+FFFD).
 */
import { describe, expect, it } from 'vitest';
import { clip, KlpcheckError, MESSAGE_MAX } from '../harness/errors.ts';

describe('clip', () => {
  it('keeps what fits, and cuts what does not with its length in characters', () => {
    expect(clip('abcd', 4)).toBe('abcd');
    expect(clip('abcde', 4)).toBe('abcd... (5 characters)');
    // 10 emoji are 10 characters, 20 UTF-16 units; none is split.
    expect(clip('😀'.repeat(10), 4)).toBe('😀😀😀😀... (10 characters)');
  });

  it('never ends inside an escape, and keeps an escaped backslash whole', () => {
    expect(clip('ab\\u001bcd', 4)).toBe('ab... (10 characters)');
    expect(clip('ab\\u001bcd', 8)).toBe('ab\\u001b... (10 characters)');
    expect(clip('abc\\n', 4)).toBe('abc... (5 characters)');
    expect(clip('a\\\\bc', 3)).toBe('a\\\\... (5 characters)');
    expect(clip('a\\\\\\u00', 6)).toBe('a\\\\... (7 characters)');
  });

  it('bounds every error line, whatever the message quotes', () => {
    const line = new KlpcheckError('E_SCHEMA', `unknown op '${'x'.repeat(1_000_000)}'`, 'f.json', '/steps/0/op').format();
    expect(line).toBe(`klpcheck: f.json:/steps/0/op: unknown op '${'x'.repeat(MESSAGE_MAX - 12)}... (1000013 characters) [E_SCHEMA]`);
    // Control characters are escaped before the cut: one line, and the cut is in the escaped text.
    const controls = new KlpcheckError('E_USAGE', `${'\u001b'.repeat(400)}`).format();
    expect(controls).toMatch(/^klpcheck: (\\u001b){166}\.\.\. \(2400 characters\) \[E_USAGE\]$/);
  });
});
