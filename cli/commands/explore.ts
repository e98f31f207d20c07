/** `klpcheck explore`: exhaustive bounded exploration of one semantics. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { attempt, KlpcheckError, escapeControls } from '../../harness/errors.ts';
import { exploreInParallel } from '../../harness/explore/parallel.ts';
import { packedExploreInParallel, packedRefusal, type PackedRefusal } from '../../harness/explore/packed/explore.ts';
import {
  DEFAULT_EXPLORE_SCOPE,
  DEFAULT_STATE_BUDGETS,
  formatScope,
  parseScope,
  scopeRanges,
  stateBudget,
  type ExploreEngine,
  type ExploreScope,
} from '../../harness/explore/scope.ts';
import { isShardShare, merge, SHARD_MAX, type ExploreSummary } from '../../harness/explore/summary.ts';
import { readJsonFile } from '../../harness/json-file.ts';
import { randomLength as randomLengthOf, type VerdictMatrix } from '../../harness/matrix.ts';
import { FAST_CHECK_VERSION, KLPCHECK_VERSION } from '../../harness/versions.ts';
import { applicableProperties } from '../../harness/explore/explorer.ts';
import { lackingWords, vacuousInReach, vacuousInScope, vacuousWords } from '../../harness/explore/vacuity.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { exploreText } from '../../report/explore/text.ts';
import { saveMinimalViolations, savedNotesSummary, type SaveNote } from '../save-minimal.ts';
import type { Command, Parsed } from '../command.ts';
import { EXIT } from '../exit.ts';
import { readShard, saveResult } from '../shard-file.ts';
import { invariantNamed, requireApplicable, semanticsNamed } from '../selection.ts';
import { checkDefaultStore, checkOutputFile, sameFile } from '../output-files.ts';
import { asNamed, refuseTwice } from '../given-once.ts';
import { onInterrupt } from '../interrupt.ts';
import { raiseLate } from '../late-errors.ts';
import type { Io } from '../io.ts';
import { progress } from '../progress.ts';
import { COUNTEREXAMPLES, EXPECTED } from '../paths.ts';
import { plural } from '../../harness/plural.ts';
import { workerHeapMiB } from '../worker-heap.ts';
import { workerReplacedNote } from '../../harness/explore/worker-failure.ts';
import { unspaced } from '../../harness/unspaced.ts';

/**
 * fast-check's shrunk length for the same cell, from verdicts/expected.json,
 * for the report only (a saved file leaves it out: its content depends on the
 * search alone). Undefined when the cell has none or the file is absent; a
 * damaged file is klpcheck's own and its error is raised (E_JSON, E_SCHEMA),
 * where it was once ignored.
 */
function randomLengths(semantics: string, recorded: VerdictMatrix | null): (property: string) => number | undefined {
  return (property) => (recorded ? randomLengthOf(recorded, semantics, property) : undefined);
}

/**
 * verdicts/expected.json, or null when it is absent. explore reads it before
 * the search: read after it, a damaged file cost the report and every
 * counterexample of a search that may have taken hours (stop 40's hostile user).
 */
export function recordedMatrix(): VerdictMatrix | null {
  return existsSync(EXPECTED) ? readJsonFile<VerdictMatrix>(EXPECTED, 'verdict-matrix') : null;
}

/** The explorers `--engine` names. */
const ENGINES = ['auto', 'object', 'packed'] as const;

/** The largest --max-states: a state's index is a 32-bit integer, and a billion states of about 100 bytes is 100 GB. */
export const MAX_STATES_LIMIT = 1_000_000_000;

/**
 * E_USAGE when a state budget ran out before depth 1 was expanded in full (the
 * roots alone, or the roots and their successors, are more than the budget):
 * then no sequence was checked, and "holds up to depth 0" is no verdict.
 * Undefined otherwise. explore raises it instead of its report when nothing
 * was violated (a violation found before the stop is still a finding, and is
 * reported); compare before its matrix.
 */
