import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, SCHEMAS } from '../schema/generate-types.ts';
import { ERRNO } from '../model/kernel/errno.ts';
import { schemaValues } from '../harness/json-file.ts';

// A schema edited without `npm run gen:types` leaves types that no longer
// describe the files the loader accepts; this is where that shows.
describe('schema/generated/*.ts are up to date', () => {
  it.each(SCHEMAS.map((name) => [name]))('%s', async (name) => {
    const committed = readFileSync(`schema/generated/${name}.ts`, 'utf8');
    expect(committed, `schema/generated/${name}.ts is stale: run npm run gen:types`).toBe(await generate(name));
  });
});

describe('schemaValues', () => {
  it('reads each alternative’s enum and const, and refuses a definition the schema lacks', () => {
    expect(schemaValues('counterexample', 'Op', 'op')).toEqual(expect.arrayContaining(['insmod', 'rmmod', 'transition_step', 'set_attr']));
    expect(() => schemaValues('counterexample', 'Nope', 'op')).toThrow('schema counterexample: no definition Nope');
  });
});

describe('a counterexample step’s outcome', () => {
  it('is one the kernel can give: ok or an errno of model/kernel/errno.ts, and the schema lists them all', () => {
    // Any string was taken, so a hand-edited "EWHAT" rendered as the kernel's answer (hostile-user test, 2026-12-03).
    const schema = JSON.parse(readFileSync('schema/counterexample.schema.json', 'utf8')) as {
      definitions: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
    };
    const outcome = Object.values(schema.definitions).find((d) => d.properties?.outcome)!.properties!.outcome!;
    expect([...outcome.enum!].sort()).toEqual(['ok', ...Object.keys(ERRNO)].sort());
  });
});
