/**
 * Issue 11's figures against its goals, as one markdown table made from
 * bench/results.json: the README holds it between GOALS_BEGIN and
 * GOALS_END, `npm run bench` writes it there after each run
 * (bench/run.ts), and test/readme-goals-table.test.ts checks that the
 * README's table is the one the file gives, so the table never says what
 * the file does not. Each row names the file's key it is read from, and
 * every figure it reads is checked first (schema/bench-goals.schema.json): a
 * missing or malformed one is refused at its JSON pointer, never printed as
 * "NaN" or counted as met.
 *
 * The goals are issue 11's ("Exhaustive exploration at Spin's speed", filed
 * by a session, figures to report): within 2x of Spin per spec-level state,
 * each semantics' whole space of patches=2,functions=2,states=1,tasks=2
 * under a minute on one core, under 100 bytes a stored state and a frontier
 * entry, the two larger scopes within a minute, and checked random runs
 * within 3x of the bare kernel's cost.
 */
import { KlpcheckError } from '../harness/errors.ts';
import { validate } from '../harness/json-file.ts';
import type { BenchGoals, DefaultRow, SpinRow } from '../schema/generated/bench-goals.ts';

/** The README's markers around the table (README.md, "Where issue 11's goals stand"). */
export const GOALS_BEGIN = '<!-- goals-table: made by bench/goals-table.ts from bench/results.json; npm run bench rewrites it -->';
export const GOALS_END = '<!-- goals-table end -->';

/** Spin's scopes the ratio is quoted for: those of over a million states (smaller ones time V8's start more than the search). */
const SPIN_SCOPE_STATES = 1_000_000;
/** Issue 11's larger scopes, each to be searched within a minute. */
const LARGER_SCOPES = ['patches=3,functions=2,states=1,tasks=2,depth=6', 'patches=3,functions=3,states=2,tasks=2,depth=4'];

const range = (xs: readonly number[], unit = ''): string => {
  if (!xs.length) return 'none measured';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? `${lo}${unit}` : `${lo}${unit} to ${hi}${unit}`;
};
const count = (n: number, of: number) => `${n} of ${of}`;
/** Each goal as a test of one figure (issue 11's figures to report). */
const within2x = (x: number) => x <= 2;
const within3x = (x: number) => x <= 3;
const underMinute = (seconds: number) => seconds < 60;
const under100 = (bytes: number) => bytes < 100;

/** A goal's verdict over `figures`: how many `meets`; none measured is said as such, never "met". */
const verdict = (figures: readonly number[], meets: (x: number) => boolean) => {
  const met = figures.filter(meets).length;
  const of = figures.length;
  return of === 0 ? 'nothing measured' : met === of ? 'met' : met === 0 ? 'not met' : `met in ${count(met, of)}`;
};

/**
 * The table, lines joined by "\n", without the markers, from the parsed
 * bench/results.json (`file`, its name in errors). Errors: E_SCHEMA at the
 * JSON pointer of a key, row or figure the table reads that is missing or
 * malformed (schema/bench-goals.schema.json), or of a larger scope with no
 * row.
 */
