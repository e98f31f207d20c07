/**
 * Runs klpcheck's main() in-process with captured output, and writes the
 * temporary scenario files the CLI tests use (their own, so they do not
 * depend on the scenarios under scenarios/ that other work changes).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Io } from '../../cli/io.ts';
import { main } from '../../cli/main.ts';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(argv: string[], io: Partial<Io> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    now: () => 0,
    ...io,
  });
  return { code, stdout, stderr };
}

/** The shape of scenarios/selftests/test-livepatch.basic-function-patching.json. */
export function basicScenario(): Record<string, unknown> & { expect_log: string[]; steps: Record<string, unknown>[] } {
  return {
    name: 'basic function patching',
    source: 'test/cli.test.ts',
    universe: {
      patches: [{ name: 'test_klp_livepatch', objects: [{ name: 'vmlinux', funcs: [{ old_name: 'cmdline_proc_show' }] }] }],
      modules: [],
    },
    steps: [
      { op: 'load_lp', module: 'test_klp_livepatch' },
      { op: 'check_running', func: 'vmlinux:cmdline_proc_show', runs: 'test_klp_livepatch' },
      { op: 'disable_lp', patch: 'test_klp_livepatch' },
      { op: 'unload_lp', module: 'test_klp_livepatch' },
    ],
    expect_log: [
      '% insmod test_modules/test_klp_livepatch.ko',
      "livepatch: enabling patch 'test_klp_livepatch'",
      "livepatch: 'test_klp_livepatch': initializing patching transition",
      "livepatch: 'test_klp_livepatch': starting patching transition",
      "livepatch: 'test_klp_livepatch': completing patching transition",
      "livepatch: 'test_klp_livepatch': patching complete",
      '% echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled',
      "livepatch: 'test_klp_livepatch': initializing unpatching transition",
      "livepatch: 'test_klp_livepatch': starting unpatching transition",
      "livepatch: 'test_klp_livepatch': completing unpatching transition",
      "livepatch: 'test_klp_livepatch': unpatching complete",
      '% rmmod test_klp_livepatch',
    ],
  };
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'klpcheck-cli-'));

  /** Writes `content` (JSON-encoded unless a string) to `name` below the folder; returns its path. */
  write(name: string, content: unknown): string {
    const file = join(this.path, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    return file;
  }
}
