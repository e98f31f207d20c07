/**
 * The catalog's invariants in the packed engine (harness/explore/packed/
 * invariants.ts, callback-pairing.ts, shadow-lifetime.ts). The differential
 * test (packed-kernel.test.ts) holds every one of them to the catalog's own
 * checker over the object kernel, successor for successor; this file shows
 * that each can fail: the ones upstream violates, on paths the catalog's
 * checker confirms on the object implementation, and the ones it never
 * violates, on a kernel broken on purpose in the way each one is about.
 */
import { witnessUniverse } from '../harness/explore/summary.ts';
import { describe, expect, it } from 'vitest';
import { scopeFuncs } from '../harness/explore/candidates.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { perState } from '../model/semantics/per-state.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { INVARIANTS, invariantById } from '../properties/catalog.ts';

/** The packed kernel's methods and fields, as a test replaces them. */
type Kernel = Record<string, unknown>;

const kernelOf = (m: PackedLockstep) => m.kernel as unknown as Kernel;

/** Every property's first violation within the scope's depth, as [property, depth]. */
function firstViolations(model: PackedLockstep, depth: number | undefined): [string, number][] {
  return packedSearch(model, { depth }).violations.map((v) => [v.property, v.depth]);
}

describe('the packed invariants', () => {
  it('check every invariant of the catalog that applies to upstream, after conformance', () => {
    const model = new PackedLockstep(parseScope('patches=1,functions=1,states=0,tasks=1,depth=1'));
    expect(model.properties).toEqual(['conformance', ...INVARIANTS.filter((i) => i.appliesTo(upstream)).map((i) => i.id)]);
  });

  /** What upstream violates, at its shortest depth, as the explorer finds it (test/packed-kernel.test.ts compares with explore). */
  const UPSTREAM_VIOLATES: readonly (readonly [string, string, number])[] = [
    ['no-function-shared-across-slots', 'patches=2,functions=1,states=1,tasks=1,depth=2', 2],
    ['no-state-shared-across-slots', 'patches=2,functions=1,states=1,tasks=1,depth=2', 2],
    ['no-foreign-overlap', 'patches=2,functions=1,states=1,tasks=1,depth=2', 2],
    ['no-foreign-removal', 'patches=2,functions=1,states=1,tasks=1,depth=2', 2],
    // The newer release loads first and the older replaces it (stop 36: 5 steps while releases went by load order).
    ['no-silent-downgrade', 'patches=3,functions=1,states=0,tasks=1,depth=3', 2],
  ];

  it.each(UPSTREAM_VIOLATES)('finds %s as upstream allows it, on a path the catalog’s checker confirms (%s)', (property, text, depth) => {
    const scope = parseScope(text);
    const packed = new PackedLockstep(scope);
    const v = packedSearch(packed, { depth: scope.depth, paths: true }).violations.find((x) => x.property === property);
    expect(v?.depth).toBe(depth);
    const decoded = packed.decodePath(v!.path!);
    const { ops } = decoded;
    // The owners and releases of the load order under which the path violates it (load-order-labels.ts).
    const universe = witnessUniverse({ property, depth, ...decoded, reason: '' }, upstream, scope);
    const run = new Lockstep(universe, upstream, { invariants: [invariantById(property)!], conformance: false, funcs: scopeFuncs(scope) });
    const found = ops.map((op) => run.step(op)?.invariant ?? null);
    expect(found).toEqual([...Array<null>(depth - 1).fill(null), property]);
  });

  /**
   * The invariants upstream never violates, each with a kernel broken the
   * way it is about, the scope, and the depth of the first violation.
   */
  const BROKEN: readonly (readonly [string, string, (k: Kernel) => void, string, number])[] = [
    [
      'transition-sanity',
      'completion leaves the funcs marked in transition, and the ftrace handler WARNs at the next call',
      (k) => replace(k, 'markTransition', (orig, s, p, flag) => (flag ? orig(s, p, flag) : undefined)),
      'patches=1,functions=1,states=0,tasks=1,depth=3',
      // insmod p1 (completes), block_task in f1: WARN.
      2,
    ],
    [
      'transition-sanity',
      'a refused rmmod WARNs though it changes nothing (a quiet step in bytes, which must still be checked)',
      (k) =>
        replace(k, 'rmmodPatch', (orig, s, p) => {
          const errno = orig(s, p);
          if (errno) (k.events as { warned: boolean }).warned = true;
          return errno;
        }),
      'patches=1,functions=1,states=0,tasks=1,depth=2',
      // insmod p1 (completes), rmmod p1: -EBUSY, and the WARN.
      2,
    ],
    [
      'module-safety',
      'rmmod forgets that a patch was forced',
      (k) =>
        replace(k, 'rmmodPatch', (orig, s, p) => {
          const at = (k.patchAt as (p: number) => number).call(k, p as number);
          (s as Uint8Array)[at]! &= ~2;
          return orig(s, p);
        }),
      'patches=1,functions=1,states=0,tasks=1,depth=6',
      // insmod p1, block_task in p1's f1, disable p1, force p1, transition_step, rmmod p1.
      6,
    ],
    [
      'callback-pairing',
      'a completed patching transition does not run post_patch',
      (k) => replace(k, 'callback', (orig, s, p, ob, cb) => (cb === 1 ? undefined : orig(s, p, ob, cb))),
      'patches=1,functions=1,states=0,tasks=1,depth=3',
      // insmod p1 (post_patch skipped), disable p1: pre_unpatch without post_patch.
      2,
    ],
    [
      'no-silent-version-switch',
      'the ftrace handler ignores the task’s patch_state',
      (k) =>
        replace(k, 'runs', (orig, s, t, f) => {
          // An unpatched task is shown as patched to the handler: it takes the head of the func_stack.
          const at = (k.KTS as number) + (t as number);
          const b = s as Uint8Array;
          const was = b[at]!;
          if (was === 1) b[at] = 2;
          const r = orig(s, t, f);
          b[at] = was;
          return r;
        }),
      'patches=1,functions=1,states=0,tasks=1,depth=3',
      // block_task in f1, insmod p1: the sleeping task runs p1's f1 before it switched.
      2,
    ],
    [
      'no-lost-fix',
      'the kernel takes every patch for a replace patch',
      (k) => {
        // Every patch before it replaced and nopped, whatever the semantics' hooks say.
        const all = (_node: unknown, _k: number, s: Uint8Array, at: number, n: number) => {
          let m = 0;
          for (let j = 0; j < n; j++) m |= 1 << (s[at + j]! - 1);
          return m;
        };
        k.rules = Object.create(k.rules as object, { replaced: { value: all }, nopSources: { value: all } }) as never;
      },
      'patches=2,functions=1,states=0,tasks=1,depth=3',
      // insmod p1 (f1), insmod p2 (not a replace patch) nops p1's f1 away and frees p1.
      2,
    ],
  ];

  it.each(BROKEN)('find %s broken when %s', (property, _, breakIt, text, depth) => {
    const scope = parseScope(text);
    const found = (m: PackedLockstep) => firstViolations(m, scope.depth).find(([p]) => p === property)?.[1];
    expect(found(new PackedLockstep(scope))).toBeUndefined();
    const broken = new PackedLockstep(scope);
    breakIt(kernelOf(broken));
    expect(found(broken)).toBe(depth);
    // Checked alone (explore --invariant: the kernel alone, no spec model), the same break is found as soon.
    const alone = new PackedLockstep(scope, { properties: [property] });
    breakIt(kernelOf(alone));
    expect(found(alone)).toBe(depth);
  });

  it('finds two patches active in the cumulative slot when the kernel shows a replaced patch as settled', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=3');
    const found = (m: PackedLockstep) => firstViolations(m, scope.depth).find(([p]) => p === 'one-active-patch-per-slot')?.[1];
    expect(found(new PackedLockstep(scope))).toBeUndefined();
    const broken = new PackedLockstep(scope);
    const k = kernelOf(broken);
    // A loaded patch shows as enabled and listed, freed or not: p1 replaced by p2 stays in the cumulative slot.
    replace(k, 'patchStatus', () => 1);
    replace(k, 'patchOrder', () => 1);
    expect(found(broken)).toBe(2);
  });
});

