/**
 * One side of one semantics' random-run throughput in a process of its own
 * (ops-throughput.ts measureThroughputApart): `node --import tsx
 * bench/throughput-child.ts SEMANTICS bare|checked` prints one JSON SideTime.
 */
import { semanticsByName } from '../model/semantics/registry.ts';
import { childMain } from './child-process.ts';
import { measureSide } from './ops-throughput.ts';

await childMain('throughput-child.ts', () => {
  const [name, side, ...rest] = process.argv.slice(2);
  const sem = semanticsByName(name ?? '');
  if (!sem || (side !== 'bare' && side !== 'checked') || rest.length) throw new Error('usage: throughput-child.ts SEMANTICS bare|checked');
  process.stdout.write(`${JSON.stringify(measureSide(sem, side))}\n`);
});
