/**
 * Characters that show as nothing (format and default-ignorable characters)
 * are escaped in an error line, where they hide what a value really is
 * (helper-100: `unknown semantics 'upstream'` with a zero-width space in it
 * read as a known name refused), and only there: in a report they are text,
 * as a zero-width joiner in an emoji or a non-joiner in a Persian word
 * (helper-101: a scenario's name printed escaped in its PASS line).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeInvisible, KlpcheckError } from '../harness/errors.ts';
import { run } from './support/cli-run.ts';

describe('escapeInvisible', () => {
  it('escapes format and default-ignorable characters, astral ones as their two UTF-16 units', () => {
    expect(escapeInvisible('a\u200bb\u00adc\ufeffd')).toBe('a\\u200bb\\u00adc\\ufeffd');
    // A tag character (U+E0061), a variation selector, a musical symbol that shows nothing, a Hangul filler.
    expect(escapeInvisible('up\u{e0061}stream')).toBe('up\\udb40\\udc61stream');
    expect(escapeInvisible('x\ufe0fy\u{1d173}z\u3164')).toBe('x\\ufe0fy\\ud834\\udd73z\\u3164');
  });

  it('leaves visible text as it is: accents, CJK, emoji, spaces', () => {
    for (const text of ['café', '中文', '😀', 'a b', 'p1']) expect(escapeInvisible(text)).toBe(text);
  });

  it('escapes the spaces that are not U+0020, which a value is not trimmed of (unspaced.ts), and leaves U+0020', () => {
    expect(escapeInvisible('not \u00a02, a\u3000b, c\u2009d, e\u202ff')).toBe('not \\u00a02, a\\u3000b, c\\u2009d, e\\u202ff');
  });

  it('is applied to an error line: its file, pointer and message', () => {
    const line = new KlpcheckError('E_SEMANTICS', "unknown semantics 'upstream\u200b'", 'a\u200cb.json', '/x\u2060').format();
    expect(line).toBe("klpcheck: a\\u200cb.json:/x\\u2060: unknown semantics 'upstream\\u200b' [E_SEMANTICS]");
  });
});

describe('a report', () => {
  it('prints a scenario name with a zero-width joiner and a non-joiner as it is, in its PASS line and its heading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-invisible-'));
    const scenario = JSON.parse(readFileSync('scenarios/per-state/test-order.module-coming-hook.json', 'utf8'));
    const name = 'family 👨\u200d👩\u200d👧, می\u200cخواهم';
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ ...scenario, name }));
    const r = await run(['scenario', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`: ${name} (semantics: `);
    expect(r.stdout).not.toContain('\\u200d');
  });
});
