import { describe, expect, it } from 'vitest';
import { LOG_INTERVAL_MS, progress } from '../cli/progress.ts';

function sink(isTTY: boolean) {
  const out: string[] = [];
  let t = 0;
  return { out, tick: (ms: number) => void (t += ms), sink: { write: (s: string) => void out.push(s), isTTY, now: () => t } };
}

describe('progress line', () => {
  it('on a terminal redraws one line in place, not more often than it can be read, and erases it', () => {
    const s = sink(true);
    const p = progress(s.sink);
    p.update('1/3');
    p.update('2/3'); // same instant: skipped
    s.tick(1000);
    p.update('3/3');
    p.clear();
    p.clear(); // nothing left to erase
    expect(s.out).toEqual(['\r\x1b[K1/3', '\r\x1b[K3/3', '\r\x1b[K']);
  });

  it('in a log prints a plain line only once the interval has passed, and never erases', () => {
    const s = sink(false);
    const p = progress(s.sink);
    p.update('quick');
    s.tick(LOG_INTERVAL_MS - 1);
    p.update('still quick');
    s.tick(1);
    p.update('slow 1');
    s.tick(LOG_INTERVAL_MS);
    p.update('slow 2');
    p.clear();
    expect(s.out).toEqual(['slow 1\n', 'slow 2\n']);
  });
});
