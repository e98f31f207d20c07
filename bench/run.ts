/**
 * `npm run bench`: measures and writes bench/results.json. Speed claims in
 * the README and the closing notes come from this file, never from a timed
 * assertion in a test. `npm run bench -- --quick` measures only the random
 * runs (with the packed lockstep's random walks, packed-walks.ts) and keeps the exploration figures already in the file;
 * `--explore-only` measures only the exploration and keeps the random runs'.
 * `--whole SCOPE` measures only the whole state spaces of every semantics at
 * SCOPE (e.g. patches=2,functions=1,states=0,tasks=1), each in its own
 * process, and replaces the file's rows of that scope; the full run measures
 * the whole spaces at WHOLE_SCOPE; `--semantics A,B` with --whole measures
 * only those semantics' whole spaces (Spin's and upstream's are measured
 * side by side in any case). `--two-cores` measures only the speed-up
 * of two worker threads over one and keeps every other figure. `--packed`
 * measures only the packed engine's spec model (bench/packed-spec.ts), beside
 * Spin and at the larger scopes, and keeps every other figure; `--packed
 * --whole SCOPE [--semantics A,B]` measures only the packed engine's whole
 * spaces (lockstep: conformance and every invariant) of every semantics it
 * has, or of those named, at SCOPE; with `--spec-level`, of the spec model
 * alone (what Spin's model holds: the states a Spin run would store), into
 * packed_spec_whole_space. `--packed --default [--semantics A,B]`
 * measures only `explore --semantics NAME`'s own search, with no options (the
 * default scope, no depth bound, the default state budget), on one thread.
 * `--packed --reach` measures only the lockstep (conformance and every
 * invariant, what explore runs) of upstream at issue 11's larger scopes, on
 * one thread: its growth depth by depth, where the spec model's rows
 * (packed_spec_reach) count only spec-level states. `--packed --spin`
 * measures only the spec model and the lockstep beside Spin (three rounds,
 * each side's fastest run kept; packed-spec.ts packedAgainstSpin); with
 * `--whole SCOPE`, the spec model alone beside Spin on that whole space, for
 * every semantics or those `--semantics` names.
 * `--packed --two-cores` measures only the packed engine's searches on one
 * thread against two worker threads (packed_spec_two_cores), and two
 * one-thread searches at once against one alone (packed_contention). `--walks`
 * measures only the packed lockstep's random walks against the bare kernel
 * and the object Lockstep (packed_walks, packed-walks.ts), and keeps every
 * other figure.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { rewriteReadmeGoalsSaying } from './goals-readme.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { readJson } from '../harness/json-file.ts';
import { DEFAULT_EXPLORE_SCOPE, depthBoundIn, type ExploreScope } from '../harness/explore/scope.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { selectedSemantics } from '../cli/selection.ts';
import { promelaRule } from '../promela/rules.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { againstSpin, exploreOnce, twoCores, type ParallelRow } from './explore-scaling.ts';
import { formatScope, parseScope } from '../harness/explore/scope.ts';
import { measureThroughputApart } from './ops-throughput.ts';
import { measureWalksApart } from './packed-walks.ts';
import { measureRandomSuite } from './random-suite.ts';
import { benchVm } from './vm.ts';
import { spinMissing } from '../promela/spin.ts';
import { mergeByScope } from './results-merge.ts';
import { refuseOptionsGivenTwice } from './options-once.ts';
import {
  packedAgainstSpin,
  packedSpec,
  packedTwoCores,
  packedContention,
  packedDefaultSearch,
  packedWholeSpace,
  type PackedNotClosed,
  type PackedSpecRow,
  type PackedTwoCoresRow,
  type PackedContentionRow,
} from './packed-spec.ts';
import { wholeSpace, type WholeSpaceRow } from './whole-spaces.ts';

const OUT = new URL('./results.json', import.meta.url);
const say = (t: string) => process.stderr.write(`${t}\n`);

/** The whole spaces the full run measures: patches=2 closes for every semantics since issue 11's kernel-only continuation. */
/**
 * The semantics a run measures beside Spin unless --spin --semantics names
 * others: upstream and two of the others written in Promela, whose lockstep
 * searches of the two scopes take minutes, not the hours that all twenty would.
 */
