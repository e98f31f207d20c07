import { always, stateless, type Invariant, type StepObservation, type UniverseBounds } from './invariant.ts';
import { foreign } from './owners.ts';
import { firstChange } from './no-silent-version-switch.ts';
import { ownWrite, removals } from './removals.ts';

const NONE: readonly string[] = [];

/** [older, newer] releases when `by` is an older release of the same owner as `of`. */
function downgrade(obs: StepObservation, by: string, of: string): [number, number] | null {
  const a = obs.def(by);
  const b = obs.def(of);
  if (a.release === undefined || b.release === undefined || foreign(a, b) || a.release >= b.release) return null;
  return [a.release, b.release];
}

/** Invariant.lacks: what `downgrade` needs, a universe that forbids downgrades and two releases of one owner. */
function lacksDowngrade(b: UniverseBounds): string | null {
  if (!b.forbidDowngrade) return 'a universe that forbids downgrades';
  const releases = (p: UniverseBounds['patches'][number]) =>
    b.patches.some((q) => !foreign(p, q) && p.release !== undefined && q.release !== undefined && p.release !== q.release);
  return b.patches.some(releases) ? null : 'two releases of one owner';
}

/**
 * No silent downgrade (opt-in: Universe.forbid_downgrade). A patch of an
 * older release never takes away the fixes of a newer release of the same
 * owner: it does not replace it, nor nop its functions away (removals.ts), nor
 * stack on it so that a task runs its older code of a function in place of
 * the newer release's, without the load being refused. Releases are
 * PatchDef.release (klp-3a is 3, klp-5a is 5).
 * Off unless the universe opts in, because a downgrade can be deliberate
 * (Joe Lawrence: "there would be nothing preventing someone from loading
 * klp-3a after klp-5a if they wanted to"). Only mechanisms outside the
 * replace rule stop it: state versions (a replacing patch must carry each
 * state at no lower version, facts C.2) or a block_disable state (facts C.4).
 * Source: seed 001_3e784c1c435e3259.txt, Petr Mladek, 2026-06-17 ("it would
 * limit downgrades ... klp-3a, klp-4a, and klp-5a looks compatible from the
 * replace_set POV ... the replacing still might be limited by the states.
 * Plus the pending patchset adds per-state block_disable flag"), and Joe
 * Lawrence's reply of 2026-06-18.
 */
export const noSilentDowngrade: Invariant = {
  id: 'no-silent-downgrade',
  title: 'no silent downgrade',
  meaning:
    'In a universe that forbids downgrades, a patch of an older release never replaces, nops away or overrides a newer release of the same owner; such a load must be refused.',
  source: 'seed 001_3e784c1c435e3259.txt (Petr Mladek 2026-06-17, Joe Lawrence 2026-06-18)',
  appliesTo: always,
  lacks: lacksDowngrade,
  readsOwners: true,
  checker: () =>
    stateless((obs) => {
      if (!obs.universe.forbid_downgrade) return null;
      for (const r of removals(obs)) {
        const v = downgrade(obs, r.by, r.of);
        if (v) return `${r.by} (release ${v[0]}) ${r.how} ${r.of} (release ${v[1]}): an older release took back a newer one's fixes`;
      }
      // Only a task whose code changed can run an older release in place of a newer one.
      if (!firstChange(obs.before.running, obs.after.running)) return null;
      for (const func in obs.after.running) {
        const versions = obs.after.running[func]!;
        const was = obs.before.running[func] ?? NONE;
        for (let i = 0; i < versions.length; i++) {
          const to = versions[i]!;
          const from = was[i];
          if (!from || from === to || !obs.before.patches.some((p) => p.name === from) || !obs.after.patches.some((p) => p.name === to))
            continue;
          if (ownWrite(obs, from)) continue;
          const v = downgrade(obs, to, from);
          if (v)
            return `${obs.after.tasks[i]!.name} runs ${to}'s ${func} (release ${v[0]}) in place of ${from}'s (release ${v[1]}): an older release took back a newer one's fix`;
        }
      }
      return null;
    }),
};
