/** `klpcheck compare`: every semantics against every property, side by side. */
import {
  checkCorpus,
  computeMatrix,
  exhaustiveBounds,
  quoted,
  type Exploration,
  type MatrixOptions,
  type VerdictMatrix,
} from '../../harness/matrix.ts';
import type { ExploreSummary } from '../../harness/explore/summary.ts';
import { exploreInParallel } from '../../harness/explore/parallel.ts';
import { packedExploreInParallel, packedRefusal } from '../../harness/explore/packed/explore.ts';
import { DEFAULT_STATE_BUDGETS, parseScope, stateBudget, type ExploreEngine, type ExploreScope } from '../../harness/explore/scope.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { budgetCheckedNothing, MAX_STATES_LIMIT, objectEngineNote, saveViolations } from './explore.ts';
import { ALL_PROPERTIES, DEFAULT_MAX_STEPS } from '../../harness/suite.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import { recordCaution, replayCounterexample } from '../../harness/replay.ts';
import { applicableProperties } from '../../properties/catalog.ts';
import { matrixHtml } from '../../report/matrix/html.ts';
import { matrixMarkdown } from '../../report/matrix/markdown.ts';
import { readCounterexample } from '../../harness/counterexample.ts';
import { resolve } from 'node:path';
import { attempt, KlpcheckError, escapeControls } from '../../harness/errors.ts';
import { namingFilesAsShown, notSaved, raiseLate, savedSummary, shownPath, type SavedCounts } from '../late-errors.ts';
import { matrixText } from '../../report/matrix/text.ts';
import { numberOption, type Command } from '../command.ts';
import { EXIT, soExit1 } from '../exit.ts';
import { list, requireApplicable, selectedSemantics } from '../selection.ts';
import {
  checkDefaultStore,
  checkInFolderMadeNow,
  checkOutputDir,
  checkOutputFile,
  intoFolderToBeMade,
  writeAtomically,
} from '../output-files.ts';
import { mergeRecorded, readRecorded } from '../record.ts';
import { progress } from '../progress.ts';
import { styleFor } from '../style.ts';
import { COUNTEREXAMPLES, EXPECTED, ROOT } from '../paths.ts';
import { RUNS, STEPS } from './run.ts';
import { plural } from '../../harness/plural.ts';
import { workerHeapMiB, workerHeapWords } from '../worker-heap.ts';
import { workerReplacedNote } from '../../harness/explore/worker-failure.ts';
import { SETTLE_STEPS } from '../../harness/generators.ts';

/**
 * One exhaustive exploration per semantics, its counterexamples saved as
 * klpcheck explore saves them, on `engine`; both engines give one summary.
 */
async function explorations(
  semantics: readonly Semantics[],
  properties: readonly string[] | undefined,
  scope: ExploreScope,
  /** The engine every search runs (the scope picks it: see the caller). */
  engine: ExploreEngine,
  maxStates: number | undefined,
  saveDir: string | undefined,
  say: (text: string) => void,
  /** Each worker's heap limit (cli/worker-heap.ts) and its words (workerHeapWords), and where a note that one was replaced goes. */
  workers: { readonly heap: number | undefined; readonly heapWords: string; readonly note: (text: string) => void },
  onSaved: (status: 'written' | 'exists') => void,
  onUnsaved: (error: KlpcheckError, semantics: string, property: string) => void,
  /** Told of each semantics whose search a worker out of memory stopped (its E_MEMORY, naming it), for the last line. */
  onOutOfMemory: (failure: KlpcheckError) => void,
): Promise<Exploration[]> {
  const results: Exploration[] = [];
  for (const sem of semantics) {
    // None of the properties asked applies: its cells are n/a, and a search would check nothing (helper-90: one ran,
    // and its worker out of memory ended the comparison with E_MEMORY).
    if (!applicableProperties(sem, properties).length) continue;
    const search = engine === 'object' ? exploreInParallel : packedExploreInParallel;
    let outOfMemory: KlpcheckError | undefined;
    const done = await search({
      semantics: sem.name,
      scope,
      properties,
      maxStates,
      onProgress: (p) => say(`klpcheck compare: ${sem.name} depth ${p.depth}, ${plural(p.states, 'state')}`),
      workerHeapMiB: workers.heap,
      onWorkerRestart: (p) => workers.note(workerReplacedNote(`compare: ${sem.name}`, p)),
      onOutOfMemory: (e) => {
        outOfMemory = new KlpcheckError(e.code, `${sem.name}: ${e.message}`);
      },
    }).done;
    const summary = outOfMemory ? stoppedByMemory(done, workers.heapWords) : done;
    if (outOfMemory) onOutOfMemory(outOfMemory);
    const notes = saveViolations(summary, sem, saveDir);
    for (const n of notes) {
      if (n.status) onSaved(n.status);
      if (n.error) onUnsaved(n.error, sem.name, n.property);
    }
    results.push({ summary, files: new Map(notes.flatMap((n) => (n.file ? [[n.property, resolve(n.file)] as const] : []))) });
  }
  return results;
}

