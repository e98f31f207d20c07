/** The versions a counterexample's provenance records. */
import { readFileSync } from 'node:fs';

const versionOf = (url: URL) => (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;

export const KLPCHECK_VERSION: string = versionOf(new URL('../package.json', import.meta.url));
export const FAST_CHECK_VERSION: string = versionOf(new URL('../node_modules/fast-check/package.json', import.meta.url));
export const PURE_RAND_VERSION: string = versionOf(new URL('../node_modules/pure-rand/package.json', import.meta.url));
