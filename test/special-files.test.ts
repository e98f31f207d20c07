/**
 * Files that are not regular files, given or found below a folder: a device
 * or a pipe is refused with one line and never read (a FIFO waited forever),
 * and a folder walk follows a linked folder, once, and says what it leaves
 * out (hostile-user findings, stop 35: a linked folder and a FIFO named
 * *.json were dropped without a word, and the run said "1 pass" for two).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText, TEXT_MAX } from '../harness/json-file.ts';
import { refuseTooLarge, saveResult, stringTooLong } from '../cli/shard-file.ts';
import type { ExploreSummary } from '../harness/explore/summary.ts';
import { scenarioFiles } from '../cli/scenario-files.ts';
import { checkOutputDir, checkOutputFile } from '../cli/output-files.ts';
import { tmpFor, writeFileAtomically } from '../harness/atomic-write.ts';
import { folderInTheWay } from '../harness/folders.ts';
import { COUNTEREXAMPLES } from '../cli/paths.ts';
import { fileNameFor, saveCounterexample, storedFor } from '../harness/counterexample.ts';
import { replayedStores } from '../harness/matrix.ts';

const SCENARIO = join(import.meta.dirname, '..', 'scenarios', 'selftests', 'test-livepatch.basic-function-patching.json');

describe('special files', () => {
  it('a device or a named pipe is refused before it is read', () => {
    expect(() => readText('/dev/null')).toThrow(expect.objectContaining({ code: 'E_NO_FILE', message: 'is a device, not a file' }));
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-special-'));
    const fifo = join(dir, 'x.json');
    execFileSync('mkfifo', [fifo]);
    expect(() => readText(fifo)).toThrow(
      expect.objectContaining({ code: 'E_NO_FILE', file: fifo, message: 'is a pipe or a socket, not a file' }),
    );
  });

  it('a file longer than the longest string V8 makes is refused before it is read (it was "not UTF-8" past its end)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-huge-'));
    const huge = join(dir, 'x.json');
    // A sparse file: no disk and no memory, and never read.
    writeFileSync(huge, '');
    truncateSync(huge, TEXT_MAX + 1);
    expect(() => readText(huge)).toThrow(
      expect.objectContaining({
        code: 'E_NO_FILE',
        file: huge,
        message: `is ${TEXT_MAX + 1} bytes, more than the 536870888 klpcheck reads as one JSON text`,
      }),
    );
  });

  it('a result file past the longest text is E_IO at --out, with the way out, before a byte is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-huge-out-'));
    const out = join(dir, 'r.json');
    // Only the sizes are read: a state array of its length (calloc'd pages, never touched) and a ledger's numbers.
    const fits = Math.floor((TEXT_MAX / 4) * 3) - 4;
    // A shard's ledger numbers each state in 4 bytes, base64 too: 2 of them here, 8 bytes.
    const summary = (bytes: number, ledger = true) =>
      ({
        states: new Uint8Array(bytes),
        distinctStates: 7,
        complete: true,
        ...(ledger ? { ledger: { expanded: new Uint32Array(2) } } : {}),
      }) as unknown as ExploreSummary;
    expect(() => refuseTooLarge(out, summary(fits - 4))).not.toThrow();
    expect(() => saveResult(out, summary(fits - 3), false, '--out')).toThrow(
      expect.objectContaining({
        code: 'E_IO',
        file: out,
        message: `7 states (${fits + 5} bytes as stored) are more than one result file holds (536870888 characters of JSON); bound the depth in --scope, or explore a smaller scope (shards of a whole space each hold all of it)`,
      }),
    );
    // A whole exploration's result has no ledger: its states alone.
    expect(() => refuseTooLarge(out, summary(fits + 4, false))).not.toThrow();
    expect(() => refuseTooLarge(out, summary(fits + 5, false))).toThrow(expect.objectContaining({ code: 'E_IO' }));
    expect(existsSync(out)).toBe(false);
  });

  it("a probe's temporary file in the way is named, not 'cannot write here (EEXIST)' (hostile-user finding, stop 44)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-probe-'));
    const out = join(dir, 'x.txt');
    const tmp = tmpFor(out);
    symlinkSync(join(dir, 'victim'), tmp);
    expect(() => checkOutputFile(out, '--out', { force: false, existing: 'refuse' })).toThrow(
      expect.objectContaining({
        code: 'E_IO',
        file: out,
        message: `--out: ${tmp} is in the way (left by a write that was killed?); remove it`,
      }),
    );
    expect(existsSync(join(dir, 'victim'))).toBe(false);
  });

  it("tells V8's refusals to make a string too long from other errors (a result within its JSON of the limit)", () => {
    const refusal = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    // Each made as a too-long output text makes it: JSON.stringify's, and base64 or text of a Buffer's.
    expect(stringTooLong(refusal(() => 'x'.repeat(TEXT_MAX + 1)))).toBe(true);
    expect(stringTooLong(refusal(() => Buffer.alloc(TEXT_MAX + 1).toString('latin1')))).toBe(true);
    expect(stringTooLong(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(stringTooLong(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(false);
    expect(stringTooLong(undefined)).toBe(false);
  });

  it('a file named with bytes that are not UTF-8 is said to be so, where Node gives klpcheck a name with U+FFFD (helper-122)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-not-utf8-name-'));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/n`), Buffer.from([0xff]), Buffer.from('x.json')]), '{}');
    expect(() => readText(join(dir, 'n\uFFFDx.json'))).toThrow(
      expect.objectContaining({ code: 'E_NO_FILE', message: expect.stringContaining('bytes that are not UTF-8') }),
    );
    expect(() => readText(join(dir, 'nope.json'))).toThrow(expect.objectContaining({ code: 'E_NO_FILE', message: 'no such file' }));
  });

  it('a folder walk follows a linked folder once, ends a link loop, and says a pipe it leaves out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-walk-'));
    const other = mkdtempSync(join(tmpdir(), 'klpcheck-walk-other-'));
    mkdirSync(join(dir, 'd'));
    copyFileSync(SCENARIO, join(dir, 'd', 'a.json'));
    copyFileSync(SCENARIO, join(other, 'b.json'));
    symlinkSync(other, join(dir, 'd', 'linked'));
    symlinkSync(join(dir, 'd'), join(dir, 'd', 'loop'));
    execFileSync('mkfifo', [join(dir, 'd', 'p.json')]);
    // A link to the folder above (a loop through it) is not walked: c.json beside d is not below the folder given.
    copyFileSync(SCENARIO, join(dir, 'c.json'));
    symlinkSync('..', join(dir, 'd', 'up'));
    // A dangling link not named *.json is not a scenario, but may have been a folder of them: left out, and said (helper-122, helper-123).
    symlinkSync('/nonexistent/x', join(dir, 'd', 'README.txt'));
    symlinkSync('README.txt', join(dir, 'd', 'NOTES'));
    const said: string[] = [];
    expect(scenarioFiles([join(dir, 'd')], (l) => said.push(l))).toEqual([join(dir, 'd', 'a.json'), join(dir, 'd', 'linked', 'b.json')]);
    expect(said).toEqual([
      `${join(dir, 'd', 'NOTES')}: left out: a dangling symbolic link (to README.txt)`,
      `${join(dir, 'd', 'README.txt')}: left out: a dangling symbolic link (to /nonexistent/x)`,
      `${join(dir, 'd', 'p.json')}: left out: not a regular file`,
      `${join(dir, 'd', 'up')}: left out: a link to a folder that holds the folder given (a loop): not walked`,
    ]);
  });
});

describe('special files where klpcheck writes (stop 35, second hostile user)', () => {
  it('a FIFO at the name of a counterexample to save is E_IO, not a read that never ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-fifo-save-'));
    const [saved] = storedFor(join(import.meta.dirname, '..', 'counterexamples'), 'upstream', 'conformance');
    const file = join(dir, fileNameFor(saved!.counterexample));
    mkdirSync(join(file, '..'), { recursive: true });
    execFileSync('mkfifo', [file]);
    expect(() => saveCounterexample(dir, saved!.counterexample)).toThrow(
      expect.objectContaining({ code: 'E_IO', file, message: 'is not a regular file (a pipe, a socket or a device); left as it is' }),
    );
  });

  it("a link at a saved counterexample's temporary name is left as it is and named, never written through (hostile-user finding, stop 44)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-tmp-link-'));
    const [saved] = storedFor(join(import.meta.dirname, '..', 'counterexamples'), 'upstream', 'conformance');
    const file = join(dir, fileNameFor(saved!.counterexample));
    mkdirSync(join(file, '..'), { recursive: true });
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, tmpFor(file));
    expect(() => saveCounterexample(dir, saved!.counterexample)).toThrow(
      expect.objectContaining({
        code: 'E_IO',
        file,
        message: `${tmpFor(file)} is in the way (left by a write that was killed?); remove it`,
      }),
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(existsSync(file)).toBe(false);
    // Any other failure to make it is the file system's, said as before: a folder that is not there.
    expect(() => writeFileAtomically(join(dir, 'gone', 'x.json'), '{}')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('a name of up to 255 bytes is written, its temporary name cut by whole characters to fit (hostile-user finding, stop 44)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-long-name-'));
    // 250 bytes of ASCII, 255 of two-byte characters, 254 of three-byte ones: each a name the file system takes.
    for (const name of [`${'a'.repeat(245)}.json`, `${'é'.repeat(125)}.json`, `${'€'.repeat(83)}.json`]) {
      const file = join(dir, name);
      expect(Buffer.byteLength(basename(tmpFor(file)))).toBeLessThanOrEqual(255);
      expect(tmpFor(file).startsWith(join(dir, name.slice(0, 20)))).toBe(true);
      expect(basename(tmpFor(file))).toMatch(new RegExp(`\\.${process.pid}\\.tmp$`));
      writeFileAtomically(file, 'x');
      expect(readFileSync(file, 'utf8')).toBe('x');
    }
    // Cut no more than it must: 255 bytes exactly, where single-byte characters allow it.
    expect(Buffer.byteLength(basename(tmpFor(join(dir, `${'a'.repeat(245)}.json`))))).toBe(255);
    // No character is cut in two.
    expect(basename(tmpFor(join(dir, `${'€'.repeat(83)}.json`)))).toMatch(new RegExp(`^€+\\.${process.pid}\\.tmp$`));
    // One the file system refuses is refused before the work, as it was before the cut (helper-71, stop 45).
    const tooLong = join(dir, `${'a'.repeat(251)}.json`);
    expect(() => checkOutputFile(tooLong, '--out', { force: false, existing: 'refuse' })).toThrow(
      expect.objectContaining({ code: 'E_IO', message: '--out: a name too long for this system (ENAMETOOLONG)' }),
    );
    // A folder of such a name is not "missing": no save can make it.
    const folder = join(dir, 'd'.repeat(256));
    expect(() => checkOutputFile(join(folder, 'x.txt'), '--out', { force: false, existing: 'refuse' })).toThrow(
      expect.objectContaining({ code: 'E_IO', message: `--out: the folder ${folder}: a name too long for this system (ENAMETOOLONG)` }),
    );
    // Nor to a save, which would make a missing folder (harness/folders.ts folderInTheWay).
    expect(folderInTheWay(folder)).toBe(`the folder ${folder}: a name too long for this system (ENAMETOOLONG)`);
    // A short name keeps its whole name.
    expect(tmpFor(join(dir, 'x.json'))).toBe(join(dir, `x.json.${process.pid}.tmp`));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out inside counterexamples/ is refused (a folder nothing replays); counterexamples itself is not', () => {
    expect(() => checkOutputDir(join(COUNTEREXAMPLES, 'archive'), '--out')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => checkOutputDir(COUNTEREXAMPLES, '--out')).not.toThrow();
  });

  it('the --out folder reached through a link to the corpus is the corpus, replayed once', () => {
    const link = join(mkdtempSync(join(tmpdir(), 'klpcheck-link-')), 'ce');
    symlinkSync(COUNTEREXAMPLES, link);
    expect(replayedStores(COUNTEREXAMPLES, link)).toEqual([COUNTEREXAMPLES]);
    expect(replayedStores(COUNTEREXAMPLES, tmpdir())).toEqual([COUNTEREXAMPLES, tmpdir()]);
    // `into/..` as the saves take it (path.join drops `x/..` as text): the folder the link is in, not the corpus.
    const into = join(dirname(link), 'into');
    symlinkSync(join(COUNTEREXAMPLES, 'upstream'), into);
    expect(replayedStores(COUNTEREXAMPLES, `${into}/..`)).toEqual([COUNTEREXAMPLES, `${into}/..`]);
  });

  it('a saved file with a byte order mark is already saved, as reading takes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-bom-'));
    const [saved] = storedFor(join(import.meta.dirname, '..', 'counterexamples'), 'upstream', 'conformance');
    const first = saveCounterexample(dir, saved!.counterexample);
    writeFileSync(first.file, `\uFEFF${readFileSync(first.file, 'utf8')}`);
    expect(saveCounterexample(dir, saved!.counterexample).status).toBe('exists');
  });
});
