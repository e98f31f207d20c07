/**
 * Runs Spin on a Promela model: spin -a, a C compiler, then the verifier
 * (exhaustive, no partial-order reduction: the model has one process) and
 * reads "states, stored" from its report. `npm run spin:setup` installs
 * Spin and a compiler from Debian's packages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `spin` and `cc` are on PATH; the reason when not. */
export function spinMissing(): string | null {
  for (const tool of ['spin', 'cc']) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) return `${tool} is not installed (npm run spin:setup)`;
  }
  return null;
}

export interface SpinReport {
  readonly stored: number;
  readonly transitions: number;
  readonly depth: number;
  readonly errors: number;
  /** The verifier's own report of its cpu time (pan: "elapsed time"), seconds. */
  readonly seconds: number;
  readonly memoryMb: number;
  /** Bytes of one state vector, as pan reports it ("State-vector 44 byte"). */
  readonly vectorBytes: number;
}

/**
 * Verifies `model` to depth `maxDepth` at most, on `cores` cores: more than
 * one compiles pan for Spin's multi-core mode (-DNCORE), which takes only a
 * model written for it (model.ts PromelaOptions.multicore). Throws with
 * Spin's output when a step fails.
 */
export function runSpin(model: string, maxDepth = 10_000_000, cores = 1): SpinReport {
  const dir = mkdtempSync(join(tmpdir(), 'klpcheck-spin-'));
  try {
    writeFileSync(join(dir, 'model.pml'), model);
    execFileSync('spin', ['-a', 'model.pml'], { cwd: dir, stdio: 'pipe' });
    const multicore = cores > 1 ? [`-DNCORE=${cores}`] : [];
    execFileSync('cc', ['-O2', '-DNOREDUCE', '-DMEMLIM=8192', ...multicore, '-w', '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'pipe' });
    const out = execFileSync('./pan', [`-m${maxDepth}`], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
    return readPanReport(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The figures of a pan report, of a search that completed: one cut short by
 * pan's memory or depth limit throws, as its counts are partial. pan prints
 * a count past 99,999,999 in e-notation ("1.2345678e+08 transitions"), so
 * a count is digits, an optional fraction and an optional exponent (the last
 * digits of such a count are then rounded by pan). Throws naming the line it
 * could not find.
 */
export function readPanReport(out: string): SpinReport {
  // A search cut short still prints its counts and "errors: 0" and exits 0: at its memory limit ("reached
  // -DMEMLIM bound", then "Warning: Search not completed") or at its depth limit ("max search depth too small").
  // Its count is not the whole space's, and was read as a model that disagrees (helper-115).
  const cut = /pan: reached -DMEMLIM bound|pan: out of memory|Warning: Search not completed|max search depth too small/.exec(out);
  if (cut) throw new Error(`spin: the search did not complete (pan: "${cut[0]}"), so its count is not the whole space's`);
  const num = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`spin: no '${re.source}' in the verifier's report:\n${out}`);
    return Number(m[1]);
  };
  const COUNT = String.raw`(\d+(?:\.\d+)?(?:e[+-]?\d+)?)`;
  return {
    stored: num(new RegExp(`${COUNT} states, stored`)),
    transitions: num(new RegExp(`${COUNT} transitions \\(= stored\\+matched\\)`)),
    depth: num(/depth reached (\d+)/),
    errors: num(/errors: (\d+)/),
    seconds: num(/elapsed time ([\d.e+-]+) seconds/),
    memoryMb: num(/([\d.]+)\s+total actual memory usage/),
    vectorBytes: num(/State-vector (\d+) byte/),
  };
}
