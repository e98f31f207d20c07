/** `klpcheck scenario FILE...`: scenario files through the reference implementation. */
import { KlpcheckError } from '../../harness/errors.ts';
import type { Command } from '../command.ts';
import { runScenarioFiles, type ReportMode } from '../run-scenarios.ts';
import { sideBySideOf } from '../all-semantics.ts';
import { EXIT, soExit1 } from '../exit.ts';
import { plural } from '../../harness/plural.ts';
import { scenarioFiles } from '../scenario-files.ts';
import { styleFor } from '../style.ts';
import { sideBySideText } from '../../report/side-by-side.ts';

export const scenario: Command = {
  name: 'scenario',
  summary: 'run scenario files through the reference implementation',
  operands: 'FILE|DIR...',
  description: [
    'Runs each scenario (a DIR stands for every *.json below it, sorted) and prints,',
    'per step, its index, its result (ok or an errno) and its command, with the new',
    'kernel-log lines indented below; then the failed expectations, each with its',
    'JSON pointer into the file and a diff -u of expected against actual log lines;',
    'then one verdict line per file: PASS, FAIL, or PENDING and the reason.',
    'Every file is checked before any runs: bad input stops the run with one line.',
  ],
  options: {
    // --json prints the whole report whatever --quiet says: together they were accepted and --quiet ignored.
    quiet: { type: 'boolean', short: 'q', help: 'print only the verdict line of each file', conflicts: ['json'] },
    json: { type: 'boolean', help: 'print one ScenarioRunReport (schema/scenario-result.schema.json) instead' },
    'all-semantics': {
      type: 'boolean',
      help: 'run each FILE under every semantics side by side and mark the first step where they diverge (selftest or thread scenarios); exit 1 when a semantics fails an expectation or breaks a property',
      conflicts: ['json', 'quiet'],
    },
  },
  examples: [
    'klpcheck scenario scenarios/selftests/test-livepatch.basic-function-patching.json',
    'klpcheck scenario --quiet scenarios/',
    'klpcheck scenario --all-semantics scenarios/threads/joe-weekly-cycle.json',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new KlpcheckError('E_USAGE', "no scenario FILE given; see 'klpcheck scenario --help'");
    if (values['all-semantics']) {
      // Load every file first: one bad file stops the run before any output.
      const views = scenarioFiles(positionals, (line) => io.stderr(`klpcheck scenario: ${line}\n`)).map(sideBySideOf);
      for (const v of views) io.stdout(sideBySideText(v));
      // As compare: a semantics that fails the file's expectations or breaks a property is a finding, exit 1
      // (it exited 0 whatever every semantics did: hostile-user finding, 2026-12-03).
      const runs = views.reduce((n, v) => n + v.semantics.length, 0);
      const found = views.reduce((n, v) => n + v.semantics.filter((s) => v.verdicts[s] !== null).length, 0);
      if (!found) return EXIT.ok;
      const over = views.length > 1 ? ` over ${plural(views.length, 'file')}` : '';
      io.stderr(`klpcheck scenario: ${found} of ${runs} runs${over} fail an expectation or break a property${soExit1(io)}\n`);
      return EXIT.failed;
    }
    const style = styleFor(io, values['no-color'] === true);
    const quiet = values.quiet === true;
    const mode: ReportMode = values.json
      ? { kind: 'json' }
      : { kind: 'text', steps: !quiet, countLine: quiet ? 'never' : 'if-several', style };
    return runScenarioFiles(positionals, mode, io);
  },
};
