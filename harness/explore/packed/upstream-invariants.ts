/**
 * The catalog's slot invariants over the packed kernel (properties/): the
 * packed engine's step 4, begun. Each is a second statement of the
 * catalog's checker over the kernel's view of a packed lockstep state, as
 * the catalog's checkers read the kernel's observed state (`obs.after`):
 *
 * - one-active-patch-per-slot (properties/one-active-patch-per-slot.ts):
 *   no two settled patches (on klp_patches and enabled, not in transition:
 *   properties/settled.ts) in one slot;
 * - no-function-shared-across-slots: no two settled patches of different
 *   slots patch one function;
 * - no-state-shared-across-slots: nor declare one state id.
 *
 * Upstream's slots (model/semantics/upstream.ts slotOf): every replace patch
 * is in the one cumulative slot, every other patch in its own.
 *
 * Like the explorer, a search checks them on every transition but a quiet
 * one (the state unchanged, every task in place), where none of them can
 * fire unless it fired on the step into the state (properties/invariant.ts
 * seesUnchangedSteps).
 */
import type { DefinitionNode, DefinitionTree } from './definition-tree.ts';
import type { PackedUpstreamKernel } from './upstream-kernel.ts';
import { PatchStatusCode } from './codes.ts';

/** The invariants, in the order of their bits (bit i of `violated`'s result for SLOT_INVARIANTS[i]). */
export const SLOT_INVARIANTS = ['one-active-patch-per-slot', 'no-function-shared-across-slots', 'no-state-shared-across-slots'] as const;

export class PackedSlotInvariants {
  private readonly settled: Uint8Array;

  constructor(
    private readonly tree: DefinitionTree,
    private readonly kernel: PackedUpstreamKernel,
  ) {
    this.settled = new Uint8Array(tree.scope.patches);
  }

  /** The invariants the kernel's state in `s` violates, as bits (SLOT_INVARIANTS' order). */
  violated(s: Uint8Array, node: DefinitionNode): number {
    const k = this.kernel;
    let n = 0;
    // Settled: enabled, which the kernel's status says only of a patch on klp_patches and not in transition.
    for (let p = 1; p <= this.tree.scope.patches; p++)
      if (k.patchLoaded(s, p) && k.patchStatus(s, p) === PatchStatusCode.Enabled) this.settled[n++] = p;
    const { replace, funcs, versions } = this.tree;
    const V = this.tree.scope.states + 1;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      const a = node.rows[this.settled[i]!]!;
      for (let j = i + 1; j < n; j++) {
        const b = node.rows[this.settled[j]!]!;
        // Two patches share a slot only as replace patches (the cumulative slot).
        if (replace[a] && replace[b]) {
          bits |= 1;
          continue;
        }
        if (funcs[a]! & funcs[b]!) bits |= 2;
        for (let id = 1; id < V; id++) if (versions[a * V + id] && versions[b * V + id]) bits |= 4;
      }
    }
    return bits;
  }
}
