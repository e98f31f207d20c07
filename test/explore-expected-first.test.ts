/**
 * explore reads the recorded verdicts (verdicts/expected.json, for each
 * violation's random-run length) before the search: read after it, a
 * damaged file cost the report and every counterexample of a search that
 * may have taken hours (stop 40's hostile user). Here the file is damaged
 * and the search engines throw if they are reached: the refusal must be the
 * file's, naming it.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { run } from './support/cli-run.ts';

const { damaged, reached } = vi.hoisted(() => ({
  damaged: { file: '' },
  reached: () => {
    throw new Error('the search ran before the recorded verdicts were read');
  },
}));

vi.mock('../cli/paths.ts', async (original) => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  damaged.file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'klpcheck-expected-')), 'expected.json');
  return { ...(await original<typeof import('../cli/paths.ts')>()), EXPECTED: damaged.file };
});
vi.mock('../harness/explore/parallel.ts', async (original) => ({
  ...(await original<typeof import('../harness/explore/parallel.ts')>()),
  exploreInParallel: reached,
}));
vi.mock('../harness/explore/packed/explore.ts', async (original) => ({
  ...(await original<typeof import('../harness/explore/packed/explore.ts')>()),
  packedExploreInParallel: reached,
}));

describe('explore and a damaged verdicts/expected.json', () => {
  it.each(['packed', 'object'])('is refused before the search (--engine %s), naming the file', async (engine) => {
    writeFileSync(damaged.file, '{"cells": [');
    const scope = 'patches=1,functions=1,states=0,tasks=1,depth=2';
    const r = await run(['explore', '--semantics', 'upstream', '--scope', scope, '--engine', engine, '--no-save']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^klpcheck: .*expected\.json: .*\[E_[A-Z_]+\]\n$/);
    expect(r.stderr).toContain(damaged.file);
    expect(r.code).toBe(2);
  });
});
