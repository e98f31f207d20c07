/**
 * Spin's multi-core mode on the models `klpcheck promela` writes
 * (promela/multicore.ts), written to bench/spin-cores.json: for each
 * semantics, pan's own seconds over one whole space with the default model
 * on one core, and with the multi-core model (`--multicore`) on one core and
 * on two (-DNCORE=2), the fastest of three rounds each, taken in turn; the
 * states each stored, which must be the same (a row whose counts differ is
 * written as skipped, and the run exits 1), and each model's state vector.
 * gcc's compile of pan is not timed. `npm run bench:spin-cores -- [--scope S]
 * [--semantics A,B]` (default: upstream at patches=2,functions=2,states=1,tasks=2).
 * Errors: a bad argument, or Spin not installed, is one line and exit 2.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomically } from '../harness/atomic-write.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { depthBoundIn, formatScope, parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import { selectedSemantics } from '../cli/selection.ts';
import { promelaModel } from '../promela/model.ts';
import { promelaRule } from '../promela/rules.ts';
import { runSpin, spinMissing } from '../promela/spin.ts';

const OUT = fileURLToPath(new URL('./spin-cores.json', import.meta.url));
const ROUNDS = 3;
const DEFAULT_SCOPE = 'patches=2,functions=2,states=1,tasks=2';
const say = (t: string) => process.stderr.write(`${t}\n`);

/** One semantics' row: pan's seconds (the fastest of ROUNDS) for each model and core count, or why it was skipped. */
export type SpinCoresRow =
  | {
      readonly semantics: string;
      readonly scope: string;
      readonly states: number;
      readonly vector_bytes: { readonly default: number; readonly multicore: number };
      readonly seconds: { readonly default_one_core: number; readonly multicore_one_core: number; readonly multicore_two_cores: number };
      readonly runs: { readonly default_one_core: number[]; readonly multicore_one_core: number[]; readonly multicore_two_cores: number[] };
    }
  | { readonly semantics: string; readonly scope: string; readonly skipped: string };

/** The three runs of one semantics at `scope`, ROUNDS times in turn. */
export function spinCores(name: string, scope: ExploreScope): SpinCoresRow {
  const rule = promelaRule(name);
  const plain = promelaModel(rule, scope);
  const multi = promelaModel(rule, scope, { multicore: true });
  const sides = [
    ['default_one_core', () => runSpin(plain)],
    ['multicore_one_core', () => runSpin(multi)],
    ['multicore_two_cores', () => runSpin(multi, 10_000_000, 2)],
  ] as const;
  const runs = { default_one_core: [] as number[], multicore_one_core: [] as number[], multicore_two_cores: [] as number[] };
  const stored = new Set<number>();
  const vectors: number[] = [];
  for (let r = 0; r < ROUNDS; r++)
    for (const [side, run] of sides) {
      const report = run();
      stored.add(report.stored);
      if (r === 0) vectors.push(report.vectorBytes);
      runs[side].push(report.seconds);
    }
  const scopeText = formatScope(scope, false);
  if (stored.size !== 1) return { semantics: name, scope: scopeText, skipped: `the models stored ${[...stored].join(' and ')} states` };
  return {
    semantics: name,
    scope: scopeText,
    states: [...stored][0]!,
    vector_bytes: { default: vectors[0]!, multicore: vectors[1]! },
    seconds: {
      default_one_core: Math.min(...runs.default_one_core),
      multicore_one_core: Math.min(...runs.multicore_one_core),
      multicore_two_cores: Math.min(...runs.multicore_two_cores),
    },
    runs,
  };
}

/** The command line, or one line and exit 2. */
function benchArguments(): { readonly scope: ExploreScope; readonly semantics: readonly string[] } {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        options: { scope: { type: 'string' }, semantics: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      throw new KlpcheckError('E_USAGE', `${(e as Error).message.split('\n')[0]} (options: --scope S, --semantics A,B)`);
    }
    const depth = depthBoundIn(values.scope);
    if (depth !== undefined) throw new KlpcheckError('E_USAGE', `Spin searches whole spaces: no depth bound, not '${depth}'`);
    const scope = parseScope(values.scope ?? DEFAULT_SCOPE, undefined, ['patches', 'functions', 'states', 'tasks', 'depth']);
    const semantics = values.semantics === undefined ? ['upstream'] : selectedSemantics(values.semantics).map((s) => s.name);
    for (const n of semantics) promelaRule(n);
    const missing = spinMissing();
    if (missing) throw new KlpcheckError('E_USAGE', `Spin is needed: ${missing}`);
    return { scope, semantics };
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    say(new KlpcheckError(e.code, `bench:spin-cores: ${e.message}`, e.file, e.where).format());
    process.exit(2);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = benchArguments();
  const load = loadavg().map((x) => Math.round(x * 100) / 100);
  const rows = args.semantics.map((name) => {
    const row = spinCores(name, args.scope);
    say(
      'skipped' in row
        ? `${name}: skipped: ${row.skipped}`
        : `${name}: ${row.states} states; default model ${row.seconds.default_one_core} s on one core; multi-core model ${row.seconds.multicore_one_core} s on one, ${row.seconds.multicore_two_cores} s on two`,
    );
    return row;
  });
  const file = { date: new Date().toISOString(), load_average_at_start: load, rounds: ROUNDS, rows };
  writeFileAtomically(OUT, `${JSON.stringify(file, null, 2)}\n`);
  say(`bench:spin-cores: written to bench/spin-cores.json`);
  if (rows.some((r) => 'skipped' in r)) process.exit(1);
}
