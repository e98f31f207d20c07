/**
 * A whole space the bench cannot close in its time still says how far it
 * got (bench/packed-spec.ts packedWholeSpace): the search reports each level
 * it expanded in full (harness/explore/packed/search.ts onLevel), the bench's
 * child writes it to stderr, and the not-closed row keeps the last one.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packedSpecOnce, packedWholeSpace } from '../bench/packed-spec.ts';
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

describe("the bench's row of a search a state budget stopped", () => {
  it('says where the budget stopped it, as the search does', () => {
    // Upstream's whole space here is 59,730 states; 5,000 run out in depth 6 (test/explore-budget.test.ts).
    const row = packedSpecOnce(parseScope('patches=2,functions=1,states=0,tasks=1,depth=any'), 'lockstep', 'upstream', undefined, 5000);
    expect(row).toMatchObject({ fixpoint: false, depth_reached: 5, state_budget: { states: 5000, in_depth: 6 } });
    const whole = packedSpecOnce(parseScope('patches=2,functions=1,states=0,tasks=1,depth=any'), 'lockstep', 'upstream');
    expect(whole).not.toHaveProperty('state_budget');
    expect(whole.fixpoint).toBe(true);
  });

  it('gives its per-state figures over the states the set holds, the level under way included', () => {
    // `states` claims the 5 levels expanded in full; the set also holds depth 6's states up to the one past the
    // budget, and their bytes. Over `states`, hybrid's 24,000,000-state rows read 98 to 107 bytes a stored state.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const r = packedSearch(new PackedLockstep(scope), { maxStates: 5000 });
    const row = packedSpecOnce(scope, 'lockstep', 'upstream', undefined, 5000);
    expect(row.states).toBe(r.distinctStates);
    expect(row.stored_states).toBe(5001);
    expect(r.visited.size).toBe(5001);
    expect(row.bytes_per_stored_state).toBe(Math.round((10 * r.visitedBytes) / 5001) / 10);
    expect(row.key_bytes_per_state).toBe(Math.round((10 * r.arenaBytes) / 5001) / 10);
    // A search that closed holds just the states it claims.
    expect(packedSpecOnce(scope, 'lockstep', 'upstream')).not.toHaveProperty('stored_states');
  });

  it("counts the patch definitions' nodes its search made: 43 at this scope", () => {
    // 43 nodes in upstream's whole space at this scope (bench/results.json packed_spec_against_spin, 2026-12-06), the spec
    // model alone and the lockstep alike: the kernel's side adds no definitions.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    expect(packedSpecOnce(scope, 'spec').definition_nodes).toBe(43);
    expect(packedSpecOnce(scope, 'lockstep').definition_nodes).toBe(43);
  });

  it("is refused by the bench's child for a budget that is no whole number", () => {
    const child = fileURLToPath(new URL('../bench/packed-spec-child.ts', import.meta.url));
    for (const bad of [['--max-states', '0'], ['--max-states', 'any'], ['--max-states'], ['--budget', '5'], ['--warm']]) {
      // --warm is refused after --semantics NAME as after anything: it takes no other argument.
      const args = ['--import', 'tsx', child, 'patches=1,functions=1,states=0,tasks=1', 'lockstep', '--semantics', 'upstream', ...bad];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      expect(r.status, bad.join(' ')).not.toBe(0);
      expect(r.stderr, bad.join(' ')).toContain('usage: packed-spec-child.ts');
    }
  }, 60_000);
});
