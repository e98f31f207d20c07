/**
 * Spin's multi-core mode on the models `klpcheck promela` writes
 * (promela/multicore.ts), written to bench/spin-cores.json: for each
 * semantics, pan's own seconds over one whole space with the default model
 * on one core, and with the multi-core model (`--multicore`) on one core and
 * on two (-DNCORE=2), the fastest of three rounds each, taken in turn; the
 * states each stored, which must be the same, and each model's state
 * vector. A semantics whose counts differ, or whose Spin run fails (pan cut
 * short, a step that exits with an error), is written as skipped with the
 * reason, the others' rows are written, and the run exits 1. gcc's compile
 * of pan is not timed. `npm run bench:spin-cores -- [--scope S] [--semantics
 * A,B]` (default: upstream at patches=2,functions=2,states=1,tasks=2).
 * Errors: a bad argument, a model past MAX_MODEL_CHARS, or Spin not
 * installed, is one line and exit 2, before anything runs.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomically } from '../harness/atomic-write.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { depthBoundIn, formatScope, parseScope } from '../harness/explore/scope.ts';
import { selectedSemantics } from '../cli/selection.ts';
import { promelaModel } from '../promela/model.ts';
import { promelaRule } from '../promela/rules.ts';
import { runSpin, spinMissing } from '../promela/spin.ts';
import { refuseOptionsGivenTwice } from './options-once.ts';

const OUT = fileURLToPath(new URL('./spin-cores.json', import.meta.url));
const ROUNDS = 3;
const DEFAULT_SCOPE = 'patches=2,functions=2,states=1,tasks=2';
const say = (t: string) => process.stderr.write(`${t}\n`);

/**
 * The largest model text this bench runs, in characters: patches=3,functions=3,states=2,tasks=2
 * writes about half a megabyte, patches=5,functions=6,states=3,tasks=3 87 MB, whose nine pan runs
 * would take hours (helper-119). A scope past it is refused before anything runs.
 */
const MAX_MODEL_CHARS = 8 * 2 ** 20;

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

/** One semantics' two models at one scope (its text), as the bench runs them. */
export interface SpinCoresModels {
  readonly name: string;
  readonly scopeText: string;
  readonly plain: string;
  readonly multi: string;
}

/** The three runs of one semantics' models, ROUNDS times in turn. */
export function spinCores({ name, scopeText, plain, multi }: SpinCoresModels): SpinCoresRow {
  try {
    return measured(name, scopeText, plain, multi);
  } catch (e) {
    // Spin's own failure (pan cut short, a step that exits with an error): this semantics' row says so, the others run.
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    return { semantics: name, scope: scopeText, skipped: reason };
  }
}

/** The three runs of the two models, ROUNDS times in turn (spinCores); throws as runSpin does. */
function measured(name: string, scopeText: string, plain: string, multi: string): SpinCoresRow {
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
      say(`${name}: round ${r + 1} of ${ROUNDS}, ${side.replaceAll('_', ' ')}`);
      const report = run();
      stored.add(report.stored);
      if (r === 0) vectors.push(report.vectorBytes);
      runs[side].push(report.seconds);
    }
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
function benchArguments(): readonly SpinCoresModels[] {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        options: { scope: { type: 'string' }, semantics: { type: 'string' } },
        strict: true,
        allowPositionals: false,
        tokens: true,
      });
    } catch (e) {
      throw new KlpcheckError('E_USAGE', `${(e as Error).message.split('\n')[0]} (options: --scope S, --semantics A,B)`);
    }
    refuseOptionsGivenTwice(parsed.tokens);
    const values = parsed.values;
    const depth = depthBoundIn(values.scope);
    if (depth !== undefined) throw new KlpcheckError('E_USAGE', `Spin searches whole spaces: no depth bound, not '${depth}'`);
    const scope = parseScope(values.scope ?? DEFAULT_SCOPE, undefined, ['patches', 'functions', 'states', 'tasks', 'depth']);
    const semantics = values.semantics === undefined ? ['upstream'] : selectedSemantics(values.semantics).map((s) => s.name);
    const scopeText = formatScope(scope, false);
    const models = semantics.map((name) => {
      const rule = promelaRule(name);
      const multi = promelaModel(rule, scope, { multicore: true });
      if (multi.length > MAX_MODEL_CHARS)
        throw new KlpcheckError(
          'E_USAGE',
          `${name}'s model at ${scopeText} is ${Math.round(multi.length / 2 ** 20)} MB, past the ${MAX_MODEL_CHARS / 2 ** 20} MB this bench runs: use a smaller scope`,
        );
      return { name, scopeText, plain: promelaModel(rule, scope), multi };
    });
    const missing = spinMissing();
    if (missing) throw new KlpcheckError('E_USAGE', `Spin is needed: ${missing}`);
    return models;
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    say(new KlpcheckError(e.code, `bench:spin-cores: ${e.message}`, e.file, e.where).format());
    process.exit(2);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const models = benchArguments();
  const load = loadavg().map((x) => Math.round(x * 100) / 100);
  const started = new Date().toISOString();
  const rows = models.map((m) => {
    const row = spinCores(m);
    say(
      'skipped' in row
        ? `${row.semantics}: skipped: ${row.skipped}`
        : `${row.semantics}: ${row.states} states; default model ${row.seconds.default_one_core} s on one core; multi-core model ${row.seconds.multicore_one_core} s on one, ${row.seconds.multicore_two_cores} s on two`,
    );
    return row;
  });
  const file = { started, ended: new Date().toISOString(), load_average_at_start: load, rounds: ROUNDS, rows };
  writeFileAtomically(OUT, `${JSON.stringify(file, null, 2)}\n`);
  say(`bench:spin-cores: written to bench/spin-cores.json`);
  if (rows.some((r) => 'skipped' in r)) {
    say('bench:spin-cores: a row was skipped (above), so exit 1');
    process.exit(1);
  }
}
