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
export const SCHEMAS = [
  'universe',
  'scenario',
  'scenario-result',
  'counterexample',
  'verdict-matrix',
  'thread-scenario',
  'thread-outcomes',
  'bench-goals',
] as const;

const BANNER = `/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/{name}.schema.json. Regenerate with \`npm run gen:types\`;
 * test/schema-types.test.ts fails when this file is stale.
 */`;

/** Top-level declarations of generated code, each with its doc comment, by name. */
function declarations(code: string): Map<string, string> {
  const decls = new Map<string, string>();
  const re = /(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export (?:interface (\w+) \{[\s\S]*?\n\}|type (\w+) =[\s\S]*?;)\n/g;
  for (const m of code.matchAll(re)) decls.set((m[1] ?? m[2])!, m[0]);
  return decls;
}

/** Schemas whose declarations others reuse, in the order they are looked up. */
const BASES = ['universe', 'counterexample'] as const;

/**
 * json-schema-to-typescript declares every referenced definition in every
 * file; a definition declared by a base schema's file is imported from it
 * instead (universe.ts for the universe, counterexample.ts for the ops).
 * Only a declaration identical to the base's is replaced, so nothing changes
 * meaning.
 */
async function importShared(name: string, code: string): Promise<string> {
  const imports: string[] = [];
  const taken = new Set<string>();
  for (const base of BASES) {
    if (base === name) break;
    const shared = declarations(await compileSchema(base));
    const used: string[] = [];
    for (const [decl, text] of declarations(code)) {
      if (taken.has(decl) || shared.get(decl) !== text) continue;
      code = code.replace(text, '');
      used.push(decl);
      taken.add(decl);
    }
    if (!used.length) continue;
    const names = used.sort().join(', ');
    imports.push(`import type { ${names} } from './${base}.ts';\nexport type { ${names} };\n`);
  }
  if (!imports.length) return code;
  // After the banner.
  const end = code.indexOf(' */\n', code.indexOf('GENERATED FILE')) + 4;
  return `${code.slice(0, end)}\n${imports.join('')}${code.slice(end)}`;
}

export async function generate(name: string): Promise<string> {
  return importShared(name, await compileSchema(name));
}

async function compileSchema(name: string): Promise<string> {
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