const SPIN_SEMANTICS = ['upstream', 'stacking', 'replace-set'];
/**
 * The whole spaces --packed --spin measures with the lockstep beside the spec model and Spin: upstream's four, the
 * others' the last two (spinLockstepScopes). --spin --whole refuses a semantics at one of its own, as its row (the
 * spec model alone) would replace that one.
 */
const SPIN_LOCKSTEP_SCOPES = [
  'patches=2,functions=1,states=0,tasks=1',
  'patches=2,functions=2,states=1,tasks=1',
  'patches=2,functions=2,states=1,tasks=2',
  'patches=3,functions=1,states=0,tasks=1',
];
/** The scopes --packed --spin measures `semantics` at with the lockstep. */
const spinLockstepScopes = (semantics: string) => (semantics === 'upstream' ? SPIN_LOCKSTEP_SCOPES : SPIN_LOCKSTEP_SCOPES.slice(2));
const WHOLE_SCOPE = 'patches=2,functions=1,states=0,tasks=1';
/** Wall seconds a whole space may take before it is recorded as not closed. */
const WHOLE_LIMIT_SECONDS = 1800;
/** The same for the packed engine's whole spaces (issue 11's goal is a minute each). */
const PACKED_WHOLE_LIMIT_SECONDS = 600;
const args = benchArguments();
const wholeOnly = args.whole;
/**
 * The file as it was, whatever this run keeps of it (a row Spin's absence skipped keeps the measured row it would
 * replace), read before anything is measured: a file that cannot be read, or whose row lists are not lists, had been
 * found only after the measures, which a stack trace then lost (helper-116). One line and exit 2 instead.
 */
const existing = readExisting();

/** bench/results.json as it was ({} when there is none); see `existing`. */
function readExisting(): Record<string, unknown> {
  const file = OUT.pathname;
  try {
    if (!existsSync(file)) return {};
    const data = readJson(file);
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new KlpcheckError('E_SCHEMA', "must be an object of the bench's figures", file, '');
    for (const [key, value] of Object.entries(data)) {
      if (key === 'machine' || key === 'note' || key === 'load_average') continue;
      if (!Array.isArray(value)) throw new KlpcheckError('E_SCHEMA', 'must be a list of rows', file, `/${key}`);
      const bad = value.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
      if (bad >= 0) throw new KlpcheckError('E_SCHEMA', 'must be a row (an object)', file, `/${key}/${bad}`);
    }
    return data as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    process.stderr.write(`${new KlpcheckError(e.code, `bench: ${e.message}`, e.file, e.where).format()}\n`);
    process.exit(2);
  }
}

/**
 * The command line: --quick, --explore-only, --whole SCOPE (a scope with no
 * depth bound), --two-cores. Anything else, or a bad scope, is one line on stderr and exit
 * 2, as the CLI does, before anything is measured.
 */
