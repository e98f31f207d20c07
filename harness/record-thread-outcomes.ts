/**
 * `npm run record:threads`: runs every thread scenario under every semantics
 * and writes scenarios/threads/<name>.outcomes.json. Re-record after changing
 * a semantics or a scenario, and read the diff: it is the change in verdicts.
 */
import { writeFileSync } from 'node:fs';
import { loadThreadScenario, outcomesFileFor, serializeOutcomes, threadOutcomes, threadScenarioFiles } from './thread-outcomes.ts';

for (const file of threadScenarioFiles()) {
  const out = outcomesFileFor(file);
  writeFileSync(out, serializeOutcomes(threadOutcomes(loadThreadScenario(file))));
  process.stdout.write(`${out}\n`);
}
