import { always, stateless, type Invariant } from './invariant.ts';

/**
 * Transition sanity. At most one patch is in transition; klp_patches holds
 * exactly the enabled patches and the one in transition; after completion
 * every task is idle; the core never WARNs (a task still pending at
 * completion, the ftrace handler seeing an idle task on a transition func).
 * Source: facts B.6 (kernel/livepatch/core.c, transition.c); the do_exit
 * race in B.6 is the same WARN in a real kernel.
 */
export const transitionSanity: Invariant = {
  id: 'transition-sanity',
  title: 'transition sanity',
  meaning:
    'At most one patch is in transition, klp_patches holds exactly the enabled patches and the transition patch, every task is idle outside a transition, and the core never WARNs.',
  source: 'facts B.6 (kernel/livepatch/core.c, transition.c)',
  appliesTo: always,
  checker: () =>
    stateless((obs) => {
      const s = obs.after;
      const inTransition = s.patches.filter((p) => p.status === 'patching' || p.status === 'unpatching');
      if (inTransition.length > 1) return `${inTransition.map((p) => p.name).join(' and ')} are in transition at once`;
      const stale = s.patches.find((p) => p.status === 'stale' || (p.status === 'freed' && p.order > 0));
      if (stale)
        return `${stale.name} is ${stale.order > 0 ? 'on' : 'off'} klp_patches but ${stale.status === 'freed' ? 'freed' : 'neither enabled nor in transition'}`;
      if (!inTransition.length) {
        const busy = s.tasks.find((t) => t.state !== 'idle');
        if (busy) return `${busy.name} is ${busy.state} with no transition in progress`;
      }
      const warn = obs.events.find((e) => e.kind === 'warn');
      return warn && warn.kind === 'warn' ? `WARN: ${warn.message}` : null;
    }),
};