export function budgetCheckedNothing(s: ExploreSummary): KlpcheckError | undefined {
  // A worker out of memory is no budget of the user's to raise (compare's cells say what it left: helper-88).
  if (!s.stateBudget || s.stateBudget.workerHeap || s.depthReached > 0) return undefined;
  const n = s.stateBudget.states;
  if (s.stateBudget.capacity)
    return new KlpcheckError(
      'E_USAGE',
      `${s.semantics} has more states within depth 1 than the visited set holds (${s.stateBudget.capacity}), so no sequence was checked; a smaller scope keeps the search within it`,
    );
  return new KlpcheckError(
    'E_USAGE',
    `--max-states ${n}: ${s.semantics} has more than ${plural(n, 'state')} within depth 1, so the budget ran out before any sequence was checked; raise it`,
  );
}

/**
 * E_USAGE when the state budget stopped the search at a depth where no
 * property it explored has anything to check (vacuity.ts vacuousInReach), as
 * an explicit depth that short is refused before the search: its report
 * said "holds for every sequence up to depth 1" of properties no sequence
 * of 1 step can break, and exit 0 (helper-76, stop 47). Undefined when one
 * had something to check, or when the budget did not stop the search.
 */
export function budgetLeftNothingToCheck(s: ExploreSummary): KlpcheckError | undefined {
  if (!s.stateBudget || s.stateBudget.workerHeap) return undefined;
  const why = s.properties.map((p) => vacuousInReach(p, s));
  if (why.some((w) => w === null)) return undefined;
  const stop = s.stateBudget.capacity ? "the visited set's capacity" : `--max-states ${s.stateBudget.states}`;
  // Conformance always has something to check: only a search of properties that can lack something gets here.
  const lacking = s.properties.map((p, i) => `${p}: ${lackingWords(why[i]!)}`).join('; ');
  const wayOut = s.stateBudget.capacity ? 'a smaller scope keeps the search within it' : 'raise it';
  return new KlpcheckError(
    'E_USAGE',
    `${stop}: the search stopped at depth ${s.depthReached}, with nothing to check (${lacking}); ${wayOut}`,
  );
}

/**
 * E_USAGE for --out or --shard with a state budget: a shard stopped by its own
 * budget would end at its own depth, and a result file has no field for the
 * budget yet. `given`: the budget was --max-states N; else it was the default
 * one of a scope with no depth bound, and the way out is a depth or `any`.
 */
function sharingBudgetRefusal(given: boolean, depthBound: boolean): KlpcheckError {
  // With a depth in the scope the budget is the user's own, and the way out is to leave it out.
  const wayOut = depthBound ? 'leave it out (the depth bounds the search)' : 'give a depth in --scope, or --max-states any';
  return new KlpcheckError(
    'E_USAGE',
    given
      ? `--max-states N is not taken with --out or --shard (a result file has no field for the budget); ${wayOut}`
      : `--out and --shard need a depth bound in --scope (depth=N), or --max-states any for the whole space: without a depth the search has the object engine's budget of ${DEFAULT_STATE_BUDGETS.object} states (--out and --shard run that engine), and a result file has no field for it`,
  );
}

/**
 * The line on stderr when the object engine runs where the packed engine
 * cannot (`refused` says why), for explore and compare --exhaustive: its
 * counts may be higher, as it stores the states the packed engine covers
 * (hostile-user finding, stop 49: --out changed them without a word), and,
 * when neither --max-states (`given`) nor a depth in `scope` bounds the
 * search, its default budget `maxStates`, far below the packed engine's:
 * unsaid, a search stopped at it read as a smaller space (helper-100).
 */
