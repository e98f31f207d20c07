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
import { removals } from '../properties/removals.ts';
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

describe('the overlap checks on hand-built states of three settled patches', () => {
  const owned = (name: string, funcs: string[], owners: string[]): PatchDef => ({ ...lp(name, funcs), owners });
  const universe: Universe = {
    patches: [owned('p1', ['f1'], ['vendor']), owned('p2', ['f1'], ['user']), owned('p3', ['f3'], ['vendor'])],
    modules: [],
    kernel: { tasks: 2 },
  };
  const after = state([patch('p1', 'enabled', 1), patch('p2', 'enabled', 2), patch('p3', 'enabled', 3)]);

  it('no-foreign-overlap finds the first two of three, each against every later one', () => {
    expect(check('no-foreign-overlap', { universe, after })).toBe('p1 (vendor) and p2 (user) both patch vmlinux:f1,0');
    // Alone on the list, or beside a patch of its own owner, p1 overlaps with none.
    expect(check('no-foreign-overlap', { universe, after: state([patch('p1', 'enabled', 1)]) })).toBeNull();
    expect(check('no-foreign-overlap', { universe, after: state([patch('p1', 'enabled', 1), patch('p3', 'enabled', 2)]) })).toBeNull();
  });
});

describe('callback-pairing on hand-built callback series', () => {
  /** One checker fed one object's callbacks, a step each; the reason of the first refused one, or null. */
  const series = (...cbs: (readonly [cb: 'pre_patch' | 'post_patch' | 'pre_unpatch' | 'post_unpatch', ret?: number])[]) => {
    const c = invariantById('callback-pairing')!.checker();
    const after = state([patch('p1', 'enabled', 1)]);
    for (const [cb, ret = 0] of cbs) {
      const events: KernelEvent[] = [{ kind: 'object_callback', patch: 'p1', obj: 'vmlinux', cb, ret }];
      const reason = c.check(observation({ after, events }));
      if (reason) return reason;
    }
    return null;
  };
  it("accepts the kernel's series: completed, reversed enable, reversed disable", () => {
    expect(series(['pre_patch'], ['post_patch'], ['pre_unpatch'], ['post_unpatch'])).toBeNull();
    expect(series(['pre_patch'], ['post_unpatch'])).toBeNull();
    // post_unpatch closes the series: the object's next load starts a new one.
    expect(series(['pre_patch'], ['post_unpatch'], ['pre_patch'], ['post_patch'])).toBeNull();
    // After pre_unpatch the same callbacks are due as after pre_patch: a reversed disable ends in post_patch.
    expect(series(['pre_patch'], ['post_patch'], ['pre_unpatch'], ['post_patch'], ['pre_unpatch'], ['post_unpatch'])).toBeNull();
    // A failed pre_patch leaves the series closed: a new pre_patch may follow.
    expect(series(['pre_patch', -19], ['pre_patch'])).toBeNull();
  });
  it('refuses each callback out of its place, by name', () => {
    expect(series(['pre_patch'], ['pre_patch'])).toBe('p1 object vmlinux: pre_patch while already patched');
    expect(series(['pre_patch'], ['post_patch'], ['pre_unpatch'], ['pre_patch'])).toBe(
      'p1 object vmlinux: pre_patch while already patched',
    );
    expect(series(['post_patch'])).toBe('p1 object vmlinux: post_patch without a successful pre_patch');
    expect(series(['pre_patch'], ['post_patch'], ['post_patch'])).toBe('p1 object vmlinux: post_patch without a successful pre_patch');
    expect(series(['pre_patch'], ['pre_unpatch'])).toBe('p1 object vmlinux: pre_unpatch without post_patch');
    expect(series(['pre_patch'], ['post_patch'], ['pre_unpatch'], ['pre_unpatch'])).toBe(
      'p1 object vmlinux: pre_unpatch without post_patch',
    );
    expect(series(['post_unpatch'])).toBe('p1 object vmlinux: post_unpatch without a successful pre_patch');
    expect(series(['pre_patch', -19], ['post_unpatch'])).toBe('p1 object vmlinux: post_unpatch without a successful pre_patch');
    expect(series(['pre_patch', -19], ['post_patch'])).toBe('p1 object vmlinux: post_patch without a successful pre_patch');
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

  it('a listed patch covers its functions only beside a transition (its nops): with none, its functions are not covered', () => {
    // p2 listed, no patch in transition, and the op names no patch: f2 is not covered, although task0 switched.
    const before = state([patch('p2', 'enabled', 1)], { running: { 'vmlinux:f2,0': ['p2', 'p2'] } });
    const after = { ...before, running: { 'vmlinux:f2,0': ['original', 'p2'] } };
    expect(check('no-silent-version-switch', { universe, before, after, events: switched })).toBe(
      'task0 switched vmlinux:f2,0 from p2 to original without switching in a transition that covers it',
    );
    // With p1 in transition, p2's listed functions are covered (p1's nops).
    const inTransition = state([patch('p2', 'enabled', 1), patch('p1', 'patching', 2)], { running: before.running });
    expect(
      check('no-silent-version-switch', {
        universe,
        before: inTransition,
        after: { ...inTransition, running: after.running },
        events: switched,
      }),
    ).toBeNull();
  });

  it('a function the state did not report before is not judged', () => {
    const before = state([patch('p1', 'patching', 1)], { running: { 'vmlinux:f1,0': ['original', 'original'] } });
    const after = { ...before, running: run(['p1', 'original']) };
    expect(check('no-silent-version-switch', { universe, before, after, events: switched })).toBeNull();
  });
});

describe('removals on hand-built steps (the owner and downgrade invariants read them)', () => {
  const f1 = 'vmlinux:f1,0';
  const removed = (o: ObsInput) => removals(observation(o));
  const replaced = [{ by: 'p2', of: 'p1', how: 'replaced and freed' }];
  const replacing = state([patch('p1', 'enabled', 1), patch('p2', 'patching', 2)]);

  it("a patch off klp_patches, no longer enabled or gone from the list when another's transition completes is replaced and freed", () => {
    expect(removed({ before: replacing, after: state([patch('p1', 'freed', 0), patch('p2', 'enabled', 1)]) })).toEqual(replaced);
    expect(removed({ before: replacing, after: state([patch('p1', 'stale', 1), patch('p2', 'enabled', 1)]) })).toEqual(replaced);
    expect(removed({ before: replacing, after: state([patch('p2', 'enabled', 1)]) })).toEqual(replaced);
  });

  it('a patch still enabled or unpatching on klp_patches is not removed', () => {
    expect(removed({ before: replacing, after: state([patch('p1', 'enabled', 1), patch('p2', 'enabled', 2)]) })).toEqual([]);
    expect(removed({ before: replacing, after: state([patch('p1', 'unpatching', 1), patch('p2', 'enabled', 2)]) })).toEqual([]);
  });

  it('only a patch enabled on klp_patches before the step can be removed', () => {
    const after = state([patch('p1', 'freed', 0), patch('p2', 'enabled', 1)]);
    expect(removed({ before: state([patch('p1', 'unpatching', 1), patch('p2', 'patching', 2)]), after })).toEqual([]);
    expect(removed({ before: state([patch('p1', 'enabled', 0), patch('p2', 'patching', 2)]), after })).toEqual([]);
  });

  it('a load completed within the step removes too; a patch enabled off klp_patches or loaded before completes nothing', () => {
    const before = state([patch('p1', 'enabled', 1)]);
    const after = state([patch('p1', 'freed', 0), patch('p2', 'enabled', 1)]);
    const insmod = (module: string): Op => ({ op: 'insmod', module });
    expect(removed({ before, after, op: insmod('p2') })).toEqual(replaced);
    expect(removed({ before, after, op: insmod('p3') })).toEqual([]);
    expect(removed({ before, after, op: { op: 'rmmod', module: 'p2' } })).toEqual([]);
    expect(removed({ before, after: state([patch('p1', 'freed', 0), patch('p2', 'enabled', 0)]), op: insmod('p2') })).toEqual([]);
    const loaded = state([patch('p1', 'enabled', 1), patch('p2', 'freed', 0)]);
    expect(removed({ before: loaded, after, op: insmod('p2') })).toEqual([]);
  });

  it("the patch's own disable or enable is not a removal, another patch's is", () => {
    const after = state([patch('p1', 'freed', 0), patch('p2', 'enabled', 1)]);
    expect(removed({ before: replacing, after, op: { op: 'disable', patch: 'p1' } })).toEqual([]);
    expect(removed({ before: replacing, after, op: { op: 'enable', patch: 'p1' } })).toEqual([]);
    expect(removed({ before: replacing, after, op: { op: 'disable', patch: 'p2' } })).toEqual(replaced);
    expect(removed({ before: replacing, after, op: { op: 'force', patch: 'p1' } })).toEqual(replaced);
  });

  it("a task that ran the patch's fix and runs the original during another patch's transition: nopped away", () => {
    const before = state([patch('p1', 'enabled', 1)], { running: { [f1]: ['p1', 'p1'] } });
    const during = (running: string[]) => state([patch('p1', 'enabled', 1), patch('p2', 'patching', 2)], { running: { [f1]: running } });
    const nopped = [{ by: 'p2', of: 'p1', how: `nops away ${f1} of` }];
    expect(removed({ before, after: during(['original', 'p1']) })).toEqual(nopped);
    expect(removed({ before, after: during(['p1', 'original']) })).toEqual(nopped);
    expect(removed({ before, after: during(['p2', 'p1']) })).toEqual([]);
    expect(removed({ before: { ...before, running: { [f1]: ['p3', 'p3'] } }, after: during(['original', 'original']) })).toEqual([]);
    // Without another patch in transition the original code coming back is not a nop's doing.
    expect(removed({ before, after: state([patch('p1', 'enabled', 1)], { running: { [f1]: ['original', 'p1'] } }) })).toEqual([]);
  });

  it('a patch that was in transition and is not enabled now completed nothing', () => {
    expect(removed({ before: replacing, after: state([patch('p1', 'freed', 0), patch('p2', 'unpatching', 1)]) })).toEqual([]);
  });

  it('each observation gets its own answer', () => {
    const after = state([patch('p1', 'freed', 0), patch('p2', 'enabled', 1)]);
    expect(removed({ before: replacing, after })).toEqual(replaced);
    expect(removed({ before: replacing, after: state([patch('p1', 'enabled', 1), patch('p2', 'enabled', 2)]) })).toEqual([]);
  });
});

describe('no-lost-fix on hand-built states', () => {
  const f1 = 'vmlinux:f1,0';
  const universe: Universe = { patches: [lp('p1', ['f1']), lp('p2', ['f1'])], modules: [], kernel: { tasks: 2 } };
  const lost = "p1's fix of vmlinux:f1,0 stopped running (now original) for task0; no replacing patch may not replace p1";
  const step = (beforeStatus: AbstractPatch['status'], afterStatus: AbstractPatch['status'], op?: Op) =>
    check('no-lost-fix', {
      universe,
      op,
      before: state([patch('p1', beforeStatus, 1)], { running: { [f1]: ['p1', 'p1'] } }),
      after: state([patch('p1', afterStatus, 1)], { running: { [f1]: ['original', 'p1'] } }),
    });

  it('a fix that stops while its patch is neither in transition nor written to is lost', () => {
    expect(step('enabled', 'enabled')).toBe(lost);
    expect(step('enabled', 'enabled', { op: 'force', patch: 'p1' })).toBe(lost);
    expect(step('enabled', 'enabled', { op: 'disable', patch: 'p2' })).toBe(lost);
  });

  it('its own transition, before or after the step, or its own disable or enable may stop it', () => {
    expect(step('unpatching', 'enabled')).toBeNull();
    expect(step('patching', 'enabled')).toBeNull();
    expect(step('enabled', 'unpatching')).toBeNull();
    expect(step('enabled', 'patching')).toBeNull();
    expect(step('enabled', 'enabled', { op: 'disable', patch: 'p1' })).toBeNull();
    expect(step('enabled', 'enabled', { op: 'enable', patch: 'p1' })).toBeNull();
  });

  it("another patch's transition excuses nothing, and a patch in transition that may not replace it is named", () => {
    const step2 = (other: AbstractPatch['status'], u: Universe = universe, op?: Op) =>
      check('no-lost-fix', {
        universe: u,
        op,
        before: state([patch('p1', 'enabled', 1), patch('p2', other, 2)], { running: { [f1]: ['p1', 'p1'] } }),
        after: state([patch('p1', 'enabled', 1), patch('p2', other, 2)], { running: { [f1]: ['original', 'p1'] } }),
      });
    expect(step2('unpatching')).toBe(lost);
    expect(step2('patching')).toBe(lost.replace('no replacing patch', 'p2'));
    // A replace=true patch may replace p1 when it is the one being loaded, not when it is removed.
    const replacing: Universe = { ...universe, patches: [lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })] };
    expect(step2('enabled', replacing, { op: 'insmod', module: 'p2' })).toBeNull();
    expect(step2('enabled', replacing, { op: 'rmmod', module: 'p2' })).toBe(lost);
  });

  it('a fix in a module that goes stops with the module (now absent), and is not lost', () => {
    const m1 = 'mod:m1,0';
    const inModule: Universe = { patches: [lp('p1', [m1])], modules: [{ name: 'mod' }], kernel: { tasks: 2 } };
    const loaded = state([patch('p1', 'enabled', 1)], { modules: ['mod'], running: { [m1]: ['p1', 'p1'] } });
    const gone = state([patch('p1', 'enabled', 1)], { running: { [m1]: ['absent', 'absent'] } });
    expect(check('no-lost-fix', { universe: inModule, op: { op: 'rmmod', module: 'mod' }, before: loaded, after: gone })).toBeNull();
  });

  it('names each patch that may not replace the lost fix, once, joined by commas', () => {
    const u: Universe = { ...universe, patches: [...universe.patches, lp('p3', ['f2'])] };
    const three = (p2: AbstractPatch['status'], code: string) =>
      state([patch('p1', 'enabled', 1), patch('p2', p2, 2), patch('p3', 'enabled', 3)], { running: { [f1]: [code, 'p1'] } });
    const o = {
      universe: u,
      op: { op: 'insmod', module: 'p3' } as Op,
      before: three('patching', 'p1'),
      after: three('patching', 'original'),
    };
    expect(check('no-lost-fix', o)).toBe(lost.replace('no replacing patch', 'p2, p3'));
  });

  it('a newer patch of the function takes over; an older one may not', () => {
    const running = (code: string): Record<string, string[]> => ({ [f1]: [code, code] });
    const two = state([patch('p1', 'enabled', 1), patch('p2', 'enabled', 2)]);
    const newer = { universe, before: { ...two, running: running('p1') }, after: { ...two, running: running('p2') } };
    expect(check('no-lost-fix', newer)).toBeNull();
    const older = { universe, before: { ...two, running: running('p2') }, after: { ...two, running: running('p1') } };
    expect(check('no-lost-fix', older)).toBe(
      "p2's fix of vmlinux:f1,0 stopped running (now p1) for task0; no replacing patch may not replace p2",
    );
  });
});

describe('the slot invariants on hand-built states', () => {
  const universe: Universe = { patches: [lp('p1', ['f1']), lp('p2', ['f1'])], modules: [], kernel: { tasks: 2 } };
  const inSlot = (name: string, slot: string, status: AbstractPatch['status'], order: number): AbstractPatch => ({
    ...patch(name, status, order),
    slot,
  });

  it('two settled patches of different slots that share a function are reported; of one slot, or one in transition, not', () => {
    const shared = (a: string, b: string, status: AbstractPatch['status']) =>
      check('no-function-shared-across-slots', { universe, after: state([inSlot('p1', a, 'enabled', 1), inSlot('p2', b, status, 2)]) });
    expect(shared('A', 'B', 'enabled')).toBe('p1 (slot A) and p2 (slot B) both use vmlinux:f1,0');
    expect(shared('A', 'A', 'enabled')).toBeNull();
    expect(shared('A', 'B', 'patching')).toBeNull();
    expect(shared('A', 'B', 'unpatching')).toBeNull();
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
