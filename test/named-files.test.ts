/**
 * Every saved counterexample the README or a command's --help names by path
 * exists: the corpus is regenerated from its seeds, and file names hash the
 * finding (all but provenance), so a renamed file must not leave a dead example behind.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const NAMED = /counterexamples\/[a-z0-9-]+\/[a-z0-9-]+-[0-9a-f]{12}\.json/g;
// The VM scenarios cite the counterexample each was written from (one cited a name the corpus no longer had: helper-71, stop 45).
const sources = [
  'README.md',
  ...readdirSync('cli/commands').map((f) => join('cli/commands', f)),
  ...readdirSync('vm/scenarios').map((f) => join('vm/scenarios', f)),
];

describe('counterexamples named in the README, the help and the VM scenarios exist', () => {
  for (const file of sources) {
    const named = [...new Set(readFileSync(file, 'utf8').match(NAMED) ?? [])];
    if (!named.length) continue;
    it(file, () => {
      for (const f of named) expect(existsSync(f), `${file} names ${f}`).toBe(true);
    });
  }
});
