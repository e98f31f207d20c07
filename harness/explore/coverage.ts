/**
 * What an exploration reached: every operation with each outcome, and the
 * milestones without which a pass says little (TLC's coverage). A pass that
 * never completed a load, never refused one or never completed a
 * transition is flagged as vacuous.
 */
import type { Lockstep } from '../run-sequence.ts';
import type { Op } from '../ops.ts';

export const MILESTONES = {
  'load completed': 'a livepatch loaded and its patching transition completed',
  'load refused': 'a livepatch load was refused (-EINVAL or -EBUSY)',
  'transition stalled': 'a transition stayed in progress after an operation',
  'transition completed by a retry': 'the transition work completed a stalled transition',
  'replace completed': 'a patch was freed because another patch replaced it',
  'disable completed': 'a disable completed and the patch was freed',
  'transition reversed': 'a transition was reversed by writing enabled',
  'transition forced': 'a transition was forced',
  'module loaded into a patch': 'the target module loaded while a patch for it was active',
} as const;

export type Milestone = keyof typeof MILESTONES;

/** Milestones whose absence makes a pass vacuous. */
export const REQUIRED: readonly Milestone[] = ['load completed', 'load refused', 'transition completed by a retry'];

export class Coverage {
  readonly outcomes = new Map<string, Map<string, number>>();
  readonly reached = new Set<Milestone>();

  record(op: Op, run: Lockstep): void {
    const step = run.steps[run.steps.length - 1]!;
    const byOutcome = this.outcomes.get(op.op) ?? new Map<string, number>();
    byOutcome.set(step.outcome, (byOutcome.get(step.outcome) ?? 0) + 1);
    this.outcomes.set(op.op, byOutcome);
    const before = run.steps.length > 1 ? run.steps[run.steps.length - 2]!.state : run.initial;
    const after = step.state;
    const inTransition = after.patches.some((p) => p.status === 'patching' || p.status === 'unpatching');
    if (op.op === 'insmod' && step.outcome === 'ok' && after.patches.some((p) => p.name === op.module && p.status === 'enabled'))
      this.reached.add('load completed');
    if (op.op === 'insmod' && (step.outcome === 'EINVAL' || step.outcome === 'EBUSY')) this.reached.add('load refused');
    if (inTransition && op.op !== 'transition_step') this.reached.add('transition stalled');
    if (op.op === 'transition_step' && !inTransition && before.patches.some((p) => p.status === 'patching' || p.status === 'unpatching')) {
      this.reached.add('transition completed by a retry');
    }
    for (const p of after.patches) {
      const b = before.patches.find((q) => q.name === p.name);
      if (!b || b.status === 'freed' || p.status !== 'freed') continue;
      this.reached.add(
        b.status === 'unpatching' || (op.op === 'disable' && op.patch === p.name) ? 'disable completed' : 'replace completed',
      );
    }
    if (
      (op.op === 'disable' || op.op === 'enable') &&
      step.outcome === 'ok' &&
      before.patches.some((p) => p.name === op.patch && (p.status === 'patching' || p.status === 'unpatching'))
    ) {
      this.reached.add('transition reversed');
    }
    if (op.op === 'force' && step.outcome === 'ok') this.reached.add('transition forced');
    if (op.op === 'insmod' && op.module === 'mod' && step.outcome === 'ok' && before.patches.some((p) => p.order > 0))
      this.reached.add('module loaded into a patch');
  }

  missing(): Milestone[] {
    return REQUIRED.filter((m) => !this.reached.has(m));
  }
}

/** Coverage as plain data (what a worker posts back): op -> outcome -> count, and the milestones reached. */
export interface CoverageData {
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly reached: readonly Milestone[];
}

export function coverageData(c: Coverage): CoverageData {
  return { outcomes: Object.fromEntries([...c.outcomes].map(([op, m]) => [op, Object.fromEntries(m)])), reached: [...c.reached].sort() };
}

/** Adds another part's counts and milestones (counts are per transition, so the sum does not depend on how work was split). */
export function absorbCoverage(c: Coverage, d: CoverageData): void {
  for (const [op, m] of Object.entries(d.outcomes)) {
    const mine = c.outcomes.get(op) ?? new Map<string, number>();
    for (const [o, n] of Object.entries(m)) mine.set(o, (mine.get(o) ?? 0) + n);
    c.outcomes.set(op, mine);
  }
  for (const r of d.reached) c.reached.add(r);
}
