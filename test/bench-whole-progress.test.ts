/**
 * A whole space the bench cannot close in its time still says how far it
 * got (bench/packed-spec.ts packedWholeSpace): the search reports each level
 * it expanded in full (harness/explore/packed/search.ts onLevel), the bench's
 * child writes it to stderr, and the not-closed row keeps the last one.
 */
import { describe, expect, it } from 'vitest';
import { packedWholeSpace } from '../bench/packed-spec.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { parseScope } from '../harness/explore/scope.ts';

describe('how far a search got', () => {
  it('is told after each level expanded in full: its depth, the states stored and the transitions made', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=5');
    const levels: number[][] = [];
    const r = packedSearch(new PackedLockstep(scope), { depth: 5, onLevel: (d, s, t) => levels.push([d, s, t]) });
    expect(levels.map((l) => l[0])).toEqual([1, 2, 3, 4, 5]);
    // States so far: the roots and each level's new ones.
    const sums = r.statesPerDepth.map((_, i) => r.statesPerDepth.slice(0, i + 1).reduce((a, b) => a + b, 0));
    expect(levels.map((l) => l[1])).toEqual(sums.slice(1));
    expect(levels.at(-1)![2]).toBe(r.transitions);
  });

  it('is not told of a level a state budget cut short', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const levels: number[] = [];
    const r = packedSearch(new PackedLockstep(scope), { maxStates: 500, onLevel: (d) => levels.push(d) });
    expect(r.stateBudget).toBeDefined();
    expect(levels.at(-1)).toBe(r.depthReached);
  });

  it('is kept in the bench row of a whole space that did not close in its time', () => {
    // Upstream's patches=2,functions=2,states=1,tasks=2 takes minutes: 4 s reach a few levels.
    const row = packedWholeSpace(parseScope('patches=2,functions=2,states=1,tasks=2'), 'upstream', 4);
    expect(row).toMatchObject({ semantics: 'upstream', not_closed: 'no fixpoint within 4 s' });
    const reached = (row as { reached?: { depth: number; states: number; transitions: number } }).reached;
    expect(reached?.depth).toBeGreaterThanOrEqual(1);
    expect(reached!.states).toBeGreaterThan(1);
    expect(reached!.transitions).toBeGreaterThan(0);
  });
});
