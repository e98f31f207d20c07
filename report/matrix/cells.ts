/** Shared wording of verdict-matrix cells for every matrix renderer. */
import type { Cell, VerdictMatrix } from '../../harness/matrix.ts';
import { classify, type Classification } from '../../model/semantics/promises.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';

export function cellAt(m: VerdictMatrix, semantics: string, property: string): Cell | undefined {
  return m.cells.find((c) => c.semantics === semantics && c.property === property);
}

/** Whether a cell holds, breaks its semantics' promise, or breaks a property the rule never promised. */
export const classOf = (c: Cell): Classification => classify(semanticsByName(c.semantics), c.property, c.verdict === 'violated');

/** How a violated cell reads: `broken promise` or `design choice`. */
export const violatedWords = (c: Cell): string => (classOf(c) === 'design-choice' ? 'design choice' : 'broken promise');

/** A short cell for narrow tables: `ok`, `X3` (broken promise, 3 steps), `D3` (not promised, violated), `-`. */
export function shortCell(c: Cell | undefined): string {
  if (!c) return '?';
  if (c.verdict === 'holds') return c.vacuous?.length ? 'ok?' : 'ok';
  if (c.verdict === 'not-applicable') return '-';
  return `${classOf(c) === 'design-choice' ? 'D' : 'X'}${c.length ?? ''}`;
}

export function longCell(c: Cell): string {
  if (c.verdict === 'holds' && c.states !== undefined) {
    return `holds (${c.states} states, ${c.transitions} transitions${c.vacuous?.length ? `; vacuous: never reached ${c.vacuous.join(', ')}` : ''})`;
  }
  if (c.verdict === 'holds') return `holds (${c.sequences} sequences, ${c.steps} steps)`;
  if (c.verdict === 'not-applicable') return 'n/a';
  return `violated, ${violatedWords(c)} (${c.length} steps)`;
}

export const violations = (m: VerdictMatrix): Cell[] => m.cells.filter((c) => c.verdict === 'violated');
