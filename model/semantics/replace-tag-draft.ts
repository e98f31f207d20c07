/**
 * The replace tag exactly as first posted: Yafang Shao's draft "livepatch:
 * Support scoped atomic replace using replace tags".
 *
 * Sources: seed 000_2d55233d1d974b9b.txt (the draft, 2026-04-07, and Petr
 * Mladek's review the same day, adUd0Mojbtrwmeod@pathway.suse.cz); facts F.2
 * (CALOAHbCxPA0dtsx7L2kYn8wwBdM=krZyOpfRTBiDW9qfA_zmzQ@mail.gmail.com).
 *
 * The draft changed two loops only. klp_free_replaced_patches_async and
 * klp_unpatch_replaced_patches skip an old patch when it has a non-zero tag
 * different from the new one, so a replace=0 patch is "eligible to be
 * superseded by" any tagged patch. klp_add_nops still takes nops from every
 * active patch, klp_is_patch_compatible still checks states as upstream (a
 * tagged patch counts as replacing) and has no function check, and
 * klp_force_transition still marks every other patch forced. The spec is Song
 * Liu's stated rule (replace-tag.ts), which the draft set out to implement;
 * every place the draft falls short shows as a conformance failure.
 */
import type { KPatch } from '../kernel/runtime.ts';
import { versionsCompatible } from '../kernel/states.ts';
import { songRule, TAG_CHOICES, TAG_PROMISES, tagSlot } from './replace-tag.ts';
import { tagOf } from './rules.ts';
import type { Semantics } from './semantics.ts';

const tag = (p: KPatch): number => tagOf(p.attrs);

export const replaceTagDraft: Semantics = {
  name: 'replace-tag-draft',
  title: 'replace tag as first posted (only freeing and unpatching skip other tags)',
  sources: [
    {
      ref: '000_2d55233d1d974b9b.txt',
      author: 'Yafang Shao',
      date: '2026-04-07',
      messageId: 'CALOAHbCxPA0dtsx7L2kYn8wwBdM=krZyOpfRTBiDW9qfA_zmzQ@mail.gmail.com',
    },
    { ref: '000_2d55233d1d974b9b.txt', author: 'Petr Mladek', date: '2026-04-07', messageId: 'adUd0Mojbtrwmeod@pathway.suse.cz' },
  ],
  rule:
    'replace is a u32 tag. replace=0: atomic replace is disabled for this patch, but it remains eligible to be ' +
    'superseded by any patch with a tag. replace>0: the patch replaces the active patches with the same tag and ' +
    'the replace=0 ones; patches with another non-zero tag stay. (Promised, per Song Liu: only the same tag is ' +
    'replaced and a function patched under another tag refuses the load.)',
  // Its spec is Song Liu's rule: what replace-tag promises, the draft promises.
  promises: TAG_PROMISES(true),
  attrs: ['replace'],
  attrChoices: TAG_CHOICES,
  spec: songRule(true),
  hooks: {
    stateRules: 'versions',
    // Unchanged upstream code: every active patch's states, all of them when tagged.
    isCompatible: (active, incoming) => versionsCompatible(active, incoming, tag(incoming) !== 0),
    // Unchanged: `if (patch->replace) klp_add_nops(patch)` walks every active patch.
    nopSources: (active, incoming) => (tag(incoming) ? active : []),
    // The draft's one-line filter: skip `old->replace && old->replace != new->replace`.
    replaced: (active, incoming) => (tag(incoming) ? active.filter((old) => !(tag(old) && tag(old) !== tag(incoming))) : []),
    // Unchanged: a forced replace marks every other patch.
    forcedByForce: (active, transition) => (tag(transition) ? active : []),
    disableRefusal: () => null,
    sysfsAttrs: (p) => ({ replace: String(tag(p)) }),
    writableAttrs: [],
  },
  slotOf: tagSlot,
};
