import { always, stateless, type Invariant, type StepObservation } from './invariant.ts';
import { adminAsked, foreign, lacksForeignPair, ownerLabel } from './owners.ts';
import { removals } from './removals.ts';

function check(obs: StepObservation): string | null {
  for (const r of removals(obs)) {
    if (!foreign(obs.def(r.by), obs.def(r.of)) || adminAsked(obs, r.by, r.of)) continue;
    return `${ownerLabel(obs.def(r.by))} ${r.how} ${ownerLabel(obs.def(r.of))}; no admin parameter or sysfs write asked for it`;
  }
  return null;
}

/**
 * No foreign removal. A patch never replaces, nops away or frees a patch of
 * another owner (one it shares no owner with) unless the admin asked for it
 * at load: a module parameter such as add_merge_slots= or also_obsoletes=, or
 * a sysfs write (owners.ts adminAsked). What counts as a removal, and when,
 * is removals.ts: replaced and freed at completion, or nopped away during
 * the transition. Source: seed 001_3e784c1c435e3259.txt, Petr
 * Mladek, 2026-06-17: "the OS vendor should not touch customer specific
 * livepatches by default ... I would still allow to resolve the possible
 * conflict by using the atomic replace. It could be done by a
 * module-specific parameter"; Joe Lawrence, 2026-06-18, asking how the
 * vendor's klp-3a built with replace_sets={1,2,3} can "leave 3 alone" when a
 * user's patch took set 3.
 */
export const noForeignRemoval: Invariant = {
  id: 'no-foreign-removal',
  title: 'no foreign removal',
  meaning:
    "A patch never replaces, nops away or frees a patch it shares no owner with (the vendor a user's, a user the vendor's), unless the admin asked for it at load (add_merge_slots=, also_obsoletes=, or a sysfs write).",
  source: 'seed 001_3e784c1c435e3259.txt (Petr Mladek 2026-06-17; Joe Lawrence 2026-06-18)',
  appliesTo: always,
  lacks: lacksForeignPair,
  readsOwners: true,
  checker: () => stateless(check),
};
