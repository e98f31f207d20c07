import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('klpcheck run', () => {
  it('says VIOLATED, naming the file, where a saved counterexample still reproduces and the random runs find none', async () => {
    // It said "holds" and exited 0 while compare, from the same file, said violated (hostile-user test, 2026-12-03).
    const c = capture();
    const code = await main(['run', '--semantics', 'replace-tag', '--invariant', 'conformance', '--runs', '5', '--no-save'], c.io);
    expect(code).toBe(1);
    expect(c.out()).toMatch(
      /^replace-tag {2}conformance +VIOLATED by a saved counterexample that still reproduces, in 10 steps: .* -> counterexamples\/replace-tag\/conformance-e89db3dcc1ae\.json \(the random runs found none: 5 sequences, \d+ steps\)$/m,
    );
    expect(c.out()).toMatch(/^1 violated \(seed 1\)$/m);
  });
  it('counts a pass whose sequences applied no operation as vacuous, apart from the violations (stop 37), and exits 2 when all are', async () => {
    const c = capture();
    const code = await main(
      ['run', '--semantics', 'stacking', '--invariant', 'conformance', '--runs', '5', '--steps', '1', '--no-save'],
      c.io,
    );
    // The one property run checked nothing: exit 2 after the lines, never 0 ("holds"), since stop 47 (helper-77).
    expect(code).toBe(2);
    expect(c.out()).toMatch(
      / VACUOUS {2}\(5 sequences, 0 steps; no random sequence applied an operation: nothing was checked\)\n0 violated, 1 vacuous \(seed 1\)\n$/,
    );
    expect(c.err()).toMatch(/\[E_UNCHECKED\]\n$/);
  });
  it("says why a property does not apply, as compare's n/a cell does", async () => {
    const c = capture();
    await main(['run', '--semantics', 'hybrid', '--runs', '1', '--steps', '2', '--no-save'], c.io);
    expect(c.out()).toMatch(/^hybrid {7}shadow-lifetime +n\/a: hybrid has no is_shadow states \(.*\)$/m);
  });

  it('quotes a saved counterexample that still reproduces over a longer one the random runs found', async () => {
    // compare listed the saved 4-step file first; run quoted the runs' 6-step one and named no file (stop 36).
    const c = capture();
    expect(
      await main(['run', '--semantics', 'hybrid', '--invariant', 'conformance', '--runs', '300', '--seed', '7', '--no-save'], c.io),
    ).toBe(1);
    expect(c.out()).toMatch(
      /^hybrid {7}conformance +VIOLATED by a saved counterexample that still reproduces, in 4 steps: .* -> counterexamples\/hybrid\/conformance-a973a6463204\.json \(the random runs found one of 6 steps\)$/m,
    );
  });
  it('lines up every verdict of a run over every semantics, the longest name included', async () => {
    // The semantics column was 12 wide: replace-set-unfiltered-nops (27) pushed its line's property out of line.
    const c = capture();
    await main(['run', '--invariant', 'conformance', '--runs', '2', '--steps', '3', '--no-save'], c.io);
    const verdicts = c
      .out()
      .split('\n')
      .filter((l) => / conformance /.test(l));
    expect(verdicts).toHaveLength(20);
    expect(new Set(verdicts.map((l) => l.indexOf(' conformance ')))).toEqual(new Set([27]));
  });
  it('prints the seed and exits 1 with the saved counterexample when an invariant fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-run-'));
    const c = capture();
    const code = await main(
      ['run', '--semantics', 'upstream', '--invariant', 'no-function-shared-across-slots', '--runs', '100', '--seed', '5', '--out', dir],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.out()).toMatch(/seed 5/);
    expect(c.out()).toMatch(/VIOLATED at step 2 of 2/);
    expect(readdirSync(join(dir, 'upstream'))).toHaveLength(1);
  });
  it('the same seed twice prints the same stdout; whether the file was new goes to stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-run-'));
    const args = [
      'run',
      '--semantics',
      'upstream',
      '--invariant',
      'no-function-shared-across-slots',
      '--runs',
      '100',
      '--seed',
      '7',
      '--out',
      dir,
    ];
    const [first, second] = [capture(), capture()];
    expect(await main(args, first.io)).toBe(1);
    expect(await main(args, second.io)).toBe(1);
    expect(second.out()).toBe(first.out());
    expect(first.out()).not.toMatch(/already saved/);
    expect(first.err()).toMatch(/counterexamples: 1 new, 0 already saved\n$/);
    expect(second.err()).toMatch(/counterexamples: 0 new, 1 already saved\n$/);
  });
  it('exits 0 when the property holds, and saves nothing with --no-save', async () => {
    const c = capture();
    const code = await main(['run', '--semantics', 'upstream', '--invariant', 'module-safety', '--runs', '50', '--no-save'], c.io);
    expect(code).toBe(0);
    expect(c.out()).toMatch(/module-safety\s+holds\s+\(50 sequences, \d+ steps\)/);
  });
  it('rejects an unknown semantics, invariant or a bad number with exit 2', async () => {
    for (const [args, code] of [
      [['--semantics', 'nope'], 'E_SEMANTICS'],
      [['--invariant', 'nope'], 'E_USAGE'],
      [['--runs', 'x'], 'E_USAGE'],
      [['--runs', '0'], 'E_USAGE'],
      [['--runs', '-1'], 'E_USAGE'],
    ] as const) {
      const c = capture();
      expect(await main(['run', ...args], c.io)).toBe(2);
      expect(c.err()).toMatch(new RegExp(`^klpcheck: .*\\[${code}\\]\n$`));
    }
  });

  it('a hand-edited counterexample in --out DIR is refused at once, as one in the corpus: --out is replayed too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-run-'));
    const args = ['run', '--semantics', 'upstream', '--runs', '100', '--seed', '5', '--out', dir];
    expect(await main([...args, '--invariant', 'no-function-shared-across-slots'], capture().io)).toBe(1);
    const [name] = readdirSync(join(dir, 'upstream'));
    const file = join(dir, 'upstream', name!);
    const edited = readFileSync(file, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(file, edited);
    const c = capture();
    // Refused before any run (it was named on its verdict line, after every run), and kept as it is.
    expect(await main(args, c.io)).toBe(2);
    expect(c.err()).toMatch(new RegExp(`^klpcheck: ${file}: the content does not match the file name.*\\[E_CONFLICT\\]\\n$`));
    expect(c.out()).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(readdirSync(join(dir, 'upstream')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes a negative seed as a separate word, and a flag given twice', async () => {
    const c = capture();
    const args = ['--semantics', 'upstream', '--invariant', 'module-safety', '--runs', '5', '--no-save', '--no-save'];
    expect(await main(['run', ...args, '--seed', '-5'], c.io), c.err()).toBe(0);
    expect(c.out()).toMatch(/\(seed -5\)/);
  });

  it("prints each cell's line as the cell ends, so that every file saved so far is named on the screen", async () => {
    // Ctrl-C ends run at once (its random runs never yield to a handler); the lines of a semantics were printed
    // together after its last cell, so a Ctrl-C in its second cell left a saved file nothing named (stop 35).
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-run-'));
    const out: string[] = [];
    const unnamed: string[] = [];
    const io: Io = {
      ...capture().io,
      stdout: (t) => {
        out.push(t);
        const shown = out.join('');
        const files = existsSync(join(dir, 'hybrid')) ? readdirSync(join(dir, 'hybrid')) : [];
        unnamed.push(...files.filter((f) => !shown.includes(f)));
      },
    };
    expect(await main(['run', '--semantics', 'hybrid', '--runs', '20', '--out', dir], io)).toBe(1);
    const files = readdirSync(join(dir, 'hybrid'));
    expect(files.length).toBeGreaterThan(2);
    expect(unnamed).toEqual([]);
  });
});

describe('klpcheck replay', () => {
  it('says each saved counterexample is still violated, exit 1', async () => {
    const c = capture();
    expect(await main(['replay', 'counterexamples/upstream'], c.io)).toBe(1);
    expect(c.out()).toMatch(/still violated at step 2/);
    expect(c.out()).toMatch(/\d+ still violated, 0 fixed\n$/);
  });
  it('replays against another semantics with --semantics', async () => {
    const c = capture();
    await main(['replay', 'counterexamples/per-state', '--semantics', 'upstream'], c.io);
    // per-state's callback-pairing finding needs per-state callbacks: under upstream it is fixed.
    expect(c.out()).toMatch(/callback-pairing-[0-9a-f]+\.json: upstream callback-pairing: fixed/);
  });
  it('one line and exit 2 for a file that is not a counterexample', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'klpcheck-replay-')), 'x.json');
    writeFileSync(f, '{"format": 1}');
    const c = capture();
    expect(await main(['replay', f], c.io)).toBe(2);
    expect(c.err()).toMatch(/x\.json: must have required property 'semantics' \[E_SCHEMA\]\n$/);
  });
});
