/**
 * The verdict matrix: every semantics against every property. Each cell
 * combines all the evidence there is, in the order Hypothesis uses its
 * example database: the saved counterexamples of the cell are replayed
 * first, then the random runs (harness/suite.ts), then any exhaustive
 * exploration. A counterexample that still reproduces makes the cell
 * violated whatever the runs found; a saved one that no longer reproduces
 * is listed as fixed, never dropped. A cell says how far it was checked:
 * the counterexample to quote, or the sequences run, or the bounded
 * exploration. verdicts/expected.json is a recorded matrix that the tests
 * check.
 */
import { promisedBy } from '../model/semantics/promises.ts';
import { existsSync } from 'node:fs';
import { realPath } from './folders.ts';
import { basename, join, relative, resolve } from 'node:path';
import type { DeepReadonly } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { invariantById } from '../properties/catalog.ts';
import type * as G from '../schema/generated/verdict-matrix.ts';
import { checkStoreFolders, fileNameFor, storedFor, type Counterexample, type SaveResult } from './counterexample.ts';
import { formatScope, type ExploreScope } from './explore/scope.ts';
import { missingMilestones, type ExploreSummary } from './explore/summary.ts';
import { vacuousInRandomRuns, vacuousInReach, vacuousWords } from './explore/vacuity.ts';
import type { StateBudget } from './explore/explorer.ts';
import { replayCounterexample } from './replay.ts';
import { ALL_PROPERTIES, runProperty, screenSuite, type SuiteOptions } from './suite.ts';
import type { Screen } from './random-screen.ts';
import { KLPCHECK_VERSION } from './versions.ts';
import { heapRanOut } from './explore/worker-failure.ts';
import { SETTLE_STEPS } from './generators.ts';
import type { KlpcheckError } from './errors.ts';

export type VerdictMatrix = DeepReadonly<G.VerdictMatrix>;
/** A tagged union on `verdict`; a new kind of verdict is one more member in the schema. */
export type Cell = DeepReadonly<G.Cell>;
export type ViolatedCell = DeepReadonly<G.ViolatedCell>;
export type HoldsBoundedCell = DeepReadonly<G.HoldsBoundedCell>;
export type CounterexampleRef = DeepReadonly<G.CounterexampleRef>;
/** How far one semantics' exploration went (VerdictMatrix.exhaustive.searches). */
export type ExhaustiveSearch = DeepReadonly<G.ExhaustiveSearch>;

/** A counterexample found for a cell, with its file when it has one (absolute or relative to the cwd). */
export interface Found {
  readonly length: number;
  readonly reason: string;
  readonly source: CounterexampleRef['source'];
  readonly file?: string;
  /** How today's replay of a saved counterexample differs from its record (replay.ts, verdict `violated`), when it does. */
  readonly notAsRecorded?: string;
}

/** Everything known about one cell, before it is worded. */
export interface CellEvidence {
  readonly semantics: string;
  readonly property: string;
  /** Why the property does not apply, when it does not. */
  readonly notApplicable?: string;
  /** Saved counterexamples of the cell replayed: those that still violate, and those fixed. */
  readonly replayed: readonly {
    readonly file: string;
    /** The store name of the finding it holds (counterexample.ts fileNameFor), which a file of the old naming is not named. */
    readonly finding?: string;
    readonly found?: Found;
  }[];
  /**
   * The random runs, when they ran; `vacuousInScope`: vacuity.ts
   * vacuousInRandomRuns, when sequences of their length give the property
   * nothing to check.
   */
  readonly random?: { readonly sequences: number; readonly steps: number; readonly found?: Found; readonly vacuousInScope?: string };
  /**
   * Why the exhaustive exploration checked nothing of the property and
   * claims nothing, when it stopped before any level was expanded in full (a
   * worker out of memory in depth 1: compare.ts stoppedByMemory): then there
   * is no `bounded`, and the cell holds on the random runs alone.
   */
  readonly exhaustiveNothing?: string;
  /**
   * The exhaustive exploration, when there was one: its counts, how far it
   * went (the levels expanded in full, whether that was its fixpoint, and the
   * state budget that stopped it, if one did), and the milestones it missed.
   */
  readonly bounded?: {
    readonly states: number;
    readonly transitions: number;
    readonly depth: number;
    readonly fixpoint: boolean;
    /** Successors the packed engine covered and did not store (ExploreSummary.covered), when it covered any. */
    readonly covered?: number;
    readonly stateBudget?: StateBudget;
    readonly vacuous: readonly string[];
    /** vacuity.ts vacuousWords, when the scope gives the property nothing to check. */
    readonly vacuousInScope?: string;
    readonly found?: Found;
  };
}

