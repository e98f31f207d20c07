/** The help texts, built from the command table. */
import { shardForm } from '../harness/numbers.ts';
import { COMMON_OPTIONS, shardMax, type Command, type Options } from './command.ts';
import { ERROR_CODE_HELP, EXIT_HELP } from './exit.ts';
import { WORKER_HEAP_MIB, WORKER_HEAP_VARIABLE } from './worker-heap.ts';

const indent = (lines: readonly string[]) => lines.map((l) => `  ${l}`);

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return indent(rows.map(([left, right]) => `${left.padEnd(width)}  ${right}`));
}

function optionRows(options: Options): [string, string][] {
  return Object.entries(options).map(([name, o]) => {
    const long = `--${name}${o.arg ? ` ${o.arg}` : ''}`;
    const notes = [
      o.type === 'whole' && o.range ? `${o.range.min} to ${o.range.max}${o.orWord ? ` or ${o.orWord}` : ''}` : '',
      o.type === 'shard' ? shardForm(shardMax(o)) : '',
      o.requires?.length ? `needs ${o.requires.map((r) => `--${r}`).join(', ')}` : '',
      o.conflicts?.length ? `not with ${o.conflicts.map((c) => `--${c}`).join(', ')}` : '',
    ].filter(Boolean);
    return [o.short ? `-${o.short}, ${long}` : `    ${long}`, notes.length ? `${o.help} [${notes.join('; ')}]` : o.help];
  });
}

const ENVIRONMENT = table([
  ['NO_COLOR', 'set and non-empty: no colour (colour is only used when stdout is a terminal)'],
  ['KLPCHECK_DEBUG', 'set: an internal error also prints its stack'],
  [
    WORKER_HEAP_VARIABLE,
    `explore, compare --exhaustive: each worker thread's heap limit in MiB, ${WORKER_HEAP_MIB.min} to ${WORKER_HEAP_MIB.max} (default: node's own)`,
  ],
]);

export function mainHelp(commands: readonly Command[]): string {
  return [
    'klpcheck - model-check Linux kernel livepatch replace semantics',
    '',
    'Usage: klpcheck <command> [options] [operands]',
    '       klpcheck <command> --help',
    '',
    'Commands:',
    ...table(commands.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    ...table([
      ['-h, --help', 'show this help'],
      ['-V, --version', 'print the version'],
    ]),
    '',
    'Exit codes:',
    ...indent(EXIT_HELP),
    '',
    'Error codes (the [CODE] of an exit-2 line):',
    ...indent(ERROR_CODE_HELP),
    '',
    'Environment:',
    ...ENVIRONMENT,
    '',
    'Example:',
    '  npx klpcheck selftests',
    '',
  ].join('\n');
}

export function commandHelp(cmd: Command): string {
  return [
    `klpcheck ${cmd.name} - ${cmd.summary}`,
    '',
    `Usage: klpcheck ${cmd.name} [options]${cmd.operands ? ` ${cmd.operands}` : ''}`,
    '',
    ...cmd.description,
    '',
    'Options:',
    ...table(optionRows({ ...cmd.options, ...COMMON_OPTIONS })),
    '',
    'Exit codes:',
    ...indent(EXIT_HELP),
    '',
    cmd.examples.length > 1 ? 'Examples:' : 'Example:',
    ...indent(cmd.examples),
    '',
  ].join('\n');
}
