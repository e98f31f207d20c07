/**
 * `npm run bench` refuses a bad command line with one line and exit 2 before
 * it measures anything (bench/run.ts benchArguments), as every klpcheck
 * command does: an option given twice is refused, never read as the last one.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('the bench command line', () => {
  it.each([
    [['--two-cores', '--two-cores'], /^klpcheck: bench: --two-cores given twice \[E_USAGE\]\n$/],
    [['--whole', 'patches=1', '--whole', 'patches=2'], /^klpcheck: bench: --whole given twice \[E_USAGE\]\n$/],
    [['--bogus'], /^klpcheck: bench: Unknown option '--bogus' .*\[E_USAGE\]\n$/],
    [['--two-cores', '--quick'], /^klpcheck: bench: --two-cores measures only the two-core speed-up.*\[E_USAGE\]\n$/],
    [['--whole', 'patches=2,depth=3'], /^klpcheck: bench: --whole measures whole spaces: no depth bound.*\[E_USAGE\]\n$/],
    [
      ['--semantics', 'upstream'],
      /^klpcheck: bench: --semantics selects the whole spaces to measure: it needs --whole \(or --packed --default, or --packed --spin\) \[E_USAGE\]\n$/,
    ],
    [
      ['--default'],
      /^klpcheck: bench: --default measures only the packed engine's default search: it needs --packed, and not --whole \[E_USAGE\]\n$/,
    ],
    [['--packed', '--default', '--whole', 'patches=2'], /^klpcheck: bench: --default measures only .* and not --whole \[E_USAGE\]\n$/],
    [
      ['--packed', '--default', '--semantics', 'nope'],
      /^klpcheck: bench: unknown semantics 'nope' \(known: stacking, .*\[E_SEMANTICS\]\n$/,
    ],
    [
      ['--reach'],
      /^klpcheck: bench: --reach measures only the packed lockstep at the larger scopes: it needs --packed, and not --whole or --default \[E_USAGE\]\n$/,
    ],
    [['--packed', '--reach', '--default'], /^klpcheck: bench: --reach measures only .* and not --whole or --default \[E_USAGE\]\n$/],
    [
      ['--spin'],
      /^klpcheck: bench: --spin measures only the packed engine beside Spin: it needs --packed, and not --default or --reach \[E_USAGE\]\n$/,
    ],
    [['--packed', '--spin', '--reach'], /^klpcheck: bench: --spin measures only .* and not --default or --reach \[E_USAGE\]\n$/],
    [
      ['--spec-level'],
      /^klpcheck: bench: --spec-level measures the spec model's whole spaces: it needs --packed --whole SCOPE, and not --spin \(which measures the spec model\) \[E_USAGE\]\n$/,
    ],
    [
      ['--packed', '--spec-level'],
      /^klpcheck: bench: --spec-level measures .* it needs --packed --whole SCOPE, and not --spin .*\[E_USAGE\]\n$/,
    ],
    [
      ['--packed', '--spin', '--whole', 'patches=2,functions=2,states=1,tasks=2'],
      /^klpcheck: bench: --spin --whole measures the spec model alone, and --packed --spin measures stacking at patches=2,functions=2,states=1,tasks=2 with the lockstep: .*\(measure it with --packed --spin --semantics stacking\) \[E_USAGE\]\n$/,
    ],
    // Upstream alone is measured with the lockstep at patches=2,functions=1,states=0,tasks=1 (helper-117).
    [
      ['--packed', '--spin', '--whole', 'patches=2,functions=1,states=0,tasks=1', '--semantics', 'stacking,upstream'],
      /^klpcheck: bench: --spin --whole measures the spec model alone, and --packed --spin measures upstream at patches=2,functions=1,states=0,tasks=1 with the lockstep: .*\[E_USAGE\]\n$/,
    ],
    [
      ['--packed', '--spin', '--whole', 'patches=2,functions=1,states=0,tasks=1', '--spec-level'],
      /^klpcheck: bench: --spec-level measures .* and not --spin \(which measures the spec model\) \[E_USAGE\]\n$/,
    ],
    [['--packed', '--quick'], /^klpcheck: bench: --packed measures only the packed engine: not with --quick.*\[E_USAGE\]\n$/],
    [
      ['--packed', '--explore-only'],
      /^klpcheck: bench: --packed measures only the packed engine: not with --quick or --explore-only \[E_USAGE\]\n$/,
    ],
    [
      ['--packed', '--two-cores', '--spin'],
      /^klpcheck: bench: --packed --two-cores measures only the packed engine on two cores: not with --whole, --default, --reach or --spin \[E_USAGE\]\n$/,
    ],
    [
      ['--packed', '--whole', 'patches=1,taskModel=1'],
      /^klpcheck: bench: --packed: the packed engine has no task model \(taskModel=1\) yet \[E_USAGE\]\n$/,
    ],
    [['--walks', '--quick'], /^klpcheck: bench: --walks measures only the packed lockstep's random walks: no other option \[E_USAGE\]\n$/],
    [['--packed', '--walks'], /^klpcheck: bench: --walks measures only .*: no other option \[E_USAGE\]\n$/],
    [['--walks', '--walks'], /^klpcheck: bench: --walks given twice \[E_USAGE\]\n$/],
    [['--whole', 'patches=2', '--semantics', 'nope'], /^klpcheck: bench: unknown semantics 'nope' \(known: stacking, .*\[E_SEMANTICS\]\n$/],
  ])('refuses %j before measuring', (args, stderr) => {
    const r = bench(...args);
    expect(r.stderr).toMatch(stderr);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});
