/** `klpcheck vm`: scenarios, thread scenarios and upstream counterexamples on a real kernel in qemu. */
import { KlpcheckError } from '../../harness/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { scenarioFiles } from '../scenario-files.ts';
import { kernelVersion } from '../../vm/features.ts';
import { loadGenerator } from '../../vm/generator.ts';
import { generateCases, loadInput } from '../../vm/inputs.ts';
import { loadKernelEnv } from '../../vm/kernel-env.ts';
import { countsOf, jsonReport, textReport } from '../../vm/report.ts';
import { runCases } from '../../vm/run.ts';

export const vm: Command = {
  name: 'vm',
  summary: 'run scenarios on a real Debian kernel in qemu and compare each step with the model',
  operands: 'FILE|DIR...',
  description: [
    'Generates the C modules of each scenario (vm/cgen), builds them against the',
    "kernel that 'npm run vm:setup' unpacked, boots that kernel in qemu (TCG, one",
    'vCPU) with all scenarios in one initramfs, and compares every step with the',
    'reference implementation: result, filtered kernel log, enabled patches in',
    'klp_patches order, transition, sysfs files, and which version of each probed',
    'function runs. Prints SAME or DIFFERS per file, a diff -u (model first) for',
    "each difference, and a count line. A check this kernel cannot have is 'not on",
    "this kernel' (vm/features.ts), never a difference. Takes selftest scenarios,",
    'thread scenarios and counterexamples of the upstream semantics.',
    'Exit 1 when a file differs without a recorded reason (vm/known-differences.ts).',
  ],
  options: {
    kernel: { type: 'string', arg: 'X.Y', help: "the kernel: 6.1 (default) or 6.12 (each needs 'npm run vm:setup -- --kernel X.Y')" },
    json: { type: 'boolean', help: 'print one JSON report instead' },
  },
  examples: ['npm run vm:setup && npx klpcheck vm scenarios/selftests scenarios/threads', 'npx klpcheck vm --kernel 6.12 --json counterexamples/upstream'],
  async run({ values, positionals }, io) {
    const kv = (values.kernel as string | undefined) ?? '6.1';
    const kernel = kernelVersion(kv);
    if (!kernel) throw new KlpcheckError('E_USAGE', `--kernel takes 6.1 or 6.12, not '${kv}'`);
    if (positionals.length === 0) throw new KlpcheckError('E_USAGE', "no FILE or DIR given; see 'klpcheck vm --help'");
    const pending = scenarioFiles(positionals).map((f, i) => loadInput(f, i));
    const env = loadKernelEnv(kernel, io.env);
    const cases = generateCases(pending, await loadGenerator(), kernel);
    const result = await runCases(env, cases, (m) => io.stderr(`klpcheck vm: ${m}\n`));
    io.stdout(values.json ? jsonReport(result, env) : textReport(result, env));
    return countsOf(result.comparisons).differs > 0 ? EXIT.failed : EXIT.ok;
  },
};
