/**
 * One side of one semantics' random-walk throughput in a process of its own
 * (packed-walks.ts measureWalksApart): `node --import tsx
 * bench/walk-child.ts SEMANTICS bare|packed|object` prints one JSON WalkSideTime.
 */
import { semanticsByName } from '../model/semantics/registry.ts';
import { childMain } from './child-process.ts';
import { measureWalkSide, WALK_SIDES } from './packed-walks.ts';

await childMain('walk-child.ts', () => {
  const [name, side, ...rest] = process.argv.slice(2);
  const sem = semanticsByName(name ?? '');
  const known = WALK_SIDES.find((s) => s === side);
  if (!sem || !known || rest.length) throw new Error(`usage: walk-child.ts SEMANTICS ${WALK_SIDES.join('|')}`);
  process.stdout.write(`${JSON.stringify(measureWalkSide(sem, known))}\n`);
});
