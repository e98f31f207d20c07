/**
 * The object side of the packed kernel's differential test: the explorer's
 * own Expander (harness/explore/expand.ts), which replays each state's path
 * on the object kernel and spec model in lockstep and keys it with
 * state-key.ts. A state is remembered by the path the search first reached
 * it on, from its root (a per-state search has one per choice of
 * is_shadow state ids: expand.ts rootShadowIds). A state's identity is its key and the checkers' memory, which the
 * explorer interns and appends as an id, and the packed model writes as
 * bytes at the end of its key: both are shown as the key's hex, then the
 * memory's text in brackets (`identity`, `packedIdentity`).
 *
 * `againstObjects` runs the packed search and expands every state it expands
 * on the object side too, comparing their successors as it goes: a state's
 * successors are kept only while it is compared, so whole spaces of a few
 * hundred thousand states fit.
 */
import { hex, label } from './packed-keys.ts';
import { CONFORMANCE } from '../../properties/catalog.ts';
import { Expander } from '../../harness/explore/expand.ts';
import { packedSearch, type PackedSearchResult } from '../../harness/explore/packed/search.ts';
import type { PackedLockstep } from '../../harness/explore/packed/lockstep.ts';
import type { ExploreScope } from '../../harness/explore/scope.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';

/** A state's identity: its key's hex and, when a checker remembers something, the memory's text. */
function identity(keyHex: string, memory: string): string {
  return memory ? `${keyHex} [${memory}]` : keyHex;
}

/** The object side's memory (the checkers' memories joined by '|', run-sequence.ts Lockstep.memory) as text. */
function objectMemory(memory: string): string {
  return memory.split('|').filter(Boolean).join(' ');
}

/** A packed key's identity: the key less its memory bytes, and their text. */
export function packedIdentity(packed: PackedLockstep, key: Uint8Array): string {
  return identity(hex(key.subarray(0, key.length - packed.memoryBytes)), packed.memoryText(key));
}

/** A state whose successors differ: the ones only the object side has, and the ones only the packed side has. */
export interface Difference {
  readonly state: string;
  readonly object: readonly string[];
  readonly packed: readonly string[];
}

export class ObjectLockstepSpace {
  private readonly expander: Expander;
  private readonly paths = new Map<string, { readonly root: number; readonly path: number[] }>();

  constructor(sem: Semantics, scope: ExploreScope, properties: readonly string[] = [CONFORMANCE]) {
    this.expander = new Expander(sem, scope, properties);
    this.roots().forEach((r, root) => this.paths.set(r, { root, path: [] }));
  }

  /** The roots' identities, in the explorer's order. */
  roots(): string[] {
    return Array.from({ length: this.expander.rootCount }, (_, root) => {
      const { keys, memory } = this.expander.rootKeys(root);
      return identity(hex(keys.full), objectMemory(memory));
    });
  }

  /** The successors of state `key` as `op -> key`, sorted; null when the object side never reached the state. */
  successors(key: string): string[] | null {
    const at = this.paths.get(key);
    if (!at) return null;
    const { root, path } = at;
    const out: string[] = [];
    this.expander.expand(root, path, (s, memory) => {
      const h = identity(hex(s.keys.full), objectMemory(memory));
      if (!this.paths.has(h)) this.paths.set(h, { root, path: [...path, s.pos] });
      const found = [...new Set(s.found.map((v) => v.invariant))].sort();
      out.push(`${label(s.op)} -> ${h}${found.length ? ` !${found.join(',')}` : ''}`);
    });
    return out.sort();
  }
}

/** Searches `packed` within `depth`, holding every expanded state's successors to the object side's. */
export function againstObjects(
  packed: PackedLockstep,
  sem: Semantics,
  scope: ExploreScope,
): {
  result: PackedSearchResult;
  differences: Difference[];
  /** The packed model's roots and the object side's, each as their identities, one a line. */
  roots: readonly [string, string];
} {
  const objects = new ObjectLockstepSpace(sem, scope, packed.properties);
  const differences: Difference[] = [];
  const result = packedSearch(
    {
      properties: packed.properties,
      roots: () => packed.roots(),
      expand: (key, emit) => {
        const mine: string[] = [];
        const ops = packed.tree.nodeOfKey(key).list.ops;
        packed.expand(key, (out, length, pos, step = 0) => {
          // Every transition's violations, as the object side checks them: the step's, and those of the state it
          // leads to (which a search asks of a new state only), but on a quiet step, the state itself.
          const violated = out === key ? step : step | packed.violatedByNewState();
          const found = packed.properties.filter((_, i) => violated & (1 << i)).sort();
          mine.push(
            `${label(ops[pos]!)} -> ${packedIdentity(packed, out.subarray(0, length))}${found.length ? ` !${found.join(',')}` : ''}`,
          );
          emit(out, length, pos, violated);
        });
        mine.sort();
        const state = packedIdentity(packed, key);
        const theirs = objects.successors(state) ?? [];
        if (differences.length < 3 && JSON.stringify(mine) !== JSON.stringify(theirs))
          differences.push({
            state,
            object: theirs.filter((x) => !mine.includes(x)),
            packed: mine.filter((x) => !theirs.includes(x)),
          });
      },
    },
    { depth: scope.depth },
  );
  const packedRoots = packed.roots().map((key) => packedIdentity(packed, key));
  return { result, differences, roots: [packedRoots.join('\n'), objects.roots().join('\n')] };
}
