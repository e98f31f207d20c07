/**
 * The FILE... operands of the scenario commands: a file stands for itself,
 * a directory for every *.json below it in sorted order (so runs and their
 * reports are reproducible).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KlpcheckError } from '../harness/errors.ts';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing file is reported when it is read, with its name
  }
}

/** Skips dot-directories and node_modules: `klpcheck scenario .` means the scenarios, not the dependencies. */
function jsonFilesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'node_modules' ? [] : jsonFilesBelow(path);
      // <name>.outcomes.json beside a thread scenario is recorded data, not a scenario.
      return e.name.endsWith('.json') && !e.name.endsWith('.outcomes.json') && statSync(path).isFile() ? [path] : [];
    });
}

/** `skip` leaves out files found below a directory (a file named itself is always kept). */
export function scenarioFiles(operands: readonly string[], skip: (file: string) => boolean = () => false): string[] {
  const files = operands.flatMap((op) => {
    if (!isDirectory(op)) return [op];
    const found = jsonFilesBelow(op).filter((f) => !skip(f));
    if (found.length === 0) throw new KlpcheckError('E_NO_FILE', 'no *.json scenario files below this directory', op);
    return found;
  });
  return [...new Set(files)];
}
