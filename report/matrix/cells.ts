/**
 * Shared wording of verdict-matrix cells for every matrix renderer: each
 * cell says how far it was checked ("violated: FILE, k steps", "holds for N
 * sequences of up to L operations (seed S)", "... exhaustively to depth D in
 * scope ..."), and the short marks of the terminal table keep random-only
 * passes apart from bounded ones, and a broken promise apart from a design
 * choice (model/semantics/promises.ts, issue 12 §4).
 */
import {
  quoted,
  type Cell,
  type ExhaustiveSearch,
  type HoldsBoundedCell,
  type VerdictMatrix,
  type ViolatedCell,
} from '../../harness/matrix.ts';
import { classify, type Classification } from '../../model/semantics/promises.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { plural } from '../../harness/plural.ts';
import { SETTLE_STEPS } from '../../harness/generators.ts';
import { budgetReach, budgetStopped, fixpointReach } from '../explore/text.ts';
import { heapRanOut } from '../../harness/explore/worker-failure.ts';
import type { StateBudget } from '../../harness/explore/explorer.ts';

export { cellAt } from '../../harness/matrix.ts';

/** The short marks and what they mean, in legend order. */
export const MARKS = {
  random: { mark: 'ok~', means: 'holds for every random sequence run; no bounded proof' },
  bounded: { mark: 'OK', means: 'holds, and also exhaustively, as far as the second line says' },
  vacuous: {
    mark: 'ok?',
    means:
      'vacuous: no random sequence applied an operation (nothing was checked), the exploration missed a milestone, or the scope gave the property nothing to check',
  },
  violated: {
    mark: 'Xn',
    means: 'violated, a broken promise (a flaw in the proposal or its draft); the counterexample to quote has n steps',
  },
  design: { mark: 'Dn', means: 'violated, but the rule never promised it (a design choice); n steps' },
  na: { mark: '-', means: 'not applicable (why: below)' },
  fixed: { mark: '*', means: 'a saved counterexample of the cell no longer reproduces (listed below)' },
} as const;

/** Whether a cell holds, breaks its semantics' promise, or breaks a property the rule never promised. */
export const classOf = (c: Cell): Classification => classify(semanticsByName(c.semantics), c.property, c.verdict === 'violated');

/** How a violated cell reads: `broken promise` or `design choice`. */
export const violatedWords = (c: Cell): string => (classOf(c) === 'design-choice' ? 'design choice' : 'broken promise');

/** A short cell for narrow tables: `ok~`, `OK`, `ok?`, `X3` (broken promise), `D3` (design choice), `-`, with `*` when a saved counterexample is fixed. */
export function shortCell(c: Cell | undefined): string {
  if (!c) return '?';
  const fixed = c.fixed?.length ? MARKS.fixed.mark : '';
  switch (c.verdict) {
    case 'violated':
      return `${classOf(c) === 'design-choice' ? 'D' : 'X'}${quoted(c).length}${fixed}`;
    case 'holds-random':
      return (c.vacuous?.length || c.vacuous_in_scope ? MARKS.vacuous.mark : MARKS.random.mark) + fixed;
    case 'holds-bounded':
      return (c.vacuous?.length || c.vacuous_in_scope ? MARKS.vacuous.mark : MARKS.bounded.mark) + fixed;
    case 'not-applicable':
      return MARKS.na.mark + fixed;
  }
}

/**
 * "N sequences of up to L operations and 7 settling ones, M operations
 * applied (seed S)": the settling ones end every sequence (harness/generators.ts
 * settleOps), and M is the operations
 * applied, which may be far fewer than N x L (fast-check's sequences start
 * short, and an inapplicable op is skipped). "5 sequences of up to 1
 * operation" claimed a check where none of them applied one (hostile-user
 * finding, stop 37); 0 applied makes the pass vacuous (the cell's `vacuous`,
 * matrix.ts combine; NO_OPERATION).
 */
