/**
 * Atomic replace as upstream today: `bool replace`, per-state versions.
 *
 * Source: kernel/livepatch/core.c, transition.c, state.c (facts B, C.2);
 * Documentation/livepatch/cumulative-patches.rst; the stacking order was
 * dropped by Petr Mladek's "[PATCH v15 10/11] livepatch: Remove ordering
 * (stacking) of the livepatches", 2019-01-09 (seed 002_1eea65d10ed1c246.txt).
 */
import type { KPatch } from '../kernel/runtime.ts';
import { versionsCompatible } from '../kernel/states.ts';
import type { PatchDef } from '../kernel/definitions.ts';
import type { LoadVerdict } from '../spec/rule.ts';
import type { Semantics } from './semantics.ts';
import { CORE_PROMISES, CUMULATIVE_PROMISE } from './promises.ts';

export const isReplace = (p: KPatch): boolean => Boolean(p.attrs.replace);

const replacing = (p: PatchDef): boolean => Boolean(p.attrs?.replace);

/**
 * Spec: a cumulative patch must carry every live state at no lower version; any
 * patch must not lower a version it carries (Documentation/livepatch/system-state.rst).
 */
function upstreamLoad(active: readonly PatchDef[], incoming: PatchDef): LoadVerdict {
  for (const old of active) {
    for (const s of old.states ?? []) {
      const mine = (incoming.states ?? []).find((x) => x.id === s.id);
      if (!mine && replacing(incoming)) return { refuse: `cumulative ${incoming.name} drops state ${s.id} of ${old.name}` };
      if (mine && (mine.version ?? 0) < (s.version ?? 0)) return { refuse: `${incoming.name} lowers state ${s.id} of ${old.name}` };
    }
  }
  return { replaces: replacing(incoming) ? active.map((p) => p.name) : [] };
}

export const upstream: Semantics = {
  name: 'upstream',
  title: 'atomic replace (bool replace, state versions)',
  sources: [
    { ref: '002_1eea65d10ed1c246.txt', author: 'Petr Mladek', date: '2019-01-09' },
    { ref: 'facts B.1-B.3, C.2 (kernel/livepatch/core.c, state.c)', author: 'upstream', date: 'v6.13-v6.15' },
  ],
  rule:
    'A patch with replace=true replaces every active patch: it gets nops for every function they patch, ' +
    'and when its transition completes they are unpatched and freed. A patch without replace stacks on top ' +
    'of the others; any patch may be disabled in any order. A replacing patch must carry every state of ' +
    'the active patches, each with a version at least as high; a non-replacing one may ignore states but ' +
    'must not lower a version it carries.',
  // Non-replace patches stack on one function and state by design (seed 002): not promised.
  promises: [...CORE_PROMISES, CUMULATIVE_PROMISE],
  attrs: ['replace'],
  attrChoices: [{ replace: false }, { replace: true }],
  spec: {
    load: upstreamLoad,
    disable: () => null,
    // replace=true means "replace all actively used patches": it declares them all.
    authorizes: (incoming) => replacing(incoming),
    perState: false,
  },
  hooks: {
    stateRules: 'versions',
    isCompatible: (active, incoming) => versionsCompatible(active, incoming, isReplace(incoming)),
    nopSources: (active, incoming) => (isReplace(incoming) ? active : []),
    replaced: (active, incoming) => (isReplace(incoming) ? active : []),
    forcedByForce: (active, transition) => (isReplace(transition) ? active : []),
    disableRefusal: () => null,
    sysfsAttrs: (p) => ({ replace: isReplace(p) ? '1' : '0' }),
    writableAttrs: [],
  },
  // One slot for all replace patches; a non-replace patch is its own slot.
  slotOf: (name, attrs) => (attrs.replace ? 'cumulative' : `patch:${name}`),
};
