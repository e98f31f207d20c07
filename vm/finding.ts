/**
 * A divergence between the reference implementation and the real kernel, saved as a counterexample
 * of the `real-kernel` property: the universe and ops (upstream semantics) with the model's and the
 * kernel's observations of every step side by side, the diff, and where it came from. Saved under
 * <dir>/<kernel>/real-kernel-<hash>.json, the hash over what the finding is (kernel, universe, ops),
 * atomically, never overwriting a file with other content. `klpcheck vm FILE` runs it again.
 * Kept apart from counterexamples/ (whose corpus replays on the model alone).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Universe } from '../model/kernel/definitions.ts';
import { KlpcheckError, pointer } from '../harness/errors.ts';
import { readJson } from '../harness/json-file.ts';
import { readExisting, writeFileAtomically } from '../harness/atomic-write.ts';
import type { Op } from '../harness/ops.ts';
import { KLPCHECK_VERSION, FAST_CHECK_VERSION } from '../harness/versions.ts';
import type { KernelVersion } from './cgen/contract.ts';
import type { StepObservation } from './observation.ts';

/** JSON with sorted keys at every level: a stable text to hash, whatever order a finding's objects were built in. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const PROPERTY = 'real-kernel';

export interface RealKernelFinding {
  readonly format: 1;
  readonly property: typeof PROPERTY;
  readonly semantics: 'upstream';
  readonly kernel: KernelVersion;
  /** uname -r and Debian's package version of the kernel that diverged. */
  readonly release: string;
  readonly debian_version: string;
  readonly universe: Universe;
  readonly ops: readonly Op[];
  readonly model: readonly StepObservation[];
  readonly real_kernel: readonly StepObservation[];
  readonly diff: string;
  readonly provenance: {
    readonly source: 'vm-generate';
    readonly seed: number;
    /** Which of the N generated sequences, 0-based. */
    readonly index: number;
    /** Length of the generated sequence before delta debugging. */
    readonly reduced_from: number;
    readonly klpcheck: string;
    readonly fast_check: string;
  };
}

export function findingFile(dir: string, f: RealKernelFinding): string {
  const hash = createHash('sha256')
    .update(stable({ kernel: f.kernel, universe: f.universe, ops: f.ops }))
    .digest('hex')
    .slice(0, 12);
  return join(dir, f.kernel, `${PROPERTY}-${hash}.json`);
}

export function versions(): Pick<RealKernelFinding['provenance'], 'klpcheck' | 'fast_check'> {
  return { klpcheck: KLPCHECK_VERSION, fast_check: FAST_CHECK_VERSION };
}

/**
 * Saves atomically; a file of the same name holding this finding is kept
 * ('exists'): the same JSON in every field but `provenance`, which says who
 * found it (seed, index, versions), not what was found, so the same ops found
 * again with another seed or klpcheck version keep the first finder's file.
 * Errors, the file left as it is: E_CONFLICT when the name is taken by any
 * other content (another finding, one edited by hand in any other field, the
 * hashed ones or not, or text that is not JSON), as saveCounterexample
 * refuses one (harness/counterexample.ts); E_IO when the file cannot be read
 * (a directory at the name, no read permission: harness/atomic-write.ts
 * readExisting) or written.
 */
export function saveFinding(dir: string, f: RealKernelFinding): { file: string; status: 'written' | 'exists' } {
  const file = findingFile(dir, f);
  const text = `${JSON.stringify(f, null, 2)}\n`;
  const old = readExisting(file);
  if (old !== undefined) {
    if (!sameFinding(file, f)) {
      throw new KlpcheckError('E_CONFLICT', 'a file of this name has other content (edited or corrupted?); not overwritten', file);
    }
    return { file, status: 'exists' };
  }
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileAtomically(file, text);
  } catch (e) {
    // The folder was checked before the boots; one removed or made read-only since is the user's, not a bug.
    throw new KlpcheckError('E_IO', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  return { file, status: 'written' };
}

/**
 * Whether `file` reads as `f` in every field but its provenance (key order
 * aside), read as readFinding reads it (json-file.ts readJson: a byte order
 * mark dropped, a key given twice refused), so that what a save takes for
 * "already saved" a later read takes too (helper-71, stop 45: plain
 * JSON.parse took a key given twice, which the read refused, and refused a
 * byte order mark, which the read took).
 */
function sameFinding(file: string, f: RealKernelFinding): boolean {
  let saved: unknown;
  try {
    saved = readJson(file);
  } catch {
    return false;
  }
  // Any other JSON value spreads into an object without a finding's fields, which is another content.
  return stable({ ...(saved as object), provenance: null }) === stable({ ...f, provenance: null });
}

/** Whether parsed JSON is a finding (by its property), to run it again as a case. */
export function isFinding(data: unknown): data is RealKernelFinding {
  return typeof data === 'object' && data !== null && (data as { property?: unknown }).property === PROPERTY;
}

/** The universe and ops of a saved finding. Errors: E_SCHEMA naming the missing field. */
export function readFinding(file: string): RealKernelFinding {
  const data = readJson(file) as Record<string, unknown>;
  for (const k of ['universe', 'ops', 'kernel']) {
    if (!(k in data)) throw new KlpcheckError('E_SCHEMA', `a real-kernel finding needs '${k}'`, file, pointer(k));
  }
  return data as unknown as RealKernelFinding;
}
