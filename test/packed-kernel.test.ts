/**
 * The packed engine's upstream kernel (harness/explore/packed/kernel.ts)
 * in lockstep with the packed spec model, checked for conformance on every
 * transition (lockstep.ts), against the explorer's own Expander
 * over the object kernel (model/kernel/) and spec model: every state the
 * packed search expands has the object side's successors, op for op and
 * key for key (the explorer's lockstep key, state-key.ts, including the
 * states past a conformance break, where only the kernel is followed), over
 * whole spaces and, where the object side would take minutes, bounded ones.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../harness/explore/explorer.ts';
import { scopeFuncs } from '../harness/explore/candidates.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { packedModel, type PackedModelName } from '../harness/explore/packed/models.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { CONFORMANCE } from '../properties/catalog.ts';
import { againstObjects } from './support/object-lockstep-space.ts';

/** Whole spaces, and bounded ones (the object side takes about 4,000 states a second). */
const SCOPES = [
  'patches=1,functions=1,states=0,tasks=1,depth=any',
  'patches=1,functions=2,states=1,tasks=2,depth=any',
  'patches=2,functions=1,states=0,tasks=1,depth=any',
  'patches=2,functions=2,states=0,tasks=2,depth=5',
  'patches=3,functions=1,states=1,tasks=1,depth=4',
];

