/**
 * The klpcheck command: finds the command, parses its options, runs it, and
 * is the one place that turns errors into exit codes. A KlpcheckError is the
 * user's (bad input, bad usage): one line, exit 2. Anything else is a bug in
 * klpcheck: one line, exit 70.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROLS, escapeControls, KlpcheckError } from '../harness/errors.ts';
import { parseCommandLine, type Command } from './command.ts';
import { compare } from './commands/compare.ts';
import { downgrades } from './commands/downgrades.ts';
import { explore } from './commands/explore.ts';
import { protocols } from './commands/protocols.ts';
import { relate } from './commands/relate.ts';
import { promela } from './commands/promela.ts';
import { render } from './commands/render.ts';
import { replay } from './commands/replay.ts';
import { run } from './commands/run.ts';
import { scenario } from './commands/scenario.ts';
import { selftests } from './commands/selftests.ts';
import { simulate } from './commands/simulate.ts';
import { vm } from './commands/vm.ts';
import { EXIT } from './exit.ts';
import { commandHelp, mainHelp } from './help.ts';
import { earlySignal, setEarlyInterrupts, takeEarlyInterrupts, type EarlySignal } from './interrupt.ts';
import { processIo, type Io } from './io.ts';
import { VERSION } from './version.ts';

/** One line per command; `klpcheck --help` lists them in this order. */
export const COMMANDS: readonly Command[] = [
  selftests,
  scenario,
  run,
  replay,
  compare,
  explore,
  simulate,
  promela,
  render,
  protocols,
  downgrades,
  relate,
  vm,
];

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new KlpcheckError('E_USAGE', "no command given; see 'klpcheck --help'");
  const asksHelp = (a: string) => a === '-h' || a === '--help' || a === 'help';
  const asksVersion = (a: string) => a === '-V' || a === '--version';
  // `help help`, `--version --help` and `--help --version` were refused (hostile users, stops 40 and 41): help wins
  // there too, as it does after a command.
  if (asksHelp(first) || (asksVersion(first) && rest.length === 1 && asksHelp(rest[0]!))) {
    const cmd = rest[0] === undefined || asksHelp(rest[0]) || asksVersion(rest[0]) ? undefined : find(rest[0]);
    io.stdout(cmd ? commandHelp(cmd) : mainHelp(COMMANDS));
    return EXIT.ok;
  }
  if (first === '-V' || first === '--version') {
    // `-V extra` printed the version and exit 0, as if the rest had been read (hostile-user nit, stop 35).
    if (rest.length) throw new KlpcheckError('E_USAGE', `${first} takes nothing after it, not '${rest[0]}'; see 'klpcheck --help'`);
    io.stdout(`klpcheck ${VERSION}\n`);
    return EXIT.ok;
  }
  if (first.startsWith('-')) throw new KlpcheckError('E_USAGE', `unknown option '${first}'; see 'klpcheck --help'`);
  const cmd = find(first);
  // Help wins wherever it is asked for, before the rest is read: `relate --depth 99 --help` was the range error.
  const options = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
  if (options.includes('--help') || options.includes('-h')) {
    io.stdout(commandHelp(cmd));
    return EXIT.ok;
  }
  const args = parseCommandLine(cmd, rest);
  if (args.values.help) {
    io.stdout(commandHelp(cmd));
    return EXIT.ok;
  }
  if (cmd.stopsOnInterrupt?.(args)) return cmd.run(args, io);
  // Any other command gets Node's default back, so that Ctrl-C ends it at once, in the middle of synchronous work too:
  // after one turn of the event loop, in which a Ctrl-C already received reaches the counting listener, which then
  // goes. One sent while the modules loaded ends the command now, by the signal that came first (earlySignal).
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (takeEarlyInterrupts() > 0) {
    // The process dies of the signal (the shell reports 130 or 143); the code returned is for main()'s tests.
    process.kill(process.pid, earlySignal());
    return EXIT.interrupted;
  }
  return cmd.run(args, io);
}

function find(name: string): Command {
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) throw new KlpcheckError('E_USAGE', `unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  return cmd;
}

/**
 * Text from input files (a scenario's name, a patch name, a log line) reaches
 * the terminal through here: control characters are escaped, except newline
 * and tab, and, on a terminal, the colour and line-erase sequences klpcheck
 * itself writes (cli/style.ts, cli/progress.ts) and carriage return.
 */
export function inert(text: string, isTTY: boolean): string {
  const keep = isTTY ? /^(?:\n|\t|\r|\x1b\[[0-9;]*[mK])$/ : /^(?:\n|\t)$/;
  return text.replace(TERMINAL_CONTROLS, (m) => (keep.test(m) ? m : escapeControls(m)));
}

const TERMINAL_CONTROLS = new RegExp(`\x1b\\[[0-9;]*[mK]|${CONTROLS.source}`, 'g');

/**
 * Runs one command line and returns the exit code (cli/exit.ts); errors end
 * here as one line on stderr. `earlyInterrupts`: the Ctrl-Cs bin/klpcheck.mjs
 * counts while the modules load, before any command listens: a function that
 * gives the count and stops the counting (cli/interrupt.ts), or a count;
 * `firstEarly`, which signal of them came first.
 */
export async function main(
  argv: string[],
  rawIo: Io = processIo(),
  earlyInterrupts: number | (() => number) = 0,
  firstEarly: () => EarlySignal | undefined = () => undefined,
): Promise<number> {
  setEarlyInterrupts(earlyInterrupts, firstEarly);
  const io: Io = {
    ...rawIo,
    stdout: (t) => rawIo.stdout(inert(t, rawIo.stdoutIsTTY)),
    stderr: (t) => rawIo.stderr(inert(t, rawIo.stderrIsTTY)),
  };
  try {
    const code = await dispatch(argv, io);
    // After the command's own files are written: a late error, exit 2 (cli/io.ts processIo).
    const late = rawIo.outputFailure?.();
    if (late) throw late;
    return code;
  } catch (e) {
    // On a terminal the line is erased first: a refusal in the middle of a run went onto its progress line
    // (cli/progress.ts; relate's, stop 42's hostile user). An empty line is erased as nothing.
    const erase = rawIo.stderrIsTTY ? '\r\x1b[K' : '';
    if (e instanceof KlpcheckError) {
      io.stderr(`${erase}${e.format()}\n`);
      return EXIT.usage;
    }
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    io.stderr(`${erase}klpcheck: internal error: ${message.split('\n')[0]}\n`);
    if (io.env.KLPCHECK_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT.internal;
  }
}

// `npm start -- <command>` runs this file directly through tsx.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
