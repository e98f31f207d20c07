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

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KlpcheckError('E_NO_FILE', code === 'ENOENT' ? 'no such file' : `cannot read (${code})`, file);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? lineCol(text, Number(pos[1])) : undefined;
    throw new KlpcheckError('E_JSON', `invalid JSON${where ? ` at ${where}` : ''}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, file);
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