/**
 * A semantics' search that a worker out of memory stopped, as compare's
 * cells take it: a search the state budget stopped in the level under way,
 * the stop naming the workers' heap (`heap`, workerHeapWords: explorer.ts
 * StateBudget.workerHeap). So its cells claim the levels expanded in full
 * and say what stopped them, and the other semantics are still searched: a
 * worker out of memory ended compare with the E_MEMORY line alone, every
 * cell's work lost (stop 52's note). One that stopped in depth 1 claims
 * nothing: its cells say so (matrix.ts exhaustiveEvidence), where a budget that
 * checked nothing is refused (explore.ts budgetCheckedNothing): the budget is
 * the user's to raise, and the other semantics' work is not lost for it
 * (helper-88).
 */
export function stoppedByMemory(s: ExploreSummary, heap: string): ExploreSummary {
  return { ...s, stateBudget: { states: s.distinctStates, inDepth: s.depthReached + 1, workerHeap: heap } };
}

/** A file of the matrix (relative to the repository) as the views name it: relative to the working folder. */
const showFile = (f: string): string => shownPath(resolve(ROOT, f));

/**
 * The matrix with every file named as shownPath names it, relative to the
 * working folder (absolute outside it), as `run` names its files: the
 * matrix's own paths are relative to the repository, which opened nothing
 * from another folder (hostile user, stop 38).
 */
function asShown(m: VerdictMatrix): VerdictMatrix {
  const cells = m.cells.map((c) => {
    const fixed = c.fixed === undefined ? {} : { fixed: c.fixed.map(showFile) };
    if (c.verdict !== 'violated') return { ...c, ...fixed };
    const [first, ...rest] = c.counterexamples.map((r) => (r.file === undefined ? r : { ...r, file: showFile(r.file) }));
    return { ...c, ...fixed, counterexamples: [first!, ...rest] as typeof c.counterexamples };
  });
  const also = m.also_replayed === undefined ? {} : { also_replayed: showFile(m.also_replayed) };
  return { ...m, corpus: showFile(m.corpus), ...also, cells };
}

