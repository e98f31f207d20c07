/**
 * Preloaded (node --import) before bin/klpcheck.mjs by test/cli-explore.test.ts:
 * presses Ctrl-C (SIGINT to this process) at the moment the listener that
 * counts the early ones is removed, just before it goes: the signal is
 * received while that listener is still there and dispatched after. A
 * listener removed before the command's own is in place loses it (the
 * command then runs to its end); one removed after hands it to the command.
 */
const off = process.off;
let sent = false;
process.off = function (event, listener) {
  if (!sent && event === 'SIGINT') {
    sent = true;
    process.kill(process.pid, 'SIGINT');
  }
  return off.call(this, event, listener);
};
