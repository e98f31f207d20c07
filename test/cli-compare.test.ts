import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { validate } from '../harness/json-file.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { fileNameFor, readCounterexample, serialize } from '../harness/counterexample.ts';

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
    expect(c.out()).toMatch(/^stacking\s+ok~\s+ok~\s+D2\s+D2\s+-/m);
    expect(c.out()).toMatch(/P2 {2}no-function-shared-across-slots/);
    expect(c.out()).toMatch(/^ {2}ok~ holds for every random sequence run; no bounded proof$/m);
    expect(c.out()).toMatch(
      /Violations \(the counterexample to quote first\):\n {2}stacking \/ no-function-shared-across-slots \(design choice\): counterexamples\/stacking\/no-function-shared-across-slots-[0-9a-f]{12}\.json, 2 steps/,
    );
    expect(c.out()).toMatch(/^ {2}shadow-lifetime \(stacking, upstream\): has no is_shadow states/m);
    // Exit 1 is explained where a shell user looks; the count is the matrix's own.
    const violated = (c.out().match(/^ {2}(stacking|upstream) \/ /gm) ?? []).length;
    expect(c.err()).toMatch(
      new RegExp(
        `^klpcheck compare: \\d+ cells in [0-9.]+ s \\(seed 1\\); ${violated} violated, so exit 1 \\(a finding, not an error\\); `,
        'm',
      ),
    );
  });

  it('--json is a VerdictMatrix that validates against its schema', async () => {
    const c = capture();
    await main([...args, '--json'], c.io);
    const m = validate<VerdictMatrix>('verdict-matrix', JSON.parse(c.out()), 'stdout');
    expect(m.semantics).toEqual(['stacking', 'upstream']);
    expect(m.cells).toHaveLength(2 * m.properties.length);
    // 60 random sequences find nothing, but the saved exhaustive counterexample still reproduces.
    expect(m.cells.find((x) => x.semantics === 'upstream' && x.property === 'conformance')).toMatchObject({
      verdict: 'violated',
      counterexamples: [{ length: 6, source: 'exhaustive' }],
    });
    expect(m.cells.find((x) => x.semantics === 'upstream' && x.property === 'module-safety')).toEqual({
      semantics: 'upstream',
      property: 'module-safety',
      verdict: 'holds-random',
      sequences: 60,
      steps: expect.any(Number),
    });
    // What each rule promises, so that a reader tells a broken promise from a design choice.
    expect(m.promised?.upstream).toContain('one-active-patch-per-slot');
    expect(m.promised?.upstream).not.toContain('no-function-shared-across-slots');
  });

  it('a hand-edited counterexample in --out DIR is refused at once, as one in the corpus: --out is replayed too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
    const cell = [
      '--semantics',
      'upstream',
      '--invariants',
      'no-function-shared-across-slots,module-safety',
      '--runs',
      '100',
      '--seed',
      '5',
    ];
    const first = capture();
    expect(await main(['compare', ...cell, '--out', dir], first.io)).toBe(1);
    expect(first.err()).toMatch(/counterexamples: 1 new, 0 already saved\n$/);
    const [name] = readdirSync(join(dir, 'upstream'));
    const file = join(dir, 'upstream', name!);
    const edited = readFileSync(file, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(file, edited);
    const c = capture();
    // Refused before any work (it was found only when the save met it, after the matrix), and kept as it is.
    expect(await main(['compare', ...cell, '--out', dir], c.io)).toBe(2);
    expect(c.err()).toMatch(new RegExp(`^klpcheck: ${file}: the content does not match the file name.*\\[E_CONFLICT\\]\\n$`));
    expect(c.out()).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('--markdown is a table with one row per property', async () => {
    const c = capture();
    await main([...args, '--markdown'], c.io);
    expect(c.out()).toMatch(/^\| property \| stacking \| upstream \|$/m);
    expect(c.out()).toMatch(
      /^\| no-function-shared-across-slots \| \[\*\*violated \(design choice\): counterexamples\/stacking\/no-function-shared-across-slots-[0-9a-f]{12}\.json, 2 steps\*\*\]\(counterexamples\/stacking\//m,
    );
    expect(c.out()).toMatch(
      /^\| module-safety \| holds for 60 sequences of up to 30 operations and 7 settling ones, \d+ operations? applied \(seed 1\) \|/m,
    );
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
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((x) => x[1]);
    expect(new Set(ids).size, 'element ids are unique').toBe(ids.length);
    expect(c.err()).toContain(`wrote ${file}`);
  });

  it("--html opens the section of a record today's replay does not reproduce with a CAUTION, as render does (helper-128)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
    // A saved record with an edited reason, under the name its edited content hashes to: the copy to quote (2 steps).
    const c = readCounterexample('counterexamples/slots/no-foreign-removal-f35109402061.json');
    const edited = { ...c, violation: { ...c.violation, reason: 'R edited <b>' } };
    mkdirSync(join(dir, 'ce', 'slots'), { recursive: true });
    writeFileSync(join(dir, 'ce', 'slots', basename(fileNameFor(edited))), serialize(edited));
    const page = join(dir, 'p.html');
    const run = capture();
    const argv = ['compare', '--semantics', 'slots', '--invariants', 'no-foreign-removal', '--runs', '5', '--out', join(dir, 'ce')];
    expect(await main([...argv, '--html', page], run.io)).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain(
      '<p><strong>CAUTION:</strong> this record is still violated, after step 2, but not as recorded (recorded with another reason: &quot;R edited &lt;b&gt;&quot;) under slots;',
    );
    // Without the edited copy, the record quoted reproduces: no CAUTION.
    rmSync(join(dir, 'ce', 'slots', basename(fileNameFor(edited))));
    expect(await main([...argv, '--html', join(dir, 'q.html')], capture().io)).toBe(1);
    expect(readFileSync(join(dir, 'q.html'), 'utf8')).not.toContain('CAUTION');
  });

  it('--html into the --out folder that the saves have not made yet: the folder is made first, the page and the counterexamples land there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
    const out = join(dir, 'ce');
    const c = capture();
    // It was E_IO ("the folder ... does not exist") until 2026-12-07, though --out would have made the folder.
    expect(await main(['compare', '--semantics', 'upstream', '--runs', '60', '--out', out, '--html', join(out, 'r.html')], c.io)).toBe(1);
    expect(c.err()).toContain(`wrote ${join(out, 'r.html')}`);
    expect(readdirSync(out).sort()).toEqual(['r.html', 'upstream']);
    // A folder under --out that does not exist is still refused: --out makes its own folder only.
    const again = capture();
    expect(
      await main(
        ['compare', '--semantics', 'upstream', '--runs', '60', '--out', join(dir, 'ce2'), '--html', join(dir, 'ce2', 'x', 'r.html')],
        again.io,
      ),
    ).toBe(2);
    expect(again.err()).toMatch(/--html: the folder .*ce2\/x does not exist/);
    expect(existsSync(join(dir, 'ce2'))).toBe(false);
    // A page refused once the folder is made leaves nothing: the folder was made first and stayed (helper-110).
    const refused = capture();
    expect(
      await main(
        ['compare', '--semantics', 'upstream', '--runs', '60', '--out', join(dir, 'ce3'), '--html', join(dir, 'ce3', 'upstream')],
        refused.io,
      ),
    ).toBe(2);
    expect(refused.err()).toMatch(/--html is a JSON file in the counterexample folder --out .*, or a semantics' folder of it/);
    expect(existsSync(join(dir, 'ce3'))).toBe(false);
    // Nor does a refusal after the work that saved nothing there: a budget that checked nothing (helper-111).
    const budget = capture();
    const args5 = ['compare', '--semantics', 'upstream', '--runs', '2', '--exhaustive', '--max-states', '1'];
    expect(await main([...args5, '--out', join(dir, 'ce5'), '--html', join(dir, 'ce5', 'p.html')], budget.io)).toBe(2);
    expect(budget.err()).toMatch(/--max-states 1: upstream has more than 1 state .* \[E_USAGE\]\n$/);
    expect(existsSync(join(dir, 'ce5'))).toBe(false);
    // The page's folder and --out are compared as the system takes them: through a link, the same folder.
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'lnk'));
    const linked = capture();
    expect(
      await main(
        [
          'compare',
          '--semantics',
          'upstream',
          '--runs',
          '60',
          '--out',
          join(dir, 'real', 'ce4'),
          '--html',
          join(dir, 'lnk', 'ce4', 'r.html'),
        ],
        linked.io,
      ),
    ).toBe(1);
    expect(readdirSync(join(dir, 'real', 'ce4')).sort()).toEqual(['r.html', 'upstream']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--html that cannot be written after the work: the matrix is printed first, then the E_IO line naming --html, exit 2', async () => {
    for (const command of [
      ['compare', '--semantics', 'upstream', '--runs', '60', '--no-save'],
      ['relate', '--semantics', 'slots,provides-obsoletes', '--depth', '2'],
    ]) {
      const dir = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
      const file = join(dir, 'report.html');
      const c = capture();
      // The folder is removed once the checks passed, as during a long run: the page's write fails after the work.
      let removed = false;
      const io: Io = {
        ...c.io,
        now: () => {
          if (!removed) rmSync(dir, { recursive: true, force: true });
          removed = true;
          return 0;
        },
      };
      expect(await main([...command, '--html', file], io), command[0]).toBe(2);
      // It was thrown before the matrix was printed: stdout was empty.
      expect(c.out()).toMatch(
        command[0] === 'compare' ? /^upstream +X6 +ok~ +D2 /m : /Equal within the bound:\n {2}slots = provides-obsoletes\n/,
      );
      expect(c.err()).not.toContain('so exit 1');
      expect(c.err()).not.toContain('wrote');
      expect(c.err()).toMatch(new RegExp(`(^|\n)klpcheck: ${file}: --html: the folder ${dir} does not exist \\(ENOENT\\) \\[E_IO\\]\n$`));
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('--exhaustive uses the explorer and words each cell as bounded', async () => {
    const c = capture();
    await main(
      ['compare', '--semantics', 'upstream', '--exhaustive', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2', '--no-save'],
      c.io,
    );
    expect(c.out()).toMatch(/; then exhaustively, every sequence up to depth 2 in scope patches=1,functions=1,states=0,tasks=1,depth=2\./);
    // P1 needs two patches, which patches=1 lacks: the random runs, in their own universes, checked it (ok~).
    expect(c.out()).toMatch(/^upstream\s+X6\s+ok~/m);
    expect(c.out()).toMatch(/^ {2}ok\? vacuous: /m);
    expect(c.out()).toMatch(
      /^ {2}one-active-patch-per-slot \(upstream\): the exhaustive search: nothing to check, as no universe of the scope has two patches \(patches=2 would\) \(the random runs checked it: ok~\)$/m,
    );
  });

  it('--exhaustive on the packed engine: a cell whose search covered states says its fixpoint is of the stored ones', async () => {
    const scope = 'patches=2,functions=1,states=0,tasks=1';
    const argv = ['compare', '--semantics', 'upstream', '--invariants', 'conformance,transition-sanity', '--exhaustive', '--scope', scope];
    const json = capture();
    await main([...argv, '--runs', '5', '--no-save', '--json'], json.io);
    const cell = (JSON.parse(json.out()) as VerdictMatrix).cells.find((x) => x.property === 'transition-sanity')!;
    expect(cell).toMatchObject({ verdict: 'holds-bounded', fixpoint: true, depth: 21 });
    // The object engine's fixpoint of this space is at depth 27 (packed-explore.test.ts): the covered states lie deeper.
    expect(cell.verdict === 'holds-bounded' && cell.covered).toBeGreaterThan(0);
    const text = capture();
    await main([...argv, '--runs', '5', '--no-save'], text.io);
    expect(text.out()).toContain(
      `every sequence of any length (fixpoint: no new state stored beyond depth 21) in scope ${scope},depth=any`,
    );
    // A cell's count says it is of the stored states, and how many were covered (the object engine's count is higher).
    const markdown = capture();
    await main([...argv, '--runs', '5', '--no-save', '--markdown'], markdown.io);
    expect(markdown.out()).toMatch(/\(42671 states stored, 2663 successors covered, \d+ transitions\)/);
  });

  it('the same seed twice into an empty folder: the same stdout and the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
    const run = [
      'compare',
      '--semantics',
      'upstream',
      '--invariants',
      'no-function-shared-across-slots,no-state-shared-across-slots',
      '--runs',
      '60',
      '--out',
      dir,
    ];
    const [first, second] = [capture(), capture()];
    await main(run, first.io);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .sort();
    await main(run, second.io);
    expect(second.out()).toBe(first.out());
    expect(first.err()).toMatch(/counterexamples: 2 new, 0 already saved\n$/);
    expect(second.err()).toMatch(/counterexamples: 0 new, 2 already saved\n$/);
    // The same bytes as the committed corpus: it is reproducible from its own seeds.
    expect(files).toHaveLength(2);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join('counterexamples', f), 'utf8'));
    // The same page again, with --force, is said unchanged, as render says it (helper-111: it said "wrote").
    const page = join(dir, 'page.html');
    const [third, fourth] = [capture(), capture()];
    await main([...run, '--html', page], third.io);
    await main([...run, '--html', page, '--force'], fourth.io);
    expect(third.err()).toContain(`klpcheck compare: wrote ${page}\n`);
    expect(fourth.err()).toContain(`klpcheck compare: unchanged ${page}\n`);
  });

  it('rejects an unknown semantics in the list with exit 2', async () => {
    const c = capture();
    expect(await main(['compare', '--semantics', 'upstream,nope'], c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown semantics 'nope' \(known: .*\) \[E_SEMANTICS\]\n$/);
  });
});

describe('klpcheck compare from another working folder', () => {
  // The text named files relative to the repository, which opened nothing from elsewhere (hostile user, stop 38);
  // --json keeps the repository's paths, as its schema says.
  it('names each counterexample so that it opens from there, and --json keeps the repository-relative name', () => {
    const bin = join(process.cwd(), 'bin', 'klpcheck.mjs');
    const elsewhere = mkdtempSync(join(tmpdir(), 'klpcheck-compare-'));
    const compare = (...more: string[]) =>
      spawnSync(
        process.execPath,
        [bin, 'compare', '--semantics', 'upstream', '--invariants', 'conformance', '--runs', '5', '--no-save', ...more],
        {
          cwd: elsewhere,
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
    const text = compare().stdout;
    const file = /^ {2}upstream \/ conformance \(broken promise\): (\S+\.json), \d+ steps?$/m.exec(text)?.[1];
    expect(file).toBeDefined();
    expect(existsSync(resolve(elsewhere, file!))).toBe(true);
    expect(file).toBe(join(process.cwd(), 'counterexamples', 'upstream', file!.split('/').at(-1)!));
    const m = JSON.parse(compare('--json').stdout) as VerdictMatrix;
    const cell = m.cells.find((c) => c.property === 'conformance')!;
    expect(cell.verdict === 'violated' && cell.counterexamples[0]!.file).toBe(`counterexamples/upstream/${file!.split('/').at(-1)}`);
    rmSync(elsewhere, { recursive: true });
  });
});
