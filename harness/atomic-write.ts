/**
 * One way to write a file so that no reader ever sees half of it: the text
 * goes to `<file>.<pid>.tmp` in the same folder, which is renamed over the
 * name. The temporary file is removed whatever happens, so a failed write
 * never leaves `*.tmp` behind. Used by the counterexample store, the VM's
 * real-kernel findings and every CLI output (cli/output-files.ts).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** The temporary name beside `file` (one per process, so two runs never share one). */
export const tmpFor = (file: string): string => `${file}.${process.pid}.tmp`;

/** Writes `text` to `file` through a temporary file and a rename; errors are the file system's. */
export function writeFileAtomically(file: string, text: string): void {
  const tmp = tmpFor(file);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
