/**
 * Text from a file (a reason, a function name, an op's parameter) put into
 * markdown outside code spans, so that a page shows it as text and never as
 * markup: one line, HTML's `<`, `>` and `&` as entities, no link or image,
 * and no code span or emphasis. Both markdown renderings use it: the counterexample's
 * (markdown.ts) and compare's matrix (matrix/markdown.ts).
 */
import { escapeControls } from '../harness/errors.ts';

/**
 * HTML's `<`, `>` and `&` as entities (an edited reason `<img src=x
 * onerror=...>` was raw HTML on the page, 2026-12-03), and a `]` right
 * before `(` or `[` as the entity &#93;, since a link or an image needs a
 * literal one there: `![t](http://...)` in a function name was a live image
 * (stop 34's hostile user), and JSON's `["p1"]` stays as it was. Not
 * svg.ts's xml(): that one also writes '"' as &quot;, which a reader of the
 * raw markdown would see in every conformance reason ('the spec has "patching"').
 */
function inert(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\]([[(])/g, '&#93;$1');
}

/**
 * No code span, emphasis, strikethrough or autolink, behind a backslash:
 * a backtick, `*` and `~`, an `_` at the edge of a word, and the `:` of
 * `://`, the `.` of `www.` and an `@` that GFM's autolinks start at ('`y`',
 * '*z*', '_w_' and '~~s~~' in a parameter value showed as code, italics and
 * struck text, and `https://...`, `www.x.com` and `a@b.co` in a reason as
 * links: stop 42's hostile users). An `_` inside a word marks nothing (GFM),
 * so cmdline_proc_show stays as it reads.
 */
function noMarkup(s: string): string {
  return s
    .replace(/[`*~@]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(?<![A-Za-z0-9])(www)\./gi, '$1\\.');
}

/**
 * A paragraph's text that starts with what starts a list item (`- `, `+ `,
 * `1. `, `1) `) has that marker escaped: a patch named `-` made the
 * paragraph about it a bullet, its name gone (stop 42's hostile user).
 */
function noListStart(s: string): string {
  return s.replace(/^([-+])(?= |$)/, '\\$1').replace(/^(\d{1,9})([.)])(?= |$)/, '$1\\$2');
}

/**
 * The text as text: control characters escaped first (a newline in an edited
 * reason started lines of its own, '# forged' a heading, '```' the end of a
 * fence: hostile-user finding, 2026-12-03), a backslash before punctuation
 * doubled (it would escape it), then inert(), noMarkup() and noListStart().
 */
export function markdownText(s: string): string {
  return noListStart(noMarkup(inert(escapeControls(s).replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\'))));
}

/**
 * A table cell: one line (a newline and the space around it become one
 * space), as text, with `\` and `|` as the entities &#92; and &#124;, which
 * escape nothing and end no cell: `\|` escaped as `\\|` in a function name
 * was an escaped backslash and a live `|` to GFM, which moved the cells
 * after it (stop 35's second hostile user). A cell of code spans is made by
 * its renderer, not here.
 */
export function markdownCell(s: string): string {
  return noMarkup(
    inert(escapeControls(s.replace(/\s*\n\s*/g, ' ')))
      .replace(/\\/g, '&#92;')
      .replace(/\|/g, '&#124;'),
  );
}

/**
 * A link to a file a matrix cell names, when its path is plain (letters,
 * digits, '.', '_', '-', '/'); otherwise the text alone, as text: a --out
 * folder named `<img ...>` or `my dir (x)` was raw HTML or a broken link.
 */
export function markdownLink(text: string, file: string | undefined): string {
  return file !== undefined && /^[A-Za-z0-9._/-]+$/.test(file) ? `[${text}](${file})` : text;
}
