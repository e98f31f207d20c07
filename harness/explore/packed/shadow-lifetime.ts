/**
 * shadow-lifetime (properties/shadow-lifetime.ts) over the packed kernel:
 * per-state's invariant that remembers (facts C.3, C.4, Petr Mladek,
 * 2025-01-15). Its memory is the set of live shadow variables as the
 * checker saw them allocated and freed, one byte in the lockstep state (bit
 * id - 1 for <1, id>: the explorer's shadow ops name object 1 only), written
 * at the end of the key as the explorer appends the checkers' memory.
 *
 * The rule, as the catalog's checker has it: a free of a variable it does
 * not hold is a second free; the core must not free one whose state an
 * active patch still declares; and after the step no variable of an
 * is_shadow state id (of any patch of the universe) is left while no patch
 * on klp_patches declares the id. On a violation it stops at the bad event,
 * as the catalog's returns there.
 */
import type { DefinitionNode, DefinitionTree } from './definition-tree.ts';
import type { KernelSnapshot } from './kernel-snapshot.ts';
import { ShadowEvent, type KernelStepEvents } from './kernel.ts';

export class PackedShadowLifetime {
  /** @param at where a state's memory byte is */
  constructor(
    private readonly tree: DefinitionTree,
    private readonly at: number,
  ) {}

  /** Applies the step's shadow events to the memory in `x` (the state after the step); true on a violation. */
  violated(x: Uint8Array, events: KernelStepEvents, node: DefinitionNode, after: KernelSnapshot): boolean {
    const ev = events.shadows;
    for (let i = 0; i < 2 * events.shadowCount; i += 2) {
      const bit = 1 << (ev[i + 1]! - 1);
      if (ev[i] === ShadowEvent.Alloc) {
        x[this.at]! |= bit;
        continue;
      }
      if (!(x[this.at]! & bit)) return true;
      x[this.at]! &= ~bit;
      if (ev[i] === ShadowEvent.FreeByCore && after.states & bit) return true;
    }
    // The universe's is_shadow ids: its patches are the node's.
    let shadowIds = 0;
    for (let k = 1; k < node.rows.length; k++) shadowIds |= this.tree.shadowStates[node.rows[k]!]!;
    return (after.shadows & shadowIds & ~after.states) !== 0;
  }

  /** The memory at s[at] (a state's, by default) as the catalog checker's memory() writes it: `1/1 1/2`. */
  text(s: Uint8Array, at = this.at): string {
    const live: string[] = [];
    for (let id = 1; id <= 8; id++) if (s[at]! & (1 << (id - 1))) live.push(`1/${id}`);
    return live.join(' ');
  }
}
