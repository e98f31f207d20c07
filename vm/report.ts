/**
 * `klpcheck vm`'s output: one line per file (SAME, DIFFERS or NOT RUN) with its notes, a `diff -u`
 * (model first) under each difference, and a closing count line; or one JSON document (--json).
 */
import type { KernelVersion } from './cgen/contract.ts';
import type { CaseComparison } from './compare.ts';
import type { KernelEnv } from './kernel-env.ts';
import { knownDifference } from './known-differences.ts';
import type { VmRun } from './run.ts';
import { plural } from '../harness/plural.ts';

export interface Counts {
  readonly files: number;
  readonly same: number;
  readonly differs: number;
  /** Differences recorded in vm/known-differences.ts: reported, not failing. */
  readonly known: number;
  readonly notRun: number;
}

/** A comparison with its known-difference explanation attached. */
export function explain(c: CaseComparison, kernel: KernelVersion): CaseComparison {
  if (c.verdict !== 'DIFFERS') return c;
  const k = knownDifference(c.label, kernel);
  return k ? { ...c, known: k.reason } : c;
}

export function countsOf(cs: readonly CaseComparison[]): Counts {
  return {
    files: cs.length,
    same: cs.filter((c) => c.verdict === 'SAME').length,
    differs: cs.filter((c) => c.verdict === 'DIFFERS' && !c.known).length,
    known: cs.filter((c) => c.verdict === 'DIFFERS' && c.known).length,
    notRun: cs.filter((c) => c.verdict === 'NOT RUN').length,
  };
}

/** The closing line: `42 files: 40 same, 1 differs, 1 known difference, 0 not run (kernel ...)`. */
export function countLine(n: Counts, env: Pick<KernelEnv, 'release' | 'version'>): string {
  return `${plural(n.files, 'file')}: ${n.same} same, ${n.differs} differ, ${plural(n.known, 'known difference')}, ${n.notRun} not run (kernel ${env.release}, Debian ${env.version})`;
}

/** The diff without jsdiff's "=====" separator line: what `diff -u` prints. */
function unified(diff: string): string {
  return diff
    .split('\n')
    .filter((l) => !/^={10,}$/.test(l))
    .join('\n');
}

export function textReport(run: VmRun, env: KernelEnv): string {
  const out: string[] = [];
  for (const c of run.comparisons) {
    const head = c.verdict === 'DIFFERS' && c.known ? `DIFFERS  ${c.label} (known: ${c.known})` : `${c.verdict.padEnd(8)} ${c.label}`;
    out.push(head);
    for (const p of c.problems) out.push(`  ${p}`);
    for (const n of [...c.notOnThisKernel, ...(c.notes ?? [])]) out.push(`  ${n}`);
    if (c.diff) out.push(unified(c.diff).trimEnd());
  }
  out.push(countLine(countsOf(run.comparisons), env));
  return `${out.join('\n')}\n`;
}

export function jsonReport(run: VmRun, env: KernelEnv): string {
  return `${JSON.stringify(
    {
      kernel: env.kernel,
      release: env.release,
      debian_version: env.version,
      counts: countsOf(run.comparisons),
      files: run.comparisons,
      boots: run.boots,
      boot_seconds: Math.round(run.bootSeconds * 10) / 10,
      ...(run.build
        ? {
            build: {
              modules_built: run.build.built,
              make_invocations: run.build.invocations,
              seconds: Math.round(run.build.seconds * 10) / 10,
            },
          }
        : {}),
    },
    null,
    2,
  )}\n`;
}
