/**
 * `klpcheck vm --generate`: the generated sequences in one batch, then each divergence reduced by
 * delta debugging (candidates batched per boot, vm/reduce.ts) and saved as a real-kernel finding.
 * A finding whose file cannot be saved (a hand-edited file of its name, kept) costs no other one.
 */
import type { Op } from '../harness/ops.ts';
import type { GenerateModuleSources } from './cgen/contract.ts';
import type { BuiltCase } from './case.ts';
import { attempt, KlpcheckError } from '../harness/errors.ts';
import { findingFile, saveFinding, versions, type RealKernelFinding } from './finding.ts';
import type { GeneratedSequence } from './generate.ts';
import { caseId, generateCases, opsPending } from './inputs.ts';
import type { KernelEnv } from './kernel-env.ts';
import { reduceOps } from './reduce.ts';
import { runCases, type Progress, type VmRun } from './run.ts';
import { plural } from '../harness/plural.ts';

/**
 * One reduced finding and what became of its file: `written`, `exists` (a
 * file of these very bytes was saved before), or `refused` with the error that kept it
 * from being saved (E_CONFLICT: a file of its name has other content, and
 * is kept as it is; E_IO: the folder cannot be written). A refusal does not
 * stop the other findings: the caller reports it with them, then raises it.
 */
export type SavedFinding = {
  readonly index: number;
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly boots: number;
} & ({ readonly status: 'written' | 'exists' } | { readonly status: 'refused'; readonly error: KlpcheckError });

/** The label of generated sequence `i` of `seed`, by which its comparison is found in a run. */
export function generatedLabel(seed: number, i: number): string {
  return `generated #${i} (seed ${seed})`;
}

/** The VM cases of the generated sequences, labelled by generatedLabel. Errors: the C generator's. */
export function generatedCases(
  seqs: readonly GeneratedSequence[],
  seed: number,
  generate: GenerateModuleSources,
  env: KernelEnv,
): BuiltCase[] {
  return generateCases(
    seqs.map((s, i) => opsPending(caseId(i, `gen-${seed}-${i}`), generatedLabel(seed, i), 'generated', s.universe, s.ops)),
    generate,
    env.kernel,
  );
}

/**
 * Reduces and saves every unexplained difference among the generated cases of
 * `run`, in order, handing each to `onSaved` as soon as its file is settled
 * (so that a VM failure in a later reduction costs no line of the earlier
 * ones). A save refused for the user's reasons (a file of the finding's name
 * with other content, an unwritable folder) does not stop the others: it is
 * a `refused` entry, and the caller raises its error after the report.
 */
export async function reduceAndSave(
  env: KernelEnv,
  run: VmRun,
  seqs: readonly GeneratedSequence[],
  seed: number,
  generate: GenerateModuleSources,
  dir: string,
  progress: Progress,
  onSaved: (f: SavedFinding) => void = () => {},
): Promise<SavedFinding[]> {
  const saved: SavedFinding[] = [];
  for (const [i, seq] of seqs.entries()) {
    const cmp = run.comparisons.find((c) => c.label === generatedLabel(seed, i));
    if (cmp?.verdict !== 'DIFFERS' || cmp.known) continue;
    progress(`reducing ${cmp.label} (${plural(seq.ops.length, 'op')})`);
    const batch = async (candidates: readonly (readonly Op[])[]) => {
      const cases = generateCases(
        candidates.map((ops, j) => opsPending(caseId(j, `red-${i}-${j}`), `candidate ${j}`, 'generated', seq.universe, ops)),
        generate,
        env.kernel,
      );
      const r = await runCases(env, cases, progress);
      return r.comparisons.map((c) => c.verdict === 'DIFFERS');
    };
    const { ops, rounds } = await reduceOps(seq.ops, batch);
    const [built] = generateCases([opsPending(caseId(0, `min-${i}`), cmp.label, 'generated', seq.universe, ops)], generate, env.kernel);
    const final = await runCases(env, [built!], progress);
    const c = final.comparisons[0]!;
    if (c.verdict !== 'DIFFERS') continue; // a flaky difference is not saved
    const finding: RealKernelFinding = {
      format: 1,
      property: 'real-kernel',
      semantics: 'upstream',
      kernel: env.kernel,
      release: env.release,
      debian_version: env.version,
      universe: seq.universe,
      ops,
      model: built!.vmCase.model,
      real_kernel: final.real[0]!,
      diff: c.diff ?? c.problems.join('\n'),
      provenance: { source: 'vm-generate', seed, index: i, reduced_from: seq.ops.length, ...versions() },
    };
    const about = { index: i, from: seq.ops.length, to: ops.length, boots: rounds + 1 };
    const { value: stored, error } = attempt(() => saveFinding(dir, finding));
    const entry: SavedFinding = stored
      ? { ...about, ...stored }
      : { ...about, file: error.file ?? findingFile(dir, finding), status: 'refused', error };
    saved.push(entry);
    onSaved(entry);
  }
  return saved;
}