export function objectEngineNote(
  command: string,
  refused: PackedRefusal,
  scope: ExploreScope,
  given: unknown,
  maxStates: number | undefined,
): string {
  const budget =
    given === undefined && scope.depth === undefined
      ? `, and its default state budget is ${maxStates} states (the packed engine's is ${DEFAULT_STATE_BUDGETS.packed}; --max-states N or any sets another)`
      : '';
  return `klpcheck ${command}: the object engine runs (the packed engine: ${refused.reasons.join(', and ')}); it stores the states the packed engine covers, so its counts may be higher${budget}\n`;
}

/** Below this time or this many states, a rate measures start-up and the stop, not the search. */
export const RATE_MIN_SECONDS = 0.5;

/**
 * A search's seconds as its timing line shows them: below a second, two
 * decimals, cut, not rounded (0.46 s read "0.5 s (too short a search)" under
 * RATE_MIN_SECONDS: helper-87; 0.4996 s "0.50 s": helper-88), with a
 * margin for floating point (0.29 * 100 is 28.999..., which showed "0.28 s":
 * helper-89); from a second on, one decimal.
 */
export function shownSeconds(secs: number): string {
  return secs < 1 ? (Math.floor(secs * 100 + 1e-9) / 100).toFixed(2) : secs.toFixed(1);
}
export const RATE_MIN_STATES = 1000;

/**
 * `R states/s` for the progress and closing lines on stderr, or undefined when
 * the search was too short to measure one: under RATE_MIN_SECONDS, or fewer
 * than RATE_MIN_STATES states. A search stopped by Ctrl-C as it started (one
 * state over a few milliseconds) printed "(23 states/s)", a rate of nothing.
 */
export function searchRate(states: number, seconds: number): string | undefined {
  if (seconds < RATE_MIN_SECONDS || states < RATE_MIN_STATES) return undefined;
  return `${Math.round(states / seconds)} states/s`;
}

/**
 * Saves each shortest counterexample (replayed to build its trace) and says
 * where (save-minimal.ts), each note with fast-check's shrunk length for the
 * same cell from verdicts/expected.json.
 */
export function saveViolations(
  s: ExploreSummary,
  sem: Semantics,
  dir: string | undefined,
  recorded: VerdictMatrix | null = recordedMatrix(),
): SaveNote[] {
  const randomLength = randomLengths(sem.name, recorded);
  return saveMinimalViolations(
    s.violations,
    sem,
    dir,
    (v) => ({
      source: 'exhaustive',
      depth: v.depth,
      scope: formatScope(s.scope),
      fast_check: FAST_CHECK_VERSION,
      klpcheck: KLPCHECK_VERSION,
    }),
    (v) => ({ property: v.property, randomLength: randomLength(v.property) }),
  );
}

/**
 * The property --invariant names, checked (E_USAGE for an unknown one, or one
 * that cannot fail under the semantics), or undefined for every property.
 */
function exploredProperties(sem: Semantics, values: Parsed['values']): string[] | undefined {
  const one = invariantNamed(values.invariant, 'explore');
  const properties = one === undefined ? undefined : [one];
  // Exploring for a property that cannot fail here would print "holds" for nothing checked.
  if (properties) requireApplicable([sem], properties, 'nothing to explore');
  return properties;
}

/**
 * E_USAGE when the property --invariant names has nothing to check in the
 * scope (VACUOUS IN SCOPE, harness/explore/vacuity.ts): the search would end
 * in exit 0, "everything checked holds", with nothing checked, as a property
 * that cannot fail under the semantics would (requireApplicable).
 */
function requireSomethingToCheck(property: string, scope: ExploreScope): void {
  const nothing = vacuousInScope(property, scope);
  if (nothing)
    throw new KlpcheckError(
      'E_USAGE',
      `invariant '${property}' in scope ${formatScope(scope)}: ${vacuousWords(nothing)}; nothing to explore`,
    );
}

/**
 * The search, with Ctrl-C taken over (cli/interrupt.ts) until the caller calls
 * `release`, after the report and every file are written: the first Ctrl-C
 * stops the search, a later one is ignored with a note.
 */
