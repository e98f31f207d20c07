/**
 * One side of one semantics' random-run throughput in a process of its own
 * (ops-throughput.ts measureThroughputApart): `node --import tsx
 * bench/throughput-child.ts SEMANTICS bare|conformance|checked` prints one JSON SideTime.
 */
import { sideChildMain } from './child-process.ts';
import { measureSide, THROUGHPUT_SIDES } from './ops-throughput.ts';

await sideChildMain('throughput-child.ts', THROUGHPUT_SIDES, measureSide);