export const compare: Command = {
  name: 'compare',
  summary: 'every semantics against every invariant and conformance: the verdict matrix',
  operands: '',
  description: [
    'Each cell (a semantics on a property) combines all the evidence: the saved',
    'counterexamples of the cell (counterexamples/<semantics>/<property>-*.json, and',
    "the same in --out's folder) are replayed first, then the random runs (as",
    "'klpcheck run'), then with --exhaustive the explorer.",
    'A counterexample that still reproduces makes the cell violated',
    'whatever the runs found; one that no longer does is reported as fixed. Each cell',
    'says how far it was checked: the counterexample to quote (the shortest), or',
    `"holds for N sequences of up to L operations and ${SETTLE_STEPS} settling ones, M operations`,
    'applied (seed S)", or also exhaustively to',
    'a depth in a scope (each semantics its own: its fixpoint, or where its state',
    "budget, or a worker thread's heap, ran out: then the matrix is printed and",
    'E_MEMORY comes last, exit 2). Standard output depends only on the version, the arguments,',
    'the seed and the saved counterexamples; what was saved and the time taken go to',
    'stderr. --record writes the matrix to verdicts/expected.json, which the tests',
    'check on every run (not after a worker ran out of memory). A saved counterexample edited by hand (its content no',
    'longer matches its name), in either folder, is refused before any work',
    '(E_CONFLICT), and kept.',
  ],
  options: {
    semantics: { type: 'string', arg: 'A,B', help: `semantics to compare (default: all ${SEMANTICS.length})` },
    invariants: { type: 'string', arg: 'X,Y', help: 'properties to check (default: conformance and every invariant)' },
    runs: { type: 'whole', range: RUNS, arg: 'N', help: 'sequences per cell (default 500)' },
    seed: { type: 'seed', arg: 'S', help: "fast-check seed (a 32-bit integer; a negative one as --seed=-5), or 'random' (default 1)" },
    steps: {
      type: 'whole',
      range: STEPS,
      arg: 'N',
      help: `maximum operations per sequence, before the ${SETTLE_STEPS} settling ones (default ${DEFAULT_MAX_STEPS})`,
    },
    markdown: { type: 'boolean', help: 'print a markdown table', conflicts: ['json'] },
    json: { type: 'boolean', help: 'print the VerdictMatrix (schema/verdict-matrix.schema.json)' },
    html: {
      type: 'string',
      arg: 'FILE',
      help: 'also write one self-contained page, each violation linked to its timeline (an existing FILE is kept unless --force)',
    },
    force: { type: 'boolean', help: 'with --html, replace an existing FILE', requires: ['html'] },
    record: { type: 'boolean', help: 'also write the cells computed into verdicts/expected.json (the other cells are kept)' },
    'no-save': { type: 'boolean', help: 'do not write counterexample files', conflicts: ['out'] },
    out: { type: 'string', arg: 'DIR', help: 'where to save counterexamples (default: the repository counterexamples/)' },
    exhaustive: { type: 'boolean', help: 'also explore every cell exhaustively (see klpcheck explore)' },
    scope: { type: 'string', arg: 'K=V,...', help: 'with --exhaustive: the scope (default as klpcheck explore)', requires: ['exhaustive'] },
    'max-states': {
      type: 'whole',
      range: { min: 1, max: MAX_STATES_LIMIT },
      orWord: 'any',
      arg: 'N',
      help: `with --exhaustive: each semantics' state budget (see klpcheck explore; default without a depth bound ${DEFAULT_STATE_BUDGETS.packed} on the packed engine, ${DEFAULT_STATE_BUDGETS.object} on the object one, none with one; any: none); each cell says how far its search went`,
      requires: ['exhaustive'],
    },
  },
  examples: [
    'npx klpcheck compare',
    'npx klpcheck compare --semantics upstream,per-state --runs 2000 --markdown',
    'npx klpcheck compare --html /tmp/verdicts.html',
    'npx klpcheck compare --exhaustive --scope depth=5',
  ],
  async run({ values }, io) {
    const semantics = selectedSemantics(values.semantics);
    const properties = list(values.invariants, ALL_PROPERTIES, 'invariant', (n) => (ALL_PROPERTIES.includes(n) ? n : undefined));
    requireApplicable(semantics, properties ?? ALL_PROPERTIES, 'nothing to compare');
    const seed = numberOption(values, 'seed', 1);
    // Every place this run writes is checked before the work, not after it.
    const html = values.html as string | undefined;
    // The folder as the saves resolve it (cli/output-files.ts checkOutputDir).
    const names = SEMANTICS.map((s) => s.name);
    const store = typeof values.out === 'string' ? { folder: resolve(values.out), flag: '--out', semantics: names } : undefined;
    if (typeof values.out === 'string') checkOutputDir(values.out, '--out', semantics);
    else if (!values['no-save']) checkDefaultStore(semantics, '--out DIR or --no-save');
    const checkHtml = () => checkOutputFile(html!, '--html', { force: values.force === true, existing: 'refuse', store });
    // A page into the --out folder that the saves make only when they save: checked once that folder is made, last
    // before the work (below); checked here, it was refused for a folder that did not exist yet (E_IO, stop 62's note).
    const pageIntoNewOut = html !== undefined && store !== undefined && intoFolderToBeMade(html, store.folder);
    if (html !== undefined && !pageIntoNewOut) checkHtml();
    const recorded = values.record ? readRecorded(EXPECTED) : undefined;
    if (values.record) checkOutputFile(EXPECTED, '--record', { force: true, existing: 'compare', recording: true });
    const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
    const t0 = io.now();
    const saveDir = values['no-save'] ? undefined : ((values.out as string | undefined) ?? COUNTEREXAMPLES);
    const saved: SavedCounts = { written: 0, exists: 0 };
    /** Counterexamples that could not be saved, each said on stderr after the matrix, then raised. */
    const unsaved: { error: KlpcheckError; cell: string }[] = [];
    const onUnsaved = (error: KlpcheckError, semantics: string, property: string) =>
      unsaved.push({ error, cell: `${semantics} ${property}` });
    const options: MatrixOptions = {
      semantics,
      properties,
      runs: numberOption(values, 'runs', 500),
      seed,
      maxSteps: numberOption(values, 'steps', DEFAULT_MAX_STEPS),
      saveDir,
      corpus: COUNTEREXAMPLES,
      root: ROOT,
      onCell: (done, total, cell) => bar.update(`klpcheck compare: ${done}/${total} cells (${cell.semantics} ${cell.property})`),
      onSaved: (s) => saved[s.status]++,
      onUnsaved,
    };
    // The saved counterexamples are input: one edited by hand is refused now, not after the random runs.
    namingFilesAsShown(() => checkCorpus(options));
    const scope = parseScope(values.scope as string | undefined);
    // Every semantics runs packed (packed/explore.ts packedRefusal), so the scope picks one engine for all.
    const refused = packedRefusal({ scope });
    const engine: ExploreEngine = refused ? 'object' : 'packed';
    const maxStates = values.exhaustive ? stateBudget(scope, values['max-states'] as number | 'any' | undefined, engine) : undefined;
    // A selection recorded with other settings would be refused after the work: refuse it now (no semantics: no work),
    // the exhaustive explorations' bounds too (they were refused after minutes of searches: helper-90).
    const selection = values.semantics !== undefined || values.invariants !== undefined;
    if (values.record && selection) {
      const probe = computeMatrix({ ...options, semantics: [] });
      mergeRecorded(recorded, values.exhaustive ? { ...probe, exhaustive: exhaustiveBounds(scope, maxStates) } : probe, EXPECTED);
    }
    // Read for the exhaustive searches' workers, and refused before any work as an option is.
    const heap = values.exhaustive ? workerHeapMiB(io.env, process.execArgv) : undefined;
    // Made only now, and removed again if the page is refused: a refusal before had left the folder (helper-110).
    const unmake = pageIntoNewOut ? checkInFolderMadeNow(values.out as string, '--out', checkHtml) : () => {};
    /** Semantics whose search a worker out of memory stopped: each one's E_MEMORY line comes after the matrix, exit 2. */
    const outOfMemory: KlpcheckError[] = [];
    // Said before the searches, as explore says it: nothing else tells which engine ran, nor why the budget is smaller.
    if (values.exhaustive && refused) io.stderr(objectEngineNote('compare', refused, scope, values['max-states'], maxStates));
    const exhaustive = values.exhaustive
      ? await explorations(
          semantics,
          properties,
          scope,
          engine,
          maxStates,
          saveDir,
          (t) => bar.update(t),
          {
            heap,
            heapWords: workerHeapWords(heap, io.env, process.execArgv),
            note: (t) => io.stderr(`${io.stderrIsTTY ? '\n' : ''}${t}\n`),
          },
          (status) => saved[status]++,
          onUnsaved,
          (e) => outOfMemory.push(e),
        )
      : undefined;
    // A budget that checked no sequence of a semantics would make its cells 'OK' at depth 0: refused before the matrix.
    const checkedNothing = exhaustive?.map((x) => budgetCheckedNothing(x.summary)).find((e) => e !== undefined);
    if (checkedNothing) {
      // Refused before the matrix: the --out folder made for the page goes again if nothing was saved in it.
      unmake();
      throw checkedNothing;
    }
    const matrix: VerdictMatrix = computeMatrix({ ...options, ...(exhaustive ? { exhaustive, maxStates } : {}) });
    bar.clear();
    const json = `${JSON.stringify(matrix, null, 2)}\n`;
    const style = styleFor(io, values['no-color'] === true);
    // --json keeps the repository's paths (schema/verdict-matrix.schema.json); the views name files as the reader opens them.
    const shown = asShown(matrix);
    if (values.json) io.stdout(json);
    else if (values.markdown) io.stdout(matrixMarkdown(shown));
    else io.stdout(matrixText(shown, { holds: style.pass, violated: style.fail, dim: style.dim }));
    // verdicts/expected.json (--record) and the page after the matrix: a write that fails now (the folder removed during the run, a file another user
    // owns) must not cost minutes of work. It failed before the matrix was printed, which was lost (hostile-user
    // finding); its error comes last, as explore --out's.
    // A search a worker's heap stopped is no baseline: its cells hold as far as this machine's memory let them go.
    const recording = values.record === true && !outOfMemory.length;
    if (values.record && !recording)
      io.stderr(`klpcheck compare: ${shownPath(EXPECTED)} not recorded (--record): a worker thread ran out of memory (below)\n`);
    const { error: unrecorded } = attempt(() => {
      if (recording) writeAtomically(EXPECTED, `${JSON.stringify(mergeRecorded(recorded, matrix, EXPECTED), null, 2)}\n`, true, '--record');
    });
    const { error: unwritten } = attempt(() => {
      if (html === undefined) return;
      const files = matrix.cells.flatMap((c) => (c.verdict === 'violated' && quoted(c).file !== undefined ? [quoted(c).file!] : []));
      const loaded = new Map(files.map((f) => [showFile(f), readCounterexample(resolve(ROOT, f))] as const));
      // Each as today's replay sees it: the page shows the record, which a file edited or saved before a change of
      // wording may no longer be (helper-128).
      const cautions = new Map(
        [...loaded].flatMap(([f, c]) => {
          const caution = recordCaution(c, replayCounterexample(c, semanticsByName(c.semantics)!, f).verdict);
          return caution ? [[f, caution] as const] : [];
        }),
      );
      // "unchanged" as render says it: a run beside it wrote the same page first (helper-111: both said "wrote").
      const status = writeAtomically(html, matrixHtml(shown, loaded, cautions), values.force === true, '--html');
      io.stderr(`klpcheck compare: ${status === 'unchanged' ? 'unchanged' : 'wrote'} ${escapeControls(html)}\n`);
    });
    const secs = ((io.now() - t0) / 1000).toFixed(1);
    const violated = matrix.cells.filter((c) => c.verdict === 'violated').length;
    // Exit 1 is the finding, not a failure: say so where a shell user reading $? looks (README, Quick start). The seed
    // is on this line too, as on every run's failure (stdout's header has it, but a user reading $? reads here).
    // A file not written, or a worker out of memory, ends the run with its error (exit 2) after this line: then the count alone.
    const failed = unsaved.length > 0 || unwritten !== undefined || unrecorded !== undefined || outOfMemory.length > 0;
    const finding = violated ? `; ${violated} violated${soExit1(io, failed)}` : '';
    io.stderr(
      `klpcheck compare: ${plural(matrix.cells.length, 'cell')} in ${secs} s (seed ${seed})${finding}; ${savedSummary(saved, unsaved.length, violated, saveDir === undefined)}\n`,
    );
    for (const u of unsaved) io.stderr(`klpcheck compare: ${u.cell}: counterexample ${notSaved(u.error)}\n`);
    const late = [unrecorded, unwritten, ...unsaved.map((u) => u.error)];
    // The searches did not end as asked: E_MEMORY (exit 2) last, whatever was violated, as explore ends; a file not
    // written is named before it, and each semantics a worker stopped has its line.
    if (outOfMemory.length) {
      const { error } = attempt(() => raiseLate(late));
      for (const e of [...(error ? [error] : []), ...outOfMemory.slice(0, -1)]) io.stderr(`${e.format()}\n`);
      throw outOfMemory.at(-1)!;
    }
    raiseLate(late);
    return violated ? EXIT.failed : EXIT.ok;
  },
};
