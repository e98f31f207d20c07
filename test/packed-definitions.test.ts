/**
 * What the packed engine remembers about patch definitions must be what it
 * would work out afresh: a definition node's facts, looked up from its
 * parent's successor list (definition-tree.ts childFacts), and the bytes a
 * remembered question is known by (replace-rules.ts writeLeb128), which must
 * tell every two questions apart.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { usedSoFar } from '../harness/explore/candidates.ts';
import { DefinitionTree, type DefinitionNode } from '../harness/explore/packed/definition-tree.ts';
import { writeLeb128 } from '../harness/explore/packed/replace-rules.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

/** Every node of the tree, each root's and their children's to the scope's patches. */
function everyNode(tree: DefinitionTree): DefinitionNode[] {
  const out: DefinitionNode[] = [];
  const visit = (n: DefinitionNode) => {
    out.push(n);
    n.list.newDefs.forEach((_, pos) => visit(n.child(pos)));
  };
  tree.roots.forEach(visit);
  return out;
}

/** The bytes of a list of numbers, one after another. */
function encode(xs: readonly number[]): string {
  const out = new Uint8Array(5 * xs.length);
  let at = 0;
  for (const x of xs) at = writeLeb128(out, at, x);
  return Buffer.from(out.subarray(0, at)).toString('hex');
}

describe('the definition tree', () => {
  // per-state has roots per shadow-owning choice and lists that depend on each patch's state ids; hybrid has writable
  // attributes; replace-set has sets. Three patches, so that a list is shared by nodes of different parents.
  // hybrid's tree is the largest by far: one function keeps it to a second.
  it.each([
    ['upstream', 'patches=3,functions=2,states=1,tasks=1'],
    ['per-state', 'patches=3,functions=2,states=1,tasks=1'],
    ['hybrid', 'patches=3,functions=1,states=1,tasks=1'],
    ['replace-set', 'patches=3,functions=2,states=1,tasks=1'],
  ])('gives each node of %s at %s the facts its own definitions give', (name, scopeText) => {
    const semantics = semanticsByName(name)!;
    const scope = parseScope(scopeText);
    const tree = new DefinitionTree(semantics, scope);
    const nodes = everyNode(tree);
    expect(nodes.length).toBeGreaterThan(50);
    // The bench's count of nodes (bench/packed-spec.ts definition_nodes): each made once, a child asked again is kept.
    expect(tree.nodes).toBe(nodes.length);
    everyNode(tree);
    expect(tree.nodes).toBe(nodes.length);
    nodes.forEach((node, i) => {
      // Its place: the positions its key writes lead from its root to it.
      expect(tree.nodeAt(node.defPos, node.root)).toBe(node);
      const known = node.known();
      // Rows and used functions and state ids, as the definitions give them.
      expect(node.rows).toEqual([-1, ...known.map((d) => tree.rowOf(d))]);
      expect(node.used).toEqual(usedSoFar(known));
      // The successor list, as a tree that never saw another node would make it from this node's definitions (one
      // node in three, each depth's among them, for the time: hybrid has thousands).
      if (i % 3) return;
      const fresh = new DefinitionTree(semantics, scope).successorList(node.root, node.rows, node.used, () => known);
      expect(JSON.stringify(node.list.ops)).toBe(JSON.stringify(fresh.ops));
      expect(JSON.stringify(node.list.newDefs)).toBe(JSON.stringify(fresh.newDefs));
    });
  });
});

describe('a definition node', () => {
  it('refuses a child at a position past its new definitions', () => {
    const tree = new DefinitionTree(semanticsByName('upstream')!, parseScope('patches=1,functions=1'));
    const past = tree.root.list.newDefs.length;
    expect(() => tree.root.child(past)).toThrow(`packed: no new definition at position ${past}`);
    // No node was made: the bench's count (definition_nodes) is the root's alone.
    expect(tree.nodes).toBe(1);
  });
});

describe('the bytes a remembered question is known by', () => {
  it('are unsigned LEB128', () => {
    expect(encode([0])).toBe('00');
    expect(encode([127])).toBe('7f');
    expect(encode([128])).toBe('8001');
    expect(encode([300])).toBe('ac02');
    expect(encode([2 ** 31 - 1])).toBe('ffffffff07');
    expect(encode([2 ** 31 + 5])).toBe('8580808008');
  });

  it('are equal only for equal questions', () => {
    const question = fc.array(fc.oneof(fc.nat(300), fc.nat()), { maxLength: 9 });
    fc.assert(
      fc.property(question, question, (a, b) => {
        expect(encode(a) === encode(b)).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { seed: 50, numRuns: 2000 },
    );
  });
});
