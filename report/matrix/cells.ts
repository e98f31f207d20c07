/** Shared wording of verdict-matrix cells for every matrix renderer. */
import type { Cell, VerdictMatrix } from '../../harness/matrix.ts';

export function cellAt(m: VerdictMatrix, semantics: string, property: string): Cell | undefined {
  return m.cells.find((c) => c.semantics === semantics && c.property === property);
}

/** A short cell for narrow tables: `ok`, `X3` (violated, 3 steps), `-`. */
export function shortCell(c: Cell | undefined): string {
  if (!c) return '?';
  if (c.verdict === 'holds') return c.vacuous?.length ? 'ok?' : 'ok';
  if (c.verdict === 'not-applicable') return '-';
  return `X${c.length ?? ''}`;
}

export function longCell(c: Cell): string {
  if (c.verdict === 'holds' && c.states !== undefined) {
    return `holds (${c.states} states, ${c.transitions} transitions${c.vacuous?.length ? `; vacuous: never reached ${c.vacuous.join(', ')}` : ''})`;
  }
  if (c.verdict === 'holds') return `holds (${c.sequences} sequences, ${c.steps} steps)`;
  if (c.verdict === 'not-applicable') return 'n/a';
  return `violated (${c.length} steps)`;
}

export const violations = (m: VerdictMatrix): Cell[] => m.cells.filter((c) => c.verdict === 'violated');
