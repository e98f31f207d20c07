/**
 * `--out DIR` (run, compare, protocols, vm): DIR may be made, in a folder that
 * exists; the folders above it never are (a mistyped `--out /nonexistent/dir`
 * once built a tree at the root). The refusals, each before any work, are in
 * the bad-input corpus (test/bad-inputs/output-paths.json).
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputDir, checkOutputFile, writeAtomically } from '../cli/output-files.ts';
import { tmpFor } from '../harness/atomic-write.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { run } from './support/cli-run.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'klpcheck-out-'));

/** The one line checkOutputDir or checkOutputFile refuses `f` with, or 'ok'. */
function refusal(f: () => void): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof KlpcheckError)) throw e;
    return e.format();
  }
}

describe('--out DIR', () => {
  it('an existing folder, or a new one in an existing folder, is taken; nothing is made by the check', () => {
    const dir = tmp();
    expect(refusal(() => checkOutputDir(dir, '--out'))).toBe('ok');
    expect(refusal(() => checkOutputDir(join(dir, 'new'), '--out'))).toBe('ok');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a new folder below a missing one is refused, naming the missing folder; nothing is made', () => {
    const dir = tmp();
    const out = join(dir, 'no', 'such', 'cx');
    expect(refusal(() => checkOutputDir(out, '--out'))).toBe(
      `klpcheck: ${out}: --out: the folder ${join(dir, 'no', 'such')} does not exist (--out makes its last folder only, not the ones above it) [E_IO]`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a folder below a file is refused naming the file, for a folder and for a file to write', () => {
    const dir = tmp();
    const file = join(dir, 'good.json');
    writeFileSync(file, 'x');
    expect(refusal(() => checkOutputDir(join(file, 'cx'), '--out'))).toBe(`klpcheck: ${file}/cx: --out: ${file} is not a folder [E_IO]`);
    expect(refusal(() => checkOutputDir(join(file, 'a', 'cx'), '--out'))).toBe(
      `klpcheck: ${file}/a/cx: --out: ${file} is not a folder [E_IO]`,
    );
    const opts = { force: false, existing: 'refuse' } as const;
    expect(refusal(() => checkOutputFile(join(file, 'x.json'), '--out', opts))).toBe(
      `klpcheck: ${file}/x.json: --out: ${file} is not a folder [E_IO]`,
    );
    expect(refusal(() => checkOutputFile(join(dir, 'no', 'x.json'), '--out', opts))).toBe(
      `klpcheck: ${dir}/no/x.json: --out: the folder ${dir}/no does not exist [E_IO]`,
    );
    // A missing folder before '..' is named too, as the system walks the path: it was "cannot write here (ENOENT)"
    // (helper-110); the path made absolute as text names an existing folder.
    expect(refusal(() => checkOutputFile(`${dir}/no/../x.json`, '--out', opts))).toBe(
      `klpcheck: ${dir}/no/../x.json: --out: the folder ${dir}/no does not exist [E_IO]`,
    );
    // A folder option too: `nope/../ce` was taken as ./ce, made absolute as text, and saved there (helper-111).
    expect(refusal(() => checkOutputDir(`${dir}/no/../ce`, '--out'))).toBe(
      `klpcheck: ${dir}/no/../ce: --out: the folder ${dir}/no does not exist [E_IO]`,
    );
    expect(() => checkOutputDir(`${dir}/new/`, '--out')).not.toThrow();
    expect(() => checkOutputDir(`${dir}/./new`, '--out')).not.toThrow();
    // Named as the system walks it: past a link and '..', in the link's target's folder (helper-111).
    mkdirSync(join(dir, 'real', 'b'), { recursive: true });
    symlinkSync(join(dir, 'real', 'b'), join(dir, 'lnk'));
    expect(refusal(() => checkOutputFile(`${dir}/lnk/../nope/../y.json`, '--out', opts))).toBe(
      `klpcheck: ${dir}/lnk/../nope/../y.json: --out: the folder ${dir}/real/nope does not exist [E_IO]`,
    );
  });

  it('run --out NEW makes NEW in its existing folder, as --out counterexamples always did', async () => {
    const dir = tmp();
    const out = join(dir, 'new');
    const r = await run([
      'run',
      '--semantics',
      'upstream',
      '--invariant',
      'no-function-shared-across-slots',
      '--runs',
      '200',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(readdirSync(join(out, 'upstream'))).toHaveLength(1);
    expect(existsSync(join(dir, 'new', 'upstream'))).toBe(true);
  });
});

describe('a missing folder named in the message', () => {
  it('shows a newline in its name as its escape, not as a space naming another folder', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'ne w'));
    const out = join(dir, 'ne\nw', 'x', 'cx');
    expect(refusal(() => checkOutputDir(out, '--out'))).toBe(
      `klpcheck: ${out.replace('\n', '\\n')}: --out: the folder ${join(dir, 'ne\\nw', 'x')} does not exist (--out makes its last folder only, not the ones above it) [E_IO]`,
    );
  });
});

