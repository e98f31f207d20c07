/**
 * Reading a JSON data file and validating it against one of klpcheck's
 * schemas with ajv, turning every failure into a one-line KlpcheckError that
 * names the file and the place in it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { KlpcheckError } from './errors.ts';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');
const SCHEMA_FILES = ['universe', 'scenario', 'scenario-result'];

let ajv: Ajv | undefined;
function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: false, discriminator: true, strict: true, allowUnionTypes: true, strictRequired: false });
    for (const f of SCHEMA_FILES) ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, `${f}.schema.json`), 'utf8')));
  }
  return ajv;
}

/** Registers another schema file of the schema folder (later issues add theirs). */
export function validatorFor(name: string): ValidateFunction {
  const a = getAjv();
  const id = `https://klpcheck.invalid/schema/${name}.schema.json`;
  if (!a.getSchema(id)) a.addSchema(JSON.parse(readFileSync(join(schemaDir, `${name}.schema.json`), 'utf8')));
  return a.getSchema(id)!;
}

function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos).split('\n');
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
    if (c === '{') return members('}', () => {
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

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`;
    throw new KlpcheckError('E_NO_FILE', why, file);
  }
  // Editors on other systems may write a byte order mark; JSON.parse rejects it.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    const why = found ? `invalid JSON at ${lineCol(text, found.at)}: ${found.message}` : `invalid JSON: ${(e as Error).message}`;
    throw new KlpcheckError('E_JSON', why, file);
  }
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    case 'discriminator':
      return `unknown op '${(e.params as { tagValue: string }).tagValue}'`;
    case 'enum':
      return `${e.message}: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Validates `data` against schema `name`; throws the deepest error as E_SCHEMA. */
export function validate<T>(name: string, data: unknown, file: string): T {
  const v = validatorFor(name);
  if (v(data)) return data as T;
  const errors = v.errors ?? [];
  const deepest = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a), errors[0]!);
  throw new KlpcheckError('E_SCHEMA', describe(deepest), file, deepest.instancePath);
}