describe('the packed invariants of per-state (facts C.3, C.4)', () => {
  it('check shadow-lifetime and block-disable-honoured, which apply to per-state only', () => {
    const model = new PackedLockstep(parseScope('patches=1,functions=1,states=1,tasks=1,depth=1'), { semantics: perState });
    expect(model.properties).toEqual(['conformance', ...INVARIANTS.filter((i) => i.appliesTo(perState)).map((i) => i.id)]);
    expect(model.properties).toEqual(expect.arrayContaining(['shadow-lifetime', 'block-disable-honoured', 'callback-pairing']));
  });

  /** Each with a per-state kernel broken the way it is about, and the depth of the first violation. */
  const BROKEN: readonly (readonly [string, string, (k: Kernel) => void, number])[] = [
    [
      'shadow-lifetime',
      'the core never frees an is_shadow state’s shadow variables',
      (k) => replace(k, 'freeShadow', (orig, s, id, by) => (by === 2 ? undefined : orig(s, id, by))),
      // insmod p1 (state 1 is_shadow), shadow_alloc by p1's code, disable p1: the variable is left behind.
      3,
    ],
    [
      'block-disable-honoured',
      'a patch with a block_disable state can be disabled',
      (k) => {
        // The kernel sees no block_disable flag; the invariant still reads the definitions.
        k.tree = Object.create(k.tree as object, { blockDisable: { value: [] } }) as never;
      },
      // insmod p1 (state 1 with block_disable), disable p1: the state disappears.
      2,
    ],
    [
      'callback-pairing',
      'a state’s post_unpatch callback is not run',
      (k) => replace(k, 'stateCallback', (orig, p, id, cb) => (cb === 3 ? undefined : orig(p, id, cb))),
      // insmod p1 (state 1), disable p1: state 1 disappears without post_unpatch.
      2,
    ],
  ];

  it.each(BROKEN)('find %s broken when %s', (property, _, breakIt, depth) => {
    const scope = parseScope('patches=1,functions=1,states=1,tasks=1,depth=3');
    const found = (m: PackedLockstep) => firstViolations(m, scope.depth).find(([p]) => p === property)?.[1];
    expect(found(new PackedLockstep(scope, { semantics: perState }))).toBeUndefined();
    const broken = new PackedLockstep(scope, { semantics: perState });
    breakIt(kernelOf(broken));
    expect(found(broken)).toBe(depth);
    // Checked alone (explore --invariant: the kernel alone, only this checker's memory), as soon.
    const alone = new PackedLockstep(scope, { semantics: perState, properties: [property] });
    breakIt(kernelOf(alone));
    expect(found(alone)).toBe(depth);
  });
});

