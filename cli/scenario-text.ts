/**
 * The text report of a scenario run: per step the index, result and
 * command with its new kernel-log lines, the failed expectations with a
 * diff of the log, and a one-line verdict that grep can pick out.
 */
import { escapeControls } from '../harness/errors.ts';
import type { Failure, ScenarioResult } from '../harness/scenario/run.ts';
import { unifiedDiff } from './diff.ts';
import type { Style } from './style.ts';
import { plural } from '../harness/plural.ts';

/** Wide enough for every errno name, so the commands line up. */
const RESULT_WIDTH = 6;

export function stepLines(r: ScenarioResult, st: Style): string[] {
  const width = String(Math.max(0, r.steps.length - 1)).length;
  // A check that ran (result ok) but found the wrong thing (check_running, check_sysfs) is a failure at the step itself.
  const failedHere = new Set(r.failures.map((f) => f.pointer));
  return r.steps.flatMap((s) => {
    const shown = s.result === 'ok' && failedHere.has(`/steps/${s.index}`) ? 'FAIL' : s.result;
    const result = shown === 'ok' ? shown.padEnd(RESULT_WIDTH) : st.fail(shown.padEnd(RESULT_WIDTH));
    const head = `  ${st.dim(String(s.index).padStart(width))}  ${result}  ${escapeControls(s.command)}`;
    // The harness logs its own `% insmod ...` line; it is the command just shown.
    const log = s.log[0] === s.command ? s.log.slice(1) : s.log;
    const pad = ' '.repeat(2 + width + 2 + RESULT_WIDTH + 2);
    return [head, ...log.map((l) => `${pad}${escapeControls(l)}`)];
  });
}

function failureLines(f: Failure, st: Style): string[] {
  const head = `  ${st.bold(escapeControls(f.pointer || '/'))}: ${escapeControls(f.message)}`;
  if (!f.expected || !f.actual) return [head];
  // Escaped before the colours go on, which are control characters themselves.
  const diff = unifiedDiff(f.expected.map(escapeControls), f.actual.map(escapeControls)).map((l) =>
    l.startsWith('-') && !l.startsWith('---') ? st.removed(l) : l.startsWith('+') && !l.startsWith('+++') ? st.added(l) : l,
  );
  return [head, ...diff.map((l) => `    ${l}`)];
}

export function failuresBlock(r: ScenarioResult, st: Style): string[] {
  if (r.failures.length === 0) return [];
  return [`  ${plural(r.failures.length, 'failed expectation')}:`, ...r.failures.flatMap((f) => failureLines(f, st))];
}

export function verdictLine(r: ScenarioResult, st: Style): string {
  // One line per file, whatever its name or its values hold (scripts grep '^(PASS|FAIL|PENDING)'): a step value
  // with a newline made a second, forged verdict line (hostile-user finding, 2026-12-03).
  const file = escapeControls(r.file);
  switch (r.verdict) {
    case 'pass':
      return `${st.pass('PASS')}    ${file}`;
    case 'pending': {
      // A pending case that now passes is news: its "pending" should go.
      const now = r.failures.length === 0 ? ' (now passes: remove "pending")' : '';
      return `${st.pending('PENDING')} ${file}: ${escapeControls(r.pending ?? '')}${now}`;
    }
    case 'fail': {
      const first = r.failures[0];
      const more = r.failures.length > 1 ? ` (+${r.failures.length - 1} more)` : '';
      return `${st.fail('FAIL')}    ${file}: ${first ? escapeControls(`${first.pointer || '/'}: ${first.message}`) : 'failed'}${more}`;
    }
  }
}

/** The full report of one file: header, steps, failures, verdict. */
export function scenarioBlock(r: ScenarioResult, st: Style): string[] {
  return [
    `${st.bold(escapeControls(r.file))}: ${escapeControls(r.name)} (semantics: ${r.semantics})`,
    ...stepLines(r, st),
    ...failuresBlock(r, st),
    verdictLine(r, st),
  ];
}

export interface Tally {
  readonly pass: number;
  readonly fail: number;
  readonly pending: number;
}

export function tally(results: readonly ScenarioResult[]): Tally {
  const count = (v: ScenarioResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return { pass: count('pass'), fail: count('fail'), pending: count('pending') };
}

export function countLine(t: Tally): string {
  const n = t.pass + t.fail + t.pending;
  return `${plural(n, 'scenario')}: ${t.pass} pass, ${t.fail} fail, ${t.pending} pending`;
}
