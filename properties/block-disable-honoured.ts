import { lacksStateIds, stateless, type Invariant } from './invariant.ts';

/**
 * block_disable is honoured. A state whose declaring patch sets
 * block_disable stands for a change "too risky to revert": it never
 * disappears while only patches with block_disable on it declare it —
 * neither by a disable, nor by a replace that drops it, nor by reversing the
 * transition that introduced it. A later patch may take the state over
 * without the flag; then that patch may remove it. Source: facts C.4 (Petr
 * Mladek, [PATCH v1 04/19], 20250115082431.5550-5-pmladek@suse.com); seed
 * 004_7e5a7d514636d047.txt.
 */
export const blockDisableHonoured: Invariant = {
  id: 'block-disable-honoured',
  title: 'block_disable is honoured',
  meaning: 'A state declared with block_disable by every patch that declares it never disappears.',
  source: 'facts C.4 (Petr Mladek, 2025-01-15); seed 004_7e5a7d514636d047.txt',
  appliesTo: (s) => s.spec.perState,
  whyNotApplicable: 'has no block_disable states (no per-state callbacks)',
  lacks: lacksStateIds,
  checker: () =>
    stateless((obs) => {
      for (const id of obs.before.states) {
        if (obs.after.states.includes(id)) continue;
        const declaring = obs.before.patches
          .filter((p) => p.order > 0)
          .map((p) => obs.def(p.name))
          .filter((d) => (d.states ?? []).some((s) => s.id === id));
        if (declaring.length && declaring.every((d) => d.states!.find((s) => s.id === id)!.block_disable)) {
          return `state ${id} disappeared although ${declaring.map((d) => d.name).join(', ')} block${declaring.length > 1 ? '' : 's'} its disable`;
        }
      }
      return null;
    }),
};
