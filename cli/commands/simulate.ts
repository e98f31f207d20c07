/** `klpcheck simulate`: random walks on the packed lockstep, TLC's simulation mode (harness/explore/packed/simulate.ts). */
import { KlpcheckError } from '../../harness/errors.ts';
import { FAST_CHECK_VERSION, KLPCHECK_VERSION, PURE_RAND_VERSION } from '../../harness/versions.ts';
import { simulateUntil } from '../../harness/explore/packed/simulate.ts';
import { DEFAULT_EXPLORE_SCOPE, formatScope, parseScope, scopeNames, scopeRanges, type ExploreScope } from '../../harness/explore/scope.ts';
import { plural } from '../../harness/plural.ts';
import { SEMANTICS } from '../../model/semantics/registry.ts';
import { simulateText, walkVacuity } from '../../report/simulate/text.ts';
import { numberOption, type Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { onInterrupt } from '../interrupt.ts';
import { raiseLate } from '../late-errors.ts';
import { checkDefaultStore } from '../output-files.ts';
import { COUNTEREXAMPLES } from '../paths.ts';
import { progress } from '../progress.ts';
import { saveMinimalViolations, savedNotesSummary } from '../save-minimal.ts';
import { invariantNamed, requireApplicable, semanticsNamed } from '../selection.ts';
import { RUNS } from './run.ts';

/** A walk's length when --length is not given: TLC's own default for `-simulate -depth`. */
export const DEFAULT_WALK_LENGTH = 100;
/** Walks when --walks is not given. */
export const DEFAULT_WALKS = 1000;
/** --length's range: a counterexample is shrunk by replaying it once for each op it may lose (minimize.ts), so the longest is kept in hand. */
export const WALK_LENGTH = { min: 1, max: 10_000 } as const;

/** The scope keys simulate takes: explore's but the depth (a walk's length is --length) and taskModel (the packed engine has no task model). */
const WALKED_KEYS: readonly (keyof ExploreScope)[] = ['patches', 'functions', 'states', 'tasks'];

/** The scope --scope gives (parseScope); E_USAGE for a depth (with the option that gives a walk's length), taskModel (with why), or another key it does not take. */
function walkedScope(text: string | undefined): ExploreScope {
  if (scopeNames(text, 'taskModel'))
    throw new KlpcheckError(
      'E_USAGE',
      `--scope: simulate runs on the packed engine, which has no task model (taskModel) yet (keys: ${WALKED_KEYS.join(', ')})`,
    );
  if (scopeNames(text, 'depth'))
    throw new KlpcheckError(
      'E_USAGE',
      `--scope: a walk's length is --length N, not a depth in the scope (keys: ${WALKED_KEYS.join(', ')})`,
    );
  return parseScope(text, DEFAULT_EXPLORE_SCOPE, WALKED_KEYS);
}

export const simulate: Command = {
  name: 'simulate',
  summary: 'random walks of any length through a scope, every property checked on every step',
  operands: '',
  description: [
    "Takes random walks through the states of a scope, as TLC's simulation mode does:",
    'each step an op the exhaustive search would try, drawn by a seeded',
    'xoroshiro128+, with the reference implementation and the spec model in lockstep',
    'and conformance and every invariant checked on every step, over packed states.',
    'Where explore stops at a depth or a state budget, a walk goes on: hundreds of',
    'steps, in scopes whose whole space no machine holds. It proves nothing: a',
    'property not violated is reported as not violated on N walks of up to L steps',
    '(seed S) in scope X, never as holding. Each violated property gets the shortest',
    'walk prefix that violates it, replayed on the object implementation, shrunk',
    '(one op at a time, then the universe) and saved like the random runs; the',
    'report names the walk, so that the same seed and as many walks find it again.',
    "A walk fixes each patch's definition when the patch first loads, as explore's",
    'states do: more walks meet more universes, a longer walk goes deeper in its own.',
    "Like explore's, its lines are about its own scope: run and compare also replay",
    "a cell's saved counterexamples. Standard output depends only on the version, the",
    'arguments, the seed (--seed random draws one, and the report prints it) and, for',
    'the paths of counterexamples it names, the working folder, but for a',
    'counterexample that could not be saved or walks stopped (below); timings',
    'and whether a file was new go to stderr. Ctrl-C (or SIGTERM, or SIGHUP) stops',
    'the walks before the next one: the report is then of the walks taken, INCOMPLETE,',
    `with the counterexamples found saved (exit ${EXIT.interrupted} unless one was violated).`,
    `Scope keys and values (K=N): ${scopeRanges(WALKED_KEYS)}`,
    `(default ${formatScope(DEFAULT_EXPLORE_SCOPE, false)}; no depth: --length is a walk's length).`,
  ],
  options: {
    semantics: { type: 'string', arg: 'NAME', help: `the semantics (${SEMANTICS.map((s) => s.name).join(', ')})` },
    scope: { type: 'string', arg: 'K=V,...', help: 'the scope, e.g. patches=3,functions=3,states=2,tasks=2 (no depth)' },
    invariant: { type: 'string', arg: 'NAME', help: 'check one property only' },
    walks: { type: 'whole', range: RUNS, arg: 'N', help: `walks to take (default ${DEFAULT_WALKS})` },
    length: { type: 'whole', range: WALK_LENGTH, arg: 'N', help: `steps per walk (default ${DEFAULT_WALK_LENGTH})` },
    seed: { type: 'seed', arg: 'S', help: "the walks' seed (a 32-bit integer; a negative one as --seed=-5), or 'random' (default 1)" },
    'no-save': { type: 'boolean', help: 'do not write counterexample files' },
  },
  // The walks take Ctrl-C to stop and report, as explore's search does.
  stopsOnInterrupt: () => true,
  examples: [
    'npx klpcheck simulate --semantics upstream',
    'npx klpcheck simulate --semantics hybrid --scope patches=3,functions=3,states=2,tasks=2 --walks 10000 --length 200',
    'npx klpcheck simulate --semantics per-state --invariant shadow-lifetime --seed 7',
  ],
  async run({ values }, io) {
    const name = values.semantics as string | undefined;
    if (!name) throw new KlpcheckError('E_USAGE', "simulate needs --semantics NAME; see 'klpcheck simulate --help'");
    const sem = semanticsNamed(name);
    const one = invariantNamed(values.invariant, 'simulate');
    const properties = one === undefined ? undefined : [one];
    if (properties) requireApplicable([sem], properties, 'nothing to walk');
    const scope = walkedScope(values.scope as string | undefined);
    const walks = numberOption(values, 'walks', DEFAULT_WALKS);
    const length = numberOption(values, 'length', DEFAULT_WALK_LENGTH);
    const seed = numberOption(values, 'seed', 1);
    // A property named alone with nothing to check would end in exit 0 with nothing checked, as explore refuses it.
    const nothing = one === undefined ? null : walkVacuity(one, scope, length);
    if (nothing)
      throw new KlpcheckError(
        'E_USAGE',
        `invariant '${one}' in scope ${formatScope(scope, false)} on walks of up to ${plural(length, 'step')}: ${nothing}; nothing to walk`,
      );
    if (!values['no-save']) checkDefaultStore([sem], '--no-save');
    const saveDir = values['no-save'] ? undefined : COUNTEREXAMPLES;
    const t0 = io.now();
    const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
    const onProgress = (done: number, steps: number, violated: number) =>
      bar.update(`klpcheck simulate: ${sem.name}, ${done} of ${plural(walks, 'walk')}, ${plural(steps, 'step')}, ${violated} violated`);
    // Ctrl-C, SIGTERM or SIGHUP stops the walks, which report and save what they found, as explore's search does:
    // ending at once lost every counterexample of a long run (helper-124). Held until the report and files are written.
    const eol = io.stderrIsTTY ? '\n' : '';
    let stopping = false;
    const release = onInterrupt({
      first: () => {
        io.stderr(
          `${eol}klpcheck simulate: stopping; reporting the walks taken (another Ctrl-C or SIGTERM is ignored until the report is written)\n`,
        );
        stopping = true;
      },
      again: () =>
        io.stderr(
          `${eol}klpcheck simulate: already stopping: Ctrl-C and SIGTERM are ignored until the report and the counterexamples found are written\n`,
        ),
    });
    try {
      const s = await simulateUntil({ semantics: sem.name, scope, walks, length, seed, properties, onProgress }, () => stopping);
      bar.clear();
      const secs = (io.now() - t0) / 1000;
      const notes = saveMinimalViolations(s.violations, sem, saveDir, (v, savedLength) => ({
        source: 'walk',
        seed,
        runs: v.walk,
        max_steps: length,
        depth: v.depth,
        ...(savedLength < v.ops.length ? { shrunk_from: v.ops.length } : {}),
        fast_check: FAST_CHECK_VERSION,
        klpcheck: KLPCHECK_VERSION,
        pure_rand: PURE_RAND_VERSION,
        scope: formatScope(scope, false),
      }));
      io.stdout(simulateText(s, notes));
      const rate = secs >= 0.5 ? `, ${Math.round(s.steps / secs)} steps/s` : '';
      io.stderr(
        `klpcheck simulate: ${plural(s.steps, 'step')} in ${secs.toFixed(1)} s${rate}; ${savedNotesSummary(notes, s.violations.length, saveDir === undefined)}\n`,
      );
      if (s.stopped) io.stderr(`klpcheck simulate: INCOMPLETE: stopped after ${s.walks} of ${plural(s.stopped.asked, 'walk')}\n`);
      raiseLate(notes.map((n) => n.error));
      return s.violations.length ? EXIT.failed : s.stopped ? EXIT.interrupted : EXIT.ok;
    } finally {
      release();
    }
  },
};