export function goalsTable(data: unknown, file = 'bench/results.json'): string {
  const results = validate<BenchGoals>('bench-goals', data, file);
  const spin = results.packed_spec_against_spin
    .filter((r): r is SpinRow => !('skipped' in r))
    .filter((r) => r.spin_states > SPIN_SCOPE_STATES)
    .map((r) => ({ semantics: r.semantics ?? 'upstream', cold: r.spin_speed_over_packed, warm: r.spin_speed_over_packed_warm }));
  const spinSemantics = [...new Set(spin.map((r) => r.semantics))];
  const spinMeasured = spinSemantics.map((name) => {
    const rows = spin.filter((r) => r.semantics === name);
    const c = range(
      rows.map((r) => r.cold),
      'x',
    );
    const w = range(
      rows.map((r) => r.warm),
      'x',
    );
    return `${name}: Spin ${c} as fast, cold (${w} with V8 warm), over ${rows.length} whole space${rows.length === 1 ? '' : 's'}`;
  });

  // A search that did not end in its wall time (or whose child failed) has no figures: not closed, on its time budget.
  const measured = results.packed_default_scope.filter((r): r is DefaultRow => !('not_closed' in r));
  const defaults = results.packed_default_scope.map((r) =>
    'not_closed' in r
      ? { semantics: r.semantics, fixpoint: false, cpu: Infinity, budget: undefined }
      : { semantics: r.semantics, fixpoint: r.fixpoint, cpu: r.cpu_seconds, budget: r.state_budget?.states },
  );
  const closed = defaults.filter((r) => r.fixpoint);
  const underAMinute = closed.filter((r) => underMinute(r.cpu)).sort((a, b) => a.cpu - b.cpu);
  const open = defaults.filter((r) => !r.fixpoint);
  const upstream = defaults.find((r) => r.semantics === 'upstream');
  const budgets = [...new Set(open.map((r) => (r.budget === undefined ? 'time' : `${r.budget.toLocaleString('en-US')}-state`)))];
  const wholeMeasured = [
    `${count(underAMinute.length, defaults.length)}${underAMinute.length ? ` (${underAMinute.map((r) => `${r.semantics} ${r.cpu}`).join(', ')} cpu-s)` : ''}`,
    ...(upstream ? [upstream.fixpoint ? `upstream ${upstream.cpu} cpu-s` : 'upstream does not close'] : []),
    `${count(closed.length, defaults.length)} close${closed.length ? `, up to ${Math.max(...closed.map((r) => r.cpu))} cpu-s` : ''}`,
    ...(open.length ? [`${open.map((r) => r.semantics).join(', ')} stop at ${budgets.map((b) => `the ${b} budget`).join(' or ')}`] : []),
  ].join('; ');
  const stored = measured.map((r) => r.bytes_per_stored_state);
  const withCovering = measured.flatMap((r) =>
    r.covering_bytes_per_stored_state === undefined
      ? []
      : [Math.round((r.bytes_per_stored_state + r.covering_bytes_per_stored_state) * 10) / 10],
  );
  const frontier = measured.map((r) => r.bytes_per_frontier_entry);

  const twoCores = results.packed_spec_two_cores
    .filter((r) => r.model === 'lockstep')
    .map((r) => ({ scope: r.scope, speedUp: r.speed_up, twoWorkers: r.wall_seconds_two_workers }));
  const reach = LARGER_SCOPES.map((scope) => {
    const row = results.packed_lockstep_reach.find((r) => r.scope === scope);
    if (!row) throw new KlpcheckError('E_SCHEMA', `has no row of ${scope}, a scope issue 11 asks for`, file, '/packed_lockstep_reach');
    return { scope, cpu: row.cpu_seconds, two: twoCores.find((r) => r.scope === scope) };
  });

  const checked = results.throughput.map((r) => r.checked_over_bare);
  const conformance = results.throughput.map((r) => r.conformance_over_bare);
  const walks = results.packed_walks.map((r) => r.packed_over_bare);

  const rows: string[][] = [
    [
      'spec-level states a cpu-second: the spec model alone, against Spin on the same model in Promela (`klpcheck promela`), for the semantics the bench measures beside Spin',
      'within 2x',
      spin.length ? `${spinMeasured.join('; ')} of over a million states` : 'no Spin row of over a million states',
      `cold: ${verdict(
        spin.map((r) => r.cold),
        within2x,
      )}; warm: ${verdict(
        spin.map((r) => r.warm),
        within2x,
      )}`,
      '`packed_spec_against_spin`',
    ],
    [
      "each semantics' whole space at patches=2,functions=2,states=1,tasks=2 (explore's default), every property checked, one thread",
      'under a minute',
      wholeMeasured,
      // A search that did not close is not under a minute, whatever its time to the budget.
      verdict(
        defaults.map((r) => (r.fixpoint ? r.cpu : Infinity)),
        underMinute,
      ),
      '`packed_default_scope`',
    ],
    [
      'bytes a stored state (visited table, arena and offsets)',
      'under 100',
      `${range(stored)}${withCovering.length ? `; ${range(withCovering)} with the index of covered states, where a search has one` : ''}`,
      verdict([...stored, ...withCovering], under100),
      '`packed_default_scope`',
    ],
    [
      "bytes a frontier entry (a state's number in the level under way)",
      'under 100',
      range(frontier),
      verdict(frontier, under100),
      '`packed_default_scope`',
    ],
    [
      "issue 11's two larger scopes, every property checked",
      'within a minute',
      reach.map((r) => `${r.scope}: ${r.cpu} cpu-s on one thread${r.two ? `, ${r.two.twoWorkers} s on two workers` : ''}`).join('; '),
      `one thread: ${verdict(
        reach.map((r) => r.cpu),
        underMinute,
      )}`,
      '`packed_lockstep_reach`, `packed_spec_two_cores`',
    ],
    [
      'two cores over one, every property checked',
      'none set: to report',
      twoCores.map((r) => `x${r.speedUp} at ${r.scope}`).join('; '),
      '-',
      '`packed_spec_two_cores`',
    ],
    [
      "random runs' checked steps over the bare reference implementation's (nothing checked)",
      '3x',
      `run and compare (fast-check): ${range(checked, 'x')} with every property, ${range(conformance, 'x')} with conformance alone; ` +
        `simulate (the packed engine's walks): ${range(walks, 'x')} with every property`,
      `run and compare: every property ${verdict(checked, within3x)}, conformance alone ${verdict(conformance, within3x)}; ` +
        `simulate: ${verdict(walks, within3x)}`,
      '`throughput`, `packed_walks`',
    ],
  ];
  const header = ['figure', 'goal', 'measured', 'met', 'bench/results.json'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * `readme` with the text between its markers replaced by `table`. Errors:
 * E_USAGE for a README without both markers, in that order, once each.
 */
export function withGoalsTable(readme: string, table: string): string {
  const begin = readme.indexOf(GOALS_BEGIN);
  const end = readme.indexOf(GOALS_END);
  if (begin < 0 || end < begin || readme.indexOf(GOALS_BEGIN, begin + 1) >= 0 || readme.indexOf(GOALS_END, end + 1) >= 0)
    throw new KlpcheckError('E_USAGE', "the goals table's markers are not there once each, in order");
  return `${readme.slice(0, begin + GOALS_BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}
