/**
 * Generates schema/generated/*.ts from the JSON Schemas with
 * json-schema-to-typescript. `npm run gen:types` writes them; the staleness
 * test (test/schema-types.test.ts) regenerates in memory and compares.
 */
import { readFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const here = dirname(fileURLToPath(import.meta.url));
export const SCHEMAS = ['universe', 'scenario', 'scenario-result', 'counterexample', 'verdict-matrix', 'thread-scenario', 'thread-outcomes'] as const;

const BANNER = `/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/{name}.schema.json. Regenerate with \`npm run gen:types\`;
 * test/schema-types.test.ts fails when this file is stale.
 */`;

export async function generate(name: string): Promise<string> {
  const schema = JSON.parse(readFileSync(join(here, `${name}.schema.json`), 'utf8'));
  return compile(schema, schema.title, {
    bannerComment: BANNER.replace('{name}', name),
    cwd: here,
    declareExternallyReferenced: true,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 110 },
    $refOptions: {
      resolve: {
        // Sibling schemas are referenced by their $id URL; read them from this folder.
        klp: {
          order: 1,
          canRead: /^https:\/\/klpcheck\.invalid\/schema\//,
          read: (file: { url: string }) => readFileSync(join(here, file.url.replace(/^.*\/schema\//, '')), 'utf8'),
        },
      },
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of SCHEMAS) {
    const out = join(here, 'generated', `${name}.ts`);
    await writeFile(`${out}.tmp`, await generate(name));
    await rename(`${out}.tmp`, out);
  }
}
