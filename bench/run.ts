/**
 * `npm run bench`: measures and writes bench/results.json. Speed claims in
 * the README and the closing notes come from this file, never from a timed
 * assertion in a test. `npm run bench -- --quick` measures only the random
 * runs and keeps the exploration figures already in the file.
 */
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DEFAULT_EXPLORE_SCOPE } from '../harness/explore/scope.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { exploreOnce, exploreParallel, growthScopes } from './explore-scaling.ts';
import { measureThroughput } from './ops-throughput.ts';
import { benchVm } from './vm.ts';

const OUT = new URL('./results.json', import.meta.url);
const say = (t: string) => process.stderr.write(`${t}\n`);

const throughput = SEMANTICS.map((s) => {
  const r = measureThroughput(s);
  say(`${s.name}: bare ${r.bare_ops_per_second} ops/s, checked ${r.checked_ops_per_second} ops/s (x${r.checked_over_bare})`);
  return r;
});

const quick = process.argv.includes('--quick');
const perSemantics = [];
const growth = [];
const parallel = [];
if (!quick) {
  for (const s of SEMANTICS) {
    const r = exploreOnce(s, DEFAULT_EXPLORE_SCOPE);
    say(`explore ${s.name}: ${r.distinct_states} states in ${r.seconds} s (${r.states_per_second}/s)`);
    perSemantics.push(r);
  }
  // Workers pay their start-up and re-explore the levels above the split; a larger scope shows the gain.
  for (const scope of [DEFAULT_EXPLORE_SCOPE, { ...DEFAULT_EXPLORE_SCOPE, depth: 5 }]) {
    const r = await exploreParallel(upstream, scope);
    say(`explore upstream ${r.scope} on every core: ${r.seconds} s`);
    parallel.push(r);
  }
  for (const scope of growthScopes()) {
    const r = exploreOnce(upstream, scope);
    say(`growth ${r.scope}: ${r.distinct_states} states, ${r.seconds} s`);
    growth.push(r);
  }
}

// --quick measures the random runs again and keeps the last exploration figures.
const previous = quick && existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown>) : {};
const results = {
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memory_gib: Math.round(totalmem() / 2 ** 30) },
  note: 'random runs: single thread, applied steps of fast-check sequences (seed 1, default scope); exploration: breadth first with the kernel in lockstep',
  throughput,
  explore_default_scope: quick ? previous.explore_default_scope : perSemantics,
  explore_every_core: quick ? previous.explore_every_core : parallel,
  explore_growth_upstream: quick ? previous.explore_growth_upstream : growth,
};
const tmp = `${OUT.pathname}.tmp`;
writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
renameSync(tmp, OUT.pathname);
say(`wrote ${OUT.pathname}`);

// The real kernel's figures go to their own file (bench/vm.ts); skipped without a set-up kernel.
if (!quick) await benchVm();
