/**
 * The report of `klpcheck simulate` (harness/explore/packed/simulate.ts),
 * worded so that it never claims more than the walks checked: a property not
 * violated is "not violated on N random walks of up to L steps (seed S) in
 * scope X", never "holds"; a violated one names the walk that found it, so
 * that the same seed and that many walks find it again. Like explore's, its
 * lines are about its own scope: it replays no saved counterexample (run and
 * compare replay a cell's). A property the scope
 * and the walk length give nothing to check is VACUOUS IN SCOPE, and a pass
 * whose walks never reached a milestone (a completed load, a refused one, a
 * transition completed by a retry) is flagged VACUOUS, as explore's are.
 */
import { formatScope, type ExploreScope } from '../../harness/explore/scope.ts';
import { missingMilestones } from '../../harness/explore/summary.ts';
import type { SimulationSummary } from '../../harness/explore/packed/simulate.ts';
import { vacuousInScope, vacuousWords } from '../../harness/explore/vacuity.ts';
import { plural } from '../../harness/plural.ts';
import { CONFORMANCE } from '../../properties/catalog.ts';
import { coverageLines, kernelAloneLines, type SavedNote } from '../explore/text.ts';

/**
 * Why walks of up to `length` steps in `scope` give `property` nothing to
 * check (vacuity.ts: what a search of depth `length` lacks), in words whose
 * remedy names simulate's options (`--length 2`, not `depth=2`); null when
 * they give it something.
 */
export function walkVacuity(property: string, scope: ExploreScope, length: number): string | null {
  const v = vacuousInScope(property, { ...scope, depth: length });
  if (!v) return null;
  const remedy = v.remedy
    ?.split(',')
    .map((part) => (part.startsWith('depth=') ? `--length ${part.slice('depth='.length)}` : part))
    .join(' and ');
  return vacuousWords({ ...v, ...(remedy ? { remedy } : {}) });
}

/** The walks as one phrase: "1000 random walks of up to 100 steps (seed 1)". */
function walksPhrase(s: Pick<SimulationSummary, 'walks' | 'length' | 'seed'>): string {
  return `${plural(s.walks, 'random walk')} of up to ${plural(s.length, 'step')} (seed ${s.seed})`;
}

/**
 * The report: a header, a line per property, the note on conformance breaks,
 * then coverage. `saved`: where each violation's counterexample went.
 * Depends only on the arguments.
 */
export function simulateText(s: SimulationSummary, saved: readonly SavedNote[] = []): string {
  const scope = formatScope(s.scope, false);
  const walks = walksPhrase(s);
  const lines = [
    `klpcheck simulate: ${s.semantics}, scope ${scope}`,
    `${walks}: ${plural(s.steps, 'step')} checked in ${plural(s.universes, 'universe')}, ${s.properties.includes(CONFORMANCE) ? 'the reference implementation and the spec model in lockstep' : 'the reference implementation alone (the spec model not followed: conformance is not checked)'}`,
    'a walk is no proof: a property not violated held on these walks only (explore checks every sequence in a scope);',
    "a walk fixes each patch's definition as the patch first loads: more walks meet more universes",
    ...(s.stopped
      ? [
          `INCOMPLETE: stopped (a Ctrl-C or another signal) after ${s.walks} of the ${plural(s.stopped.asked, 'walk')} asked for; each line is about the walks taken`,
        ]
      : []),
    '',
  ];
  const missing = missingMilestones(s);
  for (const p of s.properties) {
    const v = s.violations.find((x) => x.property === p);
    if (!v && s.walks === 0) {
      // Stopped before the first walk: nothing was checked, and "not violated on 0 walks" would read as a claim.
      lines.push(`${p.padEnd(32)} not checked: stopped before the first walk`);
      continue;
    }
    if (!v) {
      // A walk of L steps reaches what a search of depth L does at most: the scope with that depth says what is lacking.
      const nothing = walkVacuity(p, s.scope, s.length);
      if (nothing) {
        lines.push(`${p.padEnd(32)} VACUOUS IN SCOPE: ${nothing}`);
        continue;
      }
      const vacuous = missing.length ? `  VACUOUS: never reached ${missing.join(', ')}` : '';
      lines.push(`${p.padEnd(32)} not violated on ${walks} in scope ${scope}${vacuous}`);
      continue;
    }
    const note = saved.find((x) => x.property === p);
    const shrunk = note?.savedLength ? `, shrunk to ${plural(note.savedLength, 'step')}` : '';
    const where = note?.file ? ` -> ${note.file}${shrunk}` : note?.notSaved ? ` -> ${note.notSaved}` : '';
    lines.push(
      `${p.padEnd(32)} VIOLATED: a counterexample of ${plural(v.ops.length, 'step')} (walk ${v.walk}; the shortest the walks found, not known to be the shortest)${where}`,
    );
    lines.push(`${''.padEnd(32)} ${v.reason}`);
  }
  lines.push(...kernelAloneLines(s, 'a walk'), '', ...coverageLines(s));
  return `${lines.join('\n')}\n`;
}
