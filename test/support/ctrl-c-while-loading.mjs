/**
 * Preloaded (node --import) before bin/klpcheck.mjs by test/cli-explore.test.ts:
 * presses Ctrl-C (SIGINT to this process), or sends the signal
 * KLPCHECK_TEST_EARLY_SIGNAL names (SIGTERM), as soon as bin/klpcheck.mjs
 * starts listening for it, that is while it loads the modules, a second or
 * more before any command runs. A bin that does not listen gets no signal.
 */
const on = process.on;
const signal = process.env.KLPCHECK_TEST_EARLY_SIGNAL || 'SIGINT';
let sent = false;
process.on = function (event, listener) {
  const result = on.call(this, event, listener);
  if (!sent && event === signal && /bin\/klpcheck\.mjs/.test(new Error().stack ?? '')) {
    sent = true;
    process.kill(process.pid, signal);
  }
  return result;
};
