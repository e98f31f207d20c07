/**
 * One side of one semantics' random-walk throughput in a process of its own
 * (packed-walks.ts measureWalksApart): `node --import tsx
 * bench/walk-child.ts SEMANTICS bare|packed|object` prints one JSON WalkSideTime.
 */
import { sideChildMain } from './child-process.ts';
import { measureWalkSide, WALK_SIDES } from './packed-walks.ts';

await sideChildMain('walk-child.ts', WALK_SIDES, measureWalkSide);
