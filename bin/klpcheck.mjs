#!/usr/bin/env node
// A Ctrl-C while the modules load (a second or more: tsx compiles them) would end the process
// before any command could listen: count it instead, and let main() hand it to the command
// (explore stops at once and reports INCOMPLETE; any other command ends as Ctrl-C always ended it).
let early = 0;
const countEarly = () => void early++;
process.on('SIGINT', countEarly);
// SIGTERM too: explore takes it as a Ctrl-C (cli/interrupt.ts), however early it comes.
process.on('SIGTERM', countEarly);

// Node 20 cannot strip TypeScript types, so the CLI runs through tsx's loader.
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');
// The counting goes on until the command listens itself (cli/interrupt.ts takes the count and stops it then):
// a listener removed before another is in place loses a Ctrl-C that Node has received but not yet dispatched.
const takeEarly = () => {
  process.off('SIGINT', countEarly);
  process.off('SIGTERM', countEarly);
  return early;
};
process.exitCode = await main(process.argv.slice(2), undefined, takeEarly);