describe('a step that changes no byte but logs a kernel event is no quiet step: its invariants are checked', () => {
  /** A kernel whose refused rmmod (-EBUSY: the patch is enabled) logs `log` and changes nothing. */
  const refusedRmmodLogs = (log: (events: Record<string, (...a: number[]) => void>, p: number) => void) => (k: Kernel) =>
    replace(k, 'rmmodPatch', (orig, s, p) => {
      const errno = orig(s, p);
      if (errno) log(k.events as never, p as number);
      return errno;
    });
  const CASES: readonly (readonly [string, string, (k: Kernel) => void, typeof upstream])[] = [
    ['callback-pairing', 'a post_unpatch callback', refusedRmmodLogs((e, p) => e.push!.call(e, p, 0, 3)), upstream],
    ['shadow-lifetime', 'a shadow variable freed by the core', refusedRmmodLogs((e) => e.pushShadow!.call(e, 2, 1)), perState],
  ];

  it.each(CASES)('finds %s broken when a refused rmmod logs %s', (property, _, breakIt, semantics) => {
    const scope = parseScope('patches=1,functions=1,states=1,tasks=1,depth=2');
    const found = (m: PackedLockstep) => firstViolations(m, scope.depth).find(([p]) => p === property)?.[1];
    expect(found(new PackedLockstep(scope, { semantics }))).toBeUndefined();
    const broken = new PackedLockstep(scope, { semantics });
    breakIt(kernelOf(broken));
    // insmod p1 (completes), rmmod p1: -EBUSY, and the event.
    expect(found(broken)).toBe(2);
  });
});

/** Replaces the kernel's method `name` by `by`, which gets the original (bound) and the arguments. */
function replace(k: Kernel, name: string, by: (orig: (...a: unknown[]) => unknown, ...args: unknown[]) => unknown): void {
  const original = (k[name] as (...a: unknown[]) => unknown).bind(k);
  k[name] = (...args: unknown[]) => by(original, ...args);
}
