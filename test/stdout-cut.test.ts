/**
 * Standard output or standard error cut by its reader (`klpcheck selftests |
 * head -1`, `2>&1 | head -1`): the command goes on and ends with its own exit
 * status (cli/io.ts processIo).
 * Until 2026-12-07 the first EPIPE ended the process at once with the status
 * set so far, 0 while a command runs, so a selftest that failed after the
 * cut, or a finding, read as success to the shell.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const IO = new URL('../cli/io.ts', import.meta.url).href;

/**
 * Runs, through bash, a script that writes 2,000 lines to `stream` through
 * processIo, waits past the reader's cut, writes 2,000 more, says `done` on
 * the other stream and sets exit status `status`; `pipe` is the shell's
 * redirection and pipeline after the command. Returns what the shell got.
 */
function cutRun(stream: 'stdout' | 'stderr', status: number, pipe: string) {
  const dir = mkdtempSync(join(tmpdir(), 'klpcheck-cut-'));
  const script = join(dir, 'cut.mts');
  const other = stream === 'stdout' ? 'stderr' : 'stdout';
  const lines = `for (let i = 0; i < 2000; i++) io.${stream}('a line of output\\n');`;
  writeFileSync(
    script,
    [
      `import { processIo } from ${JSON.stringify(IO)};`,
      'const io = processIo();',
      lines,
      'await new Promise((r) => setTimeout(r, 300));',
      lines,
      `io.${other}('done\\n');`,
      `process.exitCode = ${status};`,
    ].join('\n'),
  );
  return spawnSync('bash', ['-c', `node --import tsx ${JSON.stringify(script)} ${pipe}`], { encoding: 'utf8' });
}

describe('standard output cut by its reader', () => {
  it('drops the rest of the output, and the command ends with its own status', () => {
    // A command that prints as it goes, goes on after the reader left, and then finds something (status 1).
    const r = cutRun('stdout', 1, '| head -c 10 >/dev/null; echo "status ${PIPESTATUS[0]}" >&2');
    expect(r.stderr).toBe('done\nstatus 1\n');
  }, 30_000);

  it('standard error cut the same way (2>&1 | head): no stack trace, and the command ends with its own status', () => {
    // An uncaught EPIPE on standard error had ended it with node's 1 at the first line after the cut (helper-110).
    const r = cutRun('stderr', 3, '2>&1 >/dev/null | head -c 10 >/dev/null; echo "status ${PIPESTATUS[0]}"');
    expect(r.stdout).toBe('status 3\n');
    expect(r.stderr).toBe('');
  }, 30_000);

  it('standard output that cannot be written (a full disk): the files are written, then one E_IO line last, exit 2', () => {
    const bin = new URL('../bin/klpcheck.mjs', import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-full-'));
    const page = join(dir, 'page.html');
    // compare writes its page after printing the matrix: a failed write that ended the process, or threw, lost the
    // page, and explore --out its result (helper-111).
    const r = spawnSync(
      'bash',
      ['-c', `node ${JSON.stringify(bin)} compare --semantics stacking --runs 20 --no-save --html ${JSON.stringify(page)} > /dev/full`],
      { encoding: 'utf8' },
    );
    expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(r.stderr).toMatch(/\nklpcheck: standard output: cannot write \(ENOSPC\) \[E_IO\]\n$/);
    expect(r.stderr.match(/E_IO/g)).toHaveLength(1);
    // The summary before it counts on exit 2, not 1 (helper-110: "..., so exit 1 (a finding, not an error)").
    expect(r.stderr).toMatch(/^klpcheck compare: \d+ cells in [0-9.]+ s \(seed -?\d+\); \d+ violated; counterexamples: none written/m);
    expect(r.stderr).not.toContain('so exit 1');
    expect(r.status).toBe(2);
  }, 60_000);
});
