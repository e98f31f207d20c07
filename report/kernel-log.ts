/**
 * The kernel log of a counterexample's steps, for the mail text and the
 * markdown (text.ts, markdown.ts): the lines the reference implementation
 * logs (model/kernel: the kernel's pr_info/pr_notice/pr_warn lines, facts
 * "every error path with its log format"), as dmesg shows them, step by
 * step. Maintainers quote dmesg in review threads, and the selftest format
 * alone had it (helper-67's finding, stop 44).
 *
 * The record holds no log: it is replayed today, under its semantics. A
 * record that replay does not give as saved (RenderContext.stale), or whose
 * steps no longer all run with their recorded outcomes, has no log shown:
 * today's lines would not be the record's.
 */
import { opsOf, type Counterexample } from '../harness/counterexample.ts';
import { escapeControls } from '../harness/errors.ts';
import { describeOp } from '../harness/ops.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { RenderContext } from './context.ts';

/**
 * One step's log: its number (1-based), the op as a command line
 * (harness/ops.ts describeOp) and the lines it logged, each with its control
 * characters escaped (harness/errors.ts escapeControls): a name from the file
 * holding a newline would begin a line of its own in a reply.
 */
export interface StepLog {
  readonly number: number;
  readonly command: string;
  readonly lines: readonly string[];
}

/**
 * The steps that logged something, in order, or undefined when no log can
 * be shown (see the file's comment): no semantics known, a stale record,
 * or a step that does not run today as recorded. Empty when the steps
 * logged nothing.
 */
export function kernelLog(c: Counterexample, ctx: RenderContext): readonly StepLog[] | undefined {
  if (!ctx.semantics || ctx.stale !== undefined) return undefined;
  const run = new Lockstep(c.universe, ctx.semantics, { invariants: [], conformance: false });
  const logs: StepLog[] = [];
  for (const [i, op] of opsOf(c).entries()) {
    if (!run.applicable(op)) return undefined;
    const from = run.kernel.log.length;
    run.step(op);
    if (run.steps.at(-1)!.outcome !== c.steps[i]!.outcome) return undefined;
    const lines = run.kernel.log.slice(from);
    if (lines.length) logs.push({ number: i + 1, command: escapeControls(describeOp(op)), lines: lines.map(escapeControls) });
  }
  return logs;
}