/**
 * Shortest first, then by file (unsaved last): the first is the one to quote.
 * compare sorts a cell's counterexamples so, with files relative to the
 * repository (combine); run picks its quote by the same order.
 */
export function byQuote(a: Found, b: Found): number {
  if (a.length !== b.length) return a.length - b.length;
  if (a.file === undefined || b.file === undefined) return a.file === undefined ? (b.file === undefined ? 0 : 1) : -1;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/**
 * The cell the evidence supports: violated if any counterexample violates
 * (all of them listed, the one to quote first), otherwise holds with the
 * strongest check that ran (bounded, else random), otherwise n/a. Files are
 * made relative to `root`.
 */
/** A search's stop (explorer.ts StateBudget) as a cell's state_budget: the capacity or the worker's heap that ran out, when it was not the budget. */
function stateBudgetJson(b: StateBudget): NonNullable<HoldsBoundedCell['state_budget']> {
  return {
    states: b.states,
    in_depth: b.inDepth,
    ...(b.capacity ? { capacity: b.capacity } : {}),
    ...(b.workerHeap ? { worker_heap: b.workerHeap } : {}),
  };
}

export function combine(e: CellEvidence, root: string): Cell {
  const rel = (f: string) => relative(root, f);
  const base = { semantics: e.semantics, property: e.property };
  // A file's name is its content's (counterexample.ts fileNameFor; other content under it is refused before any work),
  // so a copy in --out beside the corpus's is one counterexample: listed once, by its first path, the corpus's
  // (compare --json listed both: hostile-user nit, stop 36).
  // A file of the naming before stop 45 holds the finding of another name: one finding, listed once (helper-73).
  const findingOf = new Map(e.replayed.flatMap((r) => (r.finding === undefined ? [] : [[rel(r.file), r.finding] as const])));
  const nameOf = (f: string) => findingOf.get(f) ?? basename(f);
  const firstOfName = (f: string | undefined, i: number, all: readonly (string | undefined)[]) =>
    f === undefined || all.findIndex((g) => g !== undefined && nameOf(g) === nameOf(f)) === i;
  const fixedFiles = e.replayed.filter((r) => !r.found).map((r) => rel(r.file));
  const fixed = fixedFiles.length ? { fixed: fixedFiles.filter(firstOfName) } : {};
  const all = [...e.replayed.flatMap((r) => (r.found ? [r.found] : [])), e.random?.found, e.bounded?.found].flatMap((f) =>
    f ? [{ ...f, ...(f.file !== undefined ? { file: rel(f.file) } : {}) }] : [],
  );
  const files = all.map((f) => f.file);
  const found = all.filter((f, i) => firstOfName(f.file, i, files)).sort(byQuote);
  if (found.length) {
    const refs = found.map((f) => ({ ...(f.file !== undefined ? { file: f.file } : {}), length: f.length, source: f.source }));
    return { ...base, verdict: 'violated', counterexamples: [refs[0]!, ...refs.slice(1)], reason: found[0]!.reason, ...fixed };
  }
  if (e.notApplicable !== undefined) return { ...base, verdict: 'not-applicable', reason: e.notApplicable, ...fixed };
  const random = { sequences: e.random?.sequences ?? 0, steps: e.random?.steps ?? 0 };
  // An exploration that had nothing to check of the property (a scope without it, or a budget that stopped it first)
  // proves nothing: where the random runs did check it, the cell holds on their evidence, and says why there is no
  // bounded proof. It read ok? "nothing checked" beside random runs of 242 steps (hostile-user finding, stop 49).
  const randomChecked = random.steps > 0 && !e.random?.vacuousInScope;
  if (e.bounded?.vacuousInScope && randomChecked)
    return { ...base, verdict: 'holds-random', ...random, exhaustive_nothing: e.bounded.vacuousInScope, ...fixed };
  if (e.bounded) {
    const b = e.bounded;
    return {
      ...base,
      verdict: 'holds-bounded',
      ...random,
      states: b.states,
      transitions: b.transitions,
      depth: b.depth,
      fixpoint: b.fixpoint,
      ...(b.covered ? { covered: b.covered } : {}),
      ...(b.stateBudget ? { state_budget: stateBudgetJson(b.stateBudget) } : {}),
      ...(b.vacuous.length ? { vacuous: [...b.vacuous] } : {}),
      ...(b.vacuousInScope ? { vacuous_in_scope: b.vacuousInScope } : {}),
      ...fixed,
    };
  }
  // No operation applied: nothing was checked, said in --json too (steps 0 alone read as a plain pass: stop 37).
  const vacuous = random.steps === 0 ? { vacuous: [NO_OPERATION_MILESTONE] } : {};
  const inScope = e.random?.vacuousInScope ? { vacuous_in_scope: e.random.vacuousInScope } : {};
  const nothing = e.exhaustiveNothing ? { exhaustive_nothing: e.exhaustiveNothing } : {};
  return { ...base, verdict: 'holds-random', ...random, ...vacuous, ...inScope, ...nothing, ...fixed };
}

/** A random pass's missed milestone when its sequences applied no operation (HoldsRandomCell.vacuous). */
export const NO_OPERATION_MILESTONE = 'an operation applied' as const;

/** One semantics' exhaustive exploration and where its counterexamples were saved (property -> file). */
export interface Exploration {
  readonly summary: ExploreSummary;
  readonly files: ReadonlyMap<string, string>;
}

export interface MatrixOptions {
  readonly semantics: readonly Semantics[];
  readonly properties?: readonly string[];
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps: number;
  /** Where new counterexamples are saved; none when absent. */
  readonly saveDir?: string;
  /** The saved counterexamples replayed first (counterexamples/). */
  readonly corpus: string;
  /** Paths in cells are relative to this folder (the repository). */
  readonly root: string;
  /** Exhaustive explorations, one per semantics, with the scope they share (compare --exhaustive). */
  readonly exhaustive?: readonly Exploration[];
  /** The state budget each exploration had (compare --max-states), for the matrix to say. */
  readonly maxStates?: number;
  readonly onCell?: (done: number, total: number, cell: Cell) => void;
  /** Called for each counterexample the random runs saved (for a summary on stderr). */
  readonly onSaved?: (saved: SaveResult) => void;
  /**
   * Called for each counterexample the random runs could not save (a hand-edited
   * file of its name, kept; an unwritable folder): the cell is still violated,
   * and the caller raises the error once the matrix is printed.
   */
  readonly onUnsaved?: (error: KlpcheckError, semantics: string, property: string) => void;
}

const foundIn = (c: Counterexample, file?: string): Found => ({
  length: c.steps.length,
  reason: c.violation.reason,
  source: c.provenance.source,
  ...(file !== undefined ? { file } : {}),
});

/** Why a property does not apply to a semantics, or undefined when it does. */
export function notApplicableWhy(sem: Semantics, property: string): string | undefined {
  const inv = invariantById(property);
  if (!inv || inv.appliesTo(sem)) return undefined;
  return `${sem.name} ${inv.whyNotApplicable ?? 'has nothing this invariant speaks of'}`;
}

/**
 * Reads every saved counterexample of the cells `o` selects, as computeMatrix
 * will: a file edited by hand (E_CONFLICT), unreadable or malformed is
 * refused before any work, not after minutes of it.
 */
export function checkCorpus(o: Pick<MatrixOptions, 'semantics' | 'properties' | 'corpus' | 'saveDir'>): void {
  for (const store of replayedStores(o.corpus, o.saveDir)) {
    checkStoreFolders(store);
    for (const sem of o.semantics) for (const property of o.properties ?? ALL_PROPERTIES) storedFor(store, sem.name, property);
  }
}

/**
 * The stores whose counterexamples a run replays first: the corpus, and the
 * folder it saves into (`--out`) when that is another. A counterexample run
 * or compare had saved under --out was never replayed there, and its cell
 * said "holds" beside it (hostile-user finding, stop 35).
 */
export function replayedStores(corpus: string, saveDir: string | undefined): readonly string[] {
  // One folder by its real path: through a link it was replayed twice, each file listed twice (stop 35). The folder
  // as the saves resolve it, `..` as text first (cli/output-files.ts checkOutputDir).
  return saveDir === undefined || realPath(resolve(saveDir)) === realPath(corpus) ? [corpus] : [corpus, saveDir];
}

/**
 * The saved counterexamples of a cell (`corpus`/<semantics>/<property>-*.json),
 * each replayed under `sem`: its file, and what it still finds (the reason of
 * today's replay), or no `found` when it is fixed. The first evidence of
 * compare's cells and of run's verdicts: one that still reproduces wins over
 * random runs that found nothing. Errors as storedFor (E_IO, E_CONFLICT, and
 * a file's own read errors).
 */
export function replaySaved(corpus: string, sem: Semantics, property: string): CellEvidence['replayed'] {
  return storedFor(corpus, sem.name, property).flatMap(({ file: path, counterexample: c }) => {
    const file = { file: path, finding: basename(fileNameFor(c)) };
    const v = replayCounterexample(c, sem, path).verdict;
    // A file of an n/a cell checks nothing there: neither a finding nor a fix. One none of whose steps can run today
    // (`stale`) no longer reproduces: listed with the fixed ones, as it was before replay called it not checked
    // (it vanished from compare and run: stop 37's second hostile user).
    if (v.kind === 'not-checked') return v.stale ? [file] : [];
    if (v.kind === 'fixed') return [file];
    return [{ ...file, found: { ...foundIn(c, path), reason: v.reason, ...(v.kind === 'violated' ? { notAsRecorded: v.note } : {}) } }];
  });
}

/** The evidence of one cell: its saved counterexamples replayed (from `stores`, replayedStores), its random runs, its exploration. */
function gatherEvidence(
  o: MatrixOptions,
  stores: readonly string[],
  sem: Semantics,
  property: string,
  /** The semantics' screen of the random runs (suite.ts screenSuite), made on its first applicable cell. */
  screen: () => Screen | undefined,
): CellEvidence {
  const replayed = stores.flatMap((store) => replaySaved(store, sem, property));
  const notApplicable = notApplicableWhy(sem, property);
  let random: CellEvidence['random'];
  if (notApplicable === undefined) {
    const r = runProperty(suiteOptions(o, sem), property, screen());
    if (r.saved) o.onSaved?.(r.saved);
    if (r.unsaved) o.onUnsaved?.(r.unsaved, sem.name, property);
    // Unsaved, a finding the corpus already holds is still named by its file (never the refused one).
    const known = r.counterexample && join(o.corpus, fileNameFor(r.counterexample));
    const file = r.saved?.file ?? (known && known !== r.unsaved?.file && existsSync(known) ? known : undefined);
    const nothing = r.counterexample ? null : vacuousInRandomRuns(property, o.maxSteps);
    random = {
      sequences: r.runs,
      steps: r.steps,
      ...(r.counterexample ? { found: foundIn(r.counterexample, file) } : {}),
      ...(nothing ? { vacuousInScope: nothing } : {}),
    };
  }
  const x = o.exhaustive?.find((e) => e.summary.semantics === sem.name);
  return {
    semantics: sem.name,
    property,
    ...(notApplicable !== undefined ? { notApplicable } : {}),
    replayed,
    ...(random ? { random } : {}),
    ...(x && x.summary.properties.includes(property) ? exhaustiveEvidence(x, property) : {}),
  };
}

/**
 * A cell's exhaustive evidence: what its semantics' exploration `x` (one
 * that searched `property`) counted, how far it went, and what it found of
 * the property, or why it had nothing to check; or, for a search a worker out
 * of memory stopped before it expanded a level in full and that found
 * nothing of the property, why it claims nothing (helper-88, helper-89: it
 * was a pass of every sequence up to depth 0).
 */
export function exhaustiveEvidence(x: Exploration, property: string): Pick<CellEvidence, 'bounded' | 'exhaustiveNothing'> {
  const s = x.summary;
  const v = s.violations.find((w) => w.property === property);
  if (!v && s.depthReached === 0 && s.stateBudget?.workerHeap)
    return { exhaustiveNothing: `nothing checked, as ${heapRanOut(s.stateBudget.workerHeap)} in depth 1` };
  const file = x.files.get(property);
  const nothing = v ? null : vacuousInReach(property, s);
  return {
    bounded: {
      states: s.distinctStates,
      transitions: s.transitions,
      depth: s.depthReached,
      fixpoint: s.fixpoint,
      ...(s.covered ? { covered: s.covered } : {}),
      ...(s.stateBudget ? { stateBudget: s.stateBudget } : {}),
      vacuous: missingMilestones(s),
      ...(nothing ? { vacuousInScope: vacuousWords(nothing) } : {}),
      ...(v
        ? { found: { length: v.ops.length, reason: v.reason, source: 'exhaustive' as const, ...(file !== undefined ? { file } : {}) } }
        : {}),
    },
  };
}

/** A cell's random runs as suite.ts runs them. */
function suiteOptions(o: MatrixOptions, sem: Semantics): SuiteOptions {
  return { semantics: sem, runs: o.runs, seed: o.seed, maxCommands: o.maxSteps, saveDir: o.saveDir };
}

export function computeMatrix(o: MatrixOptions): VerdictMatrix {
  const stores = replayedStores(o.corpus, o.saveDir);
  const properties = o.properties ?? ALL_PROPERTIES;
  const total = o.semantics.length * properties.length;
  const cells: Cell[] = [];
  for (const semantics of o.semantics) {
    let screen: Screen | undefined | null = null;
    const screened = () => (screen === null ? (screen = screenSuite({ ...suiteOptions(o, semantics), properties })) : screen);
    for (const property of properties) {
      const cell = combine(gatherEvidence(o, stores, semantics, property, screened), o.root);
      cells.push(cell);
      o.onCell?.(cells.length, total, cell);
    }
  }
  const scope = o.exhaustive?.[0]?.summary.scope;
  const also = stores[1];
  return {
    format: 2,
    klpcheck: KLPCHECK_VERSION,
    seed: o.seed,
    runs: o.runs,
    max_steps: o.maxSteps,
    settle_steps: SETTLE_STEPS,
    // The bounds given, and how far each exploration went (as its holds-bounded cells say: depth, fixpoint, state_budget).
    ...(scope
      ? {
          exhaustive: {
            ...exhaustiveBounds(scope, o.maxStates),
            searches: o.exhaustive!.map(({ summary: x }) => ({
              semantics: x.semantics,
              depth: x.depthReached,
              fixpoint: x.fixpoint,
              ...(x.covered ? { covered: x.covered } : {}),
              ...(x.stateBudget ? { state_budget: stateBudgetJson(x.stateBudget) } : {}),
            })),
          },
        }
      : {}),
    corpus: relative(o.root, o.corpus),
    ...(also === undefined ? {} : { also_replayed: relative(o.root, also) }),
    semantics: o.semantics.map((s) => s.name),
    properties: [...properties],
    cells,
    promised: promisedBy(o.semantics),
  };
}

/**
 * The bounds a matrix's exhaustive explorations were given, as its
 * `exhaustive` says them: the scope, its depth bound, the state budget
 * (explore.ts stateBudget); what compare --record compares of them before
 * the work (cli/record.ts), beside how far each search went (searches).
 */
export function exhaustiveBounds(
  scope: ExploreScope,
  maxStates: number | undefined,
): { scope: string; depth?: number; max_states?: number } {
  return {
    scope: formatScope(scope),
    ...(scope.depth !== undefined ? { depth: scope.depth } : {}),
    ...(maxStates !== undefined ? { max_states: maxStates } : {}),
  };
}

export function cellAt(m: VerdictMatrix, semantics: string, property: string): Cell | undefined {
  return m.cells.find((c) => c.semantics === semantics && c.property === property);
}

/** The counterexample to quote for a cell: the first listed. */
export function quoted(c: ViolatedCell): CounterexampleRef {
  return c.counterexamples[0]!;
}

/** Holds, violated or not applicable: what two matrices must agree on, however far each checked. */
export type VerdictClass = 'holds' | 'violated' | 'not-applicable';

export function verdictClass(c: Cell): VerdictClass {
  return c.verdict === 'holds-random' || c.verdict === 'holds-bounded' ? 'holds' : c.verdict;
}

export interface Disagreement {
  readonly semantics: string;
  readonly property: string;
  readonly actual: VerdictClass | 'missing';
  readonly expected: VerdictClass | 'missing';
}

/** The cells of `actual` whose verdict differs from `expected` (over actual's semantics and properties). */
export function disagreements(actual: VerdictMatrix, expected: VerdictMatrix): Disagreement[] {
  const out: Disagreement[] = [];
  for (const semantics of actual.semantics) {
    for (const property of actual.properties) {
      const a = cellAt(actual, semantics, property);
      const e = cellAt(expected, semantics, property);
      const [ac, ec] = [a ? verdictClass(a) : 'missing', e ? verdictClass(e) : 'missing'] as const;
      if (ac !== ec) out.push({ semantics, property, actual: ac, expected: ec });
    }
  }
  return out;
}

/** fast-check's shortest counterexample length for a cell, when a random one is listed (klpcheck explore compares). */
export function randomLength(m: VerdictMatrix, semantics: string, property: string): number | undefined {
  const c = cellAt(m, semantics, property);
  return c?.verdict === 'violated' ? c.counterexamples.find((r) => r.source === 'random')?.length : undefined;
}
