/** `klpcheck run`: random model-based runs of one or every semantics through the invariant catalog. */
import { vacuousInRandomRuns } from '../../harness/explore/vacuity.ts';
import { KlpcheckError } from '../../harness/errors.ts';
import { ALL_PROPERTIES, DEFAULT_MAX_STEPS, runProperty, screenSuite, type PropertyResult } from '../../harness/suite.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import { numberOption, type Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { namingFilesAsShown, notSaved, raiseLate, savedSummary, shownPath, type SavedCounts } from '../late-errors.ts';
import { checkDefaultStore, checkOutputDir } from '../output-files.ts';
import { progress } from '../progress.ts';
import { COUNTEREXAMPLES, ROOT } from '../paths.ts';
import { relative } from 'node:path';
import { invariantNamed, requireApplicable, semanticsNamed } from '../selection.ts';
import { styleFor, type Style } from '../style.ts';
import { plural } from '../../harness/plural.ts';
import { SETTLE_STEPS } from '../../harness/generators.ts';
import { byQuote, notApplicableWhy, replayedStores, replaySaved, type Found } from '../../harness/matrix.ts';
import { checkStoreFolders } from '../../harness/counterexample.ts';
import { NO_OPERATION, sequenceLength } from '../../report/matrix/cells.ts';

/** Bounds of --runs and --steps, shared with compare: beyond them a run does not end in a working day. */
export const RUNS = { min: 1, max: 10_000_000 } as const;
export const STEPS = { min: 1, max: 1000 } as const;

/**
 * One verdict line. `width`: the semantics column's, the longest name of the
 * run's semantics and at least 12, so that every line of a run lines up
 * (replace-set-unfiltered-nops is 27 characters). `saved`: the cell's saved
 * counterexamples replayed; `savedFinding`: the shortest of them that still
 * reproduces (shortestFound), which wins over a holding run and over a longer
 * counterexample of the random runs.
 */
export function verdictLine(
  r: PropertyResult,
  style: Style,
  width: number,
  saved: ReturnType<typeof replaySaved>,
  savedFinding?: Found,
  /** vacuity.ts vacuousInRandomRuns: why sequences of this run's length give the property nothing to check. */
  vacuousInScope?: string | null,
): string {
  const head = `${r.semantics.padEnd(width)} ${r.property.padEnd(32)}`;
  if (r.verdict === 'not-applicable') {
    // The reason, as compare's matrix gives it ("hybrid has no is_shadow states ...": hostile-user nit, stop 36).
    const sem = semanticsByName(r.semantics);
    const why = sem && notApplicableWhy(sem, r.property);
    return `${head} ${style.dim(why ? `n/a: ${why}` : 'n/a')}`;
  }
  const checked = `${plural(r.runs, 'sequence')}, ${plural(r.steps, 'step')}`;
  const c = r.counterexample;
  // Whether the file was new goes to stderr: stdout depends only on the version, the arguments and the seed.
  // A save refused (a hand-edited file of this name, kept) is named here; its error ends the run after every verdict.
  const where = r.saved ? ` -> ${shownPath(r.saved.file)}` : r.unsaved ? ` -> ${notSaved(r.unsaved)}` : '';
  // A saved one that no longer reproduces is named, as compare's cell lists it under "fixed", whatever the verdict.
  const fixed = saved.filter((f) => !f.found).map((f) => shownPath(f.file));
  const since = fixed.length ? `; fixed since saved: ${fixed.join(', ')}` : '';
  // A saved counterexample that still reproduces wins, as in compare's cells: over a "holds" beside it, and over a
  // longer one the random runs found (compare lists the shortest first; run quoted the longer: stop 36's hostile user).
  if (savedFinding && (!c || savedWins(savedFinding, c.steps.length, r.saved?.file))) {
    const runs = c ? `the random runs found one of ${plural(c.steps.length, 'step')}${where}` : `the random runs found none: ${checked}`;
    return `${head} ${style.fail('VIOLATED')} by a saved counterexample that ${savedFinding.notAsRecorded ? `still violates it, though not as recorded (${savedFinding.notAsRecorded})` : 'still reproduces'}, in ${plural(savedFinding.length, 'step')}: ${savedFinding.reason} -> ${shownPath(savedFinding.file!)} (${runs}${since})`;
  }
  // No operation applied, nothing was checked: said, as compare's ok? cell says it (hostile-user finding, stop 37),
  // and not called "holds" (stop 42's: a verdict never claims more than was checked).
  // Nor when sequences this short cannot break it: --steps 1 loads one patch (helper-76, stop 47).
  if (r.verdict === 'holds' || !c)
    return r.steps === 0
      ? `${head} VACUOUS  (${checked}${since}; ${NO_OPERATION})`
      : vacuousInScope
        ? `${head} VACUOUS  (${checked}${since}; ${vacuousInScope})`
        : `${head} ${style.pass('holds')}  (${checked}${since})`;
  // compare lists them beside a violated cell too; run named them only beside a pass (helper-76, stop 47).
  return `${head} ${style.fail('VIOLATED')} at step ${c.violation.step + 1} of ${c.steps.length}: ${c.violation.reason}${where}${since}`;
}

