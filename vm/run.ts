/**
 * `klpcheck vm`'s engine: build the modules of every case, pack one initramfs, boot as often as it
 * takes (one boot serves every case unless a case leaves the VM dirty or the boot dies; the next
 * boot resumes after it), and compare each case with the reference implementation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KlpcheckError } from '../harness/errors.ts';
import { buildModules, type BuildResult } from './build.ts';
import type { BuiltCase } from './case.ts';
import { compareCase, type CaseComparison } from './compare.ts';
import { featureRow, hasFeature } from './features.ts';
import { batchScript } from './guest-script.ts';
import { buildInitramfs } from './initramfs.ts';
import type { KernelEnv } from './kernel-env.ts';
import { kernelTrouble, observeKernel } from './kernel-side.ts';
import { explain } from './report.ts';
import { parseGuestOutput, type GuestCase } from './protocol.ts';
import { boot } from './qemu.ts';
import type { StepObservation } from './observation.ts';
import { plural } from '../harness/plural.ts';

export interface VmRun {
  readonly comparisons: readonly CaseComparison[];
  /** The kernel's observations per case (same order; empty when it did not run). */
  readonly real: readonly (readonly StepObservation[])[];
  /** `uname -r` as the guest reported it. */
  readonly release?: string;
  readonly build?: BuildResult;
  readonly boots: number;
  readonly bootSeconds: number;
}

/** Seconds a boot may take: boot itself, then each case (6.12 needs the 1 s retry per transition). */
const BOOT_SECONDS = 60;
const CASE_SECONDS = 40;
/** Reboots after dirty or dead boots before the remaining cases are given up. */
const MAX_BOOTS = 8;

export type Progress = (message: string) => void;

export async function runCases(env: KernelEnv, cases: readonly BuiltCase[], progress: Progress = () => {}): Promise<VmRun> {
  const notRun = new Map<string, CaseComparison>();
  const runnable = cases.filter((c) => {
    const need = c.vmCase.needs;
    if (!need || hasFeature(env.kernel, need)) return true;
    const row = featureRow(need);
    notRun.set(c.vmCase.id, {
      label: c.vmCase.label,
      verdict: 'NOT RUN',
      notOnThisKernel: [`${row.description}: not on this kernel (${row.reason})`],
      problems: [],
    });
    return false;
  });
  const work = mkdtempSync(join(tmpdir(), 'klpcheck-vm-'));
  try {
    progress(`building the modules of ${plural(runnable.length, 'case')}`);
    const build = runnable.length
      ? await buildModules(
          env,
          runnable.map((c) => c.modules),
        )
      : undefined;
    const initrd = join(work, 'initrd.cpio.gz');
    await buildInitramfs(work, initrd, {
      batch: batchScript(runnable),
      modules: Object.fromEntries(runnable.map((c, i) => [c.vmCase.id, build!.ko[i]!])),
    });
    const reports = new Map<string, GuestCase>();
    const problems = new Map<string, string[]>();
    let release: string | undefined;
    let first = 0;
    let boots = 0;
    let bootSeconds = 0;
    while (first < runnable.length && boots < MAX_BOOTS) {
      const dir = mkdtempSync(join(work, 'boot-'));
      const limit = BOOT_SECONDS + CASE_SECONDS * (runnable.length - first);
      progress(`boot ${boots + 1}: cases ${first + 1}-${runnable.length} on ${env.release}`);
      const b = await boot(env, initrd, dir, `klpcheck.first=${first}`, limit);
      boots++;
      bootSeconds += b.seconds;
      const r = parseGuestOutput(b.data);
      release ??= r.release;
      for (const g of r.cases) reports.set(g.id, g);
      if (r.done && !r.cases.some((g) => g.dirty !== undefined)) break;
      const lastIndex = r.cases.length ? runnable.findIndex((c) => c.vmCase.id === r.cases[r.cases.length - 1]!.id) : -1;
      if (lastIndex < 0 && !r.done) {
        const tail = b.console.trim().split('\n').slice(-5).join(' | ');
        throw new KlpcheckError(
          'E_VM_BOOT',
          `the VM ${b.timedOut ? `gave no result in ${limit} s` : 'stopped before running a case'}: ${tail || 'no console output'}`,
          join(dir, 'console.log'),
        );
      }
      const last = r.cases[r.cases.length - 1]!;
      if (!last.ended) {
        problems.set(last.id, [
          b.timedOut
            ? `the VM timed out during this case (no result for 90 s, or ${limit} s in all)`
            : 'the VM stopped during this case (see the console)',
        ]);
      }
      first = lastIndex + 1;
    }
    const reals = cases.map((c) => {
      const g = reports.get(c.vmCase.id);
      return g ? observeKernel(c.vmCase, g, c.modules) : [];
    });
    const comparisons = cases.map((c, i) => {
      const skipped = notRun.get(c.vmCase.id);
      if (skipped) return skipped;
      const g = reports.get(c.vmCase.id);
      if (!g) return compareCase(c.vmCase.label, c.vmCase.model, [], env.kernel, ['not run: the VM gave up before this case']);
      const cmp = compareCase(c.vmCase.label, c.vmCase.model, reals[i]!, env.kernel, [
        ...(problems.get(c.vmCase.id) ?? []),
        ...g.errors,
        ...kernelTrouble(g),
      ]);
      // What the clean-up could not remove is the next boot's concern, not a difference of this case.
      return g.dirty === undefined ? cmp : { ...cmp, notes: [`left behind after the case: ${g.dirty} (the next cases ran in a new boot)`] };
    });
    return {
      comparisons: comparisons.map((c) => explain(c, env.kernel)),
      real: reals,
      ...(release ? { release } : {}),
      ...(build ? { build } : {}),
      boots,
      bootSeconds,
    };
  } finally {
    if (!process.env.KLPCHECK_KEEP) rmSync(work, { recursive: true, force: true });
  }
}
