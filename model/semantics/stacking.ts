/**
 * Stacking, the rule before atomic replace: patches stack in load order and
 * only the topmost one can be disabled.
 *
 * Source: seed 002_1eea65d10ed1c246.txt, Petr Mladek, "[PATCH v15 10/11]
 * livepatch: Remove ordering (stacking) of the livepatches", 2019-01-09. The
 * removed check in __klp_disable_patch returned -EBUSY unless the patch was
 * the last on klp_patches ("enforce stacking: only the last enabled patch can
 * be disabled"). There was no replace and no state API then.
 */
import type { Semantics } from './semantics.ts';
import { CORE_PROMISES } from './promises.ts';

export const stacking: Semantics = {
  name: 'stacking',
  title: 'stacking before atomic replace (only the topmost patch can be disabled)',
  sources: [{ ref: '002_1eea65d10ed1c246.txt', author: 'Petr Mladek', date: '2019-01-09' }],
  rule:
    'Every patch stacks on top of the loaded ones; the newest patch of a function wins. Nothing is ever ' +
    'replaced. A patch can be disabled only when it is the last on klp_patches (the top of the stack); ' +
    'disabling any other returns -EBUSY.',
  // Nothing is replaced and the newest patch of a function wins: sharing is the design (seed 002).
  promises: CORE_PROMISES,
  attrs: [],
  attrChoices: [{}],
  spec: {
    load: () => ({ replaces: [] }),
    disable: (active, patch) =>
      active[active.length - 1]?.name === patch.name ? null : { errno: 'EBUSY', reason: `${patch.name} is not the topmost patch` },
    authorizes: () => false,
    perState: false,
  },
  hooks: {
    stateRules: 'versions',
    isCompatible: () => true,
    nopSources: () => [],
    replaced: () => [],
    forcedByForce: () => [],
    disableRefusal: (active, patch) => (active[active.length - 1] === patch ? null : 'EBUSY'),
    sysfsAttrs: () => ({}),
    writableAttrs: [],
  },
  slotOf: (name) => `patch:${name}`,
};