function benchArguments(): {
  quick: boolean;
  exploreOnly: boolean;
  whole: ExploreScope | null;
  wholeSemantics: readonly Semantics[];
  twoCoresOnly: boolean;
  packedOnly: boolean;
  defaultOnly: boolean;
  reachOnly: boolean;
  spinOnly: boolean;
  /** The semantics measured beside Spin: SPIN_SEMANTICS, or those --spin --semantics names (each written in Promela: promela/rules.ts). */
  spinSemantics: readonly string[];
  specLevel: boolean;
  walksOnly: boolean;
} {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        options: {
          quick: { type: 'boolean' },
          'explore-only': { type: 'boolean' },
          whole: { type: 'string' },
          semantics: { type: 'string' },
          'two-cores': { type: 'boolean' },
          packed: { type: 'boolean' },
          default: { type: 'boolean' },
          reach: { type: 'boolean' },
          spin: { type: 'boolean' },
          'spec-level': { type: 'boolean' },
          walks: { type: 'boolean' },
        },
        allowPositionals: false,
        strict: true,
        tokens: true,
      });
    } catch (e) {
      throw new KlpcheckError(
        'E_USAGE',
        `${(e as Error).message.split('\n')[0]} (options: --quick, --explore-only, --whole SCOPE [--semantics A,B], --two-cores, --packed [--default [--semantics A,B] | --reach | --spin [--whole SCOPE] [--semantics A,B] | --whole SCOPE [--spec-level] [--semantics A,B]], --walks)`,
      );
    }
    refuseOptionsGivenTwice(parsed.tokens);
    const values = parsed.values;
    const text = values.whole;
    let whole: ExploreScope | null = null;
    if (text !== undefined) {
      if (!text || text.startsWith('--')) throw new KlpcheckError('E_USAGE', `--whole takes a scope, as ${WHOLE_SCOPE}`);
      if (depthBoundIn(text) !== undefined)
        throw new KlpcheckError('E_USAGE', `--whole measures whole spaces: no depth bound, not '${text}'`);
      if (values.quick || values['explore-only'])
        throw new KlpcheckError('E_USAGE', '--whole measures only the whole spaces: not with --quick or --explore-only');
      whole = { ...parseScope(text), depth: undefined };
    }
    const defaultOnly = values.default === true;
    if (defaultOnly && (values.packed !== true || whole))
      throw new KlpcheckError('E_USAGE', "--default measures only the packed engine's default search: it needs --packed, and not --whole");
    const reachOnly = values.reach === true;
    if (reachOnly && (values.packed !== true || whole || defaultOnly))
      throw new KlpcheckError(
        'E_USAGE',
        '--reach measures only the packed lockstep at the larger scopes: it needs --packed, and not --whole or --default',
      );
    const spinOnly = values.spin === true;
    if (spinOnly && (values.packed !== true || defaultOnly || reachOnly))
      throw new KlpcheckError(
        'E_USAGE',
        '--spin measures only the packed engine beside Spin: it needs --packed, and not --default or --reach',
      );
    const specLevel = values['spec-level'] === true;
    if (specLevel && (values.packed !== true || !whole || spinOnly))
      throw new KlpcheckError(
        'E_USAGE',
        "--spec-level measures the spec model's whole spaces: it needs --packed --whole SCOPE, and not --spin (which measures the spec model)",
      );
    if (values.semantics !== undefined && !whole && !defaultOnly && !spinOnly)
      throw new KlpcheckError(
        'E_USAGE',
        '--semantics selects the whole spaces to measure: it needs --whole (or --packed --default, or --packed --spin)',
      );
    const wholeSemantics = selectedSemantics(values.semantics);
    // At the two fixed scopes, three semantics unless named; at --whole SCOPE, every semantics unless named.
    const spinSemantics = values.semantics === undefined && !whole ? SPIN_SEMANTICS : wholeSemantics.map((x) => x.name);
    // --spin measures semantics written in Promela: each is (promelaRule refuses one that is not, E_USAGE).
    if (spinOnly) for (const n of spinSemantics) promelaRule(n);
    const wholeText = whole ? formatScope(whole, false) : undefined;
    const withLockstep = spinOnly && wholeText ? spinSemantics.find((n) => spinLockstepScopes(n).includes(wholeText)) : undefined;
    if (withLockstep !== undefined)
      throw new KlpcheckError(
        'E_USAGE',
        `--spin --whole measures the spec model alone, and --packed --spin measures ${withLockstep} at ${wholeText} with the lockstep: its row would lose the lockstep's figures (measure it with --packed --spin --semantics ${withLockstep})`,
      );
    const twoCoresOnly = values['two-cores'] === true;
    if (twoCoresOnly && (values.quick || values['explore-only'] || whole))
      throw new KlpcheckError('E_USAGE', '--two-cores measures only the two-core speed-up: not with --quick, --explore-only or --whole');
    const packedOnly = values.packed === true;
    if (packedOnly && (values.quick || values['explore-only']))
      throw new KlpcheckError('E_USAGE', '--packed measures only the packed engine: not with --quick or --explore-only');
    if (packedOnly && twoCoresOnly && (whole || defaultOnly || reachOnly || spinOnly))
      throw new KlpcheckError(
        'E_USAGE',
        '--packed --two-cores measures only the packed engine on two cores: not with --whole, --default, --reach or --spin',
      );
    // Without Spin it measured nothing and wrote its rows as skipped over the last measured ones (2026-12-05).
    const noSpin = spinOnly ? spinMissing() : null;
    if (noSpin) throw new KlpcheckError('E_USAGE', `--spin measures beside Spin: ${noSpin}; bench/results.json is unchanged`);
    if (packedOnly && whole?.taskModel)
      throw new KlpcheckError('E_USAGE', '--packed: the packed engine has no task model (taskModel=1) yet');
    const walksOnly = values.walks === true;
    if (walksOnly && parsed.tokens?.some((t) => t.kind === 'option' && t.name !== 'walks'))
      throw new KlpcheckError('E_USAGE', "--walks measures only the packed lockstep's random walks: no other option");
    return {
      quick: values.quick === true,
      exploreOnly: values['explore-only'] === true,
      whole,
      wholeSemantics,
      twoCoresOnly,
      packedOnly,
      defaultOnly,
      reachOnly,
      spinOnly,
      spinSemantics,
      specLevel,
      walksOnly,
    };
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    // Every refusal names the command, the parser's and the scope's alike.
    process.stderr.write(`${new KlpcheckError(e.code, `bench: ${e.message}`, e.file, e.where).format()}\n`);
    process.exit(2);
  }
}

