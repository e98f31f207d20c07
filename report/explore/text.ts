/**
 * An exploration's report, worded as bounded results as TLC words its own:
 * "holds for every sequence up to depth D in scope S", the distinct states
 * and transitions checked, the coverage of operations and outcomes, and the
 * milestones a vacuous pass never reached.
 */
import { collisionOdds } from '../../harness/explore/key.ts';
import { formatScope } from '../../harness/explore/scope.ts';
import { missingMilestones, type ExploreSummary } from '../../harness/explore/summary.ts';
import { MILESTONES } from '../../harness/explore/coverage.ts';

export interface SavedNote {
  readonly property: string;
  readonly file?: string;
  readonly randomLength?: number;
}

export function exploreText(s: ExploreSummary, saved: readonly SavedNote[] = []): string {
  const scope = formatScope(s.scope);
  const bound = s.complete ? `up to depth ${s.scope.depth}` : `up to depth ${s.depthReached} (stopped before depth ${s.scope.depth})`;
  const rate = s.seconds > 0 ? Math.round(s.distinctStates / s.seconds) : 0;
  const lines = [
    `klpcheck explore: ${s.semantics}, scope ${scope}${s.shards.length ? `, shard ${s.shards.map((x) => `${x.index}/${x.count}`).join(' ')}` : ''}`,
    `${s.distinctStates} distinct states, ${s.transitions} transitions checked ${bound}, ${s.seconds.toFixed(1)} s (${rate} states/s)`,
    `fingerprint collision odds below ${collisionOdds(s.distinctStates).toExponential(1)}`,
    '',
  ];
  const missing = missingMilestones(s);
  for (const p of s.properties) {
    const v = s.violations.find((x) => x.property === p);
    if (!v) {
      const vacuous = missing.length ? `  VACUOUS: never reached ${missing.join(', ')}` : '';
      lines.push(`${p.padEnd(32)} holds for every sequence ${bound} in scope ${scope}${vacuous}`);
      continue;
    }
    const note = saved.find((x) => x.property === p);
    const random = note?.randomLength ? ` (fast-check's shrunk one: ${note.randomLength})` : '';
    lines.push(`${p.padEnd(32)} VIOLATED: shortest counterexample has ${v.ops.length} steps${random}${note?.file ? ` -> ${note.file}` : ''}`);
    lines.push(`${''.padEnd(32)} ${v.reason}`);
  }
  lines.push('', 'Coverage (operation: outcomes):');
  for (const [op, m] of Object.entries(s.outcomes).sort()) {
    lines.push(`  ${op.padEnd(16)} ${Object.entries(m).sort().map(([o, n]) => `${o} ${n}`).join(', ')}`);
  }
  lines.push('Milestones:');
  for (const [m, what] of Object.entries(MILESTONES)) lines.push(`  [${s.reached.includes(m as never) ? 'x' : ' '}] ${m}: ${what}`);
  return `${lines.join('\n')}\n`;
}
