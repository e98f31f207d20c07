/**
 * What the commands that save counterexamples (run, compare, protocols --out,
 * explore) do when a file cannot be saved for the user's reasons: a directory
 * at its name, a file klpcheck cannot read. The file costs only itself: every
 * verdict is printed, it is named NOT SAVED with its reason, the others are
 * saved, and the run ends with the one-line error and exit 2, never the
 * internal error (exit 70). explore saves only into the repository's store, so
 * the store (cli/paths.ts) is a temporary folder here.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COUNTEREXAMPLES } from '../cli/paths.ts';
import { readExisting, unreadableExisting } from '../harness/atomic-write.ts';
import { fileNameFor, readCounterexample, saveCounterexample, storedFor } from '../harness/counterexample.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { runProperty } from '../harness/suite.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { run } from './support/cli-run.ts';

vi.mock('../cli/paths.ts', async (original) => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'klpcheck-store-'));
  return { ...(await original<typeof import('../cli/paths.ts')>()), COUNTEREXAMPLES: store };
});

const tmp = () => mkdtempSync(join(tmpdir(), 'klpcheck-saves-'));
const jsonFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json'));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `file` made a directory, as a user's `mkdir` or an unpacked archive leaves one. */
function directoryAt(file: string): void {
  rmSync(file, { force: true });
  mkdirSync(file);
}

/** The checks every command shares: exit 2, the one-line E_IO error naming `file` last on stderr, no internal error. */
function refusedLast(r: { code: number; stderr: string }, file: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).toMatch(new RegExp(`(^|\\n)klpcheck: ${escape(file)}: is a directory, not a file; left as it is \\[E_IO\\]\\n$`));
}

beforeEach(() => {
  rmSync(COUNTEREXAMPLES, { recursive: true, force: true });
  mkdirSync(COUNTEREXAMPLES);
});

