/**
 * Reading a JSON data file and validating it against one of klpcheck's
 * schemas with ajv, turning every failure into a one-line KlpcheckError that
 * names the file and the place in it.
 */
import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { visit } from 'jsonc-parser';
import { clip, KlpcheckError, pointer } from './errors.ts';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');
const SCHEMA_FILES = ['universe', 'scenario', 'scenario-result'];

type SchemaNode = {
  readonly $ref?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly definitions?: Record<string, SchemaNode>;
  readonly oneOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
};

let ajv: Ajv | undefined;
/** Every definition of every schema loaded, by name, for the hints of describe(). */
const definitions = new Map<string, SchemaNode>();

function addSchemaFile(a: Ajv, name: string): void {
  const doc = JSON.parse(readFileSync(join(schemaDir, `${name}.schema.json`), 'utf8')) as SchemaNode;
  for (const [def, node] of Object.entries(doc.definitions ?? {})) if (!definitions.has(def)) definitions.set(def, node);
  a.addSchema(doc);
}

function getAjv(): Ajv {
  if (!ajv) {
    // verbose: errors carry their parentSchema, which the "did you mean" hints read.
    ajv = new Ajv({ allErrors: false, discriminator: true, strict: true, allowUnionTypes: true, strictRequired: false, verbose: true });
    for (const f of SCHEMA_FILES) addSchemaFile(ajv, f);
  }
  return ajv;
}

/** Registers another schema file of the schema folder (later issues add theirs). */
export function validatorFor(name: string): ValidateFunction {
  const a = getAjv();
  const id = `https://klpcheck.invalid/schema/${name}.schema.json`;
  if (!a.getSchema(id)) addSchemaFile(a, name);
  return a.getSchema(id)!;
}

/**
 * The values member `property` may take in definition `definition` of schema
 * `schema`'s file, across the alternatives of a oneOf: its enum or const
 * values (the counterexample schema's Op gives every op name, its TraceStep
 * every outcome). Read from the schema, so a list elsewhere cannot drift from
 * what a counterexample may hold.
 */
export function schemaValues(schema: string, definition: string, property: string): string[] {
  const defs = ownDefinitions(schema);
  const node = defs[definition];
  if (!node) throw new Error(`schema ${schema}: no definition ${definition}`);
  return (node.oneOf ?? [node]).flatMap((alt) => {
    const name = /#\/definitions\/([^/]+)$/.exec(alt.$ref ?? '')?.[1];
    const p = (name === undefined ? alt : defs[name])?.properties?.[property];
    return [...(p?.enum ?? []), ...(p && 'const' in p ? [p.const] : [])].map(String);
  });
}

/**
 * Schema file `schema`'s own definitions, read once: `definitions` above keeps
 * the first of a name across files (scenario.schema.json has a TraceStep of
 * its own), and a shard file's check asks for two lists on every read.
 */
const ownDefinitionsOf = new Map<string, Record<string, SchemaNode>>();
function ownDefinitions(schema: string): Record<string, SchemaNode> {
  let defs = ownDefinitionsOf.get(schema);
  if (!defs) {
    defs = (JSON.parse(readFileSync(join(schemaDir, `${schema}.schema.json`), 'utf8')) as SchemaNode).definitions ?? {};
    ownDefinitionsOf.set(schema, defs);
  }
  return defs;
}

function resolveRef(node: SchemaNode | undefined): SchemaNode | undefined {
  const ref = node?.$ref;
  if (ref === undefined) return node;
  const name = /#\/definitions\/([^/]+)$/.exec(ref)?.[1];
  return name === undefined ? undefined : definitions.get(name);
}

/**
 * Where an unknown property `prop` of an object would be known: one level
 * down, under one of the object's own properties (`replace` on a patch is
 * `attrs.replace`). Generic over every schema, so no message is written per
 * property. Empty when the name is known nowhere near.
 */
