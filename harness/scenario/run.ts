/**
 * Runs a scenario through the reference implementation under its semantics
 * and checks every expectation: each step's result and log lines, and the
 * whole filtered log (the selftest's expected output).
 */
import type { Errno } from '../../model/kernel/errno.ts';
import { Kernel } from '../../model/kernel/kernel.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import type { ScenarioResult, StepResult, Failure } from '../../schema/generated/scenario-result.ts';
import { pointer } from '../errors.ts';
import { selftestFilter } from './filter.ts';
import type { Scenario, Step } from './load.ts';
import { runStep, TASK_OPS } from './steps.ts';

export type { ScenarioResult, StepResult, Failure };

/** What functions.sh demands of a step when the scenario states nothing: it dies on failure. */
export function impliedResult(step: Step): 'ok' | 'fail' | undefined {
  if (step.op === 'load_failing_mod') return 'fail';
  if (MUST_SUCCEED.has(step.op)) return 'ok';
  return undefined;
}

/**
 * The steps that must succeed unless `expect` says otherwise: functions.sh's
 * load, unload and disable helpers die on a failure, and a task step that does
 * not apply (EAGAIN: the task is not asleep, not awake, a kernel thread ...)
 * did nothing, so a scenario that goes on would claim what never happened.
 */
const MUST_SUCCEED: ReadonlySet<Step['op']> = new Set<Step['op']>([
  'load_lp',
  'load_lp_nowait',
  'load_mod',
  'unload_lp',
  'unload_mod',
  'disable_lp',
  ...TASK_OPS,
]);

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

export function runScenario(s: Scenario, file: string): ScenarioResult {
  const semantics = semanticsByName(s.semantics ?? 'upstream')!;
  const kernel = new Kernel(s.universe, semantics.hooks);
  const filter = s.log_filter === 'none' ? (l: readonly string[]) => [...l] : selftestFilter;
  const steps: StepResult[] = [];
  const failures: Failure[] = [];
  s.steps.forEach((step, index) => {
    const from = kernel.log.length;
    const { command, outcome, problem } = runStep(kernel, step);
    const result: 'ok' | Errno = outcome.ok ? 'ok' : outcome.errno;
    const log = filter(kernel.log.slice(from));
    steps.push({ index, op: step.op, command, result, log });
    const at = (...rest: string[]) => pointer('steps', index, ...rest);
    if (problem) failures.push({ pointer: at(), message: problem });
    const want = step.expect?.result ?? impliedResult(step);
    if (want === 'fail' ? result === 'ok' : want !== undefined && want !== result) {
      failures.push({ pointer: at('expect', 'result'), message: `${command}: expected ${want}, got ${result}` });
    }
    if (step.expect?.log && !sameLines(step.expect.log, log)) {
      failures.push({ pointer: at('expect', 'log'), message: `${command}: log differs`, expected: step.expect.log, actual: log });
    }
  });
  const whole = filter(kernel.log);
  if (s.expect_log && !sameLines(s.expect_log, whole)) {
    failures.push({
      pointer: pointer('expect_log'),
      message: 'kernel log differs from the expected log',
      expected: s.expect_log,
      actual: whole,
    });
  }
  const verdict = s.pending ? 'pending' : failures.length ? 'fail' : 'pass';
  return {
    file,
    name: s.name,
    semantics: semantics.name,
    verdict,
    ...(s.pending ? { pending: s.pending } : {}),
    steps,
    failures,
  };
}
