/**
 * KLPCHECK_WORKER_HEAP_MIB: the heap limit of each of explore's worker
 * threads, which hold the searched model and what it remembers of patch
 * definitions and the semantics' answers (harness/explore/packed/
 * definition-tree.ts, replace-rules.ts). Unset, a worker has node's own
 * limit, as --max-old-space-size sets it for every thread. A packed-engine
 * worker that fills its heap is replaced and the search goes on
 * (harness/explore/packed/parallel.ts); the main thread, which holds the
 * visited set, is not limited by this.
 */
import { KlpcheckError } from '../harness/errors.ts';

export const WORKER_HEAP_VARIABLE = 'KLPCHECK_WORKER_HEAP_MIB';

/** The values it takes, in MiB: V8 needs some tens to load the model; 2^20 MiB is a TiB. */
export const WORKER_HEAP_MIB = { min: 32, max: 1_048_576 } as const;

/**
 * The variable's value in MiB, or undefined when it is unset or empty.
 * Anything but decimal digits within WORKER_HEAP_MIB is E_USAGE naming the
 * variable, as a bad option is.
 */
export function workerHeapMiB(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env[WORKER_HEAP_VARIABLE];
  if (text === undefined || text === '') return undefined;
  const n = /^[1-9]\d{0,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= WORKER_HEAP_MIB.min && n <= WORKER_HEAP_MIB.max))
    throw new KlpcheckError(
      'E_USAGE',
      `${WORKER_HEAP_VARIABLE}=${JSON.stringify(text)}: a whole number of MiB from ${WORKER_HEAP_MIB.min} to ${WORKER_HEAP_MIB.max} (unset: node's own limit)`,
    );
  return n;
}
