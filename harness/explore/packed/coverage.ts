/**
 * What a packed search reached, counted as the explorer counts it
 * (harness/explore/coverage.ts Coverage.record): every transition's op and
 * outcome, and the milestones, over the kernel's side of the step (the
 * explorer reads the object kernel's observed states). Counts are kept in
 * one flat array, so that a worker sends its chunk's counts as numbers and
 * the main thread adds them (a milestone is a count too: reached when not 0).
 */
import { MILESTONES, type CoverageData, type Milestone } from '../coverage.ts';
import { errnoByNumber } from '../../../model/kernel/errno.ts';
import { PackedErrno, PatchStatusCode } from './codes.ts';
import { PackedOp } from './definition-tree.ts';
import { NOT_LOADED, type KernelSnapshot } from './kernel-snapshot.ts';

/** The op names an explored op has (ops.ts Op.op), by PackedOp. */
const OP_NAMES: Readonly<Record<number, string>> = {
  [PackedOp.InsmodPatch]: 'insmod',
  [PackedOp.InsmodNew]: 'insmod',
  [PackedOp.InsmodModule]: 'insmod',
  [PackedOp.RmmodModule]: 'rmmod',
  [PackedOp.RmmodPatch]: 'rmmod',
  [PackedOp.Disable]: 'disable',
  [PackedOp.Enable]: 'enable',
  [PackedOp.Force]: 'force',
  [PackedOp.TransitionStep]: 'transition_step',
  [PackedOp.BlockTask]: 'block_task',
  [PackedOp.UnblockTask]: 'unblock_task',
  [PackedOp.TaskReturn]: 'task_return',
  [PackedOp.SetAttr]: 'set_attr',
  [PackedOp.ShadowAlloc]: 'shadow_alloc',
  [PackedOp.ShadowFree]: 'shadow_free',
};
const OPS = Object.keys(OP_NAMES).length;

/** Outcome columns: success, then each errno an explored op returns. */
const ERRNOS = [0, PackedErrno.EAGAIN, PackedErrno.EBUSY, PackedErrno.EINVAL];
const MILESTONE_NAMES = Object.keys(MILESTONES) as Milestone[];
const M = Object.fromEntries(MILESTONE_NAMES.map((m, i) => [m, OPS * ERRNOS.length + i])) as Record<Milestone, number>;

/** The length of a coverage array: an op x outcome count each, then one count per milestone. */
export const COVERAGE_SLOTS = OPS * ERRNOS.length + MILESTONE_NAMES.length;

export class PackedCoverage {
  /** The counts since the last `take`. */
  private counts = new Float64Array(COVERAGE_SLOTS);

  /**
   * Counts one transition: op `op` (PackedOp) naming patch `patch` (0 none)
   * returned `errno`, from the kernel `before` to `after`.
   */
  record(op: number, patch: number, errno: number, before: KernelSnapshot, after: KernelSnapshot): void {
    const c = this.counts;
    const col = ERRNOS.indexOf(errno);
    if (col < 0) throw new Error(`packed: errno ${errno} is not one an explored op returns`);
    c[op * ERRNOS.length + col]!++;
    const insmod = op === PackedOp.InsmodPatch || op === PackedOp.InsmodNew;
    if (insmod && !errno && after.status[patch] === PatchStatusCode.Enabled) c[M['load completed']]!++;
    if ((insmod || op === PackedOp.InsmodModule) && (errno === PackedErrno.EINVAL || errno === PackedErrno.EBUSY)) c[M['load refused']]!++;
    const moving = inTransition(after);
    if (moving && op !== PackedOp.TransitionStep) c[M['transition stalled']]!++;
    if (op === PackedOp.TransitionStep && !moving && inTransition(before)) c[M['transition completed by a retry']]!++;
    for (let p = 1; p < after.status.length; p++) {
      const b = before.status[p];
      if (b === NOT_LOADED || b === PatchStatusCode.Freed || after.status[p] !== PatchStatusCode.Freed) continue;
      const disabled = b === PatchStatusCode.Unpatching || (op === PackedOp.Disable && patch === p);
      c[M[disabled ? 'disable completed' : 'replace completed']]!++;
    }
    if ((op === PackedOp.Disable || op === PackedOp.Enable) && !errno && before.inTransition(patch)) c[M['transition reversed']]!++;
    if (op === PackedOp.Force && !errno) c[M['transition forced']]!++;
    if (op === PackedOp.InsmodModule && !errno && before.order.some((o) => o > 0)) c[M['module loaded into a patch']]!++;
  }

  /** The counts since the last call, which start again from 0. */
  take(): Float64Array {
    const c = this.counts;
    this.counts = new Float64Array(COVERAGE_SLOTS);
    return c;
  }
}

function inTransition(s: KernelSnapshot): boolean {
  for (let p = 1; p < s.status.length; p++) if (s.inTransition(p)) return true;
  return false;
}

/** Coverage counts as the explorer reports them (coverage.ts coverageData): op -> outcome -> count, and the milestones reached, sorted. */
export function packedCoverageData(counts: Float64Array): CoverageData {
  const outcomes: Record<string, Record<string, number>> = {};
  for (let op = 0; op < OPS; op++)
    ERRNOS.forEach((errno, col) => {
      const n = counts[op * ERRNOS.length + col]!;
      if (!n) return;
      const name = OP_NAMES[op]!;
      const outcome = errno ? errnoByNumber(errno)! : 'ok';
      const m = (outcomes[name] ??= {});
      m[outcome] = (m[outcome] ?? 0) + n;
    });
  return { outcomes, reached: MILESTONE_NAMES.filter((m) => counts[M[m]]).sort() };
}
