/**
 * The replace tag as Song Liu stated it: `replace` becomes a u32 tag, a patch
 * replaces only the active patches with its tag, and a patch touching a
 * function already patched under another tag fails to load.
 *
 * Sources: seed 000_2d55233d1d974b9b.txt (Song Liu, 2026-04-06, quoted in
 * Petr Mladek's review of 2026-04-07); facts F.2
 * (CAPhsuW4B00-grg9XJa+AO3xgGwM_u8FC+GH3JrkYZOJx4PuV8Q@mail.gmail.com).
 *
 * Readings where the mail is silent:
 * - states: the patches a tagged patch replaces are the ones whose states it
 *   must carry (at no lower version); with other tags, upstream's
 *   non-replace rule (a carried state is not lowered);
 * - replace=0 ("no replace"): by default 0 is one more tag value in the
 *   conflict rule, so two replace=0 patches may still share a function, as
 *   non-replace patches do upstream. The other reading, `replace-tag-strict`,
 *   treats 0 as "no tag": a replace=0 patch conflicts with every patch that
 *   shares a function with it. It changes the no-function-shared-across-slots
 *   verdict.
 * The hooks implement the rule fully (klp_add_nops, the completion and the
 * forced flag filtered by tag; the function check in klp_is_patch_compatible).
 * The draft as first posted is replace-tag-draft.ts.
 */
import type { PatchAttrs, PatchDef } from '../kernel/definitions.ts';
import type { KPatch } from '../kernel/runtime.ts';
import { versionsCompatible } from '../kernel/states.ts';
import type { SpecRule } from '../spec/rule.ts';
import { carriesStates, sharesFunction, tagOf, viewOfDef, viewOfKPatch } from './rules.ts';
import type { PropertyPromise, Semantics } from './semantics.ts';
import { upstream } from './upstream.ts';
import { CORE_PROMISES } from './promises.ts';

/** Two tags that may share a function: equal, and (strict) not both "no tag". */
function sameTag(a: PatchAttrs, b: PatchAttrs, zeroIsTag: boolean): boolean {
  return tagOf(a) === tagOf(b) && (zeroIsTag || tagOf(a) !== 0);
}

/** A tagged patch takes over the active patches with its own tag. */
const takesOver = (incoming: PatchAttrs, old: PatchAttrs): boolean => tagOf(incoming) !== 0 && tagOf(old) === tagOf(incoming);

/** Song Liu's rule at the spec level; the draft of seed 000 is checked against it too. */
export function songRule(zeroIsTag: boolean): SpecRule {
  return {
    load(active: readonly PatchDef[], incoming: PatchDef) {
      const n = viewOfDef(incoming);
      for (const old of active.map(viewOfDef)) {
        if (!sameTag(n.attrs, old.attrs, zeroIsTag) && sharesFunction(n, old)) {
          return { refuse: `${n.name} (tag ${tagOf(n.attrs)}) patches a function of ${old.name} (tag ${tagOf(old.attrs)})` };
        }
        if (!carriesStates(n, old, takesOver(n.attrs, old.attrs))) return { refuse: `${n.name} does not carry the states of ${old.name}` };
      }
      return { replaces: active.filter((p) => takesOver(n.attrs, p.attrs ?? {})).map((p) => p.name) };
    },
    disable: () => null,
    authorizes: (incoming, old) => takesOver(incoming.attrs ?? {}, old.attrs ?? {}),
    perState: false,
  };
}

export const tagSlot = (name: string, attrs: PatchAttrs): string => (tagOf(attrs) ? `tag:${tagOf(attrs)}` : `patch:${name}`);

/**
 * Song Liu's rule promises one active patch per tag and that "a patch touching
 * a function already patched by a patch with a different tag should fail to
 * load". It says nothing of states. The property counts each replace=0 patch
 * as its own slot, so only the strict reading (0 is no tag) promises no
 * function shared across slots; with 0 as a tag, two replace=0 patches
 * sharing a function is the rule's choice.
 */
export function TAG_PROMISES(zeroIsTag: boolean): PropertyPromise[] {
  const song = 'seed 000_2d55233d1d974b9b.txt, Song Liu, 2026-04-06 (facts F.2)';
  return [
    ...CORE_PROMISES,
    { property: 'one-active-patch-per-slot', source: song },
    ...(zeroIsTag ? [] : [{ property: 'no-function-shared-across-slots', source: song }]),
  ];
}

// Tagged first: fast-check shrinks towards the first choice, so a shared function is shown between two tags.
export const TAG_CHOICES: readonly PatchAttrs[] = [{ replace: 1 }, { replace: 2 }, { replace: 0 }];

function replaceTag(zeroIsTag: boolean): Semantics {
  const sameTagAs = (incoming: KPatch) => (p: KPatch) => takesOver(incoming.attrs, p.attrs);
  return {
    name: zeroIsTag ? 'replace-tag' : 'replace-tag-strict',
    title: zeroIsTag
      ? "replace tag with Song Liu's rule (u32 tag; other tags on a function refuse the load)"
      : "replace tag with Song Liu's rule, replace=0 as 'no tag' (conflicts with every tag)",
    sources: [
      {
        ref: '000_2d55233d1d974b9b.txt',
        author: 'Song Liu',
        date: '2026-04-06',
        messageId: 'CAPhsuW4B00-grg9XJa+AO3xgGwM_u8FC+GH3JrkYZOJx4PuV8Q@mail.gmail.com',
      },
    ],
    rule:
      'Every patch has a u32 tag in `replace`: 0 means no replace, N>0 is the tag. A newly loaded patch replaces ' +
      'only the active patches with the same tag, and must carry their states. A patch touching a function already ' +
      'patched by a patch with a different tag fails to load with -EINVAL' +
      (zeroIsTag
        ? '; two replace=0 patches count as the same tag and may share functions.'
        : '; replace=0 is no tag at all, so it conflicts with every other patch on a shared function.'),
    promises: TAG_PROMISES(zeroIsTag),
    attrs: ['replace'],
    attrChoices: TAG_CHOICES,
    spec: songRule(zeroIsTag),
    hooks: {
      ...upstream.hooks,
      isCompatible: (active, incoming) => {
        const n = viewOfKPatch(incoming);
        return active.every((p) => {
          const conflict = !sameTag(incoming.attrs, p.attrs, zeroIsTag) && sharesFunction(n, viewOfKPatch(p));
          return !conflict && versionsCompatible([p], incoming, takesOver(incoming.attrs, p.attrs));
        });
      },
      nopSources: (active, incoming) => active.filter(sameTagAs(incoming)),
      replaced: (active, incoming) => active.filter(sameTagAs(incoming)),
      forcedByForce: (active, transition) => active.filter(sameTagAs(transition)),
      sysfsAttrs: (p) => ({ replace: String(tagOf(p.attrs)) }),
    },
    slotOf: tagSlot,
  };
}

export const replaceTagSong = replaceTag(true);
export const replaceTagStrict = replaceTag(false);
