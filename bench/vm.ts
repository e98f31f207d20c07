/**
 * The VM's figures (issue 9), written to bench/vm-results.json: build seconds per module (a fresh
 * module cache, one kbuild round per name variant), seconds per scenario in the VM (the selftest
 * and thread scenarios, modules cached), and generated upstream sequences per minute. Without a
 * set-up kernel it writes nothing and says so: the rest of `npm run bench` does not need the VM.
 * `npm run bench:vm` runs it alone; `npm run bench` runs it after the model's figures.
 */
import { cpus } from 'node:os';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModules } from '../vm/build.ts';
import { loadGenerator } from '../vm/generator.ts';
import { generateSequences } from '../vm/generate.ts';
import { generatedCases } from '../vm/generated-run.ts';
import { generateCases, loadInput } from '../vm/inputs.ts';
import { kernelReady, loadKernelEnv } from '../vm/kernel-env.ts';
import { countsOf } from '../vm/report.ts';
import { runCases } from '../vm/run.ts';

const OUT = new URL('./vm-results.json', import.meta.url);
const say = (t: string) => process.stderr.write(`${t}\n`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function benchVm(): Promise<void> {
  if (!kernelReady('6.1')) {
    say('vm: skipped: run npm run vm:setup');
    return;
  }
  const env = loadKernelEnv('6.1');
  const generate = await loadGenerator();
  const files = ['scenarios/selftests', 'scenarios/threads'].flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.outcomes.json'))
      .map((f) => join(d, f)),
  );
  const cases = generateCases(
    files.map((f, i) => loadInput(f, i)),
    generate,
    env.kernel,
  );

  const fresh = mkdtempSync(join(tmpdir(), 'klpcheck-bench-'));
  const build = await buildModules(
    { ...env, dir: fresh },
    cases.map((c) => c.modules),
  );
  rmSync(fresh, { recursive: true, force: true });
  say(`vm build: ${build.built} modules in ${build.invocations} make invocations, ${round(build.seconds, 1)} s`);

  const start = Date.now();
  const r = await runCases(env, cases);
  const scenarioSeconds = (Date.now() - start) / 1000;
  const counts = countsOf(r.comparisons);
  say(`vm scenarios: ${cases.length} in ${round(scenarioSeconds, 1)} s (${r.boots} boots, ${round(r.bootSeconds, 1)} s booted)`);

  const n = 20;
  const seqs = generateSequences(n, 1, 12);
  const gen = generatedCases(seqs, 1, generate, env);
  const g0 = Date.now();
  const g = await runCases(env, gen);
  const genSeconds = (Date.now() - g0) / 1000;
  say(`vm generated: ${n} sequences in ${round(genSeconds, 1)} s`);

  const results = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '' },
    kernel: { release: env.release, debian_version: env.version },
    note: 'TCG, one vCPU, 512 MiB; the machine is shared, so figures vary with its load',
    build: {
      modules: build.built,
      make_invocations: build.invocations,
      seconds: round(build.seconds, 1),
      seconds_per_module: round(build.seconds / Math.max(1, build.built)),
    },
    scenarios: {
      files: cases.length,
      same: counts.same,
      seconds: round(scenarioSeconds, 1),
      seconds_per_scenario: round(scenarioSeconds / cases.length),
      boots: r.boots,
    },
    generated: {
      sequences: n,
      seed: 1,
      seconds: round(genSeconds, 1),
      sequences_per_minute: round((n / genSeconds) * 60, 1),
      same: countsOf(g.comparisons).same,
      boots: g.boots,
    },
  };
  const tmp = `${OUT.pathname}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(tmp, OUT.pathname);
  say(`wrote ${OUT.pathname}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await benchVm();
