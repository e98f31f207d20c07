/**
 * sameState is conformance's equality (harness/run-sequence.ts): a field it
 * skipped would let the spec model and the reference implementation differ
 * unseen. Every field of the schema's shape is changed once, and the answer
 * is compared with JSON equality on the states of real runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandsArb, DEFAULT_SCOPE, opOf, universeArb } from '../harness/generators.ts';
import { runSequence } from '../harness/run-sequence.ts';
import { addAscending, sameState, strictlyAscending, type AbstractState } from '../model/spec/abstract-state.ts';
import { upstream } from '../model/semantics/upstream.ts';

const base: AbstractState = {
  patches: [
    { name: 'p1', slot: 'patch:p1', status: 'enabled', order: 1, forced: false },
    { name: 'p2', slot: 'cumulative', status: 'patching', order: 2, forced: false },
  ],
  modules: ['mod'],
  tasks: [
    { name: 'task0', state: 'patched', blocked: null },
    { name: 'task1', state: 'unpatched', blocked: 'vmlinux:f1,0@p1' },
  ],
  running: { 'vmlinux:f1,0': ['p2', 'p1'], 'mod:m1,0': ['original', 'original'] },
  states: [1, 2],
  shadows: ['0/1'],
};

// A plain JSON copy to change in place (the state types are deeply readonly).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = any;
const copy = (s: AbstractState): Mutable => JSON.parse(JSON.stringify(s));

/** One change of each field the abstract state has, named for the failure message. */
const changes: readonly [string, (s: Mutable) => void][] = [
  ['a patch name', (s) => (s.patches[0].name = 'p3')],
  ['a slot', (s) => (s.patches[0].slot = 'cumulative')],
  ['a status', (s) => (s.patches[1].status = 'enabled')],
  ['an order', (s) => (s.patches[1].order = 3)],
  ['forced', (s) => (s.patches[0].forced = true)],
  ['one patch fewer', (s) => s.patches.pop()],
  ['a module', (s) => (s.modules[0] = 'mod2')],
  ['one module more', (s) => s.modules.push('mod2')],
  ['a task name', (s) => (s.tasks[0].name = 'task9')],
  ['a task state', (s) => (s.tasks[0].state = 'idle')],
  ['a blocked task', (s) => (s.tasks[0].blocked = 'vmlinux:f1,0@original')],
  ['a task unblocked', (s) => (s.tasks[1].blocked = null)],
  ['one task fewer', (s) => s.tasks.pop()],
  ['a running version', (s) => (s.running['mod:m1,0'][1] = 'p1')],
  ['a running list shorter', (s) => s.running['mod:m1,0'].pop()],
  ['a function missing', (s) => delete s.running['mod:m1,0']],
  ['a function more', (s) => (s.running['vmlinux:f2,0'] = ['original', 'original'])],
  [
    'a function renamed',
    (s) => {
      s.running['vmlinux:f2,0'] = s.running['mod:m1,0'];
      delete s.running['mod:m1,0'];
    },
  ],
  ['a state id', (s) => (s.states[1] = 3)],
  ['one state fewer', (s) => s.states.pop()],
  ['a shadow variable', (s) => (s.shadows[0] = '0/2')],
  ['one shadow variable more', (s) => s.shadows.push('0/2')],
];

describe('sameState', () => {
  it('holds for a copy, and for functions listed in another order', () => {
    expect(sameState(base, copy(base))).toBe(true);
    const reordered = copy(base);
    reordered.running = { 'mod:m1,0': ['original', 'original'], 'vmlinux:f1,0': ['p2', 'p1'] };
    expect(sameState(base, reordered)).toBe(true);
  });

  it.each(changes)('tells apart %s, either way round', (_, change) => {
    const other = copy(base);
    change(other);
    expect(sameState(base, other)).toBe(false);
    expect(sameState(other, base)).toBe(false);
  });

  it('agrees with JSON equality on the states of 100 random upstream runs (seed 1)', () => {
    const canonical = (s: AbstractState) =>
      JSON.stringify({ ...s, running: Object.fromEntries(Object.entries(s.running).sort(([a], [b]) => (a < b ? -1 : 1))) });
    const arb = fc.tuple(universeArb(upstream, DEFAULT_SCOPE), commandsArb(upstream, DEFAULT_SCOPE, 20));
    const states: AbstractState[] = [];
    for (const [universe, cmds] of fc.sample(arb, { numRuns: 100, seed: 1 })) {
      const ops = [...cmds].map(opOf);
      const r = runSequence(universe, upstream, ops, { invariants: [], conformance: false });
      states.push(r.initial, ...r.steps.map((s) => s.state));
    }
    let equal = 0;
    for (let i = 1; i < states.length; i++) {
      const same = canonical(states[i - 1]!) === canonical(states[i]!);
      expect(sameState(states[i - 1]!, states[i]!)).toBe(same);
      if (same) equal++;
    }
    // Both answers occur, or the comparison above proves little.
    expect(equal).toBeGreaterThan(10);
    expect(equal).toBeLessThan(states.length - 10);
  });
});

describe('addAscending', () => {
  it('builds the ids each once, ascending, in any order of adding (500 lists, seed 1)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 40 }), { maxLength: 12 }), (ids) => {
        const built: number[] = [];
        for (const id of ids) addAscending(built, id);
        expect(built).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});

describe('strictlyAscending', () => {
  it('holds exactly for a list that is its own set sorted (500 lists of each kind, seed 1)', () => {
    const sortedSet = <T extends string | number>(xs: T[], by?: (a: T, b: T) => number) => [...new Set(xs)].sort(by);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 5 }), { maxLength: 5 }), (xs) => {
        expect(strictlyAscending(xs)).toBe(JSON.stringify(xs) === JSON.stringify(sortedSet(xs, (a, b) => a - b)));
      }),
      { numRuns: 500, seed: 1 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'B', 'mod_a', 'mod_b', '0/1', '1/1'), { maxLength: 4 }), (xs) => {
        expect(strictlyAscending(xs)).toBe(JSON.stringify(xs) === JSON.stringify(sortedSet(xs)));
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});
