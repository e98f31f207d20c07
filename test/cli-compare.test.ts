import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { validate } from '../harness/json-file.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const args = ['compare', '--semantics', 'stacking,upstream', '--runs', '60', '--no-save'];

describe('klpcheck compare', () => {
  it('prints the matrix with a legend and the violations, exit 1 when any cell is violated', async () => {
    const c = capture();
    expect(await main(args, c.io)).toBe(1);
    expect(c.out()).toMatch(/^stacking\s+ok\s+ok\s+D2\s+D2\s+-/m);
    expect(c.out()).toMatch(/P2 {2}no-function-shared-across-slots/);
    expect(c.out()).toMatch(/Violations:\n {2}stacking \/ no-function-shared-across-slots: design choice, 2 steps/);
  });

  it('--json is a VerdictMatrix that validates against its schema', async () => {
    const c = capture();
    await main([...args, '--json'], c.io);
    const m = validate<VerdictMatrix>('verdict-matrix', JSON.parse(c.out()), 'stdout');
    expect(m.semantics).toEqual(['stacking', 'upstream']);
    expect(m.cells).toHaveLength(2 * m.properties.length);
    expect(m.cells.find((x) => x.semantics === 'upstream' && x.property === 'conformance')).toMatchObject({ verdict: 'holds', sequences: 60 });
    // What each rule promises, so that a reader tells a broken promise from a design choice.
    expect(m.promised?.upstream).toContain('one-active-patch-per-slot');
    expect(m.promised?.upstream).not.toContain('no-function-shared-across-slots');
  });

  it('--markdown is a table with one row per property', async () => {
    const c = capture();
    await main([...args, '--markdown'], c.io);
    expect(c.out()).toMatch(/^\| property \| stacking \| upstream \|$/m);
    expect(c.out()).toMatch(/^\| no-function-shared-across-slots \| \*\*violated\*\*, design choice \(2 steps\) \|/m);
  });

  it('--html writes one self-contained page with each violation linked to its timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
    const file = join(dir, 'report.html');
    const c = capture();
    await main(['compare', '--semantics', 'upstream', '--runs', '60', '--html', file, '--out', join(dir, 'ce')], c.io);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/<a href="#ce-upstream-no-function-shared-across-slots">/);
    expect(html).toMatch(/<section id="ce-upstream-no-function-shared-across-slots">[\s\S]*<svg/);
    expect(html.match(/https?:\/\/[^"]*/g)?.every((u) => u === 'http://www.w3.org/2000/svg') ?? true).toBe(true);
    expect(html).not.toMatch(/<script/);
    expect(c.err()).toContain(`wrote ${file}`);
  });

  it('--exhaustive uses the explorer and words each cell as bounded', async () => {
    const c = capture();
    await main(['compare', '--semantics', 'upstream', '--exhaustive', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2', '--no-save'], c.io);
    expect(c.out()).toMatch(/exhaustive: every sequence up to depth 2 in scope patches=1,functions=1,states=0,tasks=1,depth=2/);
    expect(c.out()).toMatch(/^upstream\s+ok\?/m);
  });

  it('rejects an unknown semantics in the list with exit 2', async () => {
    const c = capture();
    expect(await main(['compare', '--semantics', 'upstream,nope'], c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown semantics 'nope'.*\[E_USAGE\]/);
  });
});
