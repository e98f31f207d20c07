/** `klpcheck selftests`: the main job, every scenario in the repository with one verdict line each. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { runScenarioFiles } from '../run-scenarios.ts';
import { styleFor } from '../style.ts';

/**
 * The repository's selftest scenarios, wherever klpcheck is run from: the
 * kernel's own and Petr Mladek's per-state ones. scenarios/threads holds the
 * mail threads' traces, run under every semantics by `compare`'s neighbour
 * `scenario --all-semantics`.
 */
const SCENARIOS = ['selftests', 'per-state'].map((d) => fileURLToPath(new URL(`../../scenarios/${d}`, import.meta.url)));

/** The command over given folders: the tests run it on their own scenarios. */
export function selftestsIn(...dirs: string[]): Command {
  return {
    name: 'selftests',
    summary: 'run every selftest scenario with a one-line verdict each',
    operands: '',
    description: [
      "Runs every *.json under the repository's scenarios/selftests and",
      "scenarios/per-state (the kernel's livepatch selftests and the proposed",
      'per-state ones, written as scenarios) through the reference implementation:',
      "'klpcheck scenario --quiet' on both and a closing count line.",
      "For the steps and log of one case: 'klpcheck scenario FILE'.",
    ],
    options: {
      json: { type: 'boolean', help: 'print one ScenarioRunReport (schema/scenario-result.schema.json) instead' },
    },
    examples: ['npx klpcheck selftests'],
    async run({ values }, io) {
      // Shown relative to where the user stands, like the paths they type.
      const shown = dirs.map((dir) => relative(process.cwd(), dir) || '.');
      const style = styleFor(io, values['no-color'] === true);
      return runScenarioFiles(
        shown,
        values.json ? { kind: 'json' } : { kind: 'text', steps: false, countLine: 'always', style },
        io,
        'selftests',
      );
    },
  };
}

export const selftests: Command = selftestsIn(...SCENARIOS);