async function runExploration(
  sem: Semantics,
  scope: ExploreScope,
  maxStates: number | undefined,
  values: Parsed['values'],
  io: Io,
  engine: ExploreEngine,
  /** The workers' heap limit in MiB (cli/worker-heap.ts), read before anything is said. */
  heap: number | undefined,
): Promise<{
  readonly summary: ExploreSummary;
  readonly release: () => void;
  /** The line of states, time and rate, written once the search's result is known to be reported. */
  readonly timing: string;
  readonly outOfMemory?: KlpcheckError;
}> {
  const properties = exploredProperties(sem, values);
  const workers = values.workers as number | undefined;
  // Each worker loads the whole model (about a second of start-up); past the cores they only take turns.
  if (workers !== undefined && workers > availableParallelism())
    io.stderr(
      `klpcheck explore: ${workers} workers on ${plural(availableParallelism(), 'core')}: more workers than cores only slows the search\n`,
    );
  const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
  // On a terminal the line under the cursor holds the progress line or the ^C it echoed: a note ends it first.
  // Piped (CI, 2>file) every line written is whole, and a newline would only be a blank line.
  const eol = io.stderrIsTTY ? '\n' : '';
  const t0 = io.now();
  const search = engine === 'packed' ? packedExploreInParallel : exploreInParallel;
  /** A worker out of memory that stopped the search (either engine): the report comes first, this line last. */
  let outOfMemory: KlpcheckError | undefined;
  const running = search({
    semantics: sem.name,
    scope,
    properties,
    workers,
    shard: values.shard as { index: number; count: number } | undefined,
    maxStates,
    onProgress: (p) => {
      const rate = searchRate(p.states, (io.now() - t0) / 1000);
      bar.update(`klpcheck explore: ${sem.name} depth ${p.depth}, ${plural(p.states, 'state')}${rate ? `, ${rate}` : ''}`);
    },
    workerHeapMiB: heap,
    onWorkerRestart: (p) => io.stderr(`${eol}${workerReplacedNote('explore', p)}\n`),
    onOutOfMemory: (e) => {
      outOfMemory = e;
    },
  });
  // Held until the report and every file are written: a Ctrl-C then must not cost what was found.
  const release = onInterrupt({
    first: () => {
      io.stderr(
        `${eol}klpcheck explore: stopping; reporting what was covered (another Ctrl-C or SIGTERM is ignored until the report is written)\n`,
      );
      running.stop();
    },
    again: () =>
      io.stderr(
        `${eol}klpcheck explore: already stopping: Ctrl-C and SIGTERM are ignored until the report and the counterexamples found are written\n`,
      ),
  });
  try {
    const s = await running.done;
    const secs = (io.now() - t0) / 1000;
    // Timings vary between runs: stderr, so that stdout depends only on the arguments.
    // A budget stop stored more states than the levels it claims: the rate is of those stored, the budget's worth,
    // or every root when the roots alone were more (per-state's 4 at states=2 under --max-states 2).
    const storedStates = s.stateBudget ? Math.max(s.stateBudget.states, s.distinctStates) : s.distinctStates;
    // A long search of few states is no short one (helper-86: 243 states in 42.3 s was "too short a search").
    const rate =
      searchRate(storedStates, secs) ?? `rate not measured: ${secs < RATE_MIN_SECONDS ? 'too short a search' : 'too few states'}`;
    const stored = storedStates !== s.distinctStates ? ` (${storedStates} stored)` : '';
    const timing = `klpcheck explore: ${plural(s.distinctStates, 'state')}${stored} in ${shownSeconds(secs)} s (${rate}; ${engine} engine)\n`;
    return { summary: s, release, timing, ...(outOfMemory ? { outOfMemory } : {}) };
  } catch (e) {
    release();
    throw e;
  } finally {
    bar.clear();
  }
}