function placesFor(prop: string, parent: SchemaNode | undefined): string[] {
  const places: string[] = [];
  for (const [name, sub] of Object.entries(resolveRef(parent)?.properties ?? {})) {
    let target = resolveRef(sub);
    let path = name;
    if (target?.items) {
      target = resolveRef(target.items);
      path = `${name}[]`;
    }
    if (target?.properties && Object.hasOwn(target.properties, prop)) places.push(`${path}.${prop}`);
  }
  return places;
}

/** A place in `text` as an editor shows it: lines end at LF, CR LF or a bare CR (old Mac files; helper-106). */
function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos).split(/\r\n|\r|\n/);
  return `line ${before.length} column ${before[before.length - 1]!.length + 1}`;
}

/** Where a JSON text first breaks RFC 8259, and what was expected there. */
class SyntaxProblem {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

/**
 * Node 20's JSON.parse often names no position ("Unexpected token '}', ...
 * is not valid JSON"), so after it fails this small recursive-descent pass
 * finds the offset itself: a user needs the line and column, not a snippet.
 */
export function findJsonSyntaxError(text: string): SyntaxProblem | undefined {
  let i = 0;
  const stop = (message: string): never => {
    throw new SyntaxProblem(i, message);
  };
  const shown = () => {
    const c = text[i];
    return c === undefined ? 'end of input' : c < ' ' ? JSON.stringify(c) : `'${c}'`;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) stop('unterminated string');
      else if (c === '"') return void i++;
      else if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== '' && '"\\/bfnrt'.includes(e)) i += 2;
        else stop('invalid escape in string');
      } else if (c < ' ') stop('control character (such as a raw newline) in string');
      else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{')
      return members('}', () => {
        if (text[i] !== '"') stop(`unexpected ${shown()}, expected a property name in double quotes`);
        string();
        ws();
        if (text[i] !== ':') stop(`unexpected ${shown()}, expected ':' after the property name`);
        i++;
        value();
      });
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (number.test(text)) return void (i = number.lastIndex);
    const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
    if (literal) return void (i += literal.length);
    stop(`unexpected ${shown()}, expected a value`);
  };
  const members = (close: string, member: () => void) => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      ws();
      member();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) return void i++;
      else stop(`unexpected ${shown()}, expected ',' or '${close}'`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) stop(`unexpected ${shown()} after the JSON value`);
    return undefined;
  } catch (e) {
    // Anything else (a stack overflow on absurd nesting) leaves JSON.parse's own message.
    return e instanceof SyntaxProblem ? e : undefined;
  }
}

