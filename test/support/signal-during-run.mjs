/**
 * Preloaded (node --import) before bin/klpcheck.mjs by test/simulate.test.ts:
 * sends this process the signal named by KLPCHECK_TEST_SIGNAL (SIGINT, SIGTERM
 * or SIGHUP) 300 ms after a command listens for signals itself (cli/interrupt.ts
 * onInterrupt, the one listener for SIGHUP), a real signal delivered as the
 * kernel delivers one, while the command's work is under way: a handler called
 * from inside a test's own callback runs at once, and hid a command that gave
 * the event loop no turn in which a real one is handled (helper-126).
 */
const on = process.on;
let armed = false;
process.on = function (event, listener) {
  const result = on.call(this, event, listener);
  if (!armed && event === 'SIGHUP') {
    armed = true;
    setTimeout(() => process.kill(process.pid, process.env.KLPCHECK_TEST_SIGNAL ?? 'SIGINT'), 300).unref();
  }
  return result;
};
