/**
 * Hybrid mode: a writable `replaceable` flag decides which patches a replace
 * patch takes away; the others stay active beside it.
 *
 * Sources: Yafang Shao, "[RFC PATCH 0/2] livepatch: Add support for hybrid
 * mode", 2025-01-27 (20250127063526.76687-1-laoar.shao@gmail.com; facts F.1);
 * seed 003_3f95dad9b56cb0c5.txt (Yafang Shao and Petr Mladek, 2025-02-07, the
 * Fix1..Fix5 walk-through); Petr Mladek's lp1/lp2/lp3 objection
 * (Z5eYzcF5JLR4o5Yl@pathway.suse.cz, 2025-01-27).
 *
 * The hooks are the RFC's code: klp_add_nops and the completion skip patches
 * whose replaceable is false, the state check is upstream's, and
 * klp_force_transition is untouched, so it still marks every other patch
 * forced (the RFC did not change it). Both the nops and the replaced patches
 * read the flag, but at different times: at load and at completion.
 */
import { versionsCompatible } from '../kernel/states.ts';
import type { KPatch } from '../kernel/runtime.ts';
import type { PatchDef } from '../kernel/definitions.ts';
import type { LoadVerdict } from '../spec/rule.ts';
import { carriesStates, isReplaceable, isReplacing, viewOfDef } from './rules.ts';
import type { Semantics } from './semantics.ts';
import { upstream } from './upstream.ts';
import { CORE_PROMISES } from './promises.ts';

const replacing = (p: KPatch): boolean => isReplacing(p.attrs);
const replaceableNow = (p: KPatch): boolean => p.writable.get('replaceable') === true;

/** Spec: upstream's state rule, and a replace patch takes over exactly the replaceable patches. */
export function hybridLoad(active: readonly PatchDef[], incoming: PatchDef): LoadVerdict {
  const n = viewOfDef(incoming);
  const cumulative = isReplacing(n.attrs);
  for (const old of active.map(viewOfDef)) {
    if (!carriesStates(n, old, cumulative)) return { refuse: `${n.name} does not carry the states of ${old.name} (facts C.2, unchanged)` };
  }
  return { replaces: cumulative ? active.filter((p) => isReplaceable(p.attrs ?? {})).map((p) => p.name) : [] };
}

export const hybrid: Semantics = {
  name: 'hybrid',
  title: 'hybrid mode: replace takes only patches whose writable replaceable flag is set',
  sources: [
    { ref: 'facts F.1', author: 'Yafang Shao', date: '2025-01-27', messageId: '20250127063526.76687-1-laoar.shao@gmail.com' },
    { ref: '003_3f95dad9b56cb0c5.txt', author: 'Yafang Shao, Petr Mladek', date: '2025-02-07' },
  ],
  rule:
    'Every patch has a replaceable flag, false by default, that the admin can write in sysfs (-EAGAIN while the ' +
    'patch is in transition). A patch with replace=true replaces the active patches whose replaceable flag is ' +
    'set and leaves the others active beside it; a patch without replace stacks as upstream. There is no ' +
    "conflict check, and the state check is upstream's (a replace patch carries every active state).",
  // No conflict check at all (facts F.1): sharing across patches is the design.
  promises: CORE_PROMISES,
  attrs: ['replace', 'replaceable'],
  // Off-band fix (the default), replaceable fix, replaceable cumulative, non-replaceable cumulative.
  attrChoices: [
    { replace: false, replaceable: false },
    { replace: false, replaceable: true },
    { replace: true, replaceable: true },
    { replace: true, replaceable: false },
  ],
  spec: {
    load: hybridLoad,
    disable: () => null,
    // replace=true is the declaration. Observations now carry the flag's
    // current value too; requiring `old` to be replaceable would be the
    // stricter reading (not adopted: the flag race shows up as a silent switch).
    authorizes: (incoming) => isReplacing(incoming.attrs ?? {}),
    perState: false,
    writableAttrs: ['replaceable'],
  },
  hooks: {
    ...upstream.hooks,
    isCompatible: (active, incoming) => versionsCompatible(active, incoming, replacing(incoming)),
    nopSources: (active, incoming) => (replacing(incoming) ? active.filter(replaceableNow) : []),
    replaced: (active, incoming) => (replacing(incoming) ? active.filter(replaceableNow) : []),
    sysfsAttrs: (p) => ({ replace: replacing(p) ? '1' : '0' }),
    writableAttrs: ['replaceable'],
  },
  // No slots: each patch stands alone, as in stacking.
  slotOf: (name) => `patch:${name}`,
};
