/**
 * Paths of the reference implementation that the selftests and the single
 * refusal cases leave unchecked, each with the exact log or event sequence
 * the kernel produces:
 * - a refused module load that undoes a patch already applied to the module
 *   (facts B.4 error path: the callbacks run while the module is COMING);
 * - a transition that stalls past the fake-signal retry (facts B.2:
 *   "signaling remaining tasks" once per transition start, SIGNALS_TIMEOUT 15);
 * - a reversed replace that drops a per-state state (facts C.3: the state's
 *   pre_unpatch is recorded, and the reversal gives it its post_patch back);
 * - a replace over objects that only held nops (facts B.2 klp_discard_nops:
 *   the dynamic objects go too, not just the nop funcs).
 */
import { describe, expect, it } from 'vitest';
import { runSequence } from '../harness/run-sequence.ts';
import type { ModuleDef, PatchDef, Universe } from '../model/kernel/definitions.ts';
import { OK, fail } from '../model/kernel/errno.ts';
import type { ReplaceHooks } from '../model/kernel/hooks.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import type { KernelEvent } from '../model/kernel/log.ts';
import { perState } from '../model/semantics/per-state.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { CONFORMANCE, INVARIANTS } from '../properties/catalog.ts';
import { readJson } from '../harness/json-file.ts';
import type { VerdictMatrix } from '../harness/matrix.ts';
import { lp, ops } from './support/universe.ts';

const VERDICTS = readJson('verdicts/expected.json') as VerdictMatrix;
const COMING = '[MODULE_STATE_COMING] Full formed, running module_init';

function boot(patches: PatchDef[], modules: ModuleDef[] = [], hooks: ReplaceHooks = upstream.hooks, kernel: Universe['kernel'] = {}) {
  const k = new Kernel({ patches, modules, kernel }, hooks);
  let mark = 0;
  /** The log lines since the last call, without the loader's taint notice. */
  const since = () => {
    const lines = k.log.slice(mark).filter((l) => !/tainting kernel/.test(l));
    mark = k.log.length;
    return lines;
  };
  return { k, since };
}

const stateCallbacks = (events: readonly KernelEvent[]) =>
  events.flatMap((e) => (e.kind === 'state_callback' ? [`${e.patch} ${e.state} ${e.cb}`] : []));

describe('klp_module_coming error path undoes the patches applied before the failing one (facts B.4)', () => {
  const demo = (name: string): PatchDef => ({
    name,
    objects: [{ name: 'mod', funcs: [{ old_name: 'mod_func' }], callbacks: 'demo' }],
    params: { pre_patch_ret: '0' },
  });

  /** lp2's pre_patch refuses the module (facts B.4, D). */
  const LP2_REFUSES = [
    "livepatch: applying patch 'lp2' to loading module 'mod'",
    `lp2: pre_patch_callback: mod -> ${COMING}`,
    "livepatch: pre-patch callback failed for object 'mod'",
    "livepatch: patch 'lp2' failed for module 'mod', refusing to load module 'mod'",
  ];

  it("lp1 is reverted with its COMING callbacks when lp2's pre_patch refuses the module", () => {
    const { k, since } = boot([demo('lp1'), demo('lp2')], [{ name: 'mod' }]);
    expect(k.insmod('lp1')).toEqual(OK);
    expect(k.insmod('lp2')).toEqual(OK);
    expect(k.writeParam('lp2', 'pre_patch_ret', '-19')).toEqual(OK);
    since();
    expect(k.insmod('mod')).toEqual(fail('ENODEV'));
    expect(since()).toEqual([
      "livepatch: applying patch 'lp1' to loading module 'mod'",
      `lp1: pre_patch_callback: mod -> ${COMING}`,
      `lp1: post_patch_callback: mod -> ${COMING}`,
      ...LP2_REFUSES,
      `lp1: pre_unpatch_callback: mod -> ${COMING}`,
      "livepatch: reverting patch 'lp1' on unloading module 'mod'",
      `lp1: post_unpatch_callback: mod -> ${COMING}`,
    ]);
    expect(k.core.funcStacks.has('mod:mod_func,0')).toBe(false);
    expect(k.core.modules.has('mod')).toBe(false);
  });

  it('the transition patch is applied without post_patch and reverted without pre_unpatch', () => {
    const withF = (name: string): PatchDef => ({
      ...demo(name),
      objects: [...(demo(name).objects ?? []), { name: 'vmlinux', funcs: [{ old_name: 'f' }] }],
    });
    const { k, since } = boot([withF('lp1'), demo('lp2')], [{ name: 'mod' }]);
    expect(k.insmod('lp1')).toEqual(OK);
    expect(k.insmod('lp2')).toEqual(OK);
    // lp1's disable stalls: task0 sleeps in lp1's f. lp1 stays first on klp_patches, in transition.
    expect(k.blockTask('task0', 'vmlinux:f,0')).toBe(true);
    expect(k.writeEnabled('lp1', '0')).toEqual(OK);
    expect(k.core.transition?.name).toBe('lp1');
    expect(k.writeParam('lp2', 'pre_patch_ret', '-19')).toEqual(OK);
    since();
    expect(k.insmod('mod')).toEqual(fail('ENODEV'));
    expect(since()).toEqual([
      "livepatch: applying patch 'lp1' to loading module 'mod'",
      `lp1: pre_patch_callback: mod -> ${COMING}`,
      ...LP2_REFUSES,
      "livepatch: reverting patch 'lp1' on unloading module 'mod'",
      `lp1: post_unpatch_callback: mod -> ${COMING}`,
    ]);
  });
});