/** `N operations and 7 settling ones`: how long a generated sequence may be (`settle`: a matrix's settle_steps). */
export const sequenceLength = (maxCommands: number, settle = SETTLE_STEPS): string =>
  `${plural(maxCommands, 'operation')} and ${settle} settling ${settle === 1 ? 'one' : 'ones'}`;

export const randomReach = (m: VerdictMatrix, sequences: number, steps: number) =>
  `${plural(sequences, 'sequence')} of up to ${sequenceLength(m.max_steps, m.settle_steps)}, ${plural(steps, 'operation')} applied (seed ${m.seed})`;

/** Why a random pass whose sequences applied no operation is vacuous. */
export const NO_OPERATION = 'no random sequence applied an operation: nothing was checked';

/** "violated: FILE, k steps" for the counterexample to quote. */
export function violatedText(c: ViolatedCell): string {
  const q = quoted(c);
  return `violated (${violatedWords(c)}): ${q.file ?? 'not saved'}, ${plural(q.length, 'step')}`;
}

/** The whole verdict of a cell in one line: how far it was checked. */
export function longCell(m: VerdictMatrix, c: Cell): string {
  const fixed = c.fixed?.length ? `; fixed (no longer reproduce): ${c.fixed.join(', ')}` : '';
  switch (c.verdict) {
    case 'violated': {
      const more = c.counterexamples.length - 1;
      return `${violatedText(c)}${more ? ` (and ${more} more)` : ''}${fixed}`;
    }
    case 'holds-random':
      // Nothing checked is not "holds" (as run's VACUOUS; stop 42's hostile user).
      // Both reasons when the random runs and the exploration each checked nothing (a worker out of memory in depth 1
      // beside sequences too short: helper-90 found the exploration's dropped).
      return c.vacuous?.length || c.vacuous_in_scope
        ? `vacuous for ${randomReach(m, c.sequences, c.steps)}; ${c.vacuous?.length ? NO_OPERATION : c.vacuous_in_scope}${c.exhaustive_nothing ? `; ${exhaustiveNothing(c.exhaustive_nothing)}` : ''}${fixed}`
        : `holds for ${randomReach(m, c.sequences, c.steps)}${c.exhaustive_nothing ? `; no bounded proof: ${exhaustiveNothing(c.exhaustive_nothing)}` : ''}${fixed}`;
    case 'holds-bounded': {
      const vacuous =
        (c.vacuous?.length ? `; vacuous: never reached ${c.vacuous.join(', ')}` : '') +
        (c.vacuous_in_scope ? `; vacuous in scope: ${c.vacuous_in_scope}` : '');
      return `holds for ${randomReach(m, c.sequences, c.steps)}; exhaustively for every sequence ${boundedReach(c)} in scope ${m.exhaustive?.scope} (${storedStates(c)}, ${plural(c.transitions, 'transition')})${vacuous}${fixed}`;
    }
    case 'not-applicable':
      return `n/a: ${c.reason}${fixed}`;
  }
}

/**
 * A cell's state count: "N states", or, when the packed engine covered
 * successors it did not store (HoldsBoundedCell.covered), "N states stored,
 * M successors covered", so that the count is not taken for the object
 * engine's, which stores them.
 */
export function storedStates(c: HoldsBoundedCell): string {
  return c.covered ? `${plural(c.states, 'state')} stored, ${plural(c.covered, 'successor')} covered` : plural(c.states, 'state');
}

/**
 * How far a cell's exploration went: "up to depth D", "of any length
 * (fixpoint: no new state beyond depth D)" (fixpointReach), or "up to depth D (the state budget, N states, ran
 * out in depth D+1, which is not claimed)". Each semantics' exploration has
 * its own, whatever the bounds the matrix was given.
 */
export function boundedReach(c: Pick<HoldsBoundedCell, 'depth' | 'fixpoint' | 'covered' | 'state_budget'>): string {
  if (c.fixpoint) return fixpointReach(c.depth, c.covered);
  const budget = c.state_budget;
  return budget ? budgetReach(c.depth, stateBudgetOf(budget)) : `up to depth ${c.depth}`;
}

