/**
 * Preloaded (node --import) before bin/klpcheck.mjs by test/cli-explore.test.ts:
 * presses Ctrl-C (SIGINT to this process) as soon as bin/klpcheck.mjs starts
 * listening for one, that is while it loads the modules, a second or more
 * before any command runs. A bin that does not listen gets no signal.
 */
const on = process.on;
let sent = false;
process.on = function (event, listener) {
  const result = on.call(this, event, listener);
  if (!sent && event === 'SIGINT' && /bin\/klpcheck\.mjs/.test(new Error().stack ?? '')) {
    sent = true;
    process.kill(process.pid, 'SIGINT');
  }
  return result;
};
