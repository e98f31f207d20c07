#!/usr/bin/env node
// A Ctrl-C while the modules load (a second or more: tsx compiles them) would end the process
// before any command could listen: count it instead, and let main() hand it to the command
// (explore stops at once and reports INCOMPLETE; any other command ends as Ctrl-C always ended it).
let early = 0;
const countEarly = () => void early++;
process.on('SIGINT', countEarly);

// Node 20 cannot strip TypeScript types, so the CLI runs through tsx's loader.
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');
// From here to the command's own listener, nothing waits, so no Ctrl-C falls between them.
process.off('SIGINT', countEarly);
process.exitCode = await main(process.argv.slice(2), undefined, early);
