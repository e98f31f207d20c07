/** `klpcheck selftests`: the main job, every scenario in the repository with one verdict line each. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';
import { runScenarioFiles } from '../run-scenarios.ts';
import { styleFor } from '../style.ts';

/** The repository's scenarios, wherever klpcheck is run from. */
const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));

/** The command over a given folder: the tests run it on their own scenarios. */
export function selftestsIn(dir: string): Command {
  return {
    name: 'selftests',
    summary: 'run every scenario under scenarios/ with a one-line verdict each',
    operands: '',
    description: [
      "Runs every *.json under the repository's scenarios/ (the kernel's livepatch",
      'selftests written as scenarios) through the reference implementation:',
      "'klpcheck scenario --quiet scenarios/' and a closing count line.",
      "For the steps and log of one case: 'klpcheck scenario FILE'.",
    ],
    options: {
      json: { type: 'boolean', help: 'print one ScenarioRunReport (schema/scenario-result.schema.json) instead' },
    },
    examples: ['npx klpcheck selftests'],
    async run({ values }, io) {
      // Shown relative to where the user stands, like the paths they type.
      const shown = relative(process.cwd(), dir) || '.';
      const style = styleFor(io, values['no-color'] === true);
      return runScenarioFiles([shown], values.json ? { kind: 'json' } : { kind: 'text', steps: false, countLine: 'always', style }, io);
    },
  };
}

export const selftests: Command = selftestsIn(SCENARIOS);
