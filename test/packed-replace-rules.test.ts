/**
 * The packed engine's questions to a semantics (harness/explore/packed/replace-rules.ts): each is worked out
 * once and remembered, and the spec model's and the kernel's asks of one step are one question (Ask.Insmod,
 * Ask.Disable), answered again from the last one asked. The searches' tests reach these through whole spaces;
 * here the answers are held against the semantics' own functions, and a question whose work threw is worked
 * out again, not answered with nothing (helper-120, 2026-12-07).
 */
import { describe, expect, it } from 'vitest';
import { upstream } from '../model/semantics/upstream.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { DefinitionTree } from '../harness/explore/packed/definition-tree.ts';
import { PackedReplaceRules, REFUSED } from '../harness/explore/packed/replace-rules.ts';

const scope = parseScope('patches=2,functions=1,states=0,tasks=1');

/** Upstream, its spec model's load throwing on the first call only. */
function throwingOnce(): Semantics {
  let calls = 0;
  const load: Semantics['spec']['load'] = (active, incoming) => {
    if (calls++ === 0) throw new Error('the first load');
    return upstream.spec.load(active, incoming);
  };
  return { ...upstream, spec: { ...upstream.spec, load } };
}

describe('the packed engine’s questions to a semantics', () => {
  it('answers the load, compatibility and nops of a first patch as upstream does, each part of the one question', () => {
    const tree = new DefinitionTree(upstream, scope);
    const rules = new PackedReplaceRules(tree);
    const node = tree.root.child(0);
    const empty = new Uint8Array(2);
    expect(rules.specLoad(node, 1, empty, 0, 0, 0)).toBe(0);
    expect(rules.compatible(node, 1, empty, 0, 0, 0)).toBe(true);
    expect(rules.nopSources(node, 1, empty, 0, 0, 0)).toBe(0);
    // Asked again in another order, from the table rather than the last question.
    expect(rules.specDisable(node, 1, Uint8Array.of(1), 0, 1, 0)).toBe(0);
    expect(rules.nopSources(node, 1, empty, 0, 0, 0)).toBe(0);
    expect(rules.specLoad(node, 1, empty, 0, 0, 0)).not.toBe(REFUSED);
  });

  it('works a question out again when its work threw, rather than answering it with nothing', () => {
    const tree = new DefinitionTree(throwingOnce(), scope);
    const rules = new PackedReplaceRules(tree);
    const node = tree.root.child(0);
    const empty = new Uint8Array(2);
    expect(() => rules.specLoad(node, 1, empty, 0, 0, 0)).toThrow('the first load');
    // An answer of nothing read as REFUSED (undefined & 63, less 1) and as incompatible.
    expect(rules.compatible(node, 1, empty, 0, 0, 0)).toBe(true);
    expect(rules.specLoad(node, 1, empty, 0, 0, 0)).toBe(0);
  });
});
