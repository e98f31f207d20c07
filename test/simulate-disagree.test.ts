/**
 * simulate (harness/explore/packed/simulate.ts) trusts no walk's finding
 * that the object implementation does not confirm: a prefix whose replay
 * does not violate its property at its last step is a bug of the packed
 * engine, and throws, naming the walk and the seed. The replay is made to
 * disagree here (vi.mock), as a wrong packed engine would make it.
 */
import { describe, expect, it, vi } from 'vitest';

/** How the replay disagrees: it finds nothing, or its violation one step before the walk's. */
const disagree = vi.hoisted(() => ({ how: 'nothing' as 'nothing' | 'earlier' }));

vi.mock('../harness/explore/summary.ts', async (original) => {
  const real = await original<typeof import('../harness/explore/summary.ts')>();
  return {
    ...real,
    // What an engine that reported a false finding would meet: no violation, or one that came a step before.
    replayViolation: (...args: Parameters<typeof real.replayViolation>) => {
      const r = real.replayViolation(...args);
      return disagree.how === 'nothing' ? { ...r, violation: null } : { ...r, steps: r.steps.slice(0, -1) };
    },
  };
});

const { simulate } = await import('../harness/explore/packed/simulate.ts');
const { parseScope } = await import('../harness/explore/scope.ts');

describe('simulate against a replay that disagrees', () => {
  it.each(['nothing', 'earlier'] as const)('throws when the replay finds %s, naming the walk, the seed and the property', (how) => {
    disagree.how = how;
    expect(() =>
      simulate({ semantics: 'upstream', scope: parseScope('patches=2,functions=2,states=1,tasks=2'), walks: 5, length: 10, seed: 1 }),
    ).toThrow(
      /^simulate: walk \d+ \(seed 1\) at patches=2,functions=2,states=1,tasks=2 does not violate [a-z-]+ on the object implementation$/,
    );
  });
});
