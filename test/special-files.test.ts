/**
 * Files that are not regular files, given or found below a folder: a device
 * or a pipe is refused with one line and never read (a FIFO waited forever),
 * and a folder walk follows a linked folder, once, and says what it leaves
 * out (hostile-user findings, stop 35: a linked folder and a FIFO named
 * *.json were dropped without a word, and the run said "1 pass" for two).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../harness/json-file.ts';
import { scenarioFiles } from '../cli/scenario-files.ts';

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

  it('a folder walk follows a linked folder once, ends a link loop, and says a pipe it leaves out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-walk-'));
    const other = mkdtempSync(join(tmpdir(), 'klpcheck-walk-other-'));
    mkdirSync(join(dir, 'd'));
    copyFileSync(SCENARIO, join(dir, 'd', 'a.json'));
    copyFileSync(SCENARIO, join(other, 'b.json'));
    symlinkSync(other, join(dir, 'd', 'linked'));
    symlinkSync(join(dir, 'd'), join(dir, 'd', 'loop'));
    execFileSync('mkfifo', [join(dir, 'd', 'p.json')]);
    const said: string[] = [];
    expect(scenarioFiles([join(dir, 'd')], (l) => said.push(l))).toEqual([join(dir, 'd', 'a.json'), join(dir, 'd', 'linked', 'b.json')]);
    expect(said).toEqual([`${join(dir, 'd', 'p.json')}: left out: not a regular file`]);
  });
});
