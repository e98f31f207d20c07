/**
 * `klpcheck vm --generate`'s saving of real-kernel findings, without a VM: the
 * guest (vm/run.ts runCases) is replaced by one under which every case
 * differs, and the kernel set-up (vm/kernel-env.ts) by a fake one, so that the
 * whole command runs, the reduction (delta debugging) and the saving included.
 * The C generator is the real one.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { KernelEnv } from '../vm/kernel-env.ts';
import type { VmRun } from '../vm/run.ts';
import type { BuiltCase } from '../vm/case.ts';
import { run } from './support/cli-run.ts';

vi.mock('../vm/run.ts', () => ({
  /** Every case differs from the model, so every generated sequence is reduced (to one op) and saved. */
  runCases: async (_env: KernelEnv, cases: readonly BuiltCase[]): Promise<VmRun> => ({
    comparisons: cases.map((c) => ({
      label: c.vmCase.label,
      verdict: 'DIFFERS' as const,
      diff: '--- model\n+++ kernel\n',
      problems: [],
      notOnThisKernel: [],
    })),
    real: cases.map(() => []),
    boots: 1,
    bootSeconds: 0,
  }),
}));

vi.mock('../vm/kernel-env.ts', async (original) => ({
  ...(await original<typeof import('../vm/kernel-env.ts')>()),
  loadKernelEnv: (): KernelEnv => ({
    kernel: '6.1',
    abi: '6.1.0-0',
    release: '6.1.0-0-fake-amd64',
    version: '6.1.0-0fake',
    vmlinuz: '/nonexistent/vmlinuz',
    headers: '/nonexistent/headers',
    qemu: '/nonexistent/qemu',
    makeFlags: [],
    dir: '/nonexistent',
  }),
}));

const SAVED = /^saved: (\S+?)( \(already saved\))?: generated #(\d) reduced from \d+ to 1 op in \d+ boots?$/gm;

