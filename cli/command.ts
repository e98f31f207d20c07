/**
 * What a command is: its help and its options as data (so --help is made
 * from the same table parseArgs reads and cannot drift), and its run().
 * Adding a command is a file in cli/commands/ and a line in cli/main.ts.
 *
 * Everything a command line can get wrong without reading a file is checked
 * here, from the table, before run() starts: unknown options, numbers (one
 * parser with bounds, harness/numbers.ts), an option that takes a value
 * given twice, options that conflict or need another, operands where the
 * command takes none, and `-` as an operand (every operand is a file to
 * read). A new command declares these and inherits the checks.
 */
import { parseArgs } from 'node:util';
import { KlpcheckError } from '../harness/errors.ts';
import { parseSeed, parseShard, parseWhole, type Range } from '../harness/numbers.ts';
import type { Io } from './io.ts';
import { unspaced } from '../harness/unspaced.ts';

export interface OptionSpec {
  /**
   * 'whole' is a whole number within `range`, 'seed' a fast-check seed or
   * 'random', 'shard' an i/n with n <= range.max; parseCommandLine turns all
   * three into numbers (a shard into { index, count }).
   */
  readonly type: 'boolean' | 'string' | 'whole' | 'seed' | 'shard';
  readonly short?: string;
  /** Placeholder of a value in the help, e.g. SEED. */
  readonly arg?: string;
  readonly help: string;
  /** For 'whole' and 'shard': the accepted values, shown in the help. */
  readonly range?: Range;
  /** For 'whole': a word taken as well as a number (`--max-states any`), kept as the string; the help shows it. */
  readonly orWord?: string;
  /** Options that make no sense together with this one: giving both is E_USAGE. */
  readonly conflicts?: readonly string[];
  /** Options without which this one means nothing: giving it alone is E_USAGE. */
  readonly requires?: readonly string[];
}

export type Options = Readonly<Record<string, OptionSpec>>;

export type OptionValue = string | boolean | number | { readonly index: number; readonly count: number } | undefined;

export interface Parsed {
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  /** One line, shown in `klpcheck --help`. */
  readonly summary: string;
  /** What follows `klpcheck <name> [options]` in the usage line. */
  readonly operands: string;
  /** The option without which operands mean nothing (explore's FILE... needs --merge). */
  readonly operandsNeed?: string;
  readonly description: readonly string[];
  readonly options: Options;
  readonly examples: readonly string[];
  /**
   * Whether run() with these arguments takes Ctrl-C itself to stop cleanly and
   * report (cli/interrupt.ts); when absent or false, Ctrl-C ends it at once.
   */
  readonly stopsOnInterrupt?: (args: Parsed) => boolean;
  run(args: Parsed, io: Io): Promise<number>;
}

