/**
 * One property alone on the packed engine (lockstep.ts
 * PackedLockstepOptions.properties, explore --invariant): the search is the
 * object explorer's with the same properties (explorer.ts), state for state,
 * level for level, each violation at its depth. Without conformance the
 * spec model is not followed from the roots on, and a checker's memory is in
 * the key only when that checker is checked; in this thread, so that
 * mutation testing sees every line (test/packed-explore.test.ts compares
 * whole summaries through the worker threads).
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../harness/explore/explorer.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { packedSearch } from '../harness/explore/packed/search.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

function both(semantics: string, scopeText: string, properties: readonly string[]) {
  const sem = semanticsByName(semantics)!;
  const scope = parseScope(scopeText);
  const model = new PackedLockstep(scope, { semantics: sem, properties });
  // Every state stored, as the object explorer stores them (covered-past-break.ts would store fewer).
  const packed = packedSearch(model, { depth: scope.depth, storeEveryState: true });
  const object = explore({ semantics: sem, scope, properties });
  const found = (vs: readonly { property: string; depth: number }[]) => vs.map((v) => [v.property, v.depth]).sort();
  return {
    model,
    packed: {
      states: packed.distinctStates,
      transitions: packed.transitions,
      levels: packed.statesPerDepth,
      found: found(packed.violations),
    },
    object: {
      states: object.distinctStates,
      transitions: object.transitions,
      levels: object.statesPerDepth,
      found: found(object.violations),
    },
  };
}

describe('the packed engine on one property', () => {
  it.each([
    // Conformance alone: the spec model followed, no checker's memory.
    ['upstream', 'patches=2,functions=1,states=0,tasks=1,depth=any', 'conformance', [['conformance', 6]]],
    // The kernel alone; callback-pairing's memory in the key.
    ['upstream', 'patches=2,functions=1,states=0,tasks=1,depth=any', 'callback-pairing', []],
    ['upstream', 'patches=2,functions=1,states=1,tasks=1,depth=4', 'no-foreign-removal', [['no-foreign-removal', 2]]],
    // Per-state: shadow-lifetime's memory alone, then callback-pairing's with the state ids' phases.
    ['per-state', 'patches=2,functions=1,states=1,tasks=1,depth=4', 'shadow-lifetime', []],
    ['per-state', 'patches=1,functions=1,states=2,tasks=1,depth=4', 'callback-pairing', []],
    ['per-state', 'patches=2,functions=1,states=1,tasks=1,depth=3', 'block-disable-honoured', []],
    ['replace-set-unfiltered-nops', 'patches=2,functions=2,states=1,tasks=1,depth=4', 'no-lost-fix', [['no-lost-fix', 4]]],
    ['replace-set-unfiltered-nops', 'patches=2,functions=2,states=1,tasks=1,depth=3', 'conformance', [['conformance', 3]]],
  ] as const)('%s at %s checking %s is the object explorer’s search', (semantics, scope, property, violations) => {
    const r = both(semantics, scope, [property]);
    expect(r.packed).toEqual(r.object);
    expect(r.packed.found).toEqual(violations);
    expect(r.model.properties).toEqual([property]);
    expect(r.packed.states).toBeGreaterThan(100);
  });

  it('keeps the explorer’s order of properties, whatever the order asked', () => {
    const r = both('upstream', 'patches=2,functions=1,states=1,tasks=1,depth=3', [
      'no-foreign-removal',
      'conformance',
      'one-active-patch-per-slot',
    ]);
    expect(r.model.properties).toEqual(['conformance', 'one-active-patch-per-slot', 'no-foreign-removal']);
    expect(r.packed).toEqual(r.object);
  });

  it('without conformance, stores fewer states than with it, and a checker’s memory only when that checker is checked', () => {
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=any');
    const states = (properties?: readonly string[]) =>
      packedSearch(new PackedLockstep(scope, { properties }), { storeEveryState: true }).distinctStates;
    // Upstream's whole space here (test/explore-budget.test.ts): 59,730 with every property, the kernel alone fewer.
    expect(states()).toBe(59_730);
    expect(states(['one-active-patch-per-slot'])).toBeLessThan(59_730);
    const key = (properties?: readonly string[]) => new PackedLockstep(scope, { properties }).roots()[0]!.length;
    // The root's key: the kernel alone, then callback-pairing's byte a patch when it is checked.
    expect(key(['callback-pairing'])).toBe(key(['one-active-patch-per-slot']) + 2);
    expect(key(['conformance'])).toBe(key() - 2);
  });

  it('reads a checker’s memory from a key that holds only the checked checker’s, or none', () => {
    const scope = parseScope('patches=2,functions=1,states=1,tasks=1,depth=2');
    const perState = semanticsByName('per-state')!;
    /** The memory read from each successor of each successor of each root, in order (the same ops on every model). */
    const text = (properties?: readonly string[]) => {
      const model = new PackedLockstep(scope, { semantics: perState, properties });
      const keys: Uint8Array[] = [];
      for (const root of model.roots()) model.expand(root, (out, length) => keys.push(out.slice(0, length)));
      const texts: string[] = [];
      for (const key of keys) model.expand(key, (out, length) => texts.push(model.memoryText(out.slice(0, length))));
      return texts;
    };
    const [full, shadows, pairing] = [text(), text(['shadow-lifetime']), text(['callback-pairing'])];
    // The full text is shadow-lifetime's part, then callback-pairing's (lockstep.ts memoryText): each alone is its own part.
    expect(shadows.map((t, i) => (t && pairing[i] ? `${t} ${pairing[i]}` : t || pairing[i]))).toEqual(full);
    expect(full.some((t) => t.includes(' '))).toBe(true);
    expect(text(['no-foreign-removal']).every((t) => t === '')).toBe(true);
  });

  it('refuses a property the semantics does not have', () => {
    expect(
      () => new PackedLockstep(parseScope('patches=1,functions=1,states=1,tasks=1,depth=2'), { properties: ['shadow-lifetime'] }),
    ).toThrow('packed: upstream has no property shadow-lifetime to check');
  });
});
