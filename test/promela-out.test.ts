/**
 * `klpcheck promela --out F` over an F it did not write: refused (E_CONFLICT)
 * before the model is generated, which takes 11 s at the largest scope; it was
 * refused only after. The line is the one the content comparison after the
 * work gives, and that comparison still decides a file klpcheck wrote.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { promelaModel } from '../promela/model.ts';
import { run } from './support/cli-run.ts';

// The generator, counted: a refusal before the work never calls it.
vi.mock('../promela/model.ts', async (original) => {
  const real = await original<typeof import('../promela/model.ts')>();
  return { ...real, promelaModel: vi.fn(real.promelaModel) };
});

const SMALL = ['promela', '--scope', 'patches=1,functions=1,states=0,tasks=1'];
const OTHER = ['promela', '--scope', 'patches=1,functions=2,states=0,tasks=1'];
const fileIn = (name: string) => join(mkdtempSync(join(tmpdir(), 'klpcheck-pml-out-')), name);
const refused = (f: string) => `klpcheck: ${f}: exists with other content; not overwritten (use --force) [E_CONFLICT]\n`;

beforeEach(() => {
  vi.mocked(promelaModel).mockClear();
});

describe('promela --out F where F exists', () => {
  it('a file of other content is refused before the model is generated, with the same line as after; kept', async () => {
    const f = fileIn('notes.pml');
    writeFileSync(f, 'my notes\n');
    const r = await run([...SMALL, '--out', f]);
    expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 2, stderr: refused(f), stdout: '' });
    expect(promelaModel).not.toHaveBeenCalled();
    expect(readFileSync(f, 'utf8')).toBe('my notes\n');
  });

  it('a model of another scope is refused after the content comparison, as before, with the same line', async () => {
    const f = fileIn('up.pml');
    expect((await run([...OTHER, '--out', f])).code).toBe(0);
    const other = readFileSync(f, 'utf8');
    vi.mocked(promelaModel).mockClear();
    const r = await run([...SMALL, '--out', f]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: refused(f) });
    expect(promelaModel).toHaveBeenCalledTimes(1);
    expect(readFileSync(f, 'utf8')).toBe(other);
  });

  it('the same model is left unchanged; --force replaces a file of other content', async () => {
    const f = fileIn('up.pml');
    expect((await run([...SMALL, '--out', f])).code).toBe(0);
    const model = readFileSync(f, 'utf8');
    expect((await run([...SMALL, '--out', f])).code).toBe(0);
    writeFileSync(f, 'my notes\n');
    expect((await run([...SMALL, '--out', f, '--force'])).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(model);
  });
});
