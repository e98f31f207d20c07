/**
 * One semantics' random-run throughput in a process of its own
 * (ops-throughput.ts measureThroughputApart): `node --import tsx
 * bench/throughput-child.ts SEMANTICS` prints one JSON Throughput.
 */
import { semanticsByName } from '../model/semantics/registry.ts';
import { childMain } from './child-process.ts';
import { measureThroughput } from './ops-throughput.ts';

await childMain('throughput-child.ts', () => {
  const args = process.argv.slice(2);
  const sem = semanticsByName(args[0] ?? '');
  if (!sem || args.length !== 1) throw new Error('usage: throughput-child.ts SEMANTICS');
  process.stdout.write(`${JSON.stringify(measureThroughput(sem))}\n`);
});
