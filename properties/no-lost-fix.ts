import type { PatchDef } from '../model/kernel/definitions.ts';
import { stateless, type Invariant, type StepObservation } from './invariant.ts';
import { firstChange } from './no-silent-version-switch.ts';
import { ownWrite } from './removals.ts';
import { patchFuncs } from './settled.ts';

/** Whether the patch is in a transition at the step, or the step is its own sysfs write: its fix may stop. */
function leaving(obs: StepObservation, name: string): boolean {
  for (const p of obs.before.patches) if (p.name === name && (p.status === 'unpatching' || p.status === 'patching')) return true;
  for (const p of obs.after.patches) if (p.name === name && (p.status === 'unpatching' || p.status === 'patching')) return true;
  return ownWrite(obs, name);
}

const NONE: readonly string[] = [];

/** Each patch's place after the step (its index in load order), or, for one gone in the step, its place before less 1000. */
function patchOrder(obs: StepObservation): ReadonlyMap<string, number> {
  const order = new Map(obs.after.patches.map((p, i) => [p.name, i]));
  obs.before.patches.forEach((p, i) => order.has(p.name) || order.set(p.name, i - 1000));
  return order;
}

/** The patches that may replace others in the step: one patching before or after it, or the one the step loads. */
function replacingPatches(obs: StepObservation): readonly PatchDef[] {
  return [...obs.before.patches, ...obs.after.patches]
    .filter((p) => p.status === 'patching' || (obs.op.op === 'insmod' && obs.op.module === p.name))
    .map((p) => obs.def(p.name));
}

/**
 * No lost fix. A patch's fix stops running only when the patch itself is
 * disabled (or its own load is reversed), when a newer patch patches the
 * same function, when the function's module goes away, or when a patch
 * replaces it that declares it may: same slot, or a slot it names. A vendor's
 * cumulative patch must not remove a customer's hotfix it was not told
 * about (seed 001_3e784c1c435e3259.txt, Petr Mladek 2026-06-17: "the OS
 * vendor should not touch customer specific livepatches by default"); a
 * replace=0 patch "superseded by any tagged patch" loses its fixes (seed
 * 000_2d55233d1d974b9b.txt, Petr Mladek's review, 2026-04-07).
 */
export const noLostFix: Invariant = {
  id: 'no-lost-fix',
  title: 'no lost fix',
  meaning:
    "A patch's function stops running only when that patch is disabled, a newer patch patches the function, its module goes, or a patch that declares it may replace it does so.",
  source: 'seed 001_3e784c1c435e3259.txt (Petr Mladek, Joe Lawrence, 2026-06-17/18); seed 000_2d55233d1d974b9b.txt',
  appliesTo: () => true,
  checker: () =>
    stateless((obs) => {
      if (!firstChange(obs.before.running, obs.after.running)) return null;
      // The patches' order and the replacers are worked out only when a fix stopped running.
      let order: ReadonlyMap<string, number> | null = null;
      let replacers: readonly PatchDef[] | null = null;
      for (const func in obs.after.running) {
        const versions = obs.after.running[func]!;
        const was = obs.before.running[func] ?? NONE;
        for (let i = 0; i < versions.length; i++) {
          const from = was[i];
          const to = versions[i]!;
          if (from === undefined || from === to || from === 'original' || from === 'absent' || to === 'absent') continue;
          if (leaving(obs, from)) continue;
          order ??= patchOrder(obs);
          const newer = to !== 'original' && (order.get(to) ?? -1) > (order.get(from) ?? -1) && patchFuncs(obs.def(to)).includes(func);
          if (newer) continue;
          const old = obs.def(from);
          replacers ??= replacingPatches(obs);
          if (replacers.some((r) => r.name !== from && obs.semantics.spec.authorizes(r, old))) continue;
          // A patch both in transition and just loaded is among the replacers twice: name it once.
          const by = [...new Set(replacers.map((r) => r.name))].join(', ') || 'no replacing patch';
          return `${from}'s fix of ${func} stopped running (now ${to}) for ${obs.after.tasks[i]!.name}; ${by} may not replace ${from}`;
        }
      }
      return null;
    }),
};
