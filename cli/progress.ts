/**
 * A progress line on stderr for long runs, so stdout carries only the report.
 * On a terminal it is one line redrawn in place; in a log (CI) a plain line
 * at most every few seconds, so a quick run prints none.
 */
export interface Progress {
  update(text: string): void;
  /** Erases the redrawn line; call before the report or when done. */
  clear(): void;
}

export interface ProgressSink {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  readonly now: () => number;
}

export const NO_PROGRESS: Progress = { update() {}, clear() {} };

/** Redraws at most this often on a terminal: faster only flickers. */
const REDRAW_MS = 100;
export const LOG_INTERVAL_MS = 5000;

export function progress(sink: ProgressSink, intervalMs = LOG_INTERVAL_MS): Progress {
  return sink.isTTY ? redrawn(sink) : logged(sink, intervalMs);
}

function redrawn(sink: ProgressSink): Progress {
  let shown = false;
  let last = -Infinity;
  return {
    update(text) {
      const t = sink.now();
      if (t - last < REDRAW_MS) return;
      last = t;
      shown = true;
      sink.write(`\r\x1b[K${text}`);
    },
    clear() {
      if (shown) sink.write('\r\x1b[K');
      shown = false;
      last = -Infinity;
    },
  };
}

function logged(sink: ProgressSink, intervalMs: number): Progress {
  let last = sink.now();
  return {
    update(text) {
      const t = sink.now();
      if (t - last < intervalMs) return;
      last = t;
      sink.write(`${text}\n`);
    },
    clear() {},
  };
}
