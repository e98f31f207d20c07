/**
 * The kernel log of a counterexample's steps, for the mail text and the
 * markdown (text.ts, markdown.ts): the lines the reference implementation
 * logs (model/kernel: the kernel's pr_info/pr_notice/pr_warn lines and its
 * pr_debug ones, which dmesg shows with livepatch's dynamic debug on, as the
 * selftests' setup_config turns it on; facts "every error path with its log
 * format"), step by step. Maintainers quote dmesg in review threads, and
 * the selftest format alone had it (helper-67's finding, stop 44).
 *
 * The record holds no log: it is replayed today, under its semantics, up to
 * the step it was violated at, the steps replay checks (harness/replay.ts;
 * one after it is not the counterexample's, and was shown with a log no
 * replay had checked: helper-72, stop 45). A record that replay does not
 * give as saved (RenderContext.stale), or whose steps no longer all run with
 * their recorded outcomes, has no log shown: today's lines would not be the
 * record's.
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
 * logged nothing. A module name with '-' is spelled in the lines as the
 * kernel spells it, with '_': the model's log does so itself (runtime.ts
 * KPatch.modName, log.ts module), as a real kernel's does (helper-72; until
 * stop 47 this file rewrote the lines, and `scenario` showed the dashed
 * name); a command's sysfs path is spelled so by describeOp (helper-73).
 */
export function kernelLog(c: Counterexample, ctx: RenderContext): readonly StepLog[] | undefined {
  if (!ctx.semantics || ctx.stale !== undefined) return undefined;
  const run = new Lockstep(c.universe, ctx.semantics, { invariants: [], conformance: false });
  const logs: StepLog[] = [];
  for (const [i, op] of opsOf(c)
    .slice(0, c.violation.step + 1)
    .entries()) {
    if (!run.applicable(op)) return undefined;
    const from = run.kernel.log.length;
    run.step(op);
    if (run.steps.at(-1)!.outcome !== c.steps[i]!.outcome) return undefined;
    const lines = run.kernel.log.slice(from);
    // describeOp names a sysfs path as the kernel does; insmod takes the file's name, and rmmod either.
    if (lines.length) logs.push({ number: i + 1, command: escapeControls(describeOp(op)), lines: lines.map(escapeControls) });
  }
  return logs;
}

/**
 * The log as lines of text: `N. command`, the numbers right-aligned to the
 * last step's, then each line it logged, two columns in from the command.
 * Commands and lines are whole, never wrapped, even past 72 columns: a
 * wrapped dmesg line, or a command cut inside a path, can no longer be
 * grepped for or pasted (helper-72).
 */
export function kernelLogLines(c: Counterexample, logs: readonly StepLog[]): string[] {
  const width = String(c.steps.length).length;
  return logs.flatMap((l) => {
    const lead = `${String(l.number).padStart(width)}. `;
    return [`${lead}${l.command}`, ...l.lines.map((line) => `${' '.repeat(lead.length + 2)}${line}`)];
  });
}