/** A failed read or stat of `file` as one E_NO_FILE line: no such file, a directory, a dangling link (and where to), a link loop. */
export function unreadable(file: string, e: unknown): KlpcheckError {
  const code = (e as NodeJS.ErrnoException).code;
  let why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'ELOOP'
          ? 'a symbolic link loop'
          : `cannot read (${code})`;
  if (code === 'ENOENT') {
    try {
      if (lstatSync(file).isSymbolicLink()) why = `a dangling symbolic link (to ${readlinkSync(file)})`;
    } catch {
      // not a link either: "no such file" stands
    }
    // Node reads a command line as UTF-8 and puts U+FFFD for each byte that is not: a file named with such bytes
    // exists, but under a name no JS string spells (helper-122). A name may hold a real U+FFFD too, so an if
    // (helper-123).
    if (file.includes('\uFFFD') && why === 'no such file')
      why = 'no such file (if its name has bytes that are not UTF-8, shown here as U+FFFD, klpcheck cannot open it: rename it)';
  }
  return new KlpcheckError('E_NO_FILE', why, file);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The longest string V8 makes on a 64-bit machine (String::kMaxLength, 2^29 - 24
 * UTF-16 code units, 512 MiB less 24): the longest JSON text klpcheck can read
 * or write as one string. A longer file was read, failed to decode, and was
 * then reported as "not UTF-8" at an offset past its end.
 */
export const TEXT_MAX = 2 ** 29 - 24;

/**
 * The text of a data file, refused with one line when it cannot be JSON text:
 * missing, a directory, a device, a pipe, a dangling link or a link loop, over TEXT_MAX bytes, empty, or bytes that
 * are not UTF-8 (RFC 8259 section 8.1; never replaced by U+FFFD, which would
 * change what the file says). A byte order mark, which editors on other
 * systems write, is dropped (RFC 8259 lets a parser ignore it).
 */
export function readText(file: string): string {
  let bytes: Buffer;
  try {
    // A device never ends (/dev/zero) or waits for a person (a terminal): refused before it is read.
    const st = statSync(file);
    if (st.isCharacterDevice() || st.isBlockDevice()) throw new KlpcheckError('E_NO_FILE', 'is a device, not a file', file);
    // A named pipe waits for a writer that may never come (hostile-user finding, stop 35); /dev/stdin piped is one.
    if (st.isFIFO() || st.isSocket()) throw new KlpcheckError('E_NO_FILE', 'is a pipe or a socket, not a file', file);
    // Refused before it is read: reading it would take its size in memory, and its text could not be made.
    if (st.size > TEXT_MAX)
      throw new KlpcheckError('E_NO_FILE', `is ${st.size} bytes, more than the ${TEXT_MAX} klpcheck reads as one JSON text`, file);
    bytes = readFileSync(file);
  } catch (e) {
    throw e instanceof KlpcheckError ? e : unreadable(file, e);
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const at = firstBadUtf8(bytes);
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    throw new KlpcheckError(
      'E_JSON',
      `not UTF-8 text: byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at offset ${at} (line ${line})`,
      file,
    );
  }
  text = withoutBom(text);
  if (text.trim() === '') throw new KlpcheckError('E_JSON', 'empty file: expected a JSON object', file);
  return text;
}

/**
 * `text` without the byte order mark it may begin with, as readText reads a
 * file: the checks that keep a file from being replaced (a saved
 * counterexample, a complete explore result) must recognise every file the
 * readers take, and JSON.parse refuses the mark (helper-106: --force then
 * replaced a counterexample that replay read).
 */
export function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Offset of the first byte that does not decode, by growing the decoded prefix (only on the error path). */
function firstBadUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len - 1;
  }
  return 0;
}

/**
 * `text` parsed, or E_JSON with the line and column of the first error, or
 * E_JSON at the JSON pointer of a key given twice in one object.
 */
export function parseJson(text: string, file: string): unknown {
  // First, in one pass: JSON.parse of 100 million nested arrays ran out of heap (exit 134, helper-99), and the
  // syntax-error finder's recursion lost the position of a deep invalid file where the stack ran out.
  if (nestingDepth(text) > MAX_NESTING) throw tooDeep(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    const why = found ? `invalid JSON at ${lineCol(text, found.at)}: ${found.message}` : `invalid JSON: ${(e as Error).message}`;
    throw new KlpcheckError('E_JSON', why, file);
  }
  const { twice, rounded } = textProblems(text, file);
  if (twice)
    throw new KlpcheckError(
      'E_JSON',
      `a key given twice in one object (${lineCol(text, twice.first)} and ${lineCol(text, twice.again)}): JSON readers differ on which one counts`,
      file,
      twice.pointer,
    );
  if (rounded)
    throw new KlpcheckError(
      'E_JSON',
      `${rounded.text} is not a whole number, but reads as ${rounded.value} (a JSON number is a double): write the number meant`,
      file,
      rounded.pointer,
    );
  return data;
}

/**
 * Whether the decimal `text` of a JSON number (with a fraction or an
 * exponent) is exactly a whole number: 3.0 and 3e2 are, 2.9999999999999999
 * is not, though JSON.parse reads it as 3.
 */
function exactlyWhole(text: string): boolean {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return false;
  const digits = m[1]! + (m[2] ?? '');
  const shift = Number(m[3] ?? 0) - (m[2] ?? '').length;
  return shift >= 0 || /^0*$/.test(digits.slice(Math.max(0, digits.length + shift)));
}