describe('saving over something that cannot be read', () => {
  it('saveCounterexample: a directory at the name is E_IO naming it, left as it is', () => {
    const dir = tmp();
    const c = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots').counterexample!;
    const file = join(dir, fileNameFor(c));
    mkdirSync(file, { recursive: true });
    let error: unknown;
    try {
      saveCounterexample(dir, c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KlpcheckError);
    expect((error as KlpcheckError).format()).toBe(`klpcheck: ${file}: is a directory, not a file; left as it is [E_IO]`);
    expect(readdirSync(file)).toEqual([]);
  });

  it('saveCounterexample: a link to nothing at the name is E_IO naming it, left as it is, as reading the store refuses it', () => {
    const dir = tmp();
    const c = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots').counterexample!;
    const file = join(dir, fileNameFor(c));
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(join(dir, 'nowhere'), file);
    expect(() => saveCounterexample(dir, c)).toThrow(
      expect.objectContaining({ code: 'E_IO', file, message: `a dangling symbolic link (to ${join(dir, 'nowhere')}); left as it is` }),
    );
    expect(readlinkSync(file)).toBe(join(dir, 'nowhere'));
    // A link loop is no link to nothing: it cannot be read, as before.
    rmSync(file);
    symlinkSync(file, file);
    expect(() => saveCounterexample(dir, c)).toThrow(
      expect.objectContaining({ code: 'E_IO', message: expect.not.stringMatching(/dangling/) }),
    );
    rmSync(file);
    symlinkSync(join(dir, 'nowhere'), file);
    expect(() => storedFor(dir, 'upstream', c.invariant)).toThrow(expect.objectContaining({ code: 'E_NO_FILE' }));
  });

  it("the read error's reason in words: a directory, no permission, any other code", () => {
    const err = (code: string) => Object.assign(new Error(`${code}: something`), { code });
    expect(unreadableExisting('f.json', err('EISDIR')).format()).toBe('klpcheck: f.json: is a directory, not a file; left as it is [E_IO]');
    expect(unreadableExisting('f.json', err('EACCES')).format()).toBe(
      'klpcheck: f.json: cannot read the existing file: permission denied (EACCES); left as it is [E_IO]',
    );
    expect(unreadableExisting('f.json', err('ELOOP')).format()).toBe(
      'klpcheck: f.json: cannot read the existing file (ELOOP); left as it is [E_IO]',
    );
    // Nothing there, or its folder missing: nothing to compare with (the save makes the folder).
    const dir = tmp();
    expect(readExisting(join(dir, 'none.json'))).toBeUndefined();
    expect(readExisting(join(dir, 'no', 'none.json'))).toBeUndefined();
  });

  it('a file where the folder of the saves should be is named as not a folder, not "cannot write: EEXIST"', () => {
    const dir = tmp();
    const c = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots').counterexample!;
    writeFileSync(join(dir, 'upstream'), 'x');
    const file = join(dir, fileNameFor(c));
    let error: unknown;
    try {
      saveCounterexample(dir, c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KlpcheckError);
    expect((error as KlpcheckError).format()).toBe(`klpcheck: ${file}: ${join(dir, 'upstream')} is not a folder [E_IO]`);
    expect(readFileSync(join(dir, 'upstream'), 'utf8')).toBe('x');
  });

  // Root reads a file of mode 000, so this case runs only as another user (the mapping is checked above).
  it.skipIf(process.getuid?.() === 0)(
    'a counterexample file klpcheck cannot read (mode 000) is E_IO, not an internal error (skipped as root)',
    () => {
      const dir = tmp();
      const c = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots').counterexample!;
      const file = join(dir, fileNameFor(c));
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, 'unreadable');
      chmodSync(file, 0);
      expect(() => saveCounterexample(dir, c)).toThrow(/cannot read the existing file: permission denied \(EACCES\)/);
    },
  );

  // run and compare replay --out's folder first, as the corpus (hostile-user finding, stop 35): what cannot be read
  // there is refused at once, before any run, where it had cost only its own save at the end.
  for (const command of ['run', 'compare'])
    it(`${command} --out: a directory at a saved counterexample's name is refused at once, as it would be replayed`, async () => {
      const [a, b] = [tmp(), tmp()];
      const args = [command, '--semantics', 'stacking', '--runs', '2'];
      expect((await run([...args, '--out', a])).code).toBe(1);
      const [first] = jsonFiles(join(a, 'stacking')).sort();
      const file = join(b, 'stacking', first!);
      mkdirSync(join(b, 'stacking'));
      directoryAt(file);
      const r = await run([...args, '--out', b]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(new RegExp(`^klpcheck: ${escape(file)}: is a directory, not a file \\[E_\\w+\\]\\n$`));
      expect(readdirSync(join(b, 'stacking'))).toEqual([first]);
    });

  it('protocols --out: the matrix, the file named on stderr, the others written, then E_IO, exit 2', async () => {
    const [a, b] = [tmp(), tmp()];
    const args = ['protocols', '--semantics', 'stacking,upstream', '--releases', '2'];
    expect((await run([...args, '--out', a])).code).toBe(1);
    const sems = readdirSync(a).sort();
    expect(sems.length).toBeGreaterThan(1);
    const [first] = jsonFiles(join(a, sems[0]!));
    const file = join(b, sems[0]!, first!);
    mkdirSync(join(b, sems[0]!));
    directoryAt(file);
    const r = await run([...args, '--out', b]);
    refusedLast(r, file);
    expect(r.stdout).toMatch(/^stacking /m);
    expect(r.stderr).toMatch(/: counterexample NOT SAVED: .*: is a directory, not a file; left as it is \[E_IO\]\n/);
    for (const s of sems.slice(1)) expect(jsonFiles(join(b, s))).toEqual(jsonFiles(join(a, s)));
  });

  it('explore: every verdict, the file NOT SAVED with its reason, the others saved, then E_IO, exit 2', async () => {
    const args = ['explore', '--semantics', 'stacking', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=3', '--workers', '1'];
    expect((await run(args)).code).toBe(1);
    const names = jsonFiles(join(COUNTEREXAMPLES, 'stacking')).sort();
    expect(names.length).toBeGreaterThan(1);
    const file = join(COUNTEREXAMPLES, 'stacking', names[0]!);
    directoryAt(file);
    const r = await run(args);
    refusedLast(r, file);
    expect(r.stdout.match(/^[a-z-]+ +(holds|VIOLATED|VACUOUS IN SCOPE)/gm)).toHaveLength(12);
    expect(r.stdout).toMatch(
      new RegExp(`VIOLATED: .* -> NOT SAVED: \\S*${escape(names[0]!)}: is a directory, not a file; left as it is \\[E_IO\\]$`, 'm'),
    );
    // The others saved again; the directory (listed with them) left as it is.
    expect(jsonFiles(join(COUNTEREXAMPLES, 'stacking')).sort()).toEqual(names);
    expect(readdirSync(file)).toEqual([]);
    expect(r.stderr).toContain(`klpcheck explore: counterexamples: 0 new, ${names.length - 1} already saved, 1 not saved\n`);
  });
});

describe('saving over a file of the same name', () => {
  it('one reformatted in whitespace is already saved and left as it is; one of other content, or its keys reordered, is E_CONFLICT', () => {
    const dir = tmp();
    const c = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots').counterexample!;
    const first = saveCounterexample(dir, c);
    expect(first.status).toBe('written');
    // An editor's reformat: one line. The name still hashes its content; nothing was lost.
    const data = JSON.parse(readFileSync(first.file, 'utf8')) as Record<string, unknown>;
    const reformatted = JSON.stringify(data);
    writeFileSync(first.file, reformatted);
    expect(saveCounterexample(dir, c)).toEqual({ file: first.file, status: 'exists' });
    expect(readFileSync(first.file, 'utf8')).toBe(reformatted);
    // Other content under the name, or text that is no JSON, is refused as ever and kept.
    // Keys in another order (jq -S) are refused too: reading refuses that file, so taking it as saved left a store
    // every later run refused (hostile-user finding, stop 35).
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(data).reverse()));
    for (const edited of [JSON.stringify({ ...data, invariant: 'conformance' }), `${reformatted}}`, reordered]) {
      writeFileSync(first.file, edited);
      expect(() => saveCounterexample(dir, c)).toThrow(/a file of this name has other content/);
      expect(readFileSync(first.file, 'utf8')).toBe(edited);
    }
  });
});

describe('whether the files were new goes to stderr (README: "whether files were new ... go to stderr")', () => {
  const EXPLORE = ['explore', '--semantics', 'stacking', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=3', '--workers', '1'];

  it('explore says how many counterexamples were new and how many already saved, as run and compare do; stdout is the same', async () => {
    const first = await run(EXPLORE);
    expect(first.code, first.stderr).toBe(1);
    const n = jsonFiles(join(COUNTEREXAMPLES, 'stacking')).length;
    expect(n).toBeGreaterThan(1);
    expect(first.stderr).toMatch(new RegExp(`^klpcheck explore: counterexamples: ${n} new, 0 already saved$`, 'm'));
    const second = await run(EXPLORE);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^klpcheck explore: counterexamples: 0 new, ${n} already saved$`, 'm'));
    expect(second.stdout).toBe(first.stdout);
    expect(second.stdout).not.toMatch(/\d+ new|already saved/);
  });

  it('explore at another depth bound saves the same finding once, and prints what it would print alone', async () => {
    const deeper = EXPLORE.map((a) => a.replace('depth=3', 'depth=4'));
    const alone = await run(deeper);
    expect(alone.code, alone.stderr).toBe(1);
    const files = jsonFiles(join(COUNTEREXAMPLES, 'stacking')).sort();
    rmSync(COUNTEREXAMPLES, { recursive: true });
    mkdirSync(COUNTEREXAMPLES);
    expect((await run(EXPLORE)).code).toBe(1);
    const shallow = jsonFiles(join(COUNTEREXAMPLES, 'stacking')).sort();
    const after = await run(deeper);
    // One file for each finding, whichever depth found it first (five files for one 2-step finding: stop 44).
    expect(jsonFiles(join(COUNTEREXAMPLES, 'stacking')).sort()).toEqual(files);
    expect(shallow.every((f) => files.includes(f))).toBe(true);
    expect(after.stdout).toBe(alone.stdout);
    expect(after.stderr).toContain(`counterexamples: ${files.length - shallow.length} new, ${shallow.length} already saved\n`);
  });

  it('explore at another scope saves the same finding once: its file holds no function, patch or task the steps do without', async () => {
    // Three files for each finding of these three scopes until stop 46 (helper-71, stop 45): each kept its scope's whole universe.
    const scopes = ['patches=2,functions=1,states=1,tasks=1,depth=3', 'patches=2,functions=2,states=1,tasks=2,depth=3'];
    const runs = [];
    for (const scope of scopes) runs.push(await run(['explore', '--semantics', 'upstream', '--scope', scope, '--workers', '1']));
    const files = jsonFiles(join(COUNTEREXAMPLES, 'upstream'));
    expect(files.length).toBe(4);
    expect(runs[0]!.stderr).toContain(`counterexamples: ${files.length} new, 0 already saved\n`);
    expect(runs[1]!.stderr).toContain(`counterexamples: 0 new, ${files.length} already saved\n`);
    for (const f of files) {
      const c = readCounterexample(join(COUNTEREXAMPLES, 'upstream', f));
      expect(c.universe.kernel, f).toEqual({ tasks: 1 });
      const named = new Set(c.steps.map((s) => ('module' in s.op ? s.op.module : '')));
      expect(c.universe.patches.every((p) => named.has(p.name))).toBe(true);
    }
  });

  it('explore --no-save saves nothing and says nothing of files', async () => {
    const r = await run([...EXPLORE, '--no-save']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('counterexamples:');
    expect(readdirSync(COUNTEREXAMPLES)).toEqual([]);
  });

  it("compare --exhaustive counts the explorer's counterexamples with the random runs' ones", async () => {
    const out = tmp();
    const args = ['compare', '--semantics', 'stacking', '--invariants', 'no-foreign-overlap', '--runs', '2'];
    const scope = ['--exhaustive', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=3', '--out', out];
    const first = await run([...args, ...scope]);
    expect(first.code, first.stderr).toBe(1);
    const n = jsonFiles(join(out, 'stacking')).length;
    expect(n).toBe(2); // one from the random runs, one from the explorer (provenance exhaustive)
    expect(first.stderr).toMatch(new RegExp(`counterexamples: ${n} new, 0 already saved\n$`));
    const second = await run([...args, ...scope]);
    expect(second.stderr).toMatch(new RegExp(`counterexamples: 0 new, ${n} already saved\n$`));
  });
});

describe('a refused save is named on the error line as on standard output', () => {
  const EXPLORE = ['explore', '--semantics', 'stacking', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=3', '--workers', '1'];

  /**
   * Runs `args` twice with the store's parent as the current directory, the
   * second time with the first saved file edited by hand: the second run's
   * output and the name its stdout gave the file.
   */
  async function rerunWithFirstEdited(args: readonly string[], saved: RegExp) {
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue(dirname(COUNTEREXAMPLES));
    try {
      const first = await run([...args]);
      expect(first.code, first.stderr).toBe(1);
      const shown = saved.exec(first.stdout)?.[1];
      expect(shown, first.stdout).toMatch(/^klpcheck-store-\w+\/stacking\/[a-z-]+-[0-9a-f]{12}\.json$/);
      writeFileSync(join(dirname(COUNTEREXAMPLES), shown!), '{"edited": true}\n');
      return { shown: shown!, r: await run([...args]) };
    } finally {
      cwd.mockRestore();
    }
  }

  it('explore: the E_CONFLICT line names the file relative to the current directory, as its -> line did', async () => {
    const { shown, r } = await rerunWithFirstEdited(EXPLORE, /VIOLATED: .* -> (\S+)$/m);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain(` -> NOT SAVED: ${shown}: a file of this name has other content`);
    expect(r.stderr).toMatch(
      new RegExp(
        `\\nklpcheck: ${escape(shown)}: a file of this name has other content \\(edited or corrupted\\?: reading it: must have required property 'format' \\(E_SCHEMA\\)\\); not overwritten \\[E_CONFLICT\\]\\n$`,
      ),
    );
  });

  it('run: a saved file edited by hand is refused before the work, as compare refuses it, named as the lines name files', async () => {
    // run replays the saved counterexamples of its cells first (a live one wins over random runs that find none), so an
    // edited one stops it at once; one under --out, which run does not replay, is still named after the verdicts (above).
    const { shown, r } = await rerunWithFirstEdited(
      ['run', '--semantics', 'stacking', '--runs', '2', '--seed', '1'],
      /VIOLATED .* -> (\S+)$/m,
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^klpcheck: ${escape(shown)}: must have required property 'format' \\[E_SCHEMA\\]\\n$`));
  });

  it('compare: a saved file edited by hand is refused before the work, named as the other lines name files', async () => {
    const { shown } = await rerunWithFirstEdited(
      ['run', '--semantics', 'stacking', '--runs', '2', '--seed', '1'],
      /VIOLATED .* -> (\S+)$/m,
    );
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue(dirname(COUNTEREXAMPLES));
    try {
      const r = await run(['compare', '--semantics', 'stacking', '--runs', '2']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      // The store's own absolute path was shown here, where every other line names the file relative to the current folder.
      expect(r.stderr).toMatch(new RegExp(`^klpcheck: ${escape(shown)}: must have required property`, 'm'));
    } finally {
      cwd.mockRestore();
    }
  });
});

describe('a file name with a control character on standard output', () => {
  it('run --out and replay show it escaped, as an error line does, so a verdict stays one line', async () => {
    const out = join(tmp(), 'd\nir');
    const r = await run(['run', '--semantics', 'stacking', '--invariant', 'no-function-shared-across-slots', '--runs', '50', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes(' -> '))!;
    expect(line).toMatch(/ -> \S*d\\nir\/stacking\/no-function-shared-across-slots-[0-9a-f]{12}\.json$/);
    const file = join(out, 'stacking', readdirSync(join(out, 'stacking'))[0]!);
    const replayed = await run(['replay', file]);
    expect(replayed.stdout.split('\n')).toHaveLength(3);
    expect(replayed.stdout).toContain('d\\nir/stacking/');
  });
});

describe('an exhaustive counterexample file depends on the search alone', () => {
  /** stacking's no-foreign-overlap explored to `depth`, its counterexample saved in a new folder. */
  async function foreignOverlap(depth: number) {
    const { saveViolations } = await import('../cli/commands/explore.ts');
    const { explore } = await import('../harness/explore/explorer.ts');
    const { parseScope } = await import('../harness/explore/scope.ts');
    const { summarize } = await import('../harness/explore/summary.ts');
    const { stacking } = await import('../model/semantics/stacking.ts');
    const scope = parseScope(`patches=2,functions=1,states=0,tasks=1,depth=${depth}`);
    const s = summarize(explore({ semantics: stacking, scope, properties: ['no-foreign-overlap'] }), 0);
    const dir = tmp();
    const [note] = saveViolations(s, stacking, dir);
    return { s, note, dir };
  }

  it("leaves fast-check's recorded length out of the file and shows it in the report", async () => {
    const { note, dir } = await foreignOverlap(2);
    // verdicts/expected.json records fast-check's 2-step counterexample of this cell.
    expect(note?.randomLength).toBe(2);
    const saved = JSON.parse(readFileSync(join(dir, 'stacking', note!.file!.split('/').pop()!), 'utf8'));
    expect(saved.provenance).toEqual({
      source: 'exhaustive',
      depth: 2,
      scope: 'patches=2,functions=1,states=0,tasks=1,depth=2',
      fast_check: expect.any(String),
      klpcheck: expect.any(String),
    });
  });

  it('says a recorded random one shorter than the shortest here lies outside the scope; one as long, nothing more', async () => {
    const { exploreText } = await import('../report/explore/text.ts');
    const { s, note } = await foreignOverlap(3);
    const line = (randomLength: number) =>
      exploreText(s, [{ ...note!, randomLength }])
        .split('\n')
        .find((l) => l.startsWith('no-foreign-overlap'));
    expect(line(2)).toMatch(
      /VIOLATED: shortest counterexample has 2 steps \(fast-check's shrunk one, as verdicts\/expected.json records it: 2\) -> /,
    );
    // Where the search is not known to have checked every shorter sequence, it says nothing of the scope.
    const cut = { ...s, complete: false, depthReached: 0 };
    expect(exploreText(cut, [{ ...note!, randomLength: 1 }])).toMatch(/not known to be the shortest .*records it: 1\) -> /);
    expect(line(1)).toMatch(
      /has 2 steps \(fast-check's shrunk one, as verdicts\/expected.json records it: 1, a sequence outside this scope\) -> /,
    );
  });

  it('says so when the saved file is shorter than the shortest in scope, and says nothing when it is as long', async () => {
    const { exploreText } = await import('../report/explore/text.ts');
    const { saveViolations } = await import('../cli/commands/explore.ts');
    const { stacking } = await import('../model/semantics/stacking.ts');
    const { s } = await foreignOverlap(2);
    // A violation whose ops the last pass can shorten, as a plainer universe than the scope's can (minimize.ts): an
    // rmmod of a module never loaded changes nothing, and goes.
    const [v] = s.violations;
    const padded = { ...s, violations: [{ ...v!, ops: [{ op: 'rmmod' as const, module: 'mod' }, ...v!.ops] }] };
    const [note] = saveViolations(padded, stacking, tmp());
    expect(note?.savedLength).toBe(2);
    const line = exploreText(padded, [note!])
      .split('\n')
      .find((l) => l.startsWith('no-foreign-overlap'));
    expect(line).toMatch(/shortest counterexample has 3 steps .* -> \S+\.json, shrunk to 2 steps over a universe outside this scope$/);
    const [plain] = saveViolations(s, stacking, tmp());
    expect(plain).not.toHaveProperty('savedLength');
    expect(exploreText(s, [plain!])).not.toContain('shrunk to');
  });
});

describe('run names a saved counterexample of a holding cell that no longer reproduces', () => {
  it('on the holds line, as compare lists it under fixed', async () => {
    // run said only "holds" beside a saved file replay calls fixed (hostile-user test, 2026-12-03).
    const found = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots').counterexample!;
    const saved = saveCounterexample(COUNTEREXAMPLES, { ...found, semantics: 'replace-set' });
    const r = await run([
      'run',
      '--semantics',
      'replace-set',
      '--invariant',
      'no-function-shared-across-slots',
      '--runs',
      '5',
      '--no-save',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^replace-set {2}no-function-shared-across-slots +holds {2}\\(5 sequences, \\d+ steps; fixed since saved: .*${escape(saved.file.split('/').slice(-2).join('/'))}\\)$`,
        'm',
      ),
    );
    rmSync(saved.file);
  });
});
