/**
 * What an object-engine expander keeps between chunks (harness/explore/expand.ts):
 * a successor list for each state a path steps out of, not for every state met.
 * Until stop 54 it made one for every successor that loads a new patch, 44,317
 * after depth 2 of replace-set's largest scope (39 MiB), and a worker of 32 MiB
 * ran out there.
 */
import { describe, expect, it } from 'vitest';
import { Expander } from '../harness/explore/expand.ts';
import { expandChunk } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

describe('an expander', () => {
  it('holds a successor list for each state expanded and the root, not for each successor', () => {
    const ex = new Expander(semanticsByName('replace-set')!, parseScope('patches=5,functions=6,states=3,tasks=3,depth=2'), [
      'no-foreign-overlap',
    ]);
    const depth1: number[] = [];
    ex.expand(0, [], (s) => depth1.push(s.pos));
    expect(depth1.length).toBeGreaterThan(100);
    let successors = 0;
    for (let i = 0; i < depth1.length; i += 31)
      successors += expandChunk(
        ex,
        depth1.slice(i, i + 31).map((pos) => ({ root: 0, path: [pos] })),
      ).positions.length;
    expect(successors).toBeGreaterThan(40_000);
    // The root's, and at most one per state expanded: states with the same definitions share one.
    expect(ex.successorLists).toBeLessThanOrEqual(1 + depth1.length);
    expect(ex.successorLists).toBeGreaterThan(1);
  });
});