/**
 * How far each semantics' exploration went, in the matrix's order of
 * semantics: its entry in the matrix's searches, or, for a semantics without
 * one (a matrix written before it had them, or a record that kept cells of
 * two searches that went apart: cli/record.ts), each reach among its
 * holds-bounded cells. A semantics whose cells are all violated, or hold on
 * the random runs alone, has only the first: a stop by memory in depth 1 was
 * not said at all (helper-88).
 */
function searches(m: VerdictMatrix): readonly ExhaustiveSearch[] {
  const listed = new Map((m.exhaustive?.searches ?? []).map((x) => [x.semantics, x] as const));
  const names = new Set([...m.semantics, ...listed.keys(), ...m.cells.map((c) => c.semantics)]);
  return [...names].flatMap((name) => {
    const search = listed.get(name);
    if (search) return [search];
    const reaches = new Map<string, HoldsBoundedCell>();
    for (const c of m.cells) {
      if (c.semantics !== name || c.verdict !== 'holds-bounded') continue;
      const reach = boundedReach(c);
      if (!reaches.has(reach)) reaches.set(reach, c);
    }
    return [...reaches.values()];
  });
}

/**
 * The sequences one search checked: "every sequence up to depth 4 (...)", or,
 * for one a worker out of memory stopped before it expanded a level in full,
 * "no sequence (a worker thread's heap, node's default, ran out at 8 states
 * in depth 1)": it claims nothing (matrix.ts exhaustiveEvidence).
 */
function searchReach(c: ExhaustiveSearch): string {
  const b = c.state_budget;
  if (c.depth === 0 && b?.worker_heap)
    return `no sequence (${heapRanOut(b.worker_heap)} at ${plural(b.states, 'state')} in depth ${b.in_depth})`;
  return `every sequence ${boundedReach(c)}`;
}

/**
 * How far the explorations went, for the line on how the matrix was checked:
 * "every sequence up to depth 4 in scope S" when every semantics' search
 * (searches) went as far, otherwise each reach with its semantics ("every
 * sequence of any length (fixpoint: no new state beyond depth 21) for
 * stacking; ... for upstream"). Undefined without an exhaustive exploration;
 * an older matrix where no cell held says only the scope.
 */
export function exhaustiveReach(m: VerdictMatrix): string | undefined {
  if (!m.exhaustive) return undefined;
  const groups = new Map<string, string[]>();
  for (const c of searches(m)) {
    const reach = searchReach(c);
    const names = groups.get(reach) ?? [];
    if (!names.includes(c.semantics)) names.push(c.semantics);
    groups.set(reach, names);
  }
  const scope = `in scope ${m.exhaustive.scope}`;
  if (groups.size === 0) return `every semantics explored ${scope}`;
  if (groups.size === 1) return `${[...groups.keys()][0]} ${scope}`;
  return `${scope}: ${[...groups].map(([reach, names]) => `${reach} for ${names.join(', ')}`).join('; ')}`;
}

/**
 * How the whole matrix was checked, one sentence; and, when a state budget
 * stopped an exploration (it may be the default one, which the user never
 * typed), a second that says how to go further, as explore's report does.
 */
export function howChecked(m: VerdictMatrix): string {
  const reach = exhaustiveReach(m);
  const x = reach ? `; then exhaustively, ${reach}` : '';
  const budgets = searches(m).flatMap((c) => (c.state_budget ? [c.state_budget] : []));
  // One sentence for each kind of stop among the cells: a budget, the visited set's capacity, a worker's heap.
  const kinds = [
    budgets.find((b) => !b.capacity && !b.worker_heap),
    budgets.find((b) => b.capacity),
    budgets.find((b) => b.worker_heap),
  ].filter((b) => b !== undefined);
  const stopped = kinds.map((b) => ` ${capitalized(budgetStopped(stateBudgetOf(b), 'an exploration'))}.`).join('');
  const stores = m.also_replayed === undefined ? `${m.corpus}/` : `${m.corpus}/ and ${m.also_replayed}/`;
  return `Saved counterexamples (${stores}) replayed first; then ${plural(m.runs, 'random sequence')} of up to ${sequenceLength(m.max_steps, m.settle_steps)} per cell (every task wakes up or leaves its CPU, and the transition work runs once more; seed ${m.seed})${x}.${stopped}`;
}