/**
 * The deepest nesting the visitor below may meet (klpcheck's files have a
 * few levels). Its recursion overflowed the stack at some thousands of
 * levels, where the stack is the main thread's (about 1 MB), but not in a
 * worker thread's (4 MB): under Stryker's threads the bad-input case of ten
 * thousand nested arrays was read, and failed the schema instead (stop 58).
 * A fixed bound, asked before JSON.parse (parseJson), refuses the same files
 * on every thread, valid or not, before any of them costs memory.
 */
const MAX_NESTING = 1000;

/** The refusal of a file nested deeper than MAX_NESTING (or than the stack let the visitor go). */
function tooDeep(file: string): KlpcheckError {
  return new KlpcheckError('E_JSON', `nested too deeply to read (more than ${MAX_NESTING} levels; a klpcheck file has a few)`, file);
}

/** The deepest nesting of arrays and objects in the JSON text `text`, its strings skipped. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character, a quote among them.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * What JSON.parse took from `text` that is not what the text says, first of
 * each kind. `twice`: the first key given twice in one object, its pointer
 * and the offsets of its two places. JSON.parse keeps the last, another
 * reader may keep the first, and a hash-named counterexample's hash covers
 * only what was parsed: `"semantics": "stacking"` put before the real key
 * passed the name check and replayed as stacking (hostile-user test,
 * 2026-12-03). `rounded`: the first number written as a fraction that reads
 * as a whole number, 2.9999999999999999 as 3, which passed the schema's
 * "integer" and made two releases one (stop 37's second hostile user).
 * jsonc-parser's visitor (VS Code's JSON scanner) walks the text.
 */
function textProblems(
  text: string,
  file: string,
): {
  readonly twice?: { readonly pointer: string; readonly first: number; readonly again: number };
  readonly rounded?: { readonly pointer: string; readonly text: string; readonly value: number };
} {
  const open: Map<string, number>[] = [];
  let found: { pointer: string; first: number; again: number } | undefined;
  let rounded: { pointer: string; text: string; value: number } | undefined;
  try {
    // No parse options: JSON.parse took the text, so it holds no comment and no trailing comma.
    visit(text, {
      onObjectBegin: () => void open.push(new Map()),
      onObjectEnd: () => void open.pop(),
      onObjectProperty: (key, offset, _length, _line, _column, path) => {
        const seen = open[open.length - 1]!;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, offset);
        else found ??= { pointer: pointer(...path(), key), first, again: offset };
      },
      onLiteralValue: (value, offset, length, _line, _column, path) => {
        if (rounded || typeof value !== 'number' || !Number.isInteger(value)) return;
        const written = text.slice(offset, offset + length);
        if (/[.eE]/.test(written) && !exactlyWhole(written)) rounded = { pointer: pointer(...path()), text: written, value };
      },
    });
  } catch (e) {
    // The visitor recurses: a stack smaller than MAX_NESTING allows for still ends here, never in exit 70.
    if (!(e instanceof RangeError)) throw e;
    throw tooDeep(file);
  }
  return { ...(found ? { twice: found } : {}), ...(rounded ? { rounded } : {}) };
}

/** Every command reads its JSON files through here (readText's refusals, then parseJson's). */
export function readJson(file: string): unknown {
  return parseJson(readText(file), file);
}

/**
 * The kinds of file klpcheck reads, told apart by the properties only that
 * kind has, so that a file given in the wrong place is named for what it is
 * ("a scenario, not a counterexample") instead of failing on its first
 * missing property.
 */
export const FILE_KINDS = {
  scenario: 'a scenario',
  'thread-scenario': 'a thread scenario',
  counterexample: 'a counterexample',
  'verdict-matrix': 'a verdict matrix',
  'explore-result': 'an explore result (explore --out)',
  'thread-outcomes': 'a thread outcomes record',
  'scenario-result': 'a scenario report (scenario --json)',
} as const;
export type FileKind = keyof typeof FILE_KINDS;

