import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../cli/diff.ts';

// Expected outputs are GNU diff -u's on the same lines (its header lines replaced).
const letters = 'abcdefghijklm'.split('');

describe('unifiedDiff', () => {
  it('is empty for equal logs', () => {
    expect(unifiedDiff(letters, [...letters])).toEqual([]);
  });

  it('splits distant changes into hunks with three lines of context, removals first', () => {
    const actual = [...letters.slice(0, 2), 'X', ...letters.slice(3), 'n'];
    expect(unifiedDiff(letters, actual)).toEqual([
      '--- expected',
      '+++ actual',
      '@@ -1,6 +1,6 @@',
      ' a',
      ' b',
      '-c',
      '+X',
      ' d',
      ' e',
      ' f',
      '@@ -11,3 +11,4 @@',
      ' k',
      ' l',
      ' m',
      '+n',
    ]);
  });

  it('merges changes whose context would overlap', () => {
    const actual = letters.filter((l) => l !== 'c' && l !== 'i');
    expect(unifiedDiff(letters, actual).filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,12 +1,10 @@']);
  });

  it('numbers an empty side by the line before it', () => {
    expect(unifiedDiff(['x'], [])).toEqual(['--- expected', '+++ actual', '@@ -1 +0,0 @@', '-x']);
    expect(unifiedDiff([], ['y'])).toEqual(['--- expected', '+++ actual', '@@ -0,0 +1 @@', '+y']);
  });
});