/** Every command takes these. */
export const COMMON_OPTIONS: Options = {
  'no-color': { type: 'boolean', help: 'never colour the output (also: NO_COLOR set and non-empty)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** The largest n a 'shard' option's i/n takes: its range's max, else 1024. The help shows the same. */
export function shardMax(spec: OptionSpec): number {
  return spec.range?.max ?? 1024;
}

/** A declared 'whole' or 'seed' option's number, or `fallback` when it was not given. */
export function numberOption(values: Parsed['values'], name: string, fallback: number): number {
  const v = values[name];
  return typeof v === 'number' ? v : fallback;
}

/**
 * parseArgs with its errors turned into one-line E_USAGE errors that point at
 * the help, then repeated values, the declared numbers, conflicts and
 * requirements checked.
 */
export function parseCommandLine(cmd: Command, argv: readonly string[]): Parsed {
  const all: Options = { ...cmd.options, ...COMMON_OPTIONS };
  const see = `see 'klpcheck ${cmd.name} --help'`;
  const options = Object.fromEntries(
    Object.entries(all).map(([name, o]) => {
      const type: 'boolean' | 'string' = o.type === 'boolean' ? 'boolean' : 'string';
      return [name, o.short ? { type, short: o.short } : { type }];
    }),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: negativeNumbersJoined(argv, all),
      options,
      strict: true,
      allowPositionals: cmd.operands !== '',
      tokens: true,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw e;
    throw new KlpcheckError('E_USAGE', `${usageMessage(code, (e as Error).message, Object.keys(all))}; ${see}`);
  }
  refuseRepeatedValues(parsed.tokens ?? [], all, see);
  const given = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, OptionValue> = {};
  for (const [name, raw] of Object.entries(given)) {
    const spec = all[name]!;
    values[name] = typeof raw === 'string' ? optionValue(`--${name}`, spec, raw) : raw;
  }
  for (const name of Object.keys(given)) {
    const spec = all[name]!;
    for (const other of spec.conflicts ?? []) {
      if (other in given) throw new KlpcheckError('E_USAGE', `--${name} and --${other} cannot be used together; ${see}`);
    }
    const missing = (spec.requires ?? []).filter((r) => !(r in given));
    if (missing.length) throw new KlpcheckError('E_USAGE', `--${name} needs ${missing.map((m) => `--${m}`).join(' and ')}; ${see}`);
  }
  if (cmd.operandsNeed && parsed.positionals.length && !(cmd.operandsNeed in given)) {
    throw new KlpcheckError(
      'E_USAGE',
      `unexpected argument '${parsed.positionals[0]}' (FILE operands go with --${cmd.operandsNeed}); ${see}`,
    );
  }
  refuseDashOperands(parsed.positionals);
  // An empty operand (a shell variable left unset) names no file: "no such file" without a name said nothing.
  if (parsed.positionals.includes('')) throw new KlpcheckError('E_USAGE', "an operand is empty (''): give a file or folder name");
  return { values, positionals: parsed.positionals };
}

/**
 * `-` is standard input to most tools; as a name it was looked up as a file
 * and refused as "no such file" (E_NO_FILE), which hid what went wrong.
 * Every command's operands are files it reads (scenario, replay, render, vm,
 * explore --merge), and none reads standard input: it is refused here, once
 * for all of them, as cli/output-files.ts refuses `-` for an output (E_USAGE).
 * `./-` still names a file called `-`.
 */
function refuseDashOperands(operands: readonly string[]): void {
  if (!operands.includes('-')) return;
  throw new KlpcheckError(
    'E_USAGE',
    "operand '-' is not taken for standard input, which klpcheck does not read (for a file named '-', write ./-)",
  );
}

/**
 * parseArgs takes `--workers -1` for an option whose value is missing ("argument
 * is ambiguous"), so a negative number would be refused in other words than
 * every other number out of range, and `--seed -5`, a seed fast-check runs,
 * would be refused at all. A number option followed by a dash and a digit
 * takes it as its value, as `--workers=-1` does; its parser then decides.
 */
function negativeNumbersJoined(argv: readonly string[], all: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const type = arg.startsWith('--') ? all[arg.slice(2)]?.type : undefined;
    const next = argv[i + 1];
    if ((type === 'whole' || type === 'seed' || type === 'shard') && next !== undefined && /^-[0-9]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * An option that takes a value, given twice (`--seed 1 --seed 2`): parseArgs
 * keeps the last, so a script that appends an option would silently run
 * something other than what one of them says. A flag given twice means the
 * same thing twice and is let through.
 */
function refuseRepeatedValues(tokens: readonly ParsedToken[], all: Options, see: string): void {
  const first = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || all[t.name]?.type === 'boolean') continue;
    const value = t.value ?? '';
    const had = first.get(t.name);
    if (had !== undefined) throw new KlpcheckError('E_USAGE', `--${t.name} given twice ('${had}', then '${value}'): give it once; ${see}`);
    first.set(t.name, value);
  }
}

type ParsedToken = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

function optionValue(flag: string, spec: OptionSpec, raw: string): OptionValue {
  switch (spec.type) {
    case 'whole':
      if (spec.orWord !== undefined && unspaced(raw) === spec.orWord) return spec.orWord; // trimmed as a number is (parseWhole), and as the scope's depth= any
      return parseWhole(raw, flag, spec.range ?? { min: 0, max: Number.MAX_SAFE_INTEGER }, spec.orWord && `or '${spec.orWord}'`);
    case 'seed':
      // 'random' is drawn here, once, so the seed printed is the seed used.
      return unspaced(raw) === 'random' ? Math.floor(Math.random() * 2 ** 31) : parseSeed(raw, flag);
    case 'shard':
      return parseShard(raw, flag, shardMax(spec));
    default:
      return raw;
  }
}

/**
 * The option a mistyped one most likely meant: the same name with a trailing
 * 's' added or taken off (run and explore take --invariant, compare
 * --invariants: hostile-user finding, stop 49), or undefined.
 */
function meantOption(given: string, known: readonly string[]): string | undefined {
  const name = given.replace(/^--/, '').split('=')[0]!;
  const other = name.endsWith('s') ? name.slice(0, -1) : `${name}s`;
  return given.startsWith('--') && known.includes(other) ? `--${other}` : undefined;
}

function usageMessage(code: string, nodeMessage: string, known: readonly string[]): string {
  const quoted = /'([^']*)'/.exec(nodeMessage)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const meant = meantOption(quoted, known);
      return `unknown option '${quoted}'${meant ? ` (did you mean ${meant}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    default:
      // "Option '--out' argument is ambiguous": the next word starts with a dash, so it was taken for an option.
      // The long form, even for a short option: `-o=-x` would name a file `=-x`.
      if (/argument is ambiguous/.test(nodeMessage)) {
        const long = /use '(--[^=']+)=/.exec(nodeMessage)?.[1] ?? quoted;
        return `${quoted} needs a value (write ${long}=VALUE for one that starts with a dash)`;
      }
      // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: "Option '--x' does not take an argument" and the like.
      return nodeMessage.split('\n')[0]!.replace(/^\w/, (c) => c.toLowerCase());
  }
}