describe('klpcheck vm --generate: saving the findings (fake guest)', () => {
  it('a hand-edited finding file is kept and named on its line; every other finding is saved; then E_CONFLICT, exit 2', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-vm-save-'));
    const args = ['vm', '--generate', '3', '--seed', '1', '--out', out];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(1);
    const lines = [...first.stdout.matchAll(SAVED)];
    expect(lines.map((m) => m[3])).toEqual(['0', '1', '2']);
    const files = lines.map((m) => m[1]!);
    expect(new Set(files).size).toBe(3);
    expect(readdirSync(join(out, '6.1')).sort()).toEqual(files.map((f) => f.split('/').pop()).sort());

    // The first finding's file edited by hand (its ops no longer those its name hashes), the third one deleted.
    const [edited, kept, removed] = files.map((f) => resolve(f));
    const text = readFileSync(edited!, 'utf8');
    const changed = JSON.stringify({ ...JSON.parse(text), ops: [] }, null, 2);
    writeFileSync(edited!, changed);
    const keptText = readFileSync(kept!, 'utf8');
    rmSync(removed!);

    const second = await run(args);
    expect(second.code).toBe(2);
    // Every result is reported: the VM report, the count line, and one line per finding, in order.
    const report = (stdout: string) => stdout.slice(0, stdout.indexOf('\n', stdout.indexOf('generated: 3 sequences, seed 1')) + 1);
    expect(report(second.stdout)).toBe(report(first.stdout));
    expect(report(second.stdout)).toMatch(/^3 files: 0 same, 3 differ, .*\ngenerated: 3 sequences, seed 1\b.*\n$/m);
    expect(second.stdout.slice(report(second.stdout).length).split('\n')).toHaveLength(4);
    expect(second.stdout).toMatch(
      new RegExp(
        `^generated #0 reduced from \\d+ to 1 op in \\d+ boots? -> NOT SAVED: ${files[0]}: a file of this name has other content \\(edited or corrupted\\?\\); not overwritten \\[E_CONFLICT\\]$`,
        'm',
      ),
    );
    expect(second.stdout).toMatch(new RegExp(`^saved: ${files[1]} \\(already saved\\): generated #1 `, 'm'));
    expect(second.stdout).toMatch(new RegExp(`^saved: ${files[2]}: generated #2 `, 'm'));
    // The edited file is kept as it was, the others are there, and nothing is left behind.
    expect(readFileSync(edited!, 'utf8')).toBe(changed);
    expect(readFileSync(kept!, 'utf8')).toBe(keptText);
    expect(readdirSync(join(out, '6.1')).sort()).toEqual(files.map((f) => f.split('/').pop()).sort());
    // The one-line error comes last, after every finding.
    expect(second.stderr).toMatch(
      new RegExp(
        `\nklpcheck: ${edited}: a file of this name has other content \\(edited or corrupted\\?\\); not overwritten \\[E_CONFLICT\\]\n$`,
      ),
    );
  });

  it('a finding file edited outside what its name hashes (its diff, its release) is refused, not taken as already saved', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-vm-save-'));
    const args = ['vm', '--generate', '1', '--seed', '1', '--out', out];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(1);
    const [file] = [...first.stdout.matchAll(SAVED)].map((m) => resolve(m[1]!));
    const text = readFileSync(file!, 'utf8');
    // Saved again as it is: the same bytes are "already saved".
    const again = await run(args);
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/^saved: \S+ \(already saved\): generated #0 /m);
    for (const edit of [{ diff: 'edited by hand' }, { release: '6.1.0-99-amd64' }]) {
      const changed = JSON.stringify({ ...JSON.parse(text), ...edit }, null, 2) + '\n';
      writeFileSync(file!, changed);
      const second = await run(args);
      expect(second.code, Object.keys(edit)[0]).toBe(2);
      expect(second.stdout).toMatch(/^generated #0 reduced .* -> NOT SAVED: .*: a file of this name has other content .*\[E_CONFLICT\]$/m);
      expect(second.stdout).not.toMatch(/already saved/);
      expect(readFileSync(file!, 'utf8')).toBe(changed);
      expect(second.stderr).toMatch(new RegExp(`\nklpcheck: ${file}: a file of this name has other content .*\\[E_CONFLICT\\]\n$`));
    }
  });

  it('with --json, stdout is the one JSON report: the generated, saved and NOT SAVED lines go to stderr', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-vm-save-'));
    const args = ['vm', '--json', '--generate', '2', '--seed', '1', '--out', out];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(1);
    const report = JSON.parse(first.stdout) as { counts: { differs: number } };
    expect(report.counts.differs).toBe(2);
    expect(first.stderr).toMatch(/^klpcheck vm: generated: 2 sequences, seed 1\b.*$/m);
    const saved = [...first.stderr.matchAll(/^klpcheck vm: saved: (\S+?): generated #(\d) reduced /gm)];
    expect(saved.map((m) => m[2])).toEqual(['0', '1']);
    // A refused save under --json: its line on stderr, then the one-line error; stdout is still the JSON alone.
    writeFileSync(resolve(saved[0]![1]!), '{ "half a file');
    const second = await run(args);
    expect(second.code).toBe(2);
    expect(JSON.parse(second.stdout)).toEqual(report);
    expect(second.stderr).toMatch(/^klpcheck vm: generated #0 reduced .* -> NOT SAVED: .*\[E_CONFLICT\]$/m);
    expect(second.stderr).toMatch(/^klpcheck vm: saved: \S+ \(already saved\): generated #1 /m);
    expect(second.stderr).toMatch(/\nklpcheck: .*\[E_CONFLICT\]\n$/);
  });

  it('a finding file that is no longer JSON is refused the same way, not an internal error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-vm-save-'));
    const args = ['vm', '--generate', '1', '--seed', '1', '--out', out];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(1);
    const [file] = [...first.stdout.matchAll(SAVED)].map((m) => resolve(m[1]!));
    writeFileSync(file!, '{ "half a file');
    const second = await run(args);
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/^generated #0 reduced .* -> NOT SAVED: .*\[E_CONFLICT\]$/m);
    expect(readFileSync(file!, 'utf8')).toBe('{ "half a file');
    expect(second.stderr).toMatch(new RegExp(`\nklpcheck: ${file}: a file of this name has other content .*\\[E_CONFLICT\\]\n$`));
  });

  it("a directory at a finding file's name is E_IO naming it, after every finding, not an internal error", async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-vm-save-'));
    const args = ['vm', '--generate', '1', '--seed', '1', '--out', out];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(1);
    const [file] = [...first.stdout.matchAll(SAVED)].map((m) => resolve(m[1]!));
    rmSync(file!);
    mkdirSync(file!);
    const second = await run(args);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stdout).toMatch(/^generated #0 reduced .* -> NOT SAVED: .*: is a directory, not a file; left as it is \[E_IO\]$/m);
    expect(second.stderr).toMatch(new RegExp(`\nklpcheck: ${file}: is a directory, not a file; left as it is \\[E_IO\\]\n$`));
    expect(readdirSync(file!)).toEqual([]);
  });
});
