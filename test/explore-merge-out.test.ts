/**
 * explore --merge --out F where F is one of the shard files merged: refused
 * (E_USAGE) before any work, even with --force, under any of its names (the
 * same path, ./F, a symbolic or a hard link), and the shard file is left as it was.
 */
import { linkSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './support/cli-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'klpcheck-merge-out-'));
const [x0, x1] = [join(dir, 'x0.json'), join(dir, 'x1.json')];
const SCOPE = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=3', '--invariant', 'module-safety', '--no-save'];

beforeAll(async () => {
  for (const [i, f] of [x0, x1].entries()) {
    const r = await run(['explore', '--semantics', 'upstream', ...SCOPE, '--shard', `${i}/2`, '--out', f]);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('explore --merge --out one of its inputs', () => {
  it('the same path, with --force: E_USAGE before any work, the shard file kept', async () => {
    const before = readFileSync(x0, 'utf8');
    const r = await run(['explore', '--merge', x0, x1, '--out', x0, '--force', '--no-save']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `klpcheck: ${x0}: --out is a shard file given to --merge: the merge would replace its own input, even with --force; write it to another file [E_USAGE]\n`,
    );
    expect(readFileSync(x0, 'utf8')).toBe(before);
  });

  it('another spelling of the path (./x0.json), or a link to it, counts as the same file', async () => {
    const before = readFileSync(x1, 'utf8');
    const symbolic = join(dir, 'sym.json');
    symlinkSync(x1, symbolic);
    const hard = join(dir, 'hard.json');
    linkSync(x1, hard);
    const dotted = `./${relative(process.cwd(), x1)}`;
    for (const [inputs, out] of [
      [[x0, x1], dotted],
      [[x0, x1], `${dir}/../${basename(dir)}/x1.json`],
      [[x0, x1], symbolic],
      [[x0, symbolic], x1],
      [[x0, x1], hard],
    ] as const) {
      for (const force of [[], ['--force']]) {
        const r = await run(['explore', '--merge', ...inputs, '--out', out, ...force, '--no-save']);
        expect(r.code, `${out} ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^klpcheck: [^\n]*: --out is (a|the) shard file[^\n]* given to --merge[^\n]*\[E_USAGE\]\n$/);
      }
    }
    expect(readFileSync(x1, 'utf8')).toBe(before);
  });

  it('a merge into another file is written as ever', async () => {
    const r = await run(['explore', '--merge', x0, x1, '--out', join(dir, 'm.json'), '--no-save']);
    expect(r.code, r.stderr).toBe(0);
  });
});
