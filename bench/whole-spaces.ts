/**
 * Whole state spaces (depth=any) of every semantics at one scope, each
 * explored on one thread in a child process (bench/whole-space-child.ts) so
 * that its time and peak memory are its own. A space that does not reach its
 * fixpoint within `limitSeconds` of wall time is recorded as not closed, with
 * no counts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatScope, type ExploreScope } from '../harness/explore/scope.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type { ExploreRow } from './explore-scaling.ts';

export type WholeSpaceRow =
  (ExploreRow & { readonly max_rss_mib: number }) | { readonly semantics: string; readonly scope: string; readonly not_closed: string };

const CHILD = fileURLToPath(new URL('./whole-space-child.ts', import.meta.url));

export function wholeSpace(sem: Semantics, scope: ExploreScope, limitSeconds: number): WholeSpaceRow {
  const text = formatScope({ ...scope, depth: undefined });
  const r = spawnSync(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', CHILD, sem.name, text], {
    encoding: 'utf8',
    timeout: limitSeconds * 1000,
  });
  if (r.status !== 0) {
    const why = r.error ? `no fixpoint within ${limitSeconds} s` : `exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`;
    return { semantics: sem.name, scope: text, not_closed: why };
  }
  return JSON.parse(r.stdout) as WholeSpaceRow;
}
