/**
 * What a command is: its help and its options as data (so --help is made
 * from the same table parseArgs reads and cannot drift), and its run().
 * Adding a command is a file in cli/commands/ and a line in cli/main.ts.
 */
import { parseArgs } from 'node:util';
import { KlpcheckError } from '../harness/errors.ts';
import type { Io } from './io.ts';

export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** Placeholder of a string option's value in the help, e.g. SEED. */
  readonly arg?: string;
  readonly help: string;
}

export type Options = Readonly<Record<string, OptionSpec>>;

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  /** One line, shown in `klpcheck --help`. */
  readonly summary: string;
  /** What follows `klpcheck <name> [options]` in the usage line. */
  readonly operands: string;
  readonly description: readonly string[];
  readonly options: Options;
  readonly examples: readonly string[];
  run(args: Parsed, io: Io): Promise<number>;
}

/** Every command takes these. */
export const COMMON_OPTIONS: Options = {
  'no-color': { type: 'boolean', help: 'never colour the output (also: NO_COLOR set and non-empty)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** parseArgs with its errors turned into one-line E_USAGE errors that point at the help. */
export function parseCommandLine(cmd: Command, argv: readonly string[]): Parsed {
  const options = Object.fromEntries(
    Object.entries({ ...cmd.options, ...COMMON_OPTIONS }).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: cmd.operands !== '' });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw e;
    throw new KlpcheckError('E_USAGE', `${usageMessage(code, (e as Error).message)}; see 'klpcheck ${cmd.name} --help'`);
  }
}

function usageMessage(code: string, nodeMessage: string): string {
  const quoted = /'([^']*)'/.exec(nodeMessage)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${quoted}'`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    default:
      // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: "Option '--x' does not take an argument" and the like.
      return nodeMessage.split('\n')[0]!.replace(/^\w/, (c) => c.toLowerCase());
  }
}
