/**
 * `npm run bench`: measures and writes bench/results.json. Speed claims in
 * the README and the closing notes come from this file, never from a timed
 * assertion in a test.
 */
import { cpus, totalmem } from 'node:os';
import { renameSync, writeFileSync } from 'node:fs';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { measureThroughput } from './ops-throughput.ts';

const OUT = new URL('./results.json', import.meta.url);

const throughput = SEMANTICS.map((s) => {
  const r = measureThroughput(s);
  process.stderr.write(`${s.name}: bare ${r.bare_ops_per_second} ops/s, checked ${r.checked_ops_per_second} ops/s (x${r.checked_over_bare})\n`);
  return r;
});

const results = {
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memory_gib: Math.round(totalmem() / 2 ** 30) },
  note: 'single thread; operations are applied steps of fast-check-generated sequences (seed 1, default scope)',
  throughput,
};
const tmp = `${OUT.pathname}.tmp`;
writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
renameSync(tmp, OUT.pathname);
process.stderr.write(`wrote ${OUT.pathname}\n`);
