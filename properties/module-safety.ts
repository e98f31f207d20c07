import { always, stateless, type Invariant } from './invariant.ts';

/**
 * Module safety. A livepatch module is removed only when its patch is
 * neither enabled, in transition nor forced: its code may still run
 * otherwise, and a forced patch can never be proven unused. Source: facts
 * B.3 and B.2 "Force" (Documentation/livepatch/livepatch.rst sections 3 and
 * 5.5); facts F.4.3 (the forced flag under replace_set).
 */
export const moduleSafety: Invariant = {
  id: 'module-safety',
  title: 'module safety',
  meaning: 'A livepatch module is removed only when its patch is neither enabled, in transition nor forced.',
  source: 'facts B.2, B.3 (livepatch.rst 3, 5.5), F.4.3',
  appliesTo: always,
  // It judges an op by its outcome: a successful rmmod that changed nothing the abstract state shows and logged
  // nothing is a still step (harness/run-sequence.ts), and must be checked there (helper-123's lying rmmod).
  seesUnchangedSteps: true,
  checker: () =>
    stateless((obs) => {
      if (obs.op.op !== 'rmmod' || !obs.outcome.ok) return null;
      const name = obs.op.module;
      const p = obs.before.patches.find((x) => x.name === name);
      if (!p) return null;
      if (p.status !== 'freed') return `${name} was removed while ${p.status}`;
      if (p.forced) return `${name} was removed although its patch was forced`;
      return null;
    }),
};
