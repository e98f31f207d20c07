#!/usr/bin/env node
// A Ctrl-C while the modules load (a second or more: tsx compiles them) would end the process
// before any command could listen: count it instead, and let main() hand it to the command
// (explore stops at once and reports INCOMPLETE; any other command ends by the first such signal, as it would later).
let early = 0;
// Which signal came first: a command that does not stop cleanly ends by it, so that the shell reports 143 for a SIGTERM
// (it was re-raised as a SIGINT, 130, which explore --merge also gives a stopped shard: helper-130, stop 72).
let firstSignal;
const countEarly = (signal) => {
  early++;
  firstSignal ??= signal;
};
process.on('SIGINT', countEarly);
// SIGTERM too: explore takes it as a Ctrl-C (cli/interrupt.ts), however early it comes.
process.on('SIGTERM', countEarly);

// Node 20 cannot strip TypeScript types, so the CLI runs through tsx's loader.
const { register } = await import('tsx/esm/api');
register();
let main;
try {
  ({ main } = await import('../cli/main.ts'));
} catch (e) {
  // A module of klpcheck's own that does not load (a proposal's file with a mistake, or one imported nowhere:
  // README, Adding a proposal) is an internal error, as cli/main.ts reports one: one line, exit 70, here with
  // the place it was raised, which a developer needs; KLPCHECK_DEBUG=1 prints the stack.
  // One line: a compile error's message goes on past its first line ("Transform failed with 1 error:").
  const message = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n').join(' ').trim();
  // The first frame in klpcheck's own files, not node's or a dependency's.
  const frame = (e instanceof Error && e.stack ? e.stack.split('\n') : [])
    .map((l) => /^\s*at (?:.*\()?(?:file:\/\/)?([^()\s]+:\d+):\d+\)?$/.exec(l)?.[1])
    .find((f) => f && !f.startsWith('node:') && !f.includes('/node_modules/'));
  const at = frame && !message.includes(frame) ? ` (at ${frame})` : '';
  process.stderr.write(`klpcheck: internal error: ${message}${at}\n`);
  if (process.env.KLPCHECK_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(70);
}
// The counting goes on until the command listens itself (cli/interrupt.ts takes the count and stops it then):
// a listener removed before another is in place loses a Ctrl-C that Node has received but not yet dispatched.
const takeEarly = () => {
  process.off('SIGINT', countEarly);
  process.off('SIGTERM', countEarly);
  return early;
};
process.exitCode = await main(process.argv.slice(2), undefined, takeEarly, () => firstSignal);