/** What `data` looks like, or undefined if like none of the kinds. */
export function kindOf(data: unknown): FileKind | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const has = (...keys: string[]) => keys.every((k) => k in data);
  // More of the keys only a counterexample has than of those only a scenario has: a counterexample missing its
  // violation was called a scenario, and a scenario with a stray "initial" then a counterexample (stop 37's nits).
  const count = (keys: readonly string[]) => keys.filter((k) => has(k)).length;
  if (
    has('steps') &&
    count(['invariant', 'violation', 'initial', 'provenance']) > count(['name', 'source', 'expect_log', 'log_filter', 'pending'])
  )
    return 'counterexample';
  if ((data as { format?: unknown }).format === 'klpcheck-explore-shard') return 'explore-result';
  if (has('cells', 'semantics', 'properties')) return 'verdict-matrix';
  if (has('ops') && !has('steps')) return 'thread-scenario';
  if (has('universe', 'steps')) return 'scenario';
  if (has('format', 'scenario', 'semantics')) return 'thread-outcomes';
  if (has('klpcheck', 'results')) return 'scenario-result';
  return undefined;
}

/** E_SCHEMA when `data` is recognisably another kind of file than `expected`. */
export function requireKind(data: unknown, expected: FileKind, file: string): void {
  const actual = kindOf(data);
  if (actual !== undefined && actual !== expected) {
    throw new KlpcheckError('E_SCHEMA', `this is ${FILE_KINDS[actual]}, not ${FILE_KINDS[expected]}`, file);
  }
}

/** readJson, requireKind and validate against the schema of the same name, in that order. */
export function readJsonFile<T>(file: string, kind: FileKind & string): T {
  const data = readJson(file);
  requireKind(data, kind, file);
  return validate<T>(kind, data, file);
}

function describe(e: ErrorObject): string {
  // A propertyNames failure is reported at the object, with the name that failed (ajv's e.propertyName).
  const name = (e as { propertyName?: string }).propertyName;
  const text = describeValue(e);
  return name === undefined ? text : `property name '${name}' ${text}`;
}

/**
 * A value from a file as an error line quotes it: its JSON, cut to `max`
 * characters, with its length (a 200,000-element array was a line of 1.3 MB:
 * hostile-user finding, stop 44).
 */
function brief(value: unknown, max = 60): string {
  // A number past a double's range parses as Infinity, which JSON.stringify writes as null: the file said 1e400
  // (helper-110: "/format: must be 1, not null").
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number too large for a double';
  return clip(JSON.stringify(value) ?? String(value), max);
}

function describeValue(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      const places = placesFor(prop, e.parentSchema as SchemaNode | undefined);
      return `unknown property '${prop}'${places.length ? ` (did you mean ${places.join(' or ')}?)` : ''}`;
    }
    case 'discriminator': {
      const { tag, tagValue } = e.params as { tag: string; tagValue: unknown };
      // A tag that is no string at all ("op": 5) is a wrong type, not an op of that name.
      return typeof tagValue === 'string' ? `unknown ${tag} '${tagValue}'` : `${tag} must be a string, not ${brief(tagValue)}`;
    }
    case 'enum':
      return `${e.message}: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    case 'const':
      // ajv says "must be equal to constant" and never which ("format": 2 in a counterexample: hostile-user finding, stop 44).
      return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, not ${brief(e.data)}`;
    case 'type':
      // ajv joins several types with a comma ("must be boolean,integer").
      return `must be ${String((e.params as { type: string | string[] }).type)
        .split(',')
        .join(' or ')}`;
    case 'pattern': {
      const why = typeof e.data === 'string' ? notMatching(e.data, (e.params as { pattern: string }).pattern) : null;
      return why ? `${e.message}: ${why}` : (e.message ?? e.keyword);
    }
    default:
      return e.message ?? e.keyword;
  }
}

