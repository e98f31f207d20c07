/**
 * Plain-text layout for mail: ASCII only and at most 72 columns, wrapped at
 * spaces with a hanging indent (a word longer than the line is cut, which
 * only happens for absurd names).
 */
export const WIDTH = 72;

/** Replaces anything outside printable ASCII, so that a pasted reply is plain text. */
export function ascii(s: string): string {
  return s.replace(/[^\x20-\x7e\n]/g, '?');
}

/** The fewest columns a wrapped line leaves for its words after the hanging indent. */
const MIN_ROOM = 8;

/**
 * Wraps `text` to `width`: the first line starts with `first`, the others
 * with `rest` (usually spaces, for a hanging indent).
 */
export function wrap(text: string, firstPrefix = '', restPrefix = firstPrefix, width = WIDTH): string[] {
  // The prefixes may hold a file's text too (a function's name heads its line): one line each, whatever it holds.
  const first = ascii(firstPrefix).replace(/\n/g, '?');
  // A hanging indent as wide as the line left no room for a word, and the loop below never ended (a 56-character
  // function name: hostile-user finding, 2026-12-03); it is cut to leave MIN_ROOM columns.
  const rest = ascii(restPrefix)
    .replace(/\n/g, '?')
    .slice(0, Math.max(0, width - MIN_ROOM));
  const words = ascii(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = (prefix: string) => Math.max(1, width - prefix.length);
  for (let word of words) {
    const sep = empty ? '' : ' ';
    if (line.length + sep.length + word.length <= width) {
      line += sep + word;
      empty = false;
      continue;
    }
    if (!empty) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    while (line.length + word.length > width) {
      const cut = room(line);
      lines.push(line + word.slice(0, cut));
      word = word.slice(cut);
      line = rest;
    }
    line += word;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}
