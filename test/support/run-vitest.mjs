#!/usr/bin/env node
/**
 * `npm test`: `vitest run` with plain output wherever colour would end up in
 * a file. vitest's colours (tinyrainbow) are on whenever TERM is not "dumb",
 * even when stdout is a pipe or a CI log; NO_COLOR is the one switch they
 * honour, so it is set here when stdout is not a terminal or CI is set.
 * Arguments pass through: `npm test -- test/cli.test.ts`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const env = { ...process.env };
if (!process.stdout.isTTY || 'CI' in env) {
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
}
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