/**
 * For a pattern that allows a run of one character class (`^[!#-~]*$`), maybe
 * after a lookahead (`^(?![0-9.])[A-Za-z0-9_.]+$`, a symbol's name), what is
 * wrong with `value`, or null for another pattern:
 * - the first character outside the class and where it is (`'â' (U+00E2) at
 *   character 2 is not allowed`): without it a user saw only the pattern,
 *   with nothing to say which character of a long parameter value broke it
 *   (stop 41);
 * - else, after a lookahead of one class, `it is empty` (for a run of one
 *   or more) or the character the lookahead keeps from beginning the value
 *   (`it may not begin with '1'`): `"1f"` and `""` got the pattern alone
 *   (helper-103).
 */
function notMatching(value: string, pattern: string): string | null {
  const m = /^\^(?:\(\?!([^)]*)\))?(\[[^\]]+\])([*+])\$$/.exec(pattern);
  if (!m) return null;
  const [, lookahead, run, count] = m;
  const allowed = new RegExp(`^${run}$`, 'u');
  let at = 0;
  for (const ch of value) {
    at++;
    if (allowed.test(ch)) continue;
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const shown =
      ch === ' ' ? 'a blank' : ch === '"' ? 'a double quote' : /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `'${ch}' (${code})` : code;
    return `${shown} at character ${at} is not allowed`;
  }
  // The rest is said of a lookahead of one class: what it keeps from beginning the value.
  if (lookahead === undefined || !/^\[[^\]]+\]$/.test(lookahead)) return null;
  if (value === '') return count === '+' ? 'it is empty' : null;
  const first = [...value][0]!;
  return new RegExp(`^${lookahead}$`, 'u').test(first) ? `it may not begin with '${first}'` : null;
}

/**
 * Where a value must be one of several constants (`"ok"`, or an errno: a
 * oneOf of a const and an enum), ajv reports each branch apart, and the first
 * said only "must be equal to constant": one message with every allowed value.
 */
function allowedAt(errors: readonly ErrorObject[], at: string): unknown[] | null {
  const here = errors.filter((e) => e.instancePath === at);
  const values: unknown[] = [];
  for (const e of here) {
    if (e.keyword === 'const') values.push((e.params as { allowedValue: unknown }).allowedValue);
    else if (e.keyword === 'enum') values.push(...(e.params as { allowedValues: unknown[] }).allowedValues);
    else if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') return null;
  }
  return values.length > 1 ? values : null;
}

/** Validates `data` against schema `name`; throws the deepest error as E_SCHEMA. */
export function validate<T>(name: string, data: unknown, file: string): T {
  const v = validatorFor(name);
  if (v(data)) return data as T;
  const errors = v.errors ?? [];
  const deepest = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a), errors[0]!);
  const allowed = allowedAt(errors, deepest.instancePath);
  const where = deepest.keyword === 'discriminator' ? tagPlace(deepest) : placeOf(deepest);
  throw new KlpcheckError('E_SCHEMA', allowed ? `must be one of ${JSON.stringify(allowed)}` : describe(deepest), file, where);
}

/** A discriminator error's place: the tag's own when it is no string (ajv points at the object). */
function tagPlace(e: ErrorObject): string {
  const { tag, tagValue } = e.params as { tag: string; tagValue: unknown };
  return typeof tagValue === 'string' ? e.instancePath : `${e.instancePath}${pointer(tag)}`;
}

/**
 * The JSON pointer of an error: an unknown property's own place (ajv points
 * at the object that holds it), so that `/violations/0/bogus` names the key to
 * delete, not just the entry.
 */
function placeOf(e: ErrorObject): string {
  // A name that fails propertyNames is placed at its own key.
  const name = (e as { propertyName?: string }).propertyName;
  if (name !== undefined) return `${e.instancePath}${pointer(name)}`;
  if (e.keyword !== 'additionalProperties') return e.instancePath;
  return `${e.instancePath}${pointer((e.params as { additionalProperty: string }).additionalProperty)}`;
}
