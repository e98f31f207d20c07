/**
 * The C generator of vm/cgen/ (another branch writes it), loaded when first needed so that the
 * rest of `klpcheck vm` (and its tests) does not depend on it being there.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KlpcheckError } from '../harness/errors.ts';
import type { GenerateModuleSources } from './cgen/contract.ts';

const INDEX = new URL('./cgen/index.ts', import.meta.url);

/** generateModuleSources from vm/cgen/index.ts. Errors: E_VM_BUILD when the generator is missing. */
export async function loadGenerator(): Promise<GenerateModuleSources> {
  if (!existsSync(fileURLToPath(INDEX))) {
    throw new KlpcheckError('E_VM_BUILD', 'the C generator vm/cgen/index.ts is not on this branch yet', fileURLToPath(INDEX));
  }
  const mod = (await import(INDEX.href)) as { generateModuleSources?: GenerateModuleSources };
  if (typeof mod.generateModuleSources !== 'function') {
    throw new KlpcheckError('E_VM_BUILD', 'vm/cgen/index.ts exports no generateModuleSources', fileURLToPath(INDEX));
  }
  return mod.generateModuleSources;
}
