/**
 * Errors a user can cause, with stable codes. The CLI catches them at one
 * edge (cli/main.ts), prints the one-line message and exits 2; nothing else
 * prints a stack trace.
 */
/** Every code, with what it means; the help and the README list them from here (test/cli.test.ts keeps the README in step). */
export const ERROR_CODES = {
  E_USAGE:
    "the command line: an unknown option, a number out of range, an option that takes a value or a file given twice (a flag given twice is let through: it says the same thing twice), flags that conflict, a shard file left off explore --merge or given as its --out, '-' as an input or output file, an output name with U+FFFD (how Node shows a name's bytes that are not UTF-8: it would write another file than the one named), a semantics the command does not take (promela: one not written in Promela)",
  E_NO_FILE:
    'a file that cannot be read: missing, a directory, a device, a dangling link or a link loop, or over 536,870,888 bytes (512 MiB less 24: the longest JSON text klpcheck reads)',
  E_JSON:
    'a file that is not JSON text: empty, not UTF-8, invalid JSON (with line and column), a key given twice in one object (at its JSON pointer)',
  E_SCHEMA:
    'JSON of the wrong shape, or a file of another kind (a scenario given as a counterexample), or shard files that are not one exploration (explore --merge: another scope, a shard twice, not a shard)',
  E_REFERENCE:
    "a name the file does not declare: a step naming an unknown patch, task or function, or a counterexample's recorded state naming a patch, module or task its universe lacks",
  E_SEMANTICS: 'a semantics klpcheck does not know',
  E_CONFLICT:
    'names declared twice (as the kernel spells a module name: test-klp-a and test_klp_a are one), a counterexample whose content no longer matches its name, an output file that exists, a saved counterexample nothing would replay (a stray name or folder), a compare --record of a selection made with other settings than the recorded matrix (refused before the work)',
  E_IO: 'an output path that cannot be written, or an explore result file that would be over 536,870,888 characters of JSON (512 MiB less 24)',
  E_UNCHECKED:
    "run: every property it ran was VACUOUS (too few steps, or no operation applied), so nothing was checked; replay: no counterexample given could be checked, each for a reason in its file: its steps fail today's preconditions where it was violated, its property does not apply to its semantics, or its property is a release cycle's (loads, fixes, knowledge: klpcheck protocols checks those); under --semantics, a property that applies to none of them is E_USAGE",
  E_MEMORY:
    "explore, compare --exhaustive: a worker thread ran out of memory (its V8 heap) and no new one could go on: the packed engine replaces a worker that had answered a chunk, so it is one that ran out before answering one (the object engine's: any). explore reports what it checked first (INCOMPLETE), and compare the matrix, whose cells of that semantics name the heap (state_budget.worker_heap); this line comes last, one for each semantics stopped in compare; explore with nothing checked and no --out: the line alone. The line names the depth and states stored: bound the search or give the workers a larger heap (KLPCHECK_WORKER_HEAP_MIB). The main thread out of memory is fatal to node itself, which prints its own report and exits 134",
  E_VM_SETUP: 'klpcheck vm: the kernel is not set up (run npm run vm:setup)',
  E_VM_BUILD: 'klpcheck vm: building the generated modules failed',
  E_VM_BOOT: 'klpcheck vm: the VM did not boot or did not answer in time',
  E_INEXPRESSIBLE:
    "a universe that C for an upstream kernel cannot express (klpcheck vm): a NULL old_name, per-state fields ...; a default for test_klp_syscall's klp_pids, or a patch or module name of 56 characters or more, which modpost refuses, or one that starts with '-', which rmmod reads as an option (any scenario or counterexample); or module names a selftest cannot load (render --format selftest: over 55 characters as test_klp_<name>, or p1 beside a module test_klp_p1)",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class KlpcheckError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly file?: string,
    /** JSON pointer (RFC 6901) into the file, or a line:column for a syntax error. */
    readonly where?: string,
  ) {
    super(message);
  }

  /**
   * `file:/pointer: message [CODE]`, one line even if the message is not
   * (scripts read it with `read`), and with every control character of the
   * file name or of text quoted from a file escaped (a newline in a file
   * name, an escape sequence in a patch name). A newline in the message is
   * escaped too, not made a blank: a patch named "p\n x" was quoted as
   * 'p x', a name the file does not have (stop 42's hostile user). So are
   * the characters that show as nothing (escapeInvisible), here alone.
   */
  format(): string {
    // The whole document is the pointer '' (RFC 6901), named by the file alone: '/' is the pointer of a key "".
    const shown = (text: string) => escapeInvisible(escapeControls(text));
    const loc = this.file ? `${shown(this.file)}${this.where ? `:${shown(this.where)}` : ''}: ` : '';
    return `klpcheck: ${loc}${clip(shown(this.message), MESSAGE_MAX)} [${this.code}]`;
  }
}

