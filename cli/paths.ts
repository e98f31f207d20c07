/** Where the repository's data lives, wherever klpcheck is run from. */
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const COUNTEREXAMPLES = fileURLToPath(new URL('../counterexamples', import.meta.url));
export const EXPECTED = fileURLToPath(new URL('../verdicts/expected.json', import.meta.url));
