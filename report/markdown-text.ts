/**
 * Text from a file (a reason, a function name, an op's parameter) put into
 * markdown outside code spans, so that a page shows it as text and never as
 * markup: one line, HTML's `<`, `>` and `&` as entities, and no link or
 * image. Both markdown renderings use it: the counterexample's
 * (markdown.ts) and compare's matrix (matrix/markdown.ts).
 */
import { escapeControls } from '../harness/errors.ts';

/**
 * The text as text: control characters escaped first (a newline in an edited
 * reason started lines of its own, '# forged' a heading, '```' the end of a
 * fence: hostile-user finding, 2026-12-03); `<`, `>` and `&` as entities (an
 * edited reason `<img src=x onerror=...>` was raw HTML on the page,
 * 2026-12-03); and a `]` right before `(` or `[` as the entity &#93;, since a
 * link or an image needs a literal one there: `![t](http://...)` in a function name was a live
 * image (stop 34's hostile user), and JSON's `["p1"]` stays as it was. Not
 * svg.ts's xml(): that one also writes '"' as &quot;, which a reader of the
 * raw markdown would see in every conformance reason ('the spec has "patching"').
 */
export function markdownText(s: string): string {
  return escapeControls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\]([[(])/g, '&#93;$1');
}

/**
 * A table cell: one line (a newline and the space around it become one
 * space), as text, with `\` and `|` as the entities &#92; and &#124;, which
 * escape nothing and end no cell: `\|` escaped as `\\|` in a function name
 * was an escaped backslash and a live `|` to GFM, which moved the cells
 * after it (stop 35's second hostile user).
 */
export function markdownCell(s: string): string {
  return markdownText(s.replace(/\s*\n\s*/g, ' '))
    .replace(/\\/g, '&#92;')
    .replace(/\|/g, '&#124;');
}

/**
 * A link to a file a matrix cell names, when its path is plain (letters,
 * digits, '.', '_', '-', '/'); otherwise the text alone, as text: a --out
 * folder named `<img ...>` or `my dir (x)` was raw HTML or a broken link.
 */
export function markdownLink(text: string, file: string | undefined): string {
  return file !== undefined && /^[A-Za-z0-9._/-]+$/.test(file) ? `[${text}](${file})` : text;
}