export const explore: Command = {
  name: 'explore',
  summary: 'exhaustive bounded exploration: shortest counterexamples, state counts, coverage',
  description: [
    'Enumerates every reachable state of a semantics within a scope, breadth first,',
    'with the reference implementation in lockstep (conformance and every invariant',
    'checked on every transition). With depth=any the search runs to its fixpoint',
    '(within the state budget, below) and a pass holds for sequences of any length.',
    'States are stored exactly. The packed engine does not store a state past a',
    'conformance break whose definitions, kernel and checker memory a stored state',
    'has: that state meets every check it would, so no property loses a sequence;',
    'under a state budget it may get further than the object engine.',
    'Patches are defined as they first load, named in',
    'load order, and functions, state ids and tasks are treated as interchangeable',
    '(symmetry reduction). Each violated property gets its shortest counterexample,',
    'saved like the random runs (stderr says how many files were new); each pass is',
    'worded as bounded, with coverage, and flagged VACUOUS if it never completed a',
    'load, refused one, or completed a transition by a retry. A property the scope',
    'gives nothing to check (no-silent-downgrade needs two releases of one owner,',
    'so patches=3 and a depth of 2) is VACUOUS IN SCOPE, with the least scope that',
    'has it; named alone with --invariant, it is refused (exit 2). Uses every core;',
    '--shard i/n --out FILE and --merge FILE... share one exploration across',
    'machines (all shards, once each).',
    'Ctrl-C or SIGTERM (and SIGHUP, a closed terminal, once the search runs) stops',
    `and reports INCOMPLETE (exit ${EXIT.interrupted} unless a violation was found),`,
    "however early it comes (but in Node's own start-up, its first tenth of a second",
    'or so, through npx its first second, which ends the process); a second Ctrl-C',
    'is ignored, with a note, until the report, the result file and the',
    'counterexamples found are written. A merge of',
    'an interrupted shard is INCOMPLETE too; an INCOMPLETE result never replaces',
    'a complete one in --out FILE, even with --force.',
    '--max-states N bounds the search by size instead: it stores at most N states,',
    'and when it would store more it stops and reports the depth it expanded in',
    'full, as a depth bound would (the level under way is not claimed); the stop is',
    `the same on every run. A search with no depth bound (the default) has a budget`,
    `of ${DEFAULT_STATE_BUDGETS.packed} states on the packed engine, enough to close`,
    'the default scope of every semantics but hybrid and the gated hybrids, and of',
    `${DEFAULT_STATE_BUDGETS.object} on the object engine, unless --max-states says otherwise (any: none).`,
    'A search whose visited set is full (16 GiB of states, or 187,904,819 of them)',
    'stops and reports the same way, naming the capacity (a shard: exit 2).',
    "A worker thread out of memory (KLPCHECK_WORKER_HEAP_MIB, or node's heap) is",
    'replaced on the packed engine and the search goes on; one that runs out before',
    'it answers a chunk, or an object-engine one, stops it: the levels expanded in',
    'full are reported (INCOMPLETE), then E_MEMORY, exit 2.',
    `Scope keys and values (K=N): ${scopeRanges()}`,
    `(default ${formatScope(DEFAULT_EXPLORE_SCOPE)}: the whole space, within the budget).`,
  ],
  options: {
    semantics: { type: 'string', arg: 'NAME', help: `the semantics (${SEMANTICS.map((s) => s.name).join(', ')})` },
    scope: {
      type: 'string',
      arg: 'K=V,...',
      help: 'bounds, e.g. patches=2,functions=2,states=1,tasks=2,depth=5 (depth=any: to the fixpoint, within the state budget)',
    },
    invariant: { type: 'string', arg: 'NAME', help: 'check one property only' },
    'max-states': {
      type: 'whole',
      range: { min: 1, max: MAX_STATES_LIMIT },
      orWord: 'any',
      arg: 'N',
      help: `the state budget: store at most N distinct states, and report every level expanded in full (deterministic, whatever the workers); default without a depth bound ${DEFAULT_STATE_BUDGETS.packed} on the packed engine, ${DEFAULT_STATE_BUDGETS.object} on the object one, none with one; any: none`,
      // --out and --shard take `any` only: sharingBudgetRefusal.
      conflicts: ['merge'],
    },
    workers: {
      type: 'whole',
      range: { min: 1, max: 64 },
      arg: 'N',
      help: 'worker threads at most (default: one per core; the second starts once the packed engine stored 65,536 states, the object engine expanded 8,192)',
    },
    shard: {
      type: 'shard',
      range: { min: 1, max: SHARD_MAX },
      arg: 'I/N',
      help: "this machine's share of a multi-machine exploration (a depth in --scope, or --max-states any: a result file has no state budget); shares overlap, as every state is reachable from most others: at depth=any each shard explores the whole space",
      // A shard's result means something only once merged: without --out it would be lost.
      requires: ['out'],
    },
    out: {
      type: 'string',
      arg: 'FILE',
      help: "write the result as JSON, every explored state included; a --shard's is the file --merge takes (an existing FILE is kept unless --force; a depth in --scope, or --max-states any)",
    },
    force: {
      type: 'boolean',
      help: 'with --out, replace an existing FILE (an interrupted run keeps a complete result)',
      requires: ['out'],
    },
    merge: {
      type: 'boolean',
      help: 'merge the result files given as operands instead of exploring',
      conflicts: ['semantics', 'scope', 'invariant', 'workers', 'shard', 'engine'],
    },
    engine: {
      type: 'string',
      arg: 'NAME',
      help: `${ENGINES.join(', ')}: packed runs every semantics over packed states, conformance and every invariant (or the one --invariant names) on every transition, several times faster, without --shard, --out or taskModel=1; object runs every search; auto (default) is packed where it can run the search as asked, else object. Without a state budget both give the same verdicts and shortest counterexamples' lengths; packed stores fewer states past a conformance break (covered by a stored state), so under a budget it may get further`,
    },
    'no-save': { type: 'boolean', help: 'do not write counterexample files' },
  },
  operands: '[FILE...]',
  operandsNeed: 'merge',
  examples: [
    'npx klpcheck explore --semantics upstream',
    'npx klpcheck explore --semantics per-state --scope patches=2,functions=2,states=2,depth=5',
    'npx klpcheck explore --semantics upstream --max-states any',
    'npx klpcheck explore --semantics upstream --scope patches=3,depth=6',
    'npx klpcheck explore --semantics upstream --scope depth=5 --shard 0/2 --out a.json   # then: --merge a.json b.json',
  ],
  // The search takes Ctrl-C to stop and report; a merge ends at once, as any command.
  stopsOnInterrupt: ({ values }) => values.merge !== true,
  async run({ values, positionals }, io) {
    let release = () => {};
    try {
      return await exploreCommand(values, positionals, io, (r) => (release = r));
    } finally {
      release();
    }
  },
};

