import { always, lacksTwoPatches, stateless, type Invariant } from './invariant.ts';
import { settled } from './settled.ts';

/**
 * One active patch per slot. Outside its transition, a slot (a replace_set,
 * a tag, the cumulative stream) holds at most one enabled patch: loading a
 * patch into a slot atomically replaces the previous one. This is the first
 * invariant of Yafang Shao's replace_set v2 cover letter (facts F.3,
 * 20260529034542.68766-1-laoar.shao@gmail.com) and of Petr Mladek's June 2026
 * wording ("by definition there is at most one active patch per number").
 */
export const oneActivePatchPerSlot: Invariant = {
  id: 'one-active-patch-per-slot',
  title: 'one active patch per slot',
  meaning: 'Outside a transition, every slot holds at most one enabled patch: a patch loaded into a slot replaces the one there.',
  source: 'facts F.3 (replace_set v2 cover letter, Yafang Shao, 2026-05-29; Petr Mladek, 2026-06-09)',
  appliesTo: always,
  lacks: lacksTwoPatches,
  checker: () =>
    stateless((obs) => {
      const enabled = settled(obs.after);
      if (enabled.length < 2) return null;
      const seen = new Map<string, string>();
      for (const p of enabled) {
        const other = seen.get(p.slot);
        if (other) return `slot ${p.slot} holds both ${other} and ${p.name}`;
        seen.set(p.slot, p.name);
      }
      return null;
    }),
};
