/**
 * Per-state on the packed engine (harness/explore/packed/kernel.ts, spec.ts,
 * definition-tree.ts, lockstep.ts, callback-pairing.ts, shadow-lifetime.ts,
 * invariants.ts), in small scopes fast enough for mutation testing: the rules
 * of facts C.3 and C.4 (Petr Mladek's per-state callbacks, is_shadow and
 * block_disable, 2025-01-15). Successor for successor against the object
 * implementation (test/support/object-lockstep-space.ts), and what the
 * differential cannot see because both sides agree: checks that never fire
 * on a correct kernel, shown firing on kernels broken on purpose, and the
 * spec model's own shortcuts shown to change nothing. Each test written for
 * a mutant that survived says so.
 */
import { describe, expect, it } from 'vitest';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { PackedSpec } from '../harness/explore/packed/spec.ts';
import { parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import { perState } from '../model/semantics/per-state.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { againstObjects } from './support/object-lockstep-space.ts';
import { hex } from './support/packed-keys.ts';

/** The packed kernel's methods and fields, as a test replaces them. */
type Kernel = Record<string, unknown>;

const kernelOf = (m: PackedLockstep) => m.kernel as unknown as Kernel;

/** Replaces the kernel's method `name` by `by`, which gets the original (bound) and the arguments. */
function replace(k: Kernel, name: string, by: (orig: (...a: unknown[]) => unknown, ...args: unknown[]) => unknown): void {
  const original = (k[name] as (...a: unknown[]) => unknown).bind(k);
  k[name] = (...args: unknown[]) => by(original, ...args);
}

/**
 * The depth of `property`'s first violation in a per-state search of `scope` (to its depth), on the packed kernel
 * as `breakIt` leaves it (correct when absent); undefined when it holds there.
 */
function firstViolation(scope: ExploreScope, property: string, breakIt?: (k: Kernel) => void): number | undefined {
  const model = new PackedLockstep(scope, { semantics: perState });
  breakIt?.(kernelOf(model));
  return packedSearch(model, { depth: scope.depth }).violations.find((v) => v.property === property)?.depth;
}

describe('the packed per-state engine against the object implementation', () => {
  // Two state ids (four roots: each choice of is_shadow ids), two patches (replace, pre_unpatch of a replaced
  // patch's states), and per-state with no state ids at all (no state-phase byte in the checkers' memory).
  it.each([
    'patches=1,functions=1,states=2,tasks=1,depth=3',
    // Depth 5 reaches a replace transition reversed and completed (insmod p1, block_task, insmod p2, disable p2,
    // task_return): klp_states_post_patch_replaced, which no shallower scope here reaches (mutation testing: no coverage).
    'patches=2,functions=1,states=1,tasks=1,depth=5',
    'patches=2,functions=1,states=0,tasks=1,depth=3',
    // Three state ids: the flags' and phases' shift 2 * (id - 1) differs from 2 / (id - 1) only at id 3 (mutation testing).
    'patches=1,functions=1,states=3,tasks=1,depth=3',
    // Three patches: a klp_patches entry read at KLP - j instead of KLP + j shows only past two (mutation testing).
    'patches=3,functions=1,states=1,tasks=1,depth=3',
  ])('has the object implementation’s states and successors at %s', (text) => {
    const scope = parseScope(text);
    const { result, differences, roots } = againstObjects(new PackedLockstep(scope, { semantics: perState }), perState, scope);
    expect(roots[0]).toBe(roots[1]);
    expect(differences).toEqual([]);
    expect(result.distinctStates).toBeGreaterThan(100);
  });
});

// The per-state code must stay off under other semantics: with this.perState forced true, upstream's states (which
// declare ids too) would get state callbacks and flags in the key (mutation testing: kernel.ts perState -> true survived
// every per-state scope).
it('keeps the per-state rules off for upstream, whose patches declare state ids too', () => {
  const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=3');
  const { differences } = againstObjects(new PackedLockstep(scope, { semantics: upstream }), upstream, scope);
  expect(differences).toEqual([]);
});

describe('the per-state checks that a correct kernel never trips', () => {
  const scope1 = parseScope('patches=1,functions=1,states=1,tasks=1,depth=3');

  it('finds a second free of a shadow variable (shadow-lifetime) when the kernel logs a free of one it does not hold', () => {
    // Pins shadow-lifetime.ts's double-free rule: the correct kernel never logs such a free, so only a broken one shows it.
    const logsEveryFree = (k: Kernel) =>
      replace(k, 'freeShadow', (orig, s, id, by) => {
        // A free is logged whether or not the variable exists.
        const events = k.events as { pushShadow(e: number, id: number): void };
        if (!((s as Uint8Array)[k.SHD as number]! & (1 << ((id as number) - 1)))) events.pushShadow(by as number, id as number);
        else orig(s, id, by);
      });
    expect(firstViolation(scope1, 'shadow-lifetime')).toBeUndefined();
    // insmod p1 (state 1), shadow_free by p1's code of a variable never allocated.
    expect(firstViolation(scope1, 'shadow-lifetime', logsEveryFree)).toBe(2);
  });

  it('finds the core freeing a shadow variable whose state a patch on klp_patches still has (shadow-lifetime)', () => {
    // Pins shadow-lifetime.ts's "core must not free while an active patch declares the id": a kernel that takes
    // every state as nobody else's frees p1's is_shadow variables when p2, which keeps state 1, replaces p1.
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=3');
    expect(firstViolation(scope, 'shadow-lifetime')).toBeUndefined();
    // insmod p1 (state 1 is_shadow), shadow_alloc, insmod p2 (replace, state 1): p1's removal frees <1, 1>.
    expect(firstViolation(scope, 'shadow-lifetime', (k) => replace(k, 'inOtherPatches', () => false))).toBe(3);
  });

  it('breaks conformance when the kernel keeps a shadow variable the spec model frees', () => {
    // Pins lockstep.ts conforms()'s shadow-variable comparison: the abstract state includes the live shadow variables.
    const keepsCoreFrees = (k: Kernel) => replace(k, 'freeShadow', (orig, s, id, by) => (by === 2 ? undefined : orig(s, id, by)));
    expect(firstViolation(scope1, 'conformance')).toBeUndefined();
    // insmod p1 (state 1 is_shadow), shadow_alloc, disable p1: the spec model frees <1, 1>, the kernel does not.
    expect(firstViolation(scope1, 'conformance', keepsCoreFrees)).toBe(3);
  });
});

describe('the lockstep’s conformance check', () => {
  it('breaks conformance when the kernel shows the target module as not loaded', () => {
    // Pins the other half of lockstep.ts conforms()'s first comparison (the line that gained the shadow compare): the
    // target module's loaded flag. The kernel reads it for conformance alone, so only a broken one shows the check.
    const scope = parseScope('patches=1,functions=1,states=1,tasks=1,depth=2');
    expect(firstViolation(scope, 'conformance')).toBeUndefined();
    // insmod m1, the target module: the spec model has it loaded, the kernel says not.
    expect(firstViolation(scope, 'conformance', (k) => replace(k, 'moduleLoaded', () => false))).toBe(1);
  });
});

describe('the packed per-state spec model', () => {
  /** The spec model with its quiet-step shortcut off: every successor encoded again. */
  class EncodingEveryStep extends PackedSpec {
    protected override quiet(): boolean {
      return false;
    }
  }

  /** Every expanded state's successors, as `pos -> key`, in a search of `space` within `depth`. */
  function successors(space: PackedSpec, depth: number): Map<string, string[]> {
    const all = new Map<string, string[]>();
    packedSearch(
      {
        roots: () => space.roots(),
        expand: (key, emit) => {
          const list: string[] = [];
          space.expand(key, (out, length, pos) => {
            list.push(`${pos} -> ${hex(out.subarray(0, length))}`);
            emit(out, length, pos);
          });
          all.set(hex(key), list);
        },
      },
      { depth },
    );
    return all;
  }

  it('gives a quiet step’s successor as the state itself, the very successor that encoding it again gives', () => {
    // Pins spec.ts quiet(): the shortcut must change no successor (a step to another node, a refused first load, is not
    // quiet). Turning the shortcut off (quiet() -> false) is equivalent, and survives: it only encodes the same key again.
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=4');
    const quick = successors(new PackedSpec(scope, undefined, perState), 4);
    const slow = successors(new EncodingEveryStep(scope, undefined, perState), 4);
    expect(quick.size).toBeGreaterThan(100);
    expect([...quick.entries()]).toEqual([...slow.entries()]);
  });
});