/**
 * Checks the counterexample store that a whole exploration of `semantics`
 * saves to, before anything is written: unless --no-save, and not for a
 * shard's share, which saves none (the same test as the save's own).
 */
function checkStoreUnlessShare(values: Parsed['values'], shardShare: boolean, semantics: string): void {
  if (!values['no-save'] && !shardShare) checkDefaultStore([semanticsByName(semantics)!], '--no-save');
}

/** explore's run(); `listening` gets the function that gives Ctrl-C back, called once everything is written. */
async function exploreCommand(
  values: Parsed['values'],
  positionals: readonly string[],
  io: Io,
  listening: (release: () => void) => void,
): Promise<number> {
  const out = values.out as string | undefined;
  // Trimmed of ASCII spaces as a name is (unspaced.ts): ' packed ' was an unknown engine (helper-103).
  const engine = values.engine === undefined ? undefined : unspaced(values.engine as string);
  if (engine !== undefined && !(ENGINES as readonly string[]).includes(engine))
    throw new KlpcheckError('E_USAGE', `unknown engine '${engine}' (known: ${ENGINES.join(', ')})`);
  // A merge written over one of its shard files would destroy an input: --force replaces results, not inputs.
  const input = values.merge && out !== undefined ? positionals.find((f) => sameFile(f, out)) : undefined;
  if (input !== undefined) {
    const samePath = resolve(input) === resolve(out!);
    const which = samePath ? 'a shard file' : `the shard file ${input}`;
    const name = samePath ? '' : ', under another name';
    throw new KlpcheckError(
      'E_USAGE',
      `--out is ${which} given to --merge${name}: the merge would replace its own input, even with --force; write it to another file`,
      out,
    );
  }
  if (out !== undefined) checkOutputFile(out, '--out', { force: values.force === true, existing: 'refuse' });
  const recorded = recordedMatrix();
  let summary: ExploreSummary;
  /** Why an INCOMPLETE result is incomplete, for the line on stderr. */
  let stopped = 'stopped before the search ended';
  /** A worker out of memory that stopped the search: its E_MEMORY line comes last, after the report. */
  let outOfMemory: KlpcheckError | undefined;
  /** The search's line of states, time and rate (none for a merge). */
  let timing = '';
  if (values.merge) {
    if (!positionals.length) throw new KlpcheckError('E_USAGE', '--merge needs the shard result files');
    // One file named twice is the command line's mistake (E_USAGE); two files holding one shard are merge()'s (E_SCHEMA).
    refuseTwice(asNamed(positionals), 'shard file');
    const parts = positionals.map(readShard);
    summary = merge(parts, positionals);
    // A merge's semantics is known once the shards are read: where it saves is checked before anything is written.
    checkStoreUnlessShare(values, isShardShare(summary), summary.semantics);
    const cut = positionals.filter((_, i) => !parts[i]!.complete);
    if (cut.length)
      stopped = `stopped shard file${cut.length > 1 ? 's' : ''} ${cut.join(', ')} (/complete is false: interrupted, or a worker ran out of memory): the merge covers only what was explored`;
  } else {
    if (positionals.length) throw new KlpcheckError('E_USAGE', `explore reads no files without --merge: '${positionals[0]}'`);
    const name = values.semantics as string | undefined;
    if (!name) throw new KlpcheckError('E_USAGE', "explore needs --semantics NAME; see 'klpcheck explore --help'");
    const sem = semanticsNamed(name);
    // Where the counterexamples go, before the search.
    checkStoreUnlessShare(values, values.shard !== undefined, sem.name);
    // After the name is known good: a mistyped name is E_SEMANTICS whatever the engine (hostile-user finding).
    // The property's name is checked before the engine's refusals: a mistyped one is its own error.
    const properties = exploredProperties(sem, values);
    const scope = parseScope(values.scope as string | undefined);
    if (properties) requireSomethingToCheck(properties[0]!, scope);
    const sharing = out !== undefined || values.shard !== undefined;
    const refused = engine === 'object' ? undefined : packedRefusal({ semantics: sem.name, scope, properties, sharing });
    const runs: ExploreEngine = engine === 'object' || refused ? 'object' : 'packed';
    const maxStates = stateBudget(scope, values['max-states'] as number | 'any' | undefined, runs);
    const budget =
      sharing && maxStates !== undefined ? sharingBudgetRefusal(values['max-states'] !== undefined, scope.depth !== undefined) : undefined;
    // Both at once in one line: told one after the other, the second came only once the first was put right.
    if (refused && engine === 'packed')
      throw budget ? new KlpcheckError('E_USAGE', `two problems: (1) ${refused.message}; (2) ${budget.message}`) : refused;
    if (budget) throw budget;
    // A bad value in the environment is refused as the command line's are: the one line, before any note (helper-87).
    const heap = workerHeapMiB(io.env, process.execArgv);
    // The packed engine's counts leave out what it covers: a search that falls back on the object engine says so, or
    // its higher counts read as another space (hostile-user finding, stop 49: --out changed them without a word).
    if (refused) io.stderr(objectEngineNote('explore', refused, scope, values['max-states'], maxStates));
    // --engine object runs the object engine whatever the packed one could run (hostile-user finding: it ran packed).
    const search = await runExploration(sem, scope, maxStates, values, io, runs, heap);
    listening(search.release);
    summary = search.summary;
    timing = search.timing;
    outOfMemory = search.outOfMemory;
    if (outOfMemory) {
      // No level expanded in full, or none that had anything to check, and nothing found: a report would claim
      // nothing, so the line alone, as a budget's refusal is (budgetLeftNothingToCheck; helper-86).
      // A result file (--out, a shard's) is still written, INCOMPLETE, as after a Ctrl-C: a merge needs every shard's.
      const claimsNothing = !summary.depthReached || summary.properties.every((p) => vacuousInReach(p, summary) !== null);
      if (claimsNothing && !summary.violations.length && out === undefined) throw outOfMemory;
      stopped = 'a worker thread ran out of memory (below), and the level under way was given up';
    }
  }
  const sem = semanticsByName(summary.semantics)!;
  // A budget that left no level expanded in full checked no sequence: with nothing violated, its report would be
  // 'holds ... up to depth 0' lines, each a claim of nothing, and exit 0 would say it all holds. The refusal alone.
  const checkedNothing = summary.violations.length ? undefined : (budgetCheckedNothing(summary) ?? budgetLeftNothingToCheck(summary));
  if (checkedNothing) throw checkedNothing;
  // After that refusal, which is then the one line (helper-85: it came after this one). The progress line is erased
  // by now (runExploration): this was written onto its end on a terminal (helper-83).
  io.stderr(timing);
  // A shard's counterexamples may not be the shortest overall: only whole explorations save.
  const saveDir = values['no-save'] || isShardShare(summary) ? undefined : COUNTEREXAMPLES;
  const saved = saveViolations(summary, sem, saveDir, recorded);
  io.stdout(exploreText(summary, saved));
  // Whether the files were new goes to stderr, as for run and compare: stdout depends only on the search.
  if (saveDir !== undefined) io.stderr(`klpcheck explore: ${savedNotesSummary(saved, summary.violations.length)}\n`);
  // --out was checked before the search, but the search may take hours: a file made or a folder removed
  // meanwhile must not cost the report and the counterexamples, so it is written after them, and its error
  // comes last (a result too large for a file ended a search of 15 minutes with exit 70 and no report).
  const { value: written, error: unwritten } = attempt(() =>
    out === undefined ? 'none' : saveResult(out, summary, values.force === true, '--out'),
  );
  if (written === 'kept' || written === 'kept-unread') {
    const holds = written === 'kept' ? 'it holds a complete result' : 'klpcheck may not read it, so it may hold a complete result';
    io.stderr(
      `klpcheck explore: kept ${escapeControls(String(out))}: ${holds}, and an INCOMPLETE one never replaces it, even with --force\n`,
    );
  }
  // Said even when something was violated: the properties not violated do not hold yet.
  if (!summary.complete) io.stderr(`klpcheck explore: INCOMPLETE: ${stopped}; nothing holds yet\n`);
  // One line on stderr and exit 2, after the report: the result file or a counterexample was not written.
  const unsaved = [unwritten, ...saved.map((n) => n.error)];
  // The search did not end as asked: an error (exit 2), named last, whatever the report found; a file not written is
  // named before it (it hid the line the INCOMPLETE line points to: helper-86).
  if (outOfMemory) {
    const { error } = attempt(() => raiseLate(unsaved));
    if (error) io.stderr(`${error.format()}\n`);
    throw outOfMemory;
  }
  raiseLate(unsaved);
  if (summary.violations.length) return EXIT.failed;
  if (!summary.complete) return EXIT.interrupted;
  return EXIT.ok;
}
