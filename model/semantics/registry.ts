/** Every semantics klpcheck knows. Adding a proposal is one file and one line here. */
import {
  hybridAutoPartial,
  hybridAutoShared,
  hybridGatedPartial,
  hybridGatedShared,
  hybridListedPartial,
  hybridListedShared,
} from './hybrid-safer.ts';
import { hybrid } from './hybrid.ts';
import { perState } from './per-state.ts';
import { providesObsoletes } from './provides-obsoletes.ts';
import { replaceSet, replaceSetUnfilteredNops } from './replace-set.ts';
import { replaceSetsFlat, replaceSetsPositional, replaceSetsSet } from './replace-sets.ts';
import { replaceTagDraft } from './replace-tag-draft.ts';
import { replaceTagSong, replaceTagStrict } from './replace-tag.ts';
import type { Semantics } from './semantics.ts';
import { slots } from './slots.ts';
import { stacking } from './stacking.ts';
import { upstream } from './upstream.ts';

export const SEMANTICS: readonly Semantics[] = [
  stacking,
  upstream,
  perState,
  hybrid,
  hybridGatedShared,
  hybridGatedPartial,
  hybridAutoShared,
  hybridAutoPartial,
  hybridListedShared,
  hybridListedPartial,
  replaceTagDraft,
  replaceTagSong,
  replaceTagStrict,
  replaceSet,
  replaceSetUnfilteredNops,
  replaceSetsPositional,
  replaceSetsFlat,
  replaceSetsSet,
  slots,
  providesObsoletes,
];

export function semanticsByName(name: string): Semantics | undefined {
  return SEMANTICS.find((s) => s.name === name);
}
