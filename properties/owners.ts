/**
 * Owners of patches (issue 12, §1): a patch belongs to the OS vendor, to a
 * user, or to more parties (PatchDef.owners, default the vendor). Two patches
 * are foreign to each other when they share no owner. Source: seed
 * 001_3e784c1c435e3259.txt, Petr Mladek, 2026-06-17: "the OS vendor should
 * not touch customer specific livepatches by default".
 */
import type { PatchDef } from '../model/kernel/definitions.ts';
import type { StepObservation, UniverseBounds } from './invariant.ts';

/** The default owner of a patch that names none. */
export const VENDOR = 'vendor';

export const ownersOf = (p: Pick<PatchDef, 'owners'>): readonly string[] => p.owners ?? [VENDOR];

/** True when the two patches share no owner. */
export function foreign(a: Pick<PatchDef, 'owners'>, b: Pick<PatchDef, 'owners'>): boolean {
  const mine = ownersOf(a);
  return !ownersOf(b).some((o) => mine.includes(o));
}

export const ownerLabel = (p: PatchDef): string => `${p.name} (${ownersOf(p).join('+')})`;

/**
 * Whether the admin asked for `remover` to take `old` away: either the rule
 * lets the patch as loaded replace `old` and the patches as built would not
 * (a module parameter such as add_merge_slots= or also_obsoletes=), or the
 * admin changed `old`'s own replace attributes after the build (a sysfs write
 * such as hybrid mode's replaceable=1, or a parameter of its load). The
 * vendor's build-time choice is not the admin's consent.
 */
export function adminAsked(obs: StepObservation, remover: string, old: string): boolean {
  const built = (name: string) => obs.universe.patches.find((d) => d.name === name) ?? obs.def(name);
  const authorizes = obs.semantics.spec.authorizes;
  if (authorizes(obs.def(remover), obs.def(old)) && !authorizes(built(remover), built(old))) return true;
  const was = built(old).attrs ?? {};
  const now = obs.def(old).attrs ?? {};
  return obs.semantics.attrs.some((a) => JSON.stringify(was[a]) !== JSON.stringify(now[a]));
}

/** Invariant.lacks of the owner invariants: "two patches of different owners" when every pair shares an owner. */
export function lacksForeignPair(b: UniverseBounds): string | null {
  const found = b.patches.some((p) => b.patches.some((q) => foreign(p, q)));
  return found ? null : 'two patches of different owners';
}
