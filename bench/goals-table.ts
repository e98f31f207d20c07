/**
 * Issue 11's figures against its goals, as one markdown table made from
 * bench/results.json: the README holds it between GOALS_BEGIN and
 * GOALS_END, `npm run bench` writes it there after each run
 * (bench/run.ts), and test/readme-goals-table.test.ts checks that the
 * README's table is the one the file gives, so the table never says what
 * the file does not. Each row names the file's key it is read from.
 *
 * The goals are issue 11's ("Exhaustive exploration at Spin's speed", filed
 * by a session, figures to report): within 2x of Spin per spec-level state,
 * each semantics' whole space of patches=2,functions=2,states=1,tasks=2
 * under a minute on one core, under 100 bytes a stored state and a frontier
 * entry, the two larger scopes within a minute, and checked random runs
 * within 3x of the bare kernel's cost.
 */

/** The README's markers around the table (README.md, "Where issue 11's goals stand"). */
export const GOALS_BEGIN = '<!-- goals-table: made by bench/goals-table.ts from bench/results.json; npm run bench rewrites it -->';
export const GOALS_END = '<!-- goals-table end -->';

/** A bench/results.json row of a packed search (bench/packed-spec.ts row), as far as the table reads it. */
interface SearchRow {
  readonly semantics?: string;
  readonly scope: string;
  readonly fixpoint?: boolean;
  readonly cpu_seconds?: number;
  readonly bytes_per_stored_state?: number;
  readonly covering_bytes_per_stored_state?: number;
  readonly bytes_per_frontier_entry?: number;
  readonly not_closed?: string;
}

/** What the table reads of bench/results.json; any other key is ignored. */
export interface GoalsResults {
  readonly packed_spec_against_spin: readonly {
    readonly scope: string;
    readonly spin_states: number;
    readonly spin_speed_over_packed: number;
    readonly spin_speed_over_packed_warm: number;
  }[];
  readonly packed_default_scope: readonly SearchRow[];
  readonly packed_lockstep_reach: readonly SearchRow[];
  readonly packed_spec_two_cores: readonly {
    readonly scope: string;
    readonly model: string;
    readonly speed_up: number;
    readonly wall_seconds_two_workers: number;
  }[];
  readonly throughput: readonly {
    readonly semantics: string;
    readonly conformance_over_bare: number;
    readonly checked_over_bare: number;
  }[];
  readonly packed_walks: readonly { readonly semantics: string; readonly packed_over_bare: number }[];
}

/** Spin's scopes the ratio is quoted for: those of over a million states (smaller ones time V8's start more than the search). */
const SPIN_SCOPE_STATES = 1_000_000;
/** Issue 11's larger scopes, each to be searched within a minute. */
const LARGER_SCOPES = ['patches=3,functions=2,states=1,tasks=2,depth=6', 'patches=3,functions=3,states=2,tasks=2,depth=4'];

const range = (xs: readonly number[], unit = ''): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? `${lo}${unit}` : `${lo}${unit} to ${hi}${unit}`;
};
const count = (n: number, of: number) => `${n} of ${of}`;
const verdict = (met: number, of: number) => (met === of ? 'met' : met === 0 ? 'not met' : `met in ${count(met, of)}`);

/** A key's rows, refused with the key's name when the file lacks it (a results file from before that figure). */
function rowsOf<K extends keyof GoalsResults>(results: GoalsResults, key: K): GoalsResults[K] {
  const rows = results[key];
  if (!Array.isArray(rows) || rows.length === 0) throw new Error(`bench/results.json has no rows of ${key}`);
  return rows;
}

/**
 * The table, lines joined by "\n", without the markers. Errors: a key the
 * table reads that the file lacks, or a larger scope with no row.
 */