describe('a module refused while its patch is in transition (facts B.4 error path)', () => {
  it("the refused module's object stays unloaded: the completion runs post_patch for vmlinux only", () => {
    const def: PatchDef = {
      name: 'lp',
      objects: [
        { name: 'vmlinux', funcs: [{ old_name: 'f' }], callbacks: 'demo' },
        { name: 'mod', funcs: [{ old_name: 'mod_func' }], callbacks: 'demo' },
      ],
      params: { pre_patch_ret: '0' },
    };
    const { k, since } = boot([def], [{ name: 'mod' }]);
    expect(k.blockTask('task0', 'vmlinux:f,0')).toBe(true);
    expect(k.insmod('lp')).toEqual(OK);
    expect(k.writeParam('lp', 'pre_patch_ret', '-19')).toEqual(OK);
    expect(k.insmod('mod')).toEqual(fail('ENODEV'));
    expect(k.unblockTask('task0')).toBe(true);
    since();
    expect(k.transitionStep()).toBe(true);
    expect(since().filter((l) => l.startsWith('lp:'))).toEqual(['lp: post_patch_callback: vmlinux']);
    expect(k.sysfs('lp')).toMatchObject({ 'mod/patched': '0', 'vmlinux/patched': '1' });
  });
});

describe('a transition that stalls past the fake-signal retry (facts B.2, SIGNALS_TIMEOUT 15)', () => {
  const SIGNALING = 'livepatch: signaling remaining tasks';
  const count = (k: Kernel) => k.log.filter((l) => l === SIGNALING).length;

  it('logs "signaling remaining tasks" on the 16th failed try only, once per transition start', () => {
    const { k } = boot([lp('p1', ['f1'])]);
    expect(k.blockTask('task0', 'vmlinux:f1,0')).toBe(true);
    expect(k.insmod('p1')).toEqual(OK); // the first try
    for (let i = 0; i < 14; i++) expect(k.transitionStep()).toBe(false);
    expect(count(k)).toBe(0);
    expect(k.transitionStep()).toBe(false); // the 16th try sends the signals
    expect(count(k)).toBe(1);
    for (let i = 0; i < 45; i++) expect(k.transitionStep()).toBe(false);
    expect(count(k)).toBe(1);

    // The reversal starts the transition again, and klp_start_transition resets the count.
    expect(k.blockTask('task1', 'vmlinux:f1,0')).toBe(true); // task1 switched already: it sleeps in p1's f1
    expect(k.writeEnabled('p1', '0')).toEqual(OK);
    for (let i = 0; i < 15; i++) expect(k.transitionStep()).toBe(false);
    expect(count(k)).toBe(1);
    expect(k.transitionStep()).toBe(false);
    expect(count(k)).toBe(2);
    expect(k.unblockTask('task1')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    expect(k.log.at(-1)).toBe("livepatch: 'p1': unpatching complete");
    expect(count(k)).toBe(2);
  });

  it('every semantics keeps each property it holds (verdicts/expected.json) through 40 stalled retries, a reverse and a completion', () => {
    const u: Universe = {
      patches: [lp('p1', ['f1']), lp('p2', ['f2'], { replace: true })],
      modules: [{ name: 'mod' }],
      kernel: { tasks: 2 },
    };
    const stall = Array.from({ length: 40 }, () => 'step');
    const seq = ops(
      'insmod p1',
      'block task0 f2',
      'insmod p2',
      ...stall,
      'block task1 f2',
      'disable p2',
      ...stall,
      'unblock task0',
      'unblock task1',
      'step',
      'disable p1',
    );
    for (const sem of SEMANTICS) {
      const holds = new Set(
        VERDICTS.cells
          .filter((c) => c.semantics === sem.name && (c.verdict === 'holds-random' || c.verdict === 'holds-bounded'))
          .map((c) => c.property),
      );
      const r = runSequence(u, sem, seq, { invariants: INVARIANTS.filter((i) => holds.has(i.id)), conformance: holds.has(CONFORMANCE) });
      expect(r.violation, `${sem.name}: ${r.violation?.invariant} ${r.violation?.reason}`).toBeNull();
      expect(r.steps.length, sem.name).toBe(seq.length);
    }
  });
});

describe('per-state: a reversed replace that drops a state (facts C.3)', () => {
  const s1 = { id: 1, is_shadow: true, callbacks: 'trace' as const };

  function setup() {
    const { k, since } = boot([lp('p1', ['f1'], {}, [s1]), lp('p2', ['f2'], { replace: true })], [], perState.hooks);
    expect(k.insmod('p1')).toEqual(OK);
    k.core.shadow.getOrAlloc(7, 1);
    expect(k.blockTask('task0', 'vmlinux:f2,0')).toBe(true);
    since();
    expect(k.insmod('p2')).toEqual(OK);
    expect(k.core.transition?.name).toBe('p2');
    return { k, since };
  }

  it("the replace runs the dropped state's pre_unpatch from the old patch, and records it", () => {
    const { k, since } = setup();
    expect(since().filter((l) => l.startsWith('p1:'))).toEqual(['p1: state 1: pre_unpatch']);
    expect(k.patch('p1')!.states[0]!.pre_unpatch_done).toBe(true);
  });

  it('the reversal gives the old patch its post_patch back, keeps the state and its shadow variable', () => {
    const { k, since } = setup();
    since();
    expect(k.writeEnabled('p2', '0')).toEqual(OK);
    expect(k.unblockTask('task0')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    // No callback at the reversal itself; at completion the old state's post_patch, then p2's post_unpatch.
    expect(since().filter((l) => l.startsWith('p1:') || l.startsWith('p2:'))).toEqual([
      'p1: state 1: post_patch',
      'p2: post_unpatch_callback: vmlinux',
    ]);
    expect(k.patch('p1')!.states[0]!.pre_unpatch_done).toBe(false);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['p1']);
    expect(k.core.shadow.live().map((v) => `${v.obj}/${v.id}`)).toEqual(['7/1']);
    expect(stateCallbacks(k.core.log.events)).toEqual(['p1 1 pre_patch', 'p1 1 post_patch', 'p1 1 pre_unpatch', 'p1 1 post_patch']);
  });

  it('completed instead, the replace removes the state with its post_unpatch and frees its shadow variable', () => {
    const { k } = setup();
    expect(k.unblockTask('task0')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    expect(stateCallbacks(k.core.log.events)).toEqual(['p1 1 pre_patch', 'p1 1 post_patch', 'p1 1 pre_unpatch', 'p1 1 post_unpatch']);
    expect(k.core.shadow.live()).toEqual([]);
    expect(k.log).toContain('p1: state 1: shadow_dtor obj=7');
    // The core's klp_shadow_free_all, not the patch's code, freed it.
    expect(k.core.log.events.filter((e) => e.kind === 'shadow_free')).toEqual([{ kind: 'shadow_free', obj: 7, id: 1, by: 'core' }]);
  });

  it('the whole sequence conforms to the spec and keeps callback pairing and shadow lifetime', () => {
    const u: Universe = {
      patches: [lp('p1', ['f1'], {}, [s1]), lp('p2', ['f2'], { replace: true })],
      modules: [{ name: 'mod' }],
      kernel: { tasks: 2 },
    };
    for (const tail of [['disable p2'], []]) {
      const seq = ops('insmod p1', 'alloc p1 7 1', 'block task0 f2', 'insmod p2', ...tail, 'unblock task0', 'step');
      const r = runSequence(u, perState, seq, { invariants: INVARIANTS, conformance: true });
      expect(r.violation, `${tail}: ${r.violation?.invariant} ${r.violation?.reason}`).toBeNull();
      expect(r.steps.at(-1)!.state.shadows).toEqual(tail.length ? ['7/1'] : []);
    }
  });
});

describe('a replace over objects that only held nops (facts B.2 klp_discard_nops)', () => {
  const u = () => boot([lp('p1', ['f1', 'mod:m1']), lp('p2', ['f2'], { replace: true })], [{ name: 'mod' }]);

  it('with the module loaded: the dynamic object goes with its nop, so p2 has nothing for the module', () => {
    const { k, since } = u();
    expect(k.insmod('mod')).toEqual(OK);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.blockTask('task0', 'vmlinux:f2,0')).toBe(true);
    expect(k.insmod('p2')).toEqual(OK);
    // During the transition p2 covers the module with a nop: its own dynamic object.
    const p2 = k.patch('p2')!;
    expect(p2.objs.map((o) => [o.name, o.dynamic, o.patched])).toEqual([
      ['vmlinux', false, true],
      ['mod', true, true],
    ]);
    expect(k.runningCode('task1', 'mod:m1,0')).toBe('original');
    expect(k.runningCode('task0', 'mod:m1,0')).toEqual({ patch: 'p1' });
    expect(k.unblockTask('task0')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    expect(p2.objs.map((o) => o.name)).toEqual(['vmlinux']);
    expect([...k.core.funcStacks.keys()]).toEqual(['vmlinux:f2,0']);
    expect(k.sysfs('p2')).not.toHaveProperty('mod/patched');
    since();
    expect(k.rmmod('mod')).toEqual(OK);
    expect(k.insmod('mod')).toEqual(OK);
    expect(since().filter((l) => l.startsWith('livepatch:'))).toEqual([]);
    expect(k.runningCode('task0', 'mod:m1,0')).toBe('original');
  });

  it('with the module not loaded: the unloaded dynamic object goes too, and a later load applies nothing', () => {
    const { k, since } = u();
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.insmod('p2')).toEqual(OK);
    expect(k.core.transition).toBeNull();
    expect(k.patch('p2')!.objs.map((o) => o.name)).toEqual(['vmlinux']);
    since();
    expect(k.insmod('mod')).toEqual(OK);
    expect(since().filter((l) => l.startsWith('livepatch:'))).toEqual([]);
    expect(k.core.funcStacks.has('mod:m1,0')).toBe(false);
  });

  it('a static object that only the replace patch names keeps its callbacks after the nops are discarded', () => {
    const { k, since } = boot([lp('p1', ['f1', 'mod:m1']), lp('p2', ['mod:m1'], { replace: true })], [{ name: 'mod' }]);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.insmod('p2')).toEqual(OK);
    // p2's vmlinux object was dynamic (only p1's f1 as a nop); its mod object is its own.
    expect(k.patch('p2')!.objs.map((o) => [o.name, o.dynamic])).toEqual([['mod', false]]);
    since();
    expect(k.insmod('mod')).toEqual(OK);
    expect(since().filter((l) => l.startsWith('livepatch:'))).toEqual(["livepatch: applying patch 'p2' to loading module 'mod'"]);
    expect(k.runningCode('task0', 'vmlinux:f1,0')).toBe('original');
    expect(k.runningCode('task0', 'mod:m1,0')).toEqual({ patch: 'p2' });
  });
});
