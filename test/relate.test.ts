/**
 * How the proposals relate (issue 12, §5): equal, refines and incomparable
 * on hand-made behaviours, then on the real semantics within a small bound.
 */
import { describe, expect, it } from 'vitest';
import { behaviour } from '../harness/relate/behaviour.ts';
import type { RelateBound } from '../harness/relate/bound.ts';
import { lattice, relate } from '../harness/relate/relation.ts';
import { replayKey } from '../harness/relate/replay.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { latticeMarkdown, latticeSvg, latticeText } from '../report/lattice.ts';

const m = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('relation and lattice', () => {
  // a refuses what b allows; c allows a sequence b refuses; d equals a.
  const a = m({ u0: 's0', 'u0 | x': 's1', 'u0 | y': 'refused: EINVAL' });
  const b = m({ u0: 's0', 'u0 | x': 's1', 'u0 | y': 's2' });
  const c = m({ u0: 's0', 'u0 | x': 'refused: EINVAL', 'u0 | y': 's2' });
  const d = m({ u0: 's0', 'u0 | x': 's1', 'u0 | y': 'refused: EINVAL' });

  it('tells equal, refines and incomparable apart, with the separating sequence', () => {
    expect(relate('a', a, 'd', d)).toMatchObject({ equal: true, aNotB: null, bNotA: null });
    expect(relate('a', a, 'b', b)).toMatchObject({ equal: false, aNotB: null, bNotA: { key: 'u0 | y', ops: 1 } });
    expect(relate('b', b, 'c', c)).toMatchObject({ equal: false, aNotB: { key: 'u0 | x' }, bNotA: null });
    expect(relate('a', a, 'c', c)).toMatchObject({ aNotB: { key: 'u0 | x' }, bNotA: { key: 'u0 | y' } });
  });

  it('groups equal semantics and keeps only the covering edges', () => {
    const names = ['a', 'b', 'c', 'd'];
    const beh = { a, b, c, d } as const;
    const pairs = names.flatMap((x, i) => names.slice(i + 1).map((y) => relate(x, beh[x as 'a'], y, beh[y as 'a'])));
    const l = lattice(names, pairs);
    expect(l.classes).toEqual([['a', 'd'], ['b'], ['c']]);
    expect(l.edges).toEqual([
      { below: 'a', above: 'b' },
      { below: 'c', above: 'b' },
    ]);
  });
});

describe('the real semantics, bounded', () => {
  const bound: RelateBound = { patches: 2, functions: 2, depth: 2, states: 0 };
  const beh = (n: string) => behaviour(semanticsByName(n)!, bound);

  it('slots and provides-obsoletes are equal; replace_set refuses what slots allows with the admin parameter', () => {
    const slots = beh('slots');
    expect(relate('slots', slots, 'provides-obsoletes', beh('provides-obsoletes')).equal).toBe(true);
    const r = relate('slots', slots, 'replace-set', beh('replace-set'));
    expect(r.equal).toBe(false);
    expect(r.aNotB?.ops).toBe(2);
    const steps = replayKey(semanticsByName('replace-set')!, r.aNotB!.key, bound);
    expect(steps.at(-1)).toMatchObject({ op: 'insmod p1.ko add_merge_slots=2 also_obsoletes=2', outcome: 'EINVAL' });
  });

  it('with state 1 in the bound, per-state and upstream separate both ways (block_disable; a dropped state)', () => {
    const withStates: RelateBound = { ...bound, states: 1 };
    const r = relate(
      'upstream',
      behaviour(semanticsByName('upstream')!, withStates),
      'per-state',
      behaviour(semanticsByName('per-state')!, withStates),
    );
    expect(r.equal).toBe(false);
    const last = (n: string, key: string) => replayKey(semanticsByName(n)!, key, withStates).at(-1);
    expect(last('per-state', r.aNotB!.key)).toMatchObject({ op: 'echo 0 > /sys/kernel/livepatch/p2/enabled', outcome: 'EINVAL' });
    expect(last('upstream', r.bNotA!.key)).toMatchObject({ outcome: 'EINVAL' });
  });

  it('shows one sequence both sides allow into different states once, as such, in text and markdown', () => {
    // It was shown twice, each side "not allowing alike" (stop 42's hostile user).
    const names = ['upstream', 'stacking'];
    const pair = relate(names[0]!, beh(names[0]!), names[1]!, beh(names[1]!));
    expect(pair.aNotB?.key).toBe(pair.bNotA?.key);
    const replay = (n: string, k: string) => replayKey(semanticsByName(n)!, k, bound);
    const text = latticeText(lattice(names, [pair]), bound, [pair], replay);
    expect(text).toContain('    upstream and stacking both allow, into different states (2 ops): ');
    expect(text).not.toContain('does not allow alike');
    const md = latticeMarkdown(lattice(names, [pair]), bound, [pair], replay);
    expect(md.match(/both allow, into different states/g)).toHaveLength(1);
    // One way only: who allows, and who does not alike.
    const one = relate('slots', beh('slots'), 'replace-sets-set', beh('replace-sets-set'));
    if (one.aNotB && one.bNotA) expect(one.aNotB.key).not.toBe(one.bNotA.key);
    expect(latticeText(lattice(['slots', 'replace-sets-set'], [one]), bound, [one], replay)).toContain('does not allow alike');
  });

  it('renders the lattice in text and SVG with its bound', () => {
    const names = ['slots', 'provides-obsoletes', 'replace-sets-set'];
    const bs = names.map((n) => [n, beh(n)] as const);
    const pairs = bs.flatMap(([x, bx], i) => bs.slice(i + 1).map(([y, by]) => relate(x, bx, y, by)));
    const l = lattice(names, pairs);
    const text = latticeText(l, bound, pairs, (n, k) => replayKey(semanticsByName(n)!, k, bound));
    expect(text).toContain('  slots = provides-obsoletes\n');
    expect(text).toContain('patches=2,functions=2,states=0,depth=2');
    const svg = latticeSvg(l, bound);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('slots = provides-obsoletes');
  });
});