/** The machine's load when the run began: figures taken beside other jobs are upper bounds on time. */
/** The 1, 5 and 15 minute load averages now, to two decimals. */
const loadNow = () => loadavg().map((x) => Math.round(x * 100) / 100);
const loadAtStart = loadNow();
const exploreOnly = args.exploreOnly;
const twoCoresOnly = args.twoCoresOnly;
const packedOnly = args.packedOnly;
/** Whether this run measures the random runs (throughput, random_suite): not with an option that measures only searches. */
const walksOnly = args.walksOnly;
const randomRunsMeasured = !(exploreOnly || wholeOnly || twoCoresOnly || packedOnly || walksOnly);
const throughput = !randomRunsMeasured
  ? []
  : SEMANTICS.map((s) => {
      const r = measureThroughputApart(s);
      say(
        `${s.name}: bare ${r.bare_ops_per_second} ops/s, conformance ${r.conformance_ops_per_second} ops/s (x${r.conformance_over_bare}), checked ${r.checked_ops_per_second} ops/s (x${r.checked_over_bare})`,
      );
      return r;
    });

// The packed lockstep's random walks against the bare kernel and the object Lockstep on the same steps (packed-walks.ts).
const packedWalks = !(randomRunsMeasured || walksOnly)
  ? []
  : SEMANTICS.map((s) => {
      const r = measureWalksApart(s);
      say(
        `${s.name}: walks ${r.bare_us_per_step} us a step bare, ${r.packed_us_per_step} packed (x${r.packed_over_bare}), ${r.object_us_per_step} object (x${r.object_over_bare})`,
      );
      return r;
    });

// compare's random runs of every property, as it makes them and one property at a time (random-suite.ts).
const randomSuite = !randomRunsMeasured
  ? []
  : SEMANTICS.map((s) => {
      const r = measureRandomSuite(s);
      say(
        `${s.name}: every property's random runs in ${r.screened_cpu_seconds} cpu-s, one at a time ${r.one_by_one_cpu_seconds} (x${r.speed_up})`,
      );
      return r;
    });

