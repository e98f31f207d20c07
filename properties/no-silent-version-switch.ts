import type { PatchDef } from '../model/kernel/definitions.ts';
import { stateless, type Invariant, type StepObservation } from './invariant.ts';
import { patchFuncs } from './settled.ts';

/**
 * No silent version switch. The consistency model promises that a task
 * changes the version of a function it runs only when it switches in a
 * transition of a patch that covers the function (patches it, or nops it
 * for a patch it replaces), or when the function's module comes or goes.
 * Petr Mladek's lp1/lp2/lp3 counter-example to hybrid mode (facts F.1,
 * Z5eYzcF5JLR4o5Yl@pathway.suse.cz, 2025-01-27): funcA "suddenly" switches
 * to lp1's version when lp3's nops are discarded, "at some random time";
 * and facts F.4.2 for klp_add_nops without a per-set filter.
 */
export const noSilentVersionSwitch: Invariant = {
  id: 'no-silent-version-switch',
  title: 'no silent version switch',
  meaning:
    "The code a task runs for a function changes only when that task switches in a transition covering the function, or when the function's module loads or unloads.",
  source: 'facts F.1 (Petr Mladek, 2025-01-27), F.4.2',
  appliesTo: () => true,
  checker: () =>
    stateless((obs) => {
      // Most steps change nothing anyone runs; only a change needs the rest.
      const changed = firstChange(obs.before.running, obs.after.running);
      if (!changed) return null;
      // Who switched, and then what the transitions cover, are worked out only when a task's code changed.
      let switched: ReadonlySet<string> | null = null;
      let covered: ReadonlySet<string> | null = null;
      for (const func in obs.after.running) {
        const versions = obs.after.running[func]!;
        const was = obs.before.running[func];
        for (let i = 0; i < versions.length; i++) {
          const from = was?.[i];
          const to = versions[i];
          if (from === undefined || from === to || from === 'absent' || to === 'absent') continue;
          const task = obs.after.tasks[i]!.name;
          switched ??= switchedTasks(obs);
          if (switched.has(task) && (covered ??= coveredFuncs(obs)).has(func)) continue;
          return `${task} switched ${func} from ${from} to ${to} without switching in a transition that covers it`;
        }
      }
      return null;
    }),
};

/** The tasks that switched in a transition during the step (a flatMap of every event was half this checker's time). */
function switchedTasks(obs: StepObservation): ReadonlySet<string> {
  const tasks = new Set<string>();
  for (const e of obs.events) if (e.kind === 'task_switch') tasks.add(e.task);
  return tasks;
}

/**
 * The functions the step's transitions cover: what a patch in transition
 * (before or after the step) or the op's own patch patches, and, when there
 * is such a patch, what the listed patches patch (its nops). Loops, not
 * spreads and flatMap: this set is made on every step where a task switched
 * code (stop 42's profile of a random run: half of this checker's time).
 */
function coveredFuncs(obs: StepObservation): ReadonlySet<string> {
  const covered = new Set<string>();
  const cover = (p: PatchDef) => {
    for (const f of patchFuncs(p)) covered.add(f);
  };
  let covering = false;
  for (const state of [obs.before, obs.after])
    for (const p of state.patches)
      if (p.status === 'patching' || p.status === 'unpatching') {
        covering = true;
        cover(obs.def(p.name));
      }
  // The op's own patch may have run a whole transition within the step.
  const op = obs.op;
  const named = op.op === 'insmod' || op.op === 'rmmod' ? op.module : 'patch' in op ? op.patch : undefined;
  for (const p of obs.universe.patches)
    if (p.name === named) {
      covering = true;
      cover(p);
    }
  // A transition covers what its patch patches and, as nops, what the listed patches patch.
  if (covering) for (const p of obs.before.patches) if (p.order > 0) cover(obs.def(p.name));
  return covered;
}

/** True when some task runs different code for some function. */
export function firstChange(
  before: Readonly<Record<string, readonly string[]>>,
  after: Readonly<Record<string, readonly string[]>>,
): boolean {
  for (const func in after) {
    const a = after[func]!;
    const b = before[func];
    if (!b) continue;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
  }
  return false;
}