export const violations = (m: VerdictMatrix): ViolatedCell[] => m.cells.flatMap((c) => (c.verdict === 'violated' ? [c] : []));

/** Cells that share a note: its property (none: every property of the semantics' exploration), the note, and their semantics in matrix order. */
export type CellGroup<N = { readonly property?: string; readonly why: string }> = N & { readonly semantics: string[] };

/** The notes `notes` takes from each cell, grouped by property and note. */
function grouped<N extends { readonly property?: string; readonly why: string }>(
  m: VerdictMatrix,
  notes: (c: Cell) => readonly N[],
): CellGroup<N>[] {
  const groups: CellGroup<N>[] = [];
  for (const c of m.cells) {
    for (const note of notes(c)) {
      const g = groups.find((x) => x.property === note.property && x.why === note.why);
      if (!g) groups.push({ ...note, semantics: [c.semantics] });
      else if (!g.semantics.includes(c.semantics)) g.semantics.push(c.semantics);
    }
  }
  return groups;
}

/** The n/a cells grouped by property and reason (the reason without its leading semantics name). */
export function notApplicableGroups(m: VerdictMatrix): CellGroup<{ readonly property: string; readonly why: string }>[] {
  return grouped(m, (c) =>
    c.verdict !== 'not-applicable'
      ? []
      : [{ property: c.property, why: c.reason.startsWith(`${c.semantics} `) ? c.reason.slice(c.semantics.length + 1) : c.reason }],
  );
}

/**
 * The vacuous passes (`ok?`), for the lines under the table: those the scope
 * gave nothing to check, by property ("nothing to check, as no universe of
 * the scope has ..."), the random passes whose sequences applied no
 * operation, by property (NO_OPERATION), and the explorations that missed a
 * milestone, once for every property of the semantics ("never reached ...").
 */
export function vacuousGroups(m: VerdictMatrix): CellGroup[] {
  return grouped(m, (c) => {
    if (c.verdict === 'holds-random') {
      const random = c.vacuous?.length ? NO_OPERATION : c.vacuous_in_scope;
      if (random === undefined)
        return c.exhaustive_nothing
          ? [{ property: c.property, why: `${exhaustiveNothing(c.exhaustive_nothing)} (the random runs checked it: ok~)` }]
          : [];
      // The random runs checked nothing either: both reasons, the exploration's too (helper-90).
      return [
        { property: c.property, why: random },
        ...(c.exhaustive_nothing ? [{ property: c.property, why: exhaustiveNothing(c.exhaustive_nothing) }] : []),
      ];
    }
    if (c.verdict !== 'holds-bounded') return [];
    return [
      ...(c.vacuous_in_scope ? [{ property: c.property, why: c.vacuous_in_scope }] : []),
      ...(c.vacuous?.length ? [{ why: `never reached ${c.vacuous.join(', ')}` }] : []),
    ];
  });
}

/** A holds-random cell's exhaustive_nothing as its words say it: "the exhaustive search: nothing checked, as ...". */
function exhaustiveNothing(why: string): string {
  return `the exhaustive search: ${why}`;
}

/** Every saved counterexample that no longer reproduces, with its cell. */
export const fixedFiles = (m: VerdictMatrix): { cell: Cell; file: string }[] =>
  m.cells.flatMap((cell) => (cell.fixed ?? []).map((file) => ({ cell, file })));

/** `text` with its first letter in capitals, to open a sentence. */
const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A cell's state_budget as the explorer's StateBudget, which the explore report's words take. */
function stateBudgetOf(b: NonNullable<HoldsBoundedCell['state_budget']>): StateBudget {
  return {
    states: b.states,
    inDepth: b.in_depth,
    ...(b.capacity ? { capacity: b.capacity } : {}),
    ...(b.worker_heap ? { workerHeap: b.worker_heap } : {}),
  };
}
