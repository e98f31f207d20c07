/**
 * A worker thread that runs out of memory ends explore with one E_MEMORY line
 * (exit 2), never an internal error, a stack trace or exit 1 (harness/explore/
 * worker-failure.ts; found by the stop-50 hostile review at p3 f3 s2 t2 depth 3).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KlpcheckError } from '../harness/errors.ts';
import { quietly, workerFailure } from '../harness/explore/worker-failure.ts';

describe('a worker out of memory', () => {
  it('ends explore with one E_MEMORY line naming the depth and the states stored, exit 2', () => {
    // 200 MiB holds the main thread's share of this search (its visited set is shared memory) and not a worker's
    // definitions and answers at depth 3: the worker dies within seconds, always at depth 3.
    const r = spawnSync(
      process.execPath,
      ['bin/klpcheck.mjs', 'explore', '--semantics', 'upstream', '--scope', 'patches=3,functions=3,states=2,tasks=2,depth=3', '--no-save'],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=200' }, timeout: 120_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(
      /^klpcheck: explore: a worker thread ran out of memory at depth 3, [\d,]+ states stored: bound the search .*--max-old-space-size=MiB\) \[E_MEMORY\]$/,
    );
    // Nothing after it, and no stack: the other chunks the worker held were rejected too, and used to end node.
    expect(r.stderr).not.toMatch(/internal error|node:internal|\n\s+at /);
  }, 150_000);

  it('turns only ERR_WORKER_OUT_OF_MEMORY into E_MEMORY; any other error is kept as it is', () => {
    const oom = Object.assign(new Error('Worker terminated due to reaching memory limit'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
    const mapped = workerFailure(oom, { depth: 7, states: 1234567 });
    expect(mapped).toBeInstanceOf(KlpcheckError);
    expect((mapped as KlpcheckError).format()).toMatch(/^klpcheck: explore: .* at depth 7, 1,234,567 states stored: .* \[E_MEMORY\]$/);
    const other = Object.assign(new Error('boom'), { code: 'ERR_OTHER' });
    expect(workerFailure(other, { depth: 1, states: 1 })).toBe(other);
  });

  it('quietly keeps a rejection for whoever awaits it, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listen = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', listen);
    try {
      const awaited = quietly(Promise.reject(new Error('awaited')));
      quietly(Promise.reject(new Error('never awaited')));
      await expect(awaited).rejects.toThrow('awaited');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
