import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, SCHEMAS } from '../schema/generate-types.ts';

// A schema edited without `npm run gen:types` leaves types that no longer
// describe the files the loader accepts; this is where that shows.
describe('schema/generated/*.ts are up to date', () => {
  it.each(SCHEMAS.map((name) => [name]))('%s', async (name) => {
    const committed = readFileSync(`schema/generated/${name}.ts`, 'utf8');
    expect(committed, `schema/generated/${name}.ts is stale: run npm run gen:types`).toBe(await generate(name));
  });
});