/**
 * The most characters of a message an error line shows: a file's value
 * quoted whole in one (an unknown op of a million characters, a shard's
 * /format as a long array) made a line of 1 MB (hostile-user finding, stop 44).
 */
export const MESSAGE_MAX = 1000;

/**
 * `text` cut to `max` characters, counted in code points so that no emoji is
 * split, and never inside an escape such as `\u001b`, then
 * `... (N characters)`; `text` itself when it fits.
 */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  // A backslash left alone at the end (an odd one, after pairs that are escaped backslashes) begins an escape the
  // cut split: it goes, with the part of a \u escape after it.
  const kept = chars
    .slice(0, max)
    .join('')
    .replace(/(^|[^\\])((?:\\\\)*)\\(u[0-9a-fA-F]{0,3})?$/, '$1$2');
  return `${kept}... (${chars.length} characters)`;
}

/**
 * `e` placed in `file`, unless it names one, and below the JSON pointer
 * `base`: for a refusal made by code that sees only a part of a file (a
 * universe inside a counterexample, a renderer's check of one record).
 */
export function placedIn(e: KlpcheckError, file: string | undefined, base?: string): KlpcheckError {
  const where = e.where === undefined ? base : `${base ?? ''}${e.where}`;
  return new KlpcheckError(e.code, e.message, e.file ?? file, where);
}

/** What attempt() gives: the value, or the KlpcheckError that refused the work. */
export type Attempt<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: KlpcheckError };

/**
 * Runs `f`, returning a KlpcheckError it throws as `{ error }` instead of
 * throwing it (any other error, a bug, is rethrown). For work that must go on
 * past a refused file (a hand-edited counterexample of the same name, a folder
 * removed during a long run) and report the refusal after the rest
 * (cli/late-errors.ts raiseLate).
 */
export function attempt<T>(f: () => T): Attempt<T> {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    return { error: e };
  }
}

/**
 * C0 and C1 controls, DEL, the line and paragraph separators and the bidi
 * overrides: characters that move the cursor, recolour or reorder a
 * terminal line instead of showing themselves.
 */
export const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A UTF-16 code unit as JSON escapes it: \u and four hex digits. */
const unitEscape = (unit: string): string => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with each control character shown as a JSON-style escape (\n, \u001b), so it prints as one inert line. */
export function escapeControls(text: string): string {
  // JSON.stringify escapes C0 controls (\n, \u001b) but leaves DEL, C1 and the separators as they are.
  return text.replace(CONTROLS, (c) =>
    JSON.stringify(c)
      .slice(1, -1)
      .replace(/^[^\\]/, unitEscape),
  );
}

/**
 * Characters that show as nothing: the format characters (zero-width space
 * and joiners, the marks, the byte order mark, the tag characters) and the
 * other default-ignorable ones (variation selectors, fillers). In an error
 * line they hide what the value really is: `unknown semantics 'upstream'`,
 * with a zero-width space in the name, read as a known name refused
 * (helper-100). Elsewhere they are text (a zero-width joiner makes one
 * emoji of three, a non-joiner spells a Persian word), and a report shows
 * them as they are (helper-101). With them, the spaces that are not U+0020
 * (no-break, ideographic, thin ...): a command line's value is trimmed of
 * ASCII spaces alone (unspaced.ts), so `not ' 2'` with a no-break space
 * read as a plain space refused.
 */
const INVISIBLE = /(?! )[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zs}]/gu;

/** `text` with each invisible character (INVISIBLE; U+0020 is not one) shown as JSON escapes of its UTF-16 units (\u200b, \udb40\udc61). */
export function escapeInvisible(text: string): string {
  // split('') gives UTF-16 units: an astral character's two.
  return text.replace(INVISIBLE, (c) => c.split('').map(unitEscape).join(''));
}

/** RFC 6901 escaping of one reference token. */
export function pointer(...tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
