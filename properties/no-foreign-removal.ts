import { always, stateless, type Invariant, type StepObservation } from './invariant.ts';
import { adminAsked, foreign, ownerLabel } from './owners.ts';

/**
 * No foreign removal. A patch never replaces, nops away or frees a patch of
 * another owner (one it shares no owner with) unless the admin asked for it
 * at load: a module parameter such as add_merge_slots= or also_obsoletes=, or
 * a sysfs write. Two moments count. A patch leaves klp_patches when a
 * foreign patch's transition completes; and, while a foreign patch is in
 * transition, a task that ran the patch's fix of a function runs the
 * original code instead (a nop). Its own disable, or the reversal of its
 * own load, is not a removal. Source: seed 001_3e784c1c435e3259.txt, Petr
 * Mladek, 2026-06-17: "the OS vendor should not touch customer specific
 * livepatches by default ... I would still allow to resolve the possible
 * conflict by using the atomic replace. It could be done by a
 * module-specific parameter"; Joe Lawrence, 2026-06-18, asking how the
 * vendor's klp-3a built with replace_sets={1,2,3} can "leave 3 alone" when a
 * user's patch took set 3.
 */
function check(obs: StepObservation): string | null {
  const before = new Map(obs.before.patches.map((p) => [p.name, p]));
  const after = new Map(obs.after.patches.map((p) => [p.name, p]));
  const own = (name: string) => (obs.op.op === 'disable' || obs.op.op === 'enable') && obs.op.patch === name;
  // The patch whose transition to patched ended at this step, or is running now.
  const completed = obs.after.patches.find(
    (p) => p.status === 'enabled' && p.order > 0 && (before.get(p.name)?.status === 'patching' || (obs.op.op === 'insmod' && obs.op.module === p.name && !before.has(p.name))),
  );
  const patching = obs.after.patches.find((p) => p.status === 'patching');
  const violation = (remover: string, old: string, how: string) =>
    foreign(obs.def(remover), obs.def(old)) && !adminAsked(obs, remover, old)
      ? `${ownerLabel(obs.def(remover))} ${how} ${ownerLabel(obs.def(old))}; no admin parameter or sysfs write asked for it`
      : null;
  for (const p of obs.before.patches) {
    if (p.status !== 'enabled' || p.order === 0 || own(p.name)) continue;
    const now = after.get(p.name);
    const gone = !now || now.order === 0 || (now.status !== 'enabled' && now.status !== 'unpatching');
    if (gone && completed) {
      const v = violation(completed.name, p.name, 'replaced and freed');
      if (v) return v;
    }
    if (!gone && patching && patching.name !== p.name) {
      for (const [func, versions] of Object.entries(obs.after.running)) {
        const was = obs.before.running[func] ?? [];
        const nopped = versions.some((v, i) => was[i] === p.name && v === 'original');
        const v = nopped ? violation(patching.name, p.name, `nops away ${func} of`) : null;
        if (v) return v;
      }
    }
  }
  return null;
}

export const noForeignRemoval: Invariant = {
  id: 'no-foreign-removal',
  title: 'no foreign removal',
  meaning:
    'A patch never replaces, nops away or frees a patch it shares no owner with (the vendor a user\'s, a user the vendor\'s), unless the admin asked for it at load (add_merge_slots=, also_obsoletes=, or a sysfs write).',
  source: 'seed 001_3e784c1c435e3259.txt (Petr Mladek 2026-06-17; Joe Lawrence 2026-06-18)',
  appliesTo: always,
  checker: () => stateless(check),
};
