/**
 * The invariants' checkers on hand-built observations, for the clauses no
 * kernel can reach (the reference implementation has one transition pointer,
 * so two patches in transition at once cannot be produced by running it) and
 * for the exact wording of each reason, which mail texts quote. The catalog's
 * own text is checked too: every invariant states its meaning and source
 * (the project's standard: "Each invariant gets a paragraph of meaning and
 * source").
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../harness/ops.ts';
import type { PatchDef, Universe } from '../model/kernel/definitions.ts';
import { OK, fail, type Outcome } from '../model/kernel/errno.ts';
import type { KernelEvent } from '../model/kernel/log.ts';
import { perState } from '../model/semantics/per-state.ts';
import type { AbstractPatch, AbstractState } from '../model/spec/abstract-state.ts';
import { INVARIANTS, invariantById } from '../properties/catalog.ts';
import { firstChange } from '../properties/no-silent-version-switch.ts';
import type { StepObservation } from '../properties/invariant.ts';
import { lp } from './support/universe.ts';

const patch = (name: string, status: AbstractPatch['status'], order: number, forced = false): AbstractPatch => ({
  name,
  slot: `patch:${name}`,
  status,
  order,
  forced,
});

function state(patches: AbstractPatch[], extra: Partial<AbstractState> = {}): AbstractState {
  return {
    patches,
    modules: [],
    tasks: [
      { name: 'task0', state: 'idle', blocked: null },
      { name: 'task1', state: 'idle', blocked: null },
    ],
    running: {},
    states: [],
    shadows: [],
    ...extra,
  };
}

interface ObsInput {
  before?: AbstractState;
  after: AbstractState;
  op?: Op;
  outcome?: Outcome;
  events?: KernelEvent[];
  universe?: Universe;
}

function observation(o: ObsInput): StepObservation {
  const universe = o.universe ?? { patches: [], modules: [], kernel: { tasks: 2 } };
  return {
    index: 0,
    op: o.op ?? { op: 'transition_step' },
    outcome: o.outcome ?? OK,
    before: o.before ?? o.after,
    after: o.after,
    events: o.events ?? [],
    semantics: perState,
    universe,
    def: (name: string): PatchDef => universe.patches.find((p) => p.name === name)!,
  };
}

const check = (id: string, o: ObsInput) => invariantById(id)!.checker().check(observation(o));

describe('transition-sanity on hand-built states', () => {
  it('two patches in transition at once', () => {
    expect(check('transition-sanity', { after: state([patch('p1', 'patching', 1), patch('p2', 'unpatching', 2)]) })).toBe(
      'p1 and p2 are in transition at once',
    );
  });
  it('one patch in transition, with tasks in both states, is sane', () => {
    const after = state([patch('p1', 'enabled', 1), patch('p2', 'patching', 2)], {
      tasks: [
        { name: 'task0', state: 'patched', blocked: null },
        { name: 'task1', state: 'unpatched', blocked: null },
      ],
    });
    expect(check('transition-sanity', { after })).toBeNull();
  });
  it('a freed patch off klp_patches is sane; a freed one on it is not', () => {
    expect(check('transition-sanity', { after: state([patch('p1', 'freed', 0)]) })).toBeNull();
    expect(check('transition-sanity', { after: state([patch('p1', 'freed', 1)]) })).toBe('p1 is on klp_patches but freed');
  });
  it('a WARN event is reported with its message, other events are not', () => {
    const after = state([patch('p1', 'enabled', 1)]);
    expect(check('transition-sanity', { after, events: [{ kind: 'task_switch', task: 'task0', to: 1 }] })).toBeNull();
    expect(check('transition-sanity', { after, events: [{ kind: 'warn', message: 'x' }] })).toBe('WARN: x');
    expect(
      check('transition-sanity', {
        after,
        events: [
          { kind: 'task_switch', task: 'task0', to: 1 },
          { kind: 'warn', message: 'y' },
        ],
      }),
    ).toBe('WARN: y');
  });
});

describe('module-safety on hand-built states', () => {
  const rmmod = (name: string): Op => ({ op: 'rmmod', module: name });
  it('only a successful rmmod of a livepatch module is judged', () => {
    const before = state([patch('p1', 'enabled', 1)]);
    expect(check('module-safety', { before, after: before, op: rmmod('p1'), outcome: fail('EBUSY') })).toBeNull();
    expect(check('module-safety', { before, after: before, op: { op: 'disable', patch: 'p1' } })).toBeNull();
    expect(check('module-safety', { before, after: before, op: rmmod('mod') })).toBeNull();
    expect(check('module-safety', { before, after: state([]), op: rmmod('p1') })).toBe('p1 was removed while enabled');
  });
  it('a freed patch may go unless it was forced', () => {
    const freed = state([patch('p1', 'freed', 0)]);
    expect(check('module-safety', { before: freed, after: state([]), op: rmmod('p1') })).toBeNull();
    const forced = state([patch('p1', 'freed', 0, true)]);
    expect(check('module-safety', { before: forced, after: state([]), op: rmmod('p1') })).toBe(
      'p1 was removed although its patch was forced',
    );
  });
});

describe('block-disable-honoured on hand-built states', () => {
  const s1 = (block_disable: boolean) => [{ id: 1, block_disable, callbacks: 'trace' as const }];
  const universe: Universe = {
    patches: [
      lp('p1', ['f1'], {}, s1(true)),
      lp('p2', ['f2'], {}, s1(true)),
      lp('p3', ['f3'], {}, s1(false)),
      lp('p4', ['f1'], {}, [{ id: 2, callbacks: 'trace' }]),
      lp('p5', ['f2'], {}, [{ id: 2, callbacks: 'trace' }, ...s1(true)]),
    ],
    modules: [],
    kernel: { tasks: 2 },
  };
  const gone = (names: string[]) => ({
    universe,
    before: state(
      names.map((n, i) => patch(n, 'enabled', i + 1)),
      { states: [1] },
    ),
    after: state([], { states: [] }),
  });
  it('names every blocking patch, with the verb in the plural', () => {
    expect(check('block-disable-honoured', gone(['p1']))).toBe('state 1 disappeared although p1 blocks its disable');
    expect(check('block-disable-honoured', gone(['p1', 'p2']))).toBe('state 1 disappeared although p1, p2 block its disable');
  });
  it('only the patches that declare the state count, by its own entry', () => {
    expect(check('block-disable-honoured', gone(['p1', 'p4']))).toBe('state 1 disappeared although p1 blocks its disable');
    expect(check('block-disable-honoured', gone(['p5']))).toBe('state 1 disappeared although p5 blocks its disable');
  });
  it('a state that stays, or that a patch without the flag also declares, is not judged', () => {
    expect(check('block-disable-honoured', gone(['p1', 'p3']))).toBeNull();
    const stays = gone(['p1']);
    expect(check('block-disable-honoured', { ...stays, after: { ...stays.after, states: [1] } })).toBeNull();
  });
});

describe('shadow-lifetime on hand-built states', () => {
  const universe: Universe = {
    patches: [
      lp('p1', ['f1'], {}, [{ id: 1, is_shadow: true, callbacks: 'trace' }]),
      lp('p2', ['f2'], {}, [{ id: 12, is_shadow: false, callbacks: 'trace' }]),
    ],
    modules: [],
    kernel: { tasks: 2 },
  };
  it('a variable freed by the code while its state is declared is fine; by the core it is not', () => {
    const after = state([patch('p1', 'enabled', 1)], { states: [1] });
    const c = invariantById('shadow-lifetime')!.checker();
    const alloc = (obj: number): KernelEvent => ({ kind: 'shadow_alloc', obj, id: 1 });
    expect(c.check(observation({ universe, after, events: [alloc(9), alloc(5)] }))).toBeNull();
    expect(c.memory()).toBe('5/1 9/1');
    const copy = c.clone();
    expect(c.check(observation({ universe, after, events: [{ kind: 'shadow_free', obj: 5, id: 1, by: 'code' }] }))).toBeNull();
    expect(c.memory()).toBe('9/1');
    expect(copy.memory()).toBe('5/1 9/1');
    expect(copy.check(observation({ universe, after, events: [{ kind: 'shadow_free', obj: 5, id: 1, by: 'core' }] }))).toBe(
      'shadow variable <5/1> freed while state 1 is still declared by an active patch',
    );
  });
  it('left behind is judged by the id after the slash, for is_shadow ids only', () => {
    // <12/1> belongs to state 1 (is_shadow); <1/12> to state 12, which is not is_shadow.
    const after = state([patch('p2', 'enabled', 1)], { states: [12], shadows: ['1/12', '12/1'] });
    expect(check('shadow-lifetime', { universe, after })).toBe('shadow variable <12/1> left behind: no active patch declares state 1');
    expect(check('shadow-lifetime', { universe, after: { ...after, shadows: ['1/12'] } })).toBeNull();
  });
});

describe('no-silent-version-switch on hand-built states', () => {
  const universe: Universe = { patches: [lp('p1', ['f1']), lp('p2', ['f2']), lp('p3', ['f3'])], modules: [], kernel: { tasks: 2 } };
  const switched: KernelEvent[] = [{ kind: 'task_switch', task: 'task0', to: 1 }];
  const run = (f1: string[], f3: string[] = ['p3', 'p3']) => ({ 'vmlinux:f1,0': f1, 'vmlinux:f3,0': f3 });

  it('firstChange: any task running other code for a function present before', () => {
    expect(firstChange(run(['p1', 'p1']), run(['p1', 'p1']))).toBe(false);
    expect(firstChange(run(['p1', 'p1']), run(['p1', 'original']))).toBe(true);
    expect(firstChange({}, run(['p1', 'p1']))).toBe(false);
  });

  it('a switched task may change only functions of the transition patch and the patches listed before it', () => {
    // p1 is in transition, p3 was freed earlier: f3 is not covered, although task0 switched.
    const before = state([patch('p1', 'patching', 1), patch('p3', 'freed', 0)], { running: run(['original', 'original']) });
    const after = { ...before, running: run(['p1', 'original'], ['original', 'p3']) };
    expect(check('no-silent-version-switch', { universe, before, after, events: switched })).toBe(
      'task0 switched vmlinux:f3,0 from p3 to original without switching in a transition that covers it',
    );
    expect(
      check('no-silent-version-switch', { universe, before, after: { ...after, running: run(['p1', 'original']) }, events: switched }),
    ).toBeNull();
  });

  it("the op's own patch covers its functions (rmmod and sysfs ops name it), another patch's op does not", () => {
    const before = state([patch('p1', 'freed', 0), patch('p2', 'enabled', 1)], { running: run(['p1', 'p1']) });
    const after = { ...before, running: run(['original', 'p1']) };
    expect(check('no-silent-version-switch', { universe, before, after, events: switched, op: { op: 'rmmod', module: 'p1' } })).toBeNull();
    expect(check('no-silent-version-switch', { universe, before, after, events: switched, op: { op: 'disable', patch: 'p1' } })).toBeNull();
    expect(check('no-silent-version-switch', { universe, before, after, events: switched, op: { op: 'disable', patch: 'p2' } })).toBe(
      'task0 switched vmlinux:f1,0 from p1 to original without switching in a transition that covers it',
    );
  });

  it('a function the state did not report before is not judged', () => {
    const before = state([patch('p1', 'patching', 1)], { running: { 'vmlinux:f1,0': ['original', 'original'] } });
    const after = { ...before, running: run(['p1', 'original']) };
    expect(check('no-silent-version-switch', { universe, before, after, events: switched })).toBeNull();
  });
});

describe('the catalog states each invariant', () => {
  it('with a distinct id and title, a meaning of one or more sentences, and a source in the facts or the seeds', () => {
    expect(new Set(INVARIANTS.map((i) => i.id)).size).toBe(INVARIANTS.length);
    expect(new Set(INVARIANTS.map((i) => i.title)).size).toBe(INVARIANTS.length);
    for (const i of INVARIANTS) {
      expect(i.title.length, i.id).toBeGreaterThan(10);
      expect(i.meaning, i.id).toMatch(/^\S.{30,}\.$/s);
      expect(i.source, i.id).toMatch(/facts [A-F]|seed \d{3}/);
    }
  });
});