describe('writing an output file', () => {
  it('a write that fails names the file asked for, and the temporary file beside it only when that is what is in the way', () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    // A folder where the temporary file would go makes the write fail after every check passed. It said "cannot
    // write: EISDIR", which named neither it nor what to do (hostile-user finding, stop 44).
    mkdirSync(tmpFor(out));
    const line = refusal(() => writeAtomically(out, 'text', false));
    expect(line).toBe(`klpcheck: ${out}: ${tmpFor(out)} is in the way (left by a write that was killed?); remove it [E_IO]`);
    expect(existsSync(out)).toBe(false);
    expect(statSync(tmpFor(out)).isDirectory()).toBe(true);
    // Written for an option (render, promela and explore --out, compare --record), the line names it, as the check
    // before the work does (render and promela left it out: hostile-user finding, stop 44).
    expect(refusal(() => writeAtomically(out, 'text', false, '--out'))).toBe(
      `klpcheck: ${out}: --out: ${tmpFor(out)} is in the way (left by a write that was killed?); remove it [E_IO]`,
    );
    // Any other failure names the file asked for alone (Node's own message names the temporary file).
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(refusal(() => writeAtomically(join(file, 'x'), 'text', false))).toBe(
      `klpcheck: ${join(file, 'x')}: cannot write: ENOTDIR [E_IO]`,
    );
  });

  it('a file of another size is other content unread: --force replaces one too large to read (hostile-user finding, stop 44)', () => {
    const dir = tmp();
    const out = join(dir, 'big.json');
    writeFileSync(out, '');
    // Sparse: no disk, and never read (reading it was ERR_STRING_TOO_LONG, after the work).
    truncateSync(out, 600 * 2 ** 20);
    expect(refusal(() => writeAtomically(out, 'text', false))).toBe(
      `klpcheck: ${out}: exists with other content; not overwritten (use --force) [E_CONFLICT]`,
    );
    expect(writeAtomically(out, 'text', true)).toBe('written');
    expect(readFileSync(out, 'utf8')).toBe('text');
    // One of the same size is read and compared, as before.
    expect(writeAtomically(out, 'text', false)).toBe('unchanged');
    expect(refusal(() => writeAtomically(out, 'test', false))).toMatch(/exists with other content/);
  });

  it('a file replaced with force keeps its mode, as cp over an existing file does (it became 644)', async () => {
    const dir = tmp();
    for (const mode of [0o444, 0o600, 0o640]) {
      const out = join(dir, `report-${mode.toString(8)}.html`);
      writeFileSync(out, 'old');
      chmodSync(out, mode);
      expect(writeAtomically(out, 'new', true)).toBe('written');
      expect(readFileSync(out, 'utf8')).toBe('new');
      expect(statSync(out).mode & 0o777, mode.toString(8)).toBe(mode);
    }
    // Through a command: promela --out --force over a read-only file of other content.
    const pml = join(dir, 'up.pml');
    writeFileSync(pml, 'my notes');
    chmodSync(pml, 0o444);
    const r = await run(['promela', '--scope', 'patches=1,functions=1,states=0,tasks=1', '--out', pml, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(pml, 'utf8')).toMatch(/^\/\*\n \* GENERATED by `klpcheck promela/);
    expect(statSync(pml).mode & 0o777).toBe(0o444);
    // A new file is made as ever, with the umask's mode.
    const made = join(dir, 'new.html');
    writeAtomically(made, 'new', false);
    expect(statSync(made).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it('a folder at the name itself is refused as such, left as it is', () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    mkdirSync(out);
    expect(refusal(() => writeAtomically(out, 'text', true))).toBe(`klpcheck: ${out}: is a directory, not a file; left as it is [E_IO]`);
  });
});