const quick = args.quick || wholeOnly !== null || twoCoresOnly || packedOnly || walksOnly;
const perSemantics = [];
const wholeSpaces: WholeSpaceRow[] = [];
const spin: ReturnType<typeof againstSpin>[] = [];
const growth = [];
const parallel: ParallelRow[] = [];
if (!quick) {
  // Spin and klpcheck interleaved on upstream whole spaces small enough for the lockstep explorer.
  for (const text of ['patches=1,functions=1,states=0,tasks=1', 'patches=1,functions=2,states=1,tasks=1', WHOLE_SCOPE]) {
    const r = againstSpin(upstream, parseScope(`${text},depth=any`));
    say(`spin vs klpcheck ${text}: ${JSON.stringify(r)}`);
    spin.push(r);
  }
  // Depth 3 keeps the whole bench within minutes on a loaded machine; the rate is what is compared.
  for (const s of SEMANTICS) {
    const r = exploreOnce(s, { ...DEFAULT_EXPLORE_SCOPE, depth: 3 });
    say(`explore ${s.name} ${r.scope}: ${r.distinct_states} states, ${r.cpu_seconds} cpu-s (${r.states_per_cpu_second}/cpu-s)`);
    perSemantics.push(r);
  }
  wholeSpaces.push(...measureWholeSpaces(parseScope(WHOLE_SCOPE)));
  for (const text of ['patches=3,functions=3,states=1,tasks=2,depth=3', 'patches=3,functions=3,states=2,tasks=2,depth=3']) {
    const r = exploreOnce(upstream, parseScope(text));
    say(`growth ${r.scope}: ${r.states_per_depth.join(' / ')} (${r.cpu_seconds} cpu-s)`);
    growth.push(r);
  }
  parallel.push(...(await measureTwoCores()));
}
if (twoCoresOnly && !packedOnly) parallel.push(...(await measureTwoCores()));
/** Beside Spin; a --spin --whole row has the load when its measure began. */
const packedSpin: (ReturnType<typeof packedAgainstSpin> & { readonly load_average?: readonly number[] })[] = [];
const packedReach: PackedSpecRow[] = [];
const lockstepReach: PackedSpecRow[] = [];
const packedParallel: PackedTwoCoresRow[] = [];
/** Two one-thread searches at once against one alone (--packed --two-cores; packed-spec.ts packedContention). */
const packedContentionRows: PackedContentionRow[] = [];
/** Each with the load when its own search began: a row is kept from run to run, and the file's load_average is the last run's. */
const packedWhole: ((PackedSpecRow | PackedNotClosed) & { readonly load_average: readonly number[] })[] = [];
/** The spec model's whole spaces (--packed --whole SCOPE --spec-level), each with the load when it began. */
const packedSpecWhole: typeof packedWhole = [];
/** explore's default search per semantics (--packed --default), each with the load when it began. */
const packedDefault: ((PackedSpecRow | PackedNotClosed) & { readonly load_average: readonly number[] })[] = [];
if (args.defaultOnly) {
  for (const s of args.wholeSemantics) {
    const load = loadNow();
    const r = packedDefaultSearch(s.name, PACKED_WHOLE_LIMIT_SECONDS);
    say(
      'not_closed' in r
        ? `packed default search ${s.name}: ${r.not_closed}`
        : `packed default search ${s.name}: ${r.states} states, depth ${r.depth_reached}${r.fixpoint ? ' (fixpoint)' : ''}, ${r.cpu_seconds} cpu-s, ${r.max_rss_mib} MiB`,
    );
    packedDefault.push({ ...r, load_average: load });
  }
} else if (args.spinOnly && wholeOnly) {
  // Each semantics' spec model alone beside Spin on one whole space (no lockstep: some do not close in hours), each
  // row with the load when it began. A semantics whose measure fails (pan cut short, or counts that disagree) is
  // written as skipped with the reason, and the run ends with exit 1: the rows measured before it are kept (helper-116).
  for (const name of args.spinSemantics) {
    const load = loadNow();
    try {
      const r = packedAgainstSpin(wholeOnly, false, undefined, name);
      say(`spin vs packed spec model, ${name} ${r.scope}: ${JSON.stringify(r)}`);
      packedSpin.push({ ...r, load_average: load });
    } catch (e) {
      const reason = (e as Error).message.split('\n')[0]!;
      say(`spin vs packed spec model, ${name} ${formatScope(wholeOnly)}: ${reason}`);
      // Upstream's rows have no semantics, as packedAgainstSpin writes them.
      const named = name === 'upstream' ? {} : { semantics: name };
      packedSpin.push({ ...named, scope: formatScope(wholeOnly), skipped: reason, load_average: load });
      process.exitCode = 1;
    }
  }
} else if (packedOnly && wholeOnly) {
  for (const s of args.wholeSemantics) {
    const load = loadNow();
    const model = args.specLevel ? 'spec' : 'lockstep';
    const r = packedWholeSpace(wholeOnly, s.name, PACKED_WHOLE_LIMIT_SECONDS, model);
    say(
      'not_closed' in r
        ? `packed whole space (${model}) ${s.name} ${r.scope}: ${r.not_closed}`
        : `packed whole space (${model}) ${s.name} ${r.scope}: ${r.states} states, ${r.cpu_seconds} cpu-s, ${r.max_rss_mib} MiB`,
    );
    (args.specLevel ? packedSpecWhole : packedWhole).push({ ...r, load_average: load });
  }
} else if (args.reachOnly) {
  lockstepReach.push(...measureLockstepReach());
} else if ((!quick || packedOnly) && !twoCoresOnly) {
  for (const text of args.spinSemantics.includes('upstream') ? spinLockstepScopes('upstream') : []) {
    // The lockstep model beside them where the whole space takes it under two minutes.
    const r = packedAgainstSpin(parseScope(`${text},depth=any`), true);
    say(`spin vs packed spec model and lockstep ${r.scope}: ${JSON.stringify(r)}`);
    packedSpin.push(r);
  }
  // The other semantics written in Promela (promela/rules.ts), at the two larger of those scopes.
  for (const name of args.spinSemantics.filter((n) => n !== 'upstream'))
    for (const text of spinLockstepScopes(name)) {
      const r = packedAgainstSpin(parseScope(`${text},depth=any`), true, undefined, name);
      say(`spin vs packed spec model and lockstep, ${name} ${r.scope}: ${JSON.stringify(r)}`);
      packedSpin.push(r);
    }
}
if (!args.spinOnly && !args.defaultOnly && !(packedOnly && wholeOnly) && !args.reachOnly && (!quick || packedOnly)) {
  // Issue 11's larger scopes, at the spec level: the depths it asks for within a minute, and upstream's growth depth
  // by depth at patches=3,functions=3 with one and two state ids (not with --packed --two-cores).
  for (const text of twoCoresOnly
    ? []
    : [
        'patches=3,functions=2,states=1,tasks=2,depth=6',
        'patches=3,functions=3,states=1,tasks=2,depth=5',
        'patches=3,functions=3,states=2,tasks=2,depth=4',
      ]) {
    const r = packedSpec(parseScope(text));
    say(
      `packed spec model ${r.scope}: ${r.states} states, ${r.cpu_seconds} cpu-s, ${r.max_rss_mib} MiB (${r.states_per_depth.join(' / ')})`,
    );
    packedReach.push(r);
  }
  if (!twoCoresOnly) lockstepReach.push(...measureLockstepReach());
  for (const [text, model, pairs] of [
    ['patches=2,functions=2,states=1,tasks=1,depth=any', 'spec', 3],
    ['patches=2,functions=2,states=1,tasks=2,depth=any', 'spec', 3],
    // About 90 cpu-s a run in one thread: one pair.
    ['patches=2,functions=2,states=1,tasks=2,depth=any', 'lockstep', 1],
    // A wide search, where most successors are new states, which the main thread alone stores (parallel.ts): about a
    // minute a run in one thread.
    ['patches=3,functions=3,states=2,tasks=2,depth=4', 'lockstep', 1],
  ] as const) {
    const r = packedTwoCores(parseScope(text), model, pairs);
    say(
      `packed two cores ${r.model} ${r.scope}: x${r.speed_up}, workers on chunks ${r.workers_busy_share} of the time (one thread ${r.runs.one_thread.join(', ')} s; two workers ${r.runs.two_workers.join(', ')} s)`,
    );
    packedParallel.push(r);
  }
  // What two one-thread searches cost each other on the two cores, with nothing shared: what the rows above are read against.
  const c = await packedContention(parseScope('patches=2,functions=2,states=1,tasks=2,depth=10'), 'lockstep', 2);
  say(
    `packed contention ${c.model} ${c.scope}: x${c.slow_down} (alone ${c.runs.alone.join(', ')} s; together ${c.runs.together.map((p) => p.join(' and ')).join(', ')} s)`,
  );
  packedContentionRows.push(c);
}

