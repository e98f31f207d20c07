/**
 * replace_set read as Song Liu's summary of 2026-04-08 (facts F.2): set 0
 * replaces nothing, set 1 replaces everything, 2 and up their own set.
 */
import type { PatchAttrs } from '../kernel/definitions.ts';
import type { Semantics } from './semantics.ts';
import { setFamily } from './set-family.ts';
import { CORE_PROMISES, SET_PROMISES } from './promises.ts';

const setOf = (a: PatchAttrs): number => a.replace_set ?? 0;

export const replaceSetSong: Semantics = setFamily({
  name: 'replace-set-song',
  title: "replace_set read as Song Liu's summary: 0 replaces nothing, 1 everything",
  sources: [{ ref: 'facts F.2', author: 'Song Liu', date: '2026-04-08' }],
  rule:
    'replace_set 0 replaces nothing, 1 replaces every active patch, 2 and up replace the active patches ' +
    'of their own set. A patch that shares a function or a state id with a patch it does not replace is ' +
    'refused with -EINVAL.',
  promises: [...CORE_PROMISES, ...SET_PROMISES],
  attrs: ['replace_set'],
  attrChoices: [{ replace_set: 0 }, { replace_set: 1 }, { replace_set: 2 }],
  relation: (n, p) => (setOf(n) === 1 || (setOf(n) >= 2 && setOf(p) === setOf(n)) ? 'replace' : 'apart'),
  sysfs: (a) => ({ replace_set: String(setOf(a)) }),
  slotOf: (name, attrs) => (setOf(attrs) === 0 ? `patch:${name}` : `set:${setOf(attrs)}`),
});