/**
 * Whether the saved counterexample is quoted before the random runs' one of
 * `length` steps (saved as `file`, if it was): compare's order (matrix.ts
 * byQuote, files relative to the repository), so that run and compare quote
 * the same file when two are equally short (stop 36's second helper).
 */
function savedWins(saved: Found, length: number, file: string | undefined): boolean {
  return byQuote(relativeFile(saved), relativeFile({ ...saved, length, file })) < 0;
}

/** A finding with its file relative to the repository, as compare orders them (matrix.ts combine). */
const relativeFile = (f: Found): Found => (f.file === undefined ? f : { ...f, file: relative(ROOT, f.file) });

/** The shortest of a cell's saved counterexamples that still reproduce, in compare's order (savedWins). */
function shortestFound(replayed: ReturnType<typeof replaySaved>): Found | undefined {
  const found = replayed.flatMap((r) => (r.found ? [r.found] : []));
  return found.sort((a, b) => byQuote(relativeFile(a), relativeFile(b)))[0];
}

export const run: Command = {
  name: 'run',
  summary: 'random runs of the spec model and the reference implementation through the invariants',
  operands: '',
  description: [
    'Generates universes and operation sequences with fast-check, runs them on the',
    'reference implementation and the spec model in lockstep, and checks conformance',
    'and every invariant after every step. Each violation is shrunk to a minimal',
    'counterexample and saved in counterexamples/<semantics>/ (or --out DIR), never',
    'overwriting. A saved counterexample of a cell (counterexamples/<semantics>/, and',
    "the same in --out's folder) is replayed first: one that still reproduces makes",
    'it VIOLATED whatever the random runs found, as in compare; one edited by hand',
    '(its content no longer matches its name) is refused before any run (E_CONFLICT).',
    'The seed is printed; the same seed and the same saved counterexamples give the',
    'same result, the same files and the same standard output: whether a file was',
    'new or already saved, and the time taken, go to a summary on stderr.',
  ],
  options: {
    semantics: { type: 'string', arg: 'NAME', help: `one semantics (default: all: ${SEMANTICS.map((s) => s.name).join(', ')})` },
    invariant: { type: 'string', arg: 'NAME', help: `one property (default: all: ${ALL_PROPERTIES.join(', ')})` },
    runs: { type: 'whole', range: RUNS, arg: 'N', help: 'sequences per property (default 300)' },
    seed: { type: 'seed', arg: 'S', help: "fast-check seed (a 32-bit integer; a negative one as --seed=-5), or 'random' (default 1)" },
    steps: {
      type: 'whole',
      range: STEPS,
      arg: 'N',
      help: `maximum operations per sequence, before the ${SETTLE_STEPS} settling ones (default 30)`,
    },
    'no-save': { type: 'boolean', help: 'do not write counterexample files', conflicts: ['out'] },
    out: { type: 'string', arg: 'DIR', help: 'where to save counterexamples (default: the repository counterexamples/)' },
  },
  examples: [
    'npx klpcheck run --semantics upstream',
    'npx klpcheck run --semantics per-state --invariant shadow-lifetime --runs 2000 --seed 7',
  ],
  async run({ values }, io) {
    const name = values.semantics as string | undefined;
    const semantics = name === undefined ? SEMANTICS : [semanticsNamed(name)];
    const inv = invariantNamed(values.invariant, 'run');
    requireApplicable(semantics, inv === undefined ? ALL_PROPERTIES : [inv], 'nothing to run');
    const seed = numberOption(values, 'seed', 1);
    const runs = numberOption(values, 'runs', 300);
    const maxCommands = numberOption(values, 'steps', DEFAULT_MAX_STEPS);
    // Each semantics' counterexamples go in <out>/<semantics>/: checked too, before the work.
    if (typeof values.out === 'string') checkOutputDir(values.out, '--out', semantics);
    else if (!values['no-save']) checkDefaultStore(semantics, '--out DIR or --no-save');
    const saveDir = values['no-save'] ? undefined : ((values.out as string | undefined) ?? COUNTEREXAMPLES);
    const style = styleFor(io, values['no-color'] === true);
    const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
    // The saved counterexamples of every cell run, replayed before the runs: an unreadable or edited one stops the
    // command before minutes of work, as compare's corpus check does.
    const properties = inv === undefined ? ALL_PROPERTIES : [inv];
    // The --out folder's too, when it is another: what this command saved there before is replayed as the corpus is.
    const stores = replayedStores(COUNTEREXAMPLES, saveDir);
    const savedReplays = namingFilesAsShown(() => {
      for (const store of stores) checkStoreFolders(store);
      const replayed = (sem: (typeof semantics)[number], p: string) =>
        notApplicableWhy(sem, p) === undefined ? stores.flatMap((store) => replaySaved(store, sem, p)) : [];
      return new Map(semantics.flatMap((sem) => properties.map((p) => [`${sem.name} ${p}`, replayed(sem, p)] as const)));
    });
    io.stdout(`klpcheck run: seed ${seed}, ${plural(runs, 'sequence')} of up to ${sequenceLength(maxCommands)} per property\n`);
    const t0 = io.now();
    const saved: SavedCounts = { written: 0, exists: 0 };
    const unsaved: KlpcheckError[] = [];
    let violated = 0;
    let vacuous = 0;
    let applicable = 0;
    const width = Math.max(12, ...semantics.map((s) => s.name.length));
    // A property's vacuity at this --steps is the same under every semantics: asked once each.
    const tooShort = new Map(properties.map((p) => [p, vacuousInRandomRuns(p, maxCommands)]));
    for (const sem of semantics as NonNullable<(typeof semantics)[number]>[]) {
      const suite = { semantics: sem, properties, runs, seed, maxCommands, saveDir };
      // One pass of the runs for every property (random-screen.ts), then a run of its own for each one it found violated.
      bar.update(`klpcheck run: ${sem.name}, every property...`);
      const screen = screenSuite(suite);
      // A cell's line as soon as it ends: Ctrl-C ends the command at once (Node's default, as the random runs never
      // yield), and the lines printed by then name every counterexample saved by then (hostile-user finding, stop 35).
      for (const p of properties) {
        bar.update(`klpcheck run: ${sem.name} ${p}...`);
        const r = runProperty(suite, p, screen);
        bar.clear();
        const replays = savedReplays.get(`${r.semantics} ${r.property}`) ?? [];
        const live = shortestFound(replays);
        const nothing = tooShort.get(p);
        io.stdout(`${verdictLine(r, style, width, replays, live, nothing)}\n`);
        if (r.verdict !== 'not-applicable') applicable++;
        if (r.verdict === 'violated' || (r.verdict === 'holds' && live)) violated++;
        else if (r.verdict === 'holds' && (r.steps === 0 || nothing)) vacuous++;
        if (r.saved) saved[r.saved.status]++;
        if (r.unsaved) unsaved.push(r.unsaved);
      }
    }
    // A pass that applied no operation is counted apart: it checked nothing (verdictLine's VACUOUS).
    io.stdout(`${violated} violated${vacuous ? `, ${vacuous} vacuous` : ''} (seed ${seed})\n`);
    const secs = ((io.now() - t0) / 1000).toFixed(1);
    io.stderr(`klpcheck run: ${secs} s; ${savedSummary(saved, unsaved.length, violated, saveDir === undefined)}\n`);
    raiseLate(unsaved);
    // Every line VACUOUS: nothing was checked, and exit 0 would tell a script it all holds, where explore refuses a
    // property with nothing to check (`run --invariant X --steps 1 && echo ok` passed: helper-77, stop 47).
    if (!violated && vacuous === applicable)
      throw new KlpcheckError(
        'E_UNCHECKED',
        `nothing was checked: ${applicable === 1 ? 'the property run is' : `each of the ${applicable} properties run is`} VACUOUS (its line says why); nothing holds`,
      );
    return violated ? EXIT.failed : EXIT.ok;
  },
};