if (wholeOnly && !packedOnly) {
  const r = againstSpin(upstream, wholeOnly);
  say(`spin vs klpcheck ${r.scope}: ${JSON.stringify(r)}`);
  spin.push(r);
  wholeSpaces.push(...measureWholeSpaces(wholeOnly, args.wholeSemantics));
}

/**
 * A search to depth 4 is short (start-up and level barriers weigh); a whole space shows the steady rate.
 * Each worker thread compiles the explorer anew (about 1.5 cpu-s of V8's compiler threads, beside the search on
 * two cores), so a search of a few seconds cannot show what a long one gains: the third scope takes about half a
 * minute on one worker.
 */
async function measureTwoCores(): Promise<ParallelRow[]> {
  const rows: ParallelRow[] = [];
  // Listed here, not in a module constant: the measuring code above calls this before a constant below it is set.
  const scopes = [
    // The default scope before whole spaces became the default (issue 11): the rows keep their meaning.
    parseScope('patches=2,functions=2,states=1,tasks=2,depth=4'),
    parseScope(`${WHOLE_SCOPE},depth=any`),
    parseScope('patches=2,functions=2,states=1,tasks=2,depth=7'),
  ];
  for (const scope of scopes) {
    const p = await twoCores(upstream, scope);
    say(`two cores ${p.scope}: x${p.speed_up} (one worker ${p.runs.one_worker.join(', ')} s; two ${p.runs.two_workers.join(', ')} s)`);
    rows.push(p);
  }
  return rows;
}

