/**
 * The explorer branches a state by copying its objects (model/kernel/clone.ts,
 * SpecModel.clone, each checker's clone) instead of replaying its path. A
 * field a copy forgot would split or merge states unseen. The packed key
 * (harness/explore/state-key.ts) holds every kernel record the search keeps,
 * so every state reached here must pack to the same bytes after a copy, and
 * remember the same.
 */
import { describe, expect, it } from 'vitest';
import { Expander } from '../harness/explore/expand.ts';
import { applicableProperties } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { keyBuilderFor } from '../harness/explore/state-key.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { applyToKernel } from '../harness/ops.ts';
import { cloneCore } from '../model/kernel/clone.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { lp, ops, universe } from './support/universe.ts';

const CASES = [
  // Per-state series: pre_patch_succeeded and pre_unpatch_done (facts C.3), shadow variables.
  ['per-state', 'patches=2,functions=1,states=1,tasks=1,depth=4'],
  ['upstream', 'patches=2,functions=1,states=1,tasks=2,depth=3'],
  ['hybrid', 'patches=2,functions=1,states=0,tasks=1,taskModel=1,depth=4'],
] as const;

describe('a copy of a state', () => {
  it.each(CASES)('%s at %s: packs to the same key and remembers the same as the original', (name, text) => {
    const sem = semanticsByName(name)!;
    const scope = parseScope(text);
    const ex = new Expander(sem, scope, applicableProperties(sem));
    const keys = keyBuilderFor(sem, scope);
    let level: { root: number; path: number[] }[] = Array.from({ length: ex.rootCount }, (_, root) => ({ root, path: [] }));
    let compared = 0;
    const differ: string[] = [];
    for (let depth = 0; depth < scope.depth!; depth++) {
      const next: typeof level = [];
      for (const item of level) {
        ex.expand(item.root, item.path, (s, memory) => {
          const original = Buffer.from(s.keys.full);
          const copy = s.run.branch();
          const copied = Buffer.from(keys.build(copy, item.root, []).full);
          const again = Buffer.from(keys.build(s.run, item.root, []).full);
          compared++;
          if (!copied.equals(again) || copy.memory() !== memory) differ.push(`${JSON.stringify(s.op)} after ${item.path.join(',')}`);
          if (original.length && next.length < 400) next.push({ root: item.root, path: [...item.path, s.pos] });
        });
      }
      level = next;
    }
    expect(differ.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });
});

describe('a copy of a kernel', () => {
  it('keeps one record per patch: klp_patches, the transition and the modules point at the same copies', () => {
    const sem = semanticsByName('upstream')!;
    const k = new Kernel(universe(lp('p1', ['f1']), lp('p2', ['f1'], { replace: true })), sem.hooks);
    for (const op of ops('insmod p1', 'block task0 f1', 'insmod p2')) applyToKernel(op, k);
    const c = cloneCore(k.core);
    expect(c.transition).not.toBeNull();
    expect(c.transition).not.toBe(k.core.transition);
    expect(c.klp_patches).toContain(c.transition);
    for (const p of c.klp_patches) {
      const m = c.modules.get(p.name);
      expect(m?.kind === 'livepatch' ? m.patch : undefined).toBe(p);
    }
  });
});
