/**
 * Atomic replace with Petr Mladek's per-state callbacks, is_shadow and
 * block_disable in place of state versions.
 *
 * Sources: seed 004_7e5a7d514636d047.txt (Petr Mladek, "[POC 0/7] livepatch:
 * per-state callbacks", 2023-11-10, and Miroslav Benes' reply); facts C.3 and
 * C.4 ("[PATCH v1 00/19] livepatch: Better integrate callbacks and shadow
 * variables with the states API", 2025-01-15, 20250115082431.5550-1-pmladek@suse.com).
 */
import { blockDisableCompatible } from '../kernel/states.ts';
import type { Semantics } from './semantics.ts';
import { isReplace, upstream } from './upstream.ts';
import { CORE_PROMISES, CUMULATIVE_PROMISE, PER_STATE_PROMISES } from './promises.ts';

export const perState: Semantics = {
  name: 'per-state',
  title: 'atomic replace with per-state callbacks, is_shadow and block_disable',
  sources: [
    { ref: '004_7e5a7d514636d047.txt', author: 'Petr Mladek', date: '2023-11-10' },
    { ref: 'facts C.3, C.4', author: 'Petr Mladek', date: '2025-01-15', messageId: '20250115082431.5550-1-pmladek@suse.com' },
  ],
  rule:
    'Replace works as upstream (bool replace). A state has callbacks that run only when its id is introduced ' +
    '(no active patch had it) or removed (no remaining patch has it); a state dropped by a replace is removed ' +
    "by the old patch's callbacks, and an is_shadow state frees its shadow variables when it is removed. " +
    'Versions are gone: a replacing patch may drop a state unless the state has block_disable, and a patch ' +
    'with a block_disable state cannot be disabled. A non-replacing patch is always compatible.',
  promises: [...CORE_PROMISES, CUMULATIVE_PROMISE, ...PER_STATE_PROMISES],
  attrs: ['replace'],
  attrChoices: upstream.attrChoices,
  spec: {
    load: (active, incoming) => {
      if (!incoming.attrs?.replace) return { replaces: [] };
      for (const old of active) {
        for (const s of old.states ?? []) {
          if (s.block_disable && !(incoming.states ?? []).some((x) => x.id === s.id)) {
            return { refuse: `${incoming.name} drops block_disable state ${s.id} of ${old.name}` };
          }
        }
      }
      return { replaces: active.map((p) => p.name) };
    },
    disable: () => null,
    authorizes: upstream.spec.authorizes,
    perState: true,
  },
  hooks: {
    ...upstream.hooks,
    stateRules: 'per-state',
    isCompatible: (active, incoming) => !isReplace(incoming) || blockDisableCompatible(active, incoming),
  },
  slotOf: upstream.slotOf,
};