/**
 * The lockstep (conformance and every invariant) of upstream at issue 11's
 * larger scopes, one thread each, in a child process: the search `explore
 * --scope ...` runs, its states being spec model and kernel together.
 */
function measureLockstepReach(): PackedSpecRow[] {
  // Listed here, not in a module constant: the measuring code above calls this before a constant below it is set.
  const scopes = [
    'patches=3,functions=2,states=1,tasks=2,depth=6',
    'patches=3,functions=3,states=1,tasks=2,depth=5',
    'patches=3,functions=3,states=2,tasks=2,depth=4',
  ];
  return scopes.map((text) => {
    const r = packedSpec(parseScope(text), 'lockstep');
    say(`packed lockstep ${r.scope}: ${r.states} states, ${r.cpu_seconds} cpu-s, ${r.max_rss_mib} MiB (${r.states_per_depth.join(' / ')})`);
    return r;
  });
}

function measureWholeSpaces(scope: ExploreScope, semantics: readonly Semantics[] = SEMANTICS): WholeSpaceRow[] {
  return semantics.map((s) => {
    const r = wholeSpace(s, scope, WHOLE_LIMIT_SECONDS);
    say(
      'not_closed' in r
        ? `whole space ${s.name} ${r.scope}: ${r.not_closed}`
        : `whole space ${s.name} ${r.scope}: ${r.distinct_states} states, ${r.cpu_seconds} cpu-s, ${r.max_rss_mib} MiB`,
    );
    return r;
  });
}

