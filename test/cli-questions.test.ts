/** The commands answering issue 12's questions: protocols, downgrades, relate (small bounds). */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './support/cli-run.ts';

describe('klpcheck protocols, downgrades, relate', () => {
  it('protocols: the shortest failing cycle, its timeline, and the counterexample file (exit 1)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-protocols-'));
    const r = await run([
      'protocols',
      '--semantics',
      'slots',
      '--protocols',
      'petr-set,static-sets',
      '--releases',
      '3',
      '--timeline',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^slots\s+HHU no-foreign-removal\s+holds$/m);
    expect(r.stdout).toContain('petr-set under slots: the shortest failing cycle is HHU (3 releases).');
    expect(readdirSync(join(out, 'slots'))).toEqual([expect.stringMatching(/^no-foreign-removal-[0-9a-f]{12}\.json$/)]);
  });

  it("protocols --out: a hand-edited file of a counterexample's name is kept, the others are written, then E_CONFLICT", async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-protocols-'));
    const args = ['protocols', '--semantics', 'upstream', '--protocols', 'static-sets,petr-set', '--out', out];
    const first = await run(args);
    expect(first.code).toBe(1);
    const files = readdirSync(join(out, 'upstream')).sort();
    expect(files.length).toBeGreaterThan(1);
    const edited = join(out, 'upstream', files[0]!);
    writeFileSync(edited, '{"edited": true}\n');
    const second = await run(args);
    expect(second.code).toBe(2);
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(edited, 'utf8')).toBe('{"edited": true}\n');
    expect(readdirSync(join(out, 'upstream')).sort()).toEqual(files);
    expect(second.stderr).toMatch(/counterexample NOT SAVED: .*: a file of this name has other content .*\[E_CONFLICT\]\n/);
    expect(second.stderr).toMatch(new RegExp(`\nklpcheck: ${edited}: a file of this name has other content[^\n]*\\[E_CONFLICT\\]\n$`));
  });

  it('protocols: an unknown protocol is a usage error naming the known ones', async () => {
    const r = await run(['protocols', '--protocols', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown protocol 'nope' (known: upstream, static-sets, petr-set, yafang-dynamic, yafang-at-build)");
  });

  it('downgrades: one row per semantics, exit 1 when one downgrades', async () => {
    const r = await run(['downgrades', '--semantics', 'per-state,hybrid-listed-shared', '--markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| per-state | DOWNGRADED | DOWNGRADED | DOWNGRADED | refused EINVAL | block_disable |');
    expect(r.stdout).toContain(
      '| hybrid-listed-shared | refused EINVAL | refused EINVAL | refused EINVAL | refused EINVAL | the replace rule |',
    );
  });

  it('relate: slots = provides-obsoletes within the bound, with a page holding the Hasse diagram', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'klpcheck-relate-')), 'lattice.html');
    const r = await run(['relate', '--semantics', 'slots,provides-obsoletes', '--depth', '2', '--html', html]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Equal within the bound:\n  slots = provides-obsoletes\n');
    expect(existsSync(html) && readFileSync(html, 'utf8')).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });
});
