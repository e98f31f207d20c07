/** `klpcheck vm`: scenarios, thread scenarios and upstream counterexamples on a real kernel in qemu. */
import { fileURLToPath } from 'node:url';
import { KlpcheckError } from '../../harness/errors.ts';
import { generateSequences } from '../../vm/generate.ts';
import { generatedCases, reduceAndSave, type SavedFinding } from '../../vm/generated-run.ts';
import { numberOption, type Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { notSaved, raiseLate, shownPath } from '../late-errors.ts';
import { scenarioFiles } from '../scenario-files.ts';
import { checkOutputDirOutsideStore } from '../output-files.ts';
import { kernelVersion } from '../../vm/features.ts';
import { loadGenerator } from '../../vm/generator.ts';
import { generateCases, loadInput } from '../../vm/inputs.ts';
import { loadKernelEnv } from '../../vm/kernel-env.ts';
import { countsOf, jsonReport, textReport } from '../../vm/report.ts';
import { runCases } from '../../vm/run.ts';
import { plural } from '../../harness/plural.ts';

/**
 * What became of one reduced finding: `saved: FILE: generated #i reduced ...`,
 * `(already saved)` when a file of the same bytes was there, and for a refused save
 * the reduction followed by `-> NOT SAVED: FILE: why [CODE]`, as run and
 * explore name a counterexample they could not save.
 */
export function savedLine(f: SavedFinding): string {
  const what = `generated #${f.index} reduced from ${f.from} to ${plural(f.to, 'op')} in ${plural(f.boots, 'boot')}`;
  if (f.status === 'refused') return `${what} -> ${notSaved(f.error)}`;
  return `saved: ${shownPath(f.file)}${f.status === 'exists' ? ' (already saved)' : ''}: ${what}`;
}

/** Where --generate saves its findings: apart from counterexamples/, whose corpus replays on the model. */
const FINDINGS = fileURLToPath(new URL('../../counterexamples-vm', import.meta.url));

export const vm: Command = {
  name: 'vm',
  summary: 'run scenarios on a real Debian kernel in qemu and compare each step with the model',
  operands: '[FILE|DIR...]',
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
    'With --generate N, also N upstream sequences from the generators of klpcheck',
    'run; each one that differs is reduced by delta debugging (candidates batched',
    'per boot) and saved as a real-kernel finding, which klpcheck vm FILE reruns',
    '(never overwriting: a hand-edited file of the same name is kept and named on',
    'its line, the other findings are saved, then its E_CONFLICT line, exit 2).',
    'Exit 1 when a file differs without a recorded reason (vm/known-differences.ts).',
  ],
  options: {
    generate: {
      type: 'whole',
      range: { min: 1, max: 100_000 },
      arg: 'N',
      help: "also run N generated upstream sequences (klpcheck run's generators) in the same boot",
    },
    seed: {
      type: 'seed',
      arg: 'S',
      help: "seed of --generate (a 32-bit integer; a negative one as --seed=-5), or 'random' (default 1)",
      requires: ['generate'],
    },
    // Each means something only for generated sequences: refused alone, as --seed (hostile-user nit, stop 37).
    steps: {
      type: 'whole',
      range: { min: 1, max: 1000 },
      arg: 'N',
      help: 'maximum drawn operations per generated sequence (default 12)',
      requires: ['generate'],
    },
    'no-save': {
      type: 'boolean',
      help: 'do not reduce and save the generated sequences that differ',
      requires: ['generate'],
      conflicts: ['out'],
    },
    out: {
      type: 'string',
      arg: 'DIR',
      help: 'where to save real-kernel findings of the generated sequences (default: the repository counterexamples-vm/)',
      requires: ['generate'],
    },
    kernel: { type: 'string', arg: 'X.Y', help: "the kernel: 6.1 (default) or 6.12 (each needs 'npm run vm:setup -- --kernel X.Y')" },
    json: { type: 'boolean', help: 'print one JSON report instead (the --generate and saved lines go to stderr)' },
  },
  examples: [
    'npx klpcheck vm scenarios/selftests scenarios/threads',
    'npx klpcheck vm --generate 20 --seed 1',
    'npx klpcheck vm --kernel 6.12 --json counterexamples/upstream',
  ],
  async run({ values, positionals }, io) {
    const kv = (values.kernel as string | undefined) ?? '6.1';
    const kernel = kernelVersion(kv);
    if (!kernel) throw new KlpcheckError('E_USAGE', `--kernel takes 6.1 or 6.12, not '${kv}'`);
    const n = numberOption(values, 'generate', 0);
    const seed = numberOption(values, 'seed', 1);
    const maxOps = numberOption(values, 'steps', 12);
    if (positionals.length === 0 && n === 0) throw new KlpcheckError('E_USAGE', "no FILE or DIR given; see 'klpcheck vm --help'");
    // Checked before the boots, as every command's output folder: minutes of VM time must not end in "cannot write".
    // Its findings go in DIR/<kernel>/, a folder the store would refuse (no semantics of that name).
    if (typeof values.out === 'string') checkOutputDirOutsideStore(values.out, '--out', "a real kernel's finding", [{ name: kernel }]);
    const files = positionals.length ? scenarioFiles(positionals, (line) => io.stderr(`klpcheck vm: ${line}\n`)) : [];
    const pending = files.map((f, i) => loadInput(f, i));
    const env = loadKernelEnv(kernel, io.env);
    const generate = await loadGenerator();
    const seqs = generateSequences(n, seed, maxOps);
    const cases = [...generateCases(pending, generate, kernel), ...generatedCases(seqs, seed, generate, env)];
    const progress = (m: string) => io.stderr(`klpcheck vm: ${m}\n`);
    const result = await runCases(env, cases, progress);
    io.stdout(values.json ? jsonReport(result, env) : textReport(result, env));
    // With --json, stdout is the one JSON document; the batch's lines go to stderr, as compare --json's notes do.
    const say = values.json ? progress : (line: string) => io.stdout(`${line}\n`);
    if (n > 0) {
      const leftOut = seqs.reduce((a, s) => a + s.leftOut, 0);
      say(
        `generated: ${plural(n, 'sequence')}, seed ${seed}${leftOut ? `, ${plural(leftOut, 'shadow op')} left out (no guest form yet)` : ''}`,
      );
      if (!values['no-save']) {
        const dir = (values.out as string | undefined) ?? FINDINGS;
        // Each finding's line as soon as its file is settled; a refused save (a hand-edited file of its
        // name, kept) is named on its line and costs no other finding; its error comes last, exit 2.
        const saved = await reduceAndSave(env, result, seqs, seed, generate, dir, progress, (f) => say(savedLine(f)));
        raiseLate(saved.map((f) => (f.status === 'refused' ? f.error : undefined)));
      }
    }
    return countsOf(result.comparisons).differs > 0 ? EXIT.failed : EXIT.ok;
  },
};
