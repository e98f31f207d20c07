/**
 * Shared by `scenario` and `selftests`: load every file first (so bad input
 * stops the run before any report, with one line), then run each through
 * the reference implementation and print the chosen report.
 */
import { isThreadScenario, loadScenario } from '../harness/scenario/load.ts';
import { readJson } from '../harness/json-file.ts';
import { runScenario, type ScenarioResult } from '../harness/scenario/run.ts';
import type { ScenarioRunReport } from '../schema/generated/scenario-result.ts';
import { EXIT } from './exit.ts';
import type { Io } from './io.ts';
import { NO_PROGRESS, progress } from './progress.ts';
import { countLine, scenarioBlock, tally, verdictLine } from './scenario-text.ts';
import { scenarioFiles } from './scenario-files.ts';
import type { Style } from './style.ts';
import { VERSION } from './version.ts';

export type ReportMode =
  | { readonly kind: 'json' }
  | {
      readonly kind: 'text';
      readonly steps: boolean;
      /** The closing `N scenarios: ...` line; after one file's verdict it says nothing new. */
      readonly countLine: 'always' | 'if-several' | 'never';
      readonly style: Style;
    };

export async function runScenarioFiles(operands: readonly string[], mode: ReportMode, io: Io, command = 'scenario'): Promise<number> {
  // Thread scenarios below a directory are for --all-semantics; a file named on its own says so.
  const say = (line: string) => io.stderr(`klpcheck ${command}: ${line}\n`);
  const threads = {
    test: isThreadFile,
    what: 'thread scenario',
    hint: "which list ops: run them with 'klpcheck scenario --all-semantics'",
  };
  const loaded = scenarioFiles(operands, say, threads).map((file) => ({ file, scenario: loadScenario(file) }));
  // On a terminal the text report is its own progress; a progress line is for redirected output.
  const bar = mode.kind === 'json' || !io.stdoutIsTTY ? progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now }) : NO_PROGRESS;
  const results: ScenarioResult[] = [];
  for (const [i, { file, scenario }] of loaded.entries()) {
    bar.update(`klpcheck: scenario ${i + 1}/${loaded.length} ${file}`);
    const r = runScenario(scenario, file);
    results.push(r);
    if (mode.kind === 'text') {
      bar.clear();
      const lines = mode.steps ? [...scenarioBlock(r, mode.style), ...(i < loaded.length - 1 ? [''] : [])] : [verdictLine(r, mode.style)];
      io.stdout(lines.map((l) => `${l}\n`).join(''));
    }
  }
  bar.clear();
  if (mode.kind === 'json') {
    const report: ScenarioRunReport = { klpcheck: VERSION, results };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else if (mode.countLine === 'always' || (mode.countLine === 'if-several' && results.length > 1)) {
    io.stdout(`${mode.steps ? '\n' : ''}${countLine(tally(results))}\n`);
  }
  return results.some((r) => r.verdict === 'fail') ? EXIT.failed : EXIT.ok;
}

function isThreadFile(file: string): boolean {
  try {
    return isThreadScenario(readJson(file));
  } catch {
    return false; // reported with its place when it is loaded
  }
}
