/**
 * Model against kernel, one case: both sides' observations rendered to the same text, SAME when the
 * texts are equal, else a `diff -u` (jsdiff) of model and kernel. What the kernel cannot have
 * (vm/features.ts) is left out of both texts and listed as "not on this kernel" with its reason.
 */
import { createTwoFilesPatch } from 'diff';
import type { KernelVersion } from './cgen/contract.ts';
import { featureRow, hasFeature, sysfsFeature } from './features.ts';
import { enabledPatches, transitionOf, type StepObservation } from './observation.ts';

export type Verdict = 'SAME' | 'DIFFERS' | 'NOT RUN';

export interface CaseComparison {
  readonly label: string;
  readonly verdict: Verdict;
  /** The unified diff, model first (DIFFERS only). */
  readonly diff?: string;
  /** Each check left out on this kernel, once per (check, reason). */
  readonly notOnThisKernel: readonly string[];
  /** Why the case did not run or could not finish (a timeout, a missing feature). */
  readonly problems: readonly string[];
  /** Remarks that are not differences (what a case left behind in the VM). */
  readonly notes?: readonly string[];
  /** A recorded known difference that explains this one (vm/known-differences.ts). */
  readonly known?: string;
}

/** The files of a patch directory that this kernel lacks, noted in `notes`. */
function keepFile(path: string, kernel: KernelVersion, notes: Set<string>): boolean {
  const file = path.slice(path.indexOf('/') + 1);
  const f = sysfsFeature(file);
  if (!f || hasFeature(kernel, f)) return true;
  notes.add(`${featureRow(f).description}: not on this kernel (${featureRow(f).reason})`);
  return false;
}

/** One step as text: the lines both sides must agree on. */
export function renderStep(o: StepObservation, kernel: KernelVersion, notes: Set<string>): string[] {
  const lines = [`step ${o.index}: ${o.command}`, `  result: ${o.result}`];
  for (const l of o.log) lines.push(`  log: ${l}`);
  lines.push(`  enabled: ${enabledPatches(o).join(' ') || '(none)'}`);
  const transition = transitionOf(o);
  lines.push(`  transition: ${transition ?? '(none)'}`);
  for (const path of Object.keys(o.sysfs).sort()) {
    if (!keepFile(path, kernel, notes)) continue;
    const f = o.sysfs[path]!;
    lines.push(`  sysfs: ${path} ${f.mode} ${f.value}`);
  }
  // During a transition what a new task runs depends on which task asks: compared when idle only.
  if (transition === null) for (const key of Object.keys(o.running).sort()) lines.push(`  runs: ${key} ${o.running[key]}`);
  return lines;
}

export function renderCase(obs: readonly StepObservation[], kernel: KernelVersion, notes: Set<string>): string {
  return obs.map((o) => `${renderStep(o, kernel, notes).join('\n')}\n`).join('');
}

/** Compares one case's two sides; `problems` (a timeout ...) make it DIFFERS even if the texts agree. */
export function compareCase(
  label: string,
  model: readonly StepObservation[],
  real: readonly StepObservation[],
  kernel: KernelVersion,
  problems: readonly string[] = [],
): CaseComparison {
  const notes = new Set<string>();
  const a = renderCase(model, kernel, notes);
  const b = renderCase(real, kernel, notes);
  const same = a === b && problems.length === 0;
  return {
    label,
    verdict: same ? 'SAME' : 'DIFFERS',
    ...(a === b
      ? {}
      : { diff: createTwoFilesPatch(`${label} (model)`, `${label} (kernel ${kernel})`, a, b, undefined, undefined, { context: 3 }) }),
    notOnThisKernel: [...notes].sort(),
    problems,
  };
}
