/**
 * One side of one semantics' random-run throughput in a process of its own
 * (ops-throughput.ts measureThroughputApart): `node --import tsx
 * bench/throughput-child.ts SEMANTICS bare|conformance|checked` prints one JSON SideTime.
 */
import { semanticsByName } from '../model/semantics/registry.ts';
import { childMain } from './child-process.ts';
import { measureSide, THROUGHPUT_SIDES } from './ops-throughput.ts';

await childMain('throughput-child.ts', () => {
  const [name, side, ...rest] = process.argv.slice(2);
  const sem = semanticsByName(name ?? '');
  const known = THROUGHPUT_SIDES.find((s) => s === side);
  if (!sem || !known || rest.length) throw new Error(`usage: throughput-child.ts SEMANTICS ${THROUGHPUT_SIDES.join('|')}`);
  process.stdout.write(`${JSON.stringify(measureSide(sem, known))}\n`);
});