export function goalsTable(results: GoalsResults): string {
  const spin = rowsOf(results, 'packed_spec_against_spin').filter((r) => r.spin_states > SPIN_SCOPE_STATES);
  const cold = spin.map((r) => r.spin_speed_over_packed);
  const warm = spin.map((r) => r.spin_speed_over_packed_warm);
  const within = (xs: readonly number[]) => xs.filter((x) => x <= 2).length;

  const defaults = rowsOf(results, 'packed_default_scope');
  const closed = defaults.filter((r) => r.fixpoint === true);
  const underAMinute = closed.filter((r) => r.cpu_seconds! < 60).sort((a, b) => a.cpu_seconds! - b.cpu_seconds!);
  const open = defaults.filter((r) => r.fixpoint !== true).map((r) => r.semantics!);
  const upstream = defaults.find((r) => r.semantics === 'upstream');
  const stored = defaults.map((r) => r.bytes_per_stored_state!);
  const withCovering = defaults.map((r) => Math.round((r.bytes_per_stored_state! + (r.covering_bytes_per_stored_state ?? 0)) * 10) / 10);
  const frontier = defaults.map((r) => r.bytes_per_frontier_entry!);

  const reach = LARGER_SCOPES.map((scope) => {
    const row = rowsOf(results, 'packed_lockstep_reach').find((r) => r.scope === scope);
    if (!row) throw new Error(`bench/results.json has no packed_lockstep_reach row of ${scope}`);
    const two = results.packed_spec_two_cores?.find((r) => r.scope === scope && r.model === 'lockstep');
    return { scope, cpu: row.cpu_seconds!, two };
  });
  const reachMet = reach.filter((r) => r.cpu < 60).length;

  const twoCores = rowsOf(results, 'packed_spec_two_cores').filter((r) => r.model === 'lockstep');
  const throughput = rowsOf(results, 'throughput');
  const walks = rowsOf(results, 'packed_walks');
  const checked = throughput.map((r) => r.checked_over_bare);
  const conformance = throughput.map((r) => r.conformance_over_bare);
  const packed = walks.map((r) => r.packed_over_bare);

  const rows: string[][] = [
    [
      'spec-level states a cpu-second, against Spin on the same upstream model',
      'within 2x',
      `Spin ${range(cold, 'x')} as fast, cold (${range(warm, 'x')} with V8 warm), over ${spin.length} whole spaces of over a million states`,
      `cold: ${verdict(within(cold), spin.length)}; warm: ${verdict(within(warm), spin.length)}`,
      '`packed_spec_against_spin`',
    ],
    [
      "each semantics' whole space at patches=2,functions=2,states=1,tasks=2 (explore's default), one thread",
      'under a minute',
      `${count(underAMinute.length, defaults.length)} (${underAMinute.map((r) => `${r.semantics} ${r.cpu_seconds}`).join(', ')} cpu-s); ` +
        `upstream ${upstream?.cpu_seconds ?? '?'} cpu-s; ${count(closed.length, defaults.length)} close, up to ${Math.max(...closed.map((r) => r.cpu_seconds!))} cpu-s; ` +
        `${open.join(', ')} stop at the 24,000,000-state budget`,
      verdict(underAMinute.length, defaults.length),
      '`packed_default_scope`',
    ],
    [
      'bytes a stored state',
      'under 100',
      `${range(stored)} (${range(withCovering)} with the covering index)`,
      verdict(withCovering.filter((b) => b < 100).length, withCovering.length),
      '`packed_default_scope`',
    ],
    [
      'bytes a frontier entry',
      'under 100',
      range(frontier),
      verdict(frontier.filter((b) => b < 100).length, frontier.length),
      '`packed_default_scope`',
    ],
    [
      'the larger scopes, kernel in lockstep, every property checked',
      'within a minute',
      reach
        .map((r) => `${r.scope} ${r.cpu} cpu-s on one thread${r.two ? ` (${r.two.wall_seconds_two_workers} s on two workers)` : ''}`)
        .join('; '),
      verdict(reachMet, reach.length),
      '`packed_lockstep_reach`, `packed_spec_two_cores`',
    ],
    [
      'two cores over one, lockstep search',
      'reported',
      twoCores.map((r) => `x${r.speed_up} at ${r.scope}`).join('; '),
      'reported',
      '`packed_spec_two_cores`',
    ],
    [
      "checked random runs over the bare kernel's cost",
      '3x',
      `${range(checked, 'x')} with every property, ${range(conformance, 'x')} with conformance alone (run and compare); ` +
        `${range(packed, 'x')} on the packed lockstep's walks (simulate)`,
      `met by the walks in ${count(packed.filter((x) => x <= 3).length, packed.length)}; by run's checks in ${count(checked.filter((x) => x <= 3).length, checked.length)}`,
      '`throughput`, `packed_walks`',
    ],
  ];
  const header = ['figure', 'goal', 'measured', 'met', 'bench/results.json'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * `readme` with the text between its markers replaced by `table`. Errors:
 * a README without both markers, in that order, once each.
 */
export function withGoalsTable(readme: string, table: string): string {
  const begin = readme.indexOf(GOALS_BEGIN);
  const end = readme.indexOf(GOALS_END);
  if (begin < 0 || end < begin || readme.indexOf(GOALS_BEGIN, begin + 1) >= 0 || readme.indexOf(GOALS_END, end + 1) >= 0)
    throw new Error("README.md: the goals table's markers are not there once each, in order");
  return `${readme.slice(0, begin + GOALS_BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}