describe('the packed upstream kernel, in lockstep with the packed spec model', () => {
  it.each(SCOPES)('has the object kernel’s states and successors, transition for transition, at %s', (text) => {
    const scope = parseScope(text);
    const { result, differences, roots } = againstObjects(new PackedLockstep(scope), upstream, scope);
    expect(roots[0]).toBe(roots[1]);
    expect(differences).toEqual([]);
    expect(result.fixpoint).toBe(scope.depth === undefined);
    expect(result.distinctStates).toBeGreaterThan(500);
  });

  it('counts what klpcheck explore counts, with the same shortest violations of conformance and every invariant', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=8');
    const model = new PackedLockstep(scope);
    const packed = packedSearch(model, { depth: scope.depth });
    const objects = explore({ semantics: upstream, scope, properties: model.properties });
    expect(packed.distinctStates).toBe(objects.distinctStates);
    expect(packed.transitions).toBe(objects.transitions);
    expect(packed.violations.map((v) => [v.property, v.depth])).toEqual(objects.violations.map((v) => [v.property, v.depth]));
  });

  it('finds upstream’s conformance break (force marks a patch listed after the reversed one) with a path the object run confirms', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const packed = new PackedLockstep(scope);
    // Every state stored, as explore's object engine stores them (covered-past-break.ts stores 42,671).
    const r = packedSearch(packed, { paths: true, storeEveryState: true });
    expect(r.fixpoint).toBe(true);
    expect(r.distinctStates).toBe(59730);
    expect(r.violations.map((v) => [v.property, v.depth])).toEqual([
      ['no-function-shared-across-slots', 2],
      ['no-foreign-overlap', 2],
      ['no-foreign-removal', 2],
      [CONFORMANCE, 6],
    ]);
    const { universe, ops } = packed.decodePath(r.violations.find((v) => v.property === CONFORMANCE)!.path!);
    const run = new Lockstep(universe, upstream, { invariants: [], conformance: true, funcs: scopeFuncs(scope) });
    const found = ops.map((op) => run.step(op));
    expect(found.slice(0, -1)).toEqual([null, null, null, null, null]);
    expect(found.at(-1)).toMatchObject({
      invariant: CONFORMANCE,
      reason: 'at /patches/1/forced the spec has false, the implementation true',
    });
  });

  it('names the tasks of a path past a conformance break as the search sorted them (decodePath settles no conformance)', () => {
    // Two tasks: past the break their columns are sorted by the kernel's alone, the spec model's being cleared.
    const scope = parseScope('patches=2,functions=1,states=0,tasks=2,depth=9');
    const packed = new PackedLockstep(scope);
    const r = packedSearch(packed, { depth: scope.depth, paths: true });
    let past = 0;
    for (let i = 0; i < r.distinctStates && past < 400; i++) {
      if (packed.specLevelLength(r.visited.get(i)) > 0) continue;
      past++;
      const { universe, ops } = packed.decodePath(r.pathTo!(i));
      const object = new Lockstep(universe, upstream, { invariants: [], conformance: true, funcs: scopeFuncs(scope) });
      const steps = ops.map((op) => (object.applicable(op) ? (object.step(op)?.invariant ?? 'ok') : 'not applicable'));
      expect(steps, JSON.stringify(ops)).toContain(CONFORMANCE);
      expect(steps, JSON.stringify(ops)).not.toContain('not applicable');
    }
    expect(past).toBeGreaterThan(100);
  });

  it('refuses a model name it does not have, and a state number outside a search (hostile-user findings)', () => {
    const scope = parseScope('patches=1,functions=1,states=0,tasks=1,depth=any');
    expect(() => packedModel('foo' as PackedModelName, scope)).toThrow("packed: no model 'foo' (spec or lockstep)");
    const r = packedSearch(packedModel('lockstep', scope), { paths: true });
    expect(r.pathTo!(r.distinctStates - 1).length).toBe(r.depthReached);
    for (const bad of [r.distinctStates, -1, 1.5, Number.NaN])
      expect(() => r.pathTo!(bad)).toThrow(`packed: no state ${bad} (states are numbered 0 to ${r.distinctStates - 1})`);
  });

  /** Each field conformance compares, made wrong on the kernel's side, and the depth of the first break it must cause at patches=1. */
  const WRONG_VIEWS: readonly (readonly [string, (k: ViewedKernel) => void, number])[] = [
    ['the outcome (rmmod of a registered patch succeeds)', (k) => wrap(k, 'apply', (r) => (r === 16 ? 0 : r)), 2],
    ['whether the target module is loaded', (k) => wrap(k, 'moduleLoaded', () => false), 1],
    ['whether a patch is loaded', (k) => wrap(k, 'patchLoaded', () => false), 1],
    ['a patch’s status (freed shown as enabled)', (k) => wrap(k, 'patchStatus', (r) => (r === 0 ? 1 : r)), 2],
    ['a patch’s place on klp_patches', (k) => wrap(k, 'patchOrder', (r) => r + 1), 1],
    ['a patch’s forced flag', (k) => wrap(k, 'patchForced', () => false), 4],
    ['a task’s transition state', (k) => wrap(k, 'taskByte', (r, args) => (args[2] === 0 ? 0 : r)), 2],
    ['the function a task sleeps in', (k) => wrap(k, 'taskByte', (r, args) => (args[2] === 1 ? 0 : r)), 1],
    ['the code a task sleeps in', (k) => wrap(k, 'taskByte', (r, args) => (args[2] === 2 ? 0 : r)), 2],
    ['the code a task runs', (k) => wrap(k, 'runs', () => 0), 1],
    // Function 2 is mod:m1 at functions=1: absent until the module loads, shown as the original.
    ['the code a task runs in the target module (the last function)', (k) => wrap(k, 'runs', (r, args) => (args[2] === 2 ? 0 : r)), 1],
  ];

  it.each(WRONG_VIEWS)('breaks conformance when the kernel shows %s wrong', (_, breakIt, depth) => {
    const scope = parseScope('patches=1,functions=1,states=0,tasks=1,depth=any');
    const packed = new PackedLockstep(scope);
    breakIt(packed.kernel as unknown as ViewedKernel);
    expect(conformanceBreaks(packed)).toEqual([depth]);
  });

  /**
   * The successors of every state to `depth` that is not past a conformance break (where nothing is compared), quiet
   * ones and the others, and how many times conformance was compared in full.
   */
  function fullComparisons(model: PackedLockstep, depth: number): { quiet: number; other: number; full: number } {
    const spied = model as unknown as { conforms: (...args: unknown[]) => boolean };
    const conforms = spied.conforms.bind(model);
    const counts = { quiet: 0, other: 0, full: 0 };
    spied.conforms = (...args) => (counts.full++, conforms(...args));
    packedSearch(
      {
        roots: () => model.roots(),
        expand: (key, emit) => {
          const following = model.specLevelLength(key) > 0;
          model.expand(key, (out, length, pos, violated) => {
            if (following) counts[out === key ? 'quiet' : 'other']++;
            emit(out, length, pos, violated);
          });
        },
      },
      { depth },
    );
    return counts;
  }

  it('compares only the outcomes on a quiet step once every root conforms, and every step in full when a root does not', () => {
    const scope = parseScope('patches=1,functions=1,states=0,tasks=1,depth=3');
    const roots = new PackedLockstep(scope).roots().length;
    // One full comparison per root (found conforming), then one per step that is not quiet.
    const healthy = fullComparisons(new PackedLockstep(scope), 3);
    expect(healthy.quiet).toBeGreaterThan(0);
    expect(healthy.full).toBe(roots + healthy.other);
    // A kernel that shows the target module's function as the original code while the module is not loaded
    // disagrees at the root, and agrees once the module loads: no quiet step is then taken on trust.
    const wrong = new PackedLockstep(scope);
    wrap(wrong.kernel as unknown as ViewedKernel, 'runs', (r, args) => (args[2] === 2 ? 0 : r));
    const broken = fullComparisons(wrong, 3);
    expect(broken.quiet).toBeGreaterThan(0);
    expect(broken.full).toBe(roots + broken.quiet + broken.other);
  });

  it('compares the abstract states once per state it stores when the search says which states it has (settle)', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=4');
    const model = new PackedLockstep(scope);
    const spied = model as unknown as { conforms: (...args: unknown[]) => boolean };
    const conforms = spied.conforms.bind(model);
    let full = 0;
    spied.conforms = (...args) => (full++, conforms(...args));
    const r = packedSearch(model, { depth: scope.depth });
    let following = 0;
    for (let i = 0; i < r.visited.size; i++) if (model.specLevelLength(r.visited.get(i)) > 0) following++;
    // The roots once (every root conforms), then each state not past a break once, when first reached; every
    // other step into it compares only the outcomes. The kernel conforms here: no state is past a break.
    expect(following).toBe(r.distinctStates);
    expect(full).toBe(following);
    expect(full).toBeLessThan(r.transitions / 2);
  });

  it('breaks conformance when the kernel is made to disagree: a patch freed on disable is not taken off klp_patches', () => {
    const scope = parseScope('patches=1,functions=1,states=0,tasks=1,depth=any');
    const packed = new PackedLockstep(scope);
    expect(conformanceBreaks(packed)).toEqual([]);
    // The same space with the kernel's free() skipping klp_patches: conformance must break at the first completed disable.
    const broken = new PackedLockstep(scope);
    (broken.kernel as unknown as { free: (s: Uint8Array, k: number) => void }).free = function (this: never, s: Uint8Array, k: number) {
      (void s, k);
    };
    expect(conformanceBreaks(broken)).toEqual([2]);
  });
});

/** The depth of the first conformance break in the model's whole space, if any (the invariants a broken kernel also trips are packed-invariants.test.ts's). */
function conformanceBreaks(model: PackedLockstep): number[] {
  return packedSearch(model, {}).violations.flatMap((v) => (v.property === CONFORMANCE ? [v.depth] : []));
}

/** The packed kernel's methods, as a test replaces them. */
type ViewedKernel = Record<string, (...args: unknown[]) => number | boolean>;

/** Replaces the kernel's method `name` by one that returns `change` of what it returned. */
function wrap(k: ViewedKernel, name: string, change: (r: number, args: unknown[]) => number | boolean): void {
  const original = k[name]!.bind(k);
  k[name] = (...args: unknown[]) => change(original(...args) as number, args);
}