// --quick measures the random runs again and keeps the last exploration figures.
const previous = quick || exploreOnly ? existing : {};
/** The file's rows of `key` after this run (results-merge.ts mergeByScope). */
const byScope = <T extends { readonly scope: string }>(key: string, fresh: readonly T[]): T[] =>
  mergeByScope((existing[key] as T[] | undefined) ?? [], (previous[key] as T[] | undefined) ?? [], fresh, (r) =>
    say(`${key} ${'semantics' in r ? `${String(r.semantics)} ` : ''}${r.scope}: ${r.skipped}; the file's earlier row is kept`),
  );
/** The same, one row per semantics and scope. */
const bySemanticsAndScope = <T extends { readonly scope: string; readonly semantics: string }>(key: string, fresh: readonly T[]): T[] => [
  ...((previous[key] as T[] | undefined) ?? []).filter((r) => !fresh.some((x) => x.scope === r.scope && x.semantics === r.semantics)),
  ...fresh,
];
const results = {
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memory_gib: Math.round(totalmem() / 2 ** 30) },
  note:
    "random runs: single thread, applied steps of fast-check sequences (seed 1, default scope); packed_walks: microseconds a step of 400 random walks of 30 steps (xoroshiro128+ seed 1, explore's default scope) on the bare kernel, the packed lockstep and the object Lockstep, each alone in processes of its own, the fastest of two; random_suite: cpu seconds of every property's " +
    'random runs of a semantics (500 sequences, seed 1) over one screen and one property at a time, the fastest of two each; exploration: breadth first with the kernel in lockstep, ' +
    'exact packed states, one thread, cpu seconds; load_average is the 1, 5 and 15 minute load when the last run began (2 cores: above 2 means shared), ' +
    'and a packed_whole_space, packed_spec_whole_space or packed_default_scope row has its own, from when its search began',
  load_average: loadAtStart,
  throughput: randomRunsMeasured ? throughput : previous.throughput,
  random_suite: randomRunsMeasured ? randomSuite : previous.random_suite,
  packed_walks: randomRunsMeasured || walksOnly ? packedWalks : previous.packed_walks,
  explore_against_spin: byScope('explore_against_spin', spin),
  explore_default_scope: quick ? previous.explore_default_scope : perSemantics,
  explore_whole_space: byScope('explore_whole_space', wholeSpaces),
  explore_growth_upstream: quick ? previous.explore_growth_upstream : growth,
  explore_two_cores: quick && !(twoCoresOnly && !packedOnly) ? previous.explore_two_cores : parallel,
  packed_spec_against_spin: byScope('packed_spec_against_spin', packedSpin),
  packed_spec_reach: byScope('packed_spec_reach', packedReach),
  packed_lockstep_reach: byScope('packed_lockstep_reach', lockstepReach),
  packed_spec_two_cores: byScope('packed_spec_two_cores', packedParallel),
  packed_contention: byScope('packed_contention', packedContentionRows),
  // One row per semantics and scope.
  packed_whole_space: bySemanticsAndScope('packed_whole_space', packedWhole),
  packed_spec_whole_space: bySemanticsAndScope('packed_spec_whole_space', packedSpecWhole),
  // One row per semantics: `explore --semantics NAME` with no options, on one thread.
  packed_default_scope: [
    ...((previous.packed_default_scope as typeof packedDefault | undefined) ?? []).filter(
      (r) => !packedDefault.some((x) => x.semantics === r.semantics),
    ),
    ...packedDefault,
  ],
};
const tmp = `${OUT.pathname}.tmp`;
writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
renameSync(tmp, OUT.pathname);
say(`wrote ${OUT.pathname}`);
// The README's table of issue 11's goals is made from the file just written (goals-table.ts).
rewriteReadmeGoalsSaying(say);

// The real kernel's figures go to their own file (bench/vm.ts), in a full run only; skipped without a set-up kernel.
if (!quick && !exploreOnly && !wholeOnly && !twoCoresOnly && !packedOnly) await benchVm();
