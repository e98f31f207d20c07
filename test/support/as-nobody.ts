/**
 * Running klpcheck as user nobody (setpriv), for tests of what another user
 * may not do: root enters every folder and replaces every file. Where that
 * cannot be done (not root, no setpriv, a repository nobody may not read),
 * `nobodySkip` says why and the tests are skipped.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve('bin/klpcheck.mjs');
export const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

function whyNot(): string | null {
  if (process.getuid?.() !== 0) return 'not root: cannot run as another user';
  const probe = spawnSync('setpriv', [...AS_NOBODY, process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`]);
  if (probe.error) return 'no setpriv';
  if (probe.status !== 0) return 'user nobody cannot read the repository';
  return null;
}

/** Why the tests that run as nobody cannot run here, or null. */
export const nobodySkip = whyNot();

/** `node ARGV...` as user nobody: its exit status and output. */
export function asNobody(argv: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [...AS_NOBODY, process.execPath, ...argv], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** TypeScript module source run as user nobody (through tsx): what one call of klpcheck's own code says there. */
export const moduleAsNobody = (source: string) => asNobody(['--import', 'tsx', '--input-type=module', '-e', source]);
