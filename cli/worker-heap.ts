/**
 * KLPCHECK_WORKER_HEAP_MIB: the heap limit of each of the worker threads of
 * explore and compare --exhaustive, which hold the searched model and what
 * it remembers of patch definitions and the semantics' answers
 * (harness/explore/packed/definition-tree.ts, replace-rules.ts). Unset, a
 * worker has node's own limit. A packed-engine worker that fills its heap
 * is replaced and the search goes on (harness/explore/packed/parallel.ts);
 * the main thread, which holds the visited set, is not limited by this.
 * The tests' KLPCHECK_TEST_WORKER_OOM_DEPTH is checked beside it.
 */
import { KlpcheckError } from '../harness/errors.ts';
import { OOM_DEPTH_HEAP_MAX_MIB, OOM_DEPTH_VARIABLE, outOfMemoryItems } from '../harness/explore/worker-failure.ts';
import { semanticsByName } from '../model/semantics/registry.ts';

export const WORKER_HEAP_VARIABLE = 'KLPCHECK_WORKER_HEAP_MIB';

/** The values it takes, in MiB: V8 needs some tens to load the model; 2^20 MiB is a TiB. */
export const WORKER_HEAP_MIB = { min: 32, max: 1_048_576 } as const;

/**
 * node's heap flags, as node and V8 take them (one dash or two, '-' or '_'):
 * --max-old-space-size and --max-heap-size, set, are every thread's limit,
 * and a Worker's resourceLimits lose (helper-84 found the one-dash form and
 * --max-heap-size let through, 2026-12-05).
 */
const HEAP_FLAG = /(?:^|\s)--?max[-_](?:old[-_]space|heap)[-_]size\b/;

/**
 * The variable's value in MiB, or undefined when it is unset or empty.
 * Spaces around the number are left out, as around every number klpcheck
 * reads (README, input rules). Anything but decimal digits within
 * WORKER_HEAP_MIB is E_USAGE naming the variable, as a bad option is; so is
 * the variable beside node's --max-old-space-size (in NODE_OPTIONS or
 * `execArgv`), which V8 applies to every thread over a worker's own limit:
 * one set to 32 MiB then ran with 4 GiB, silently (helper-83, 2026-12-05).
 * KLPCHECK_TEST_WORKER_OOM_DEPTH, the tests' variable, is checked here too,
 * against this heap (checkOutOfMemoryDepth): E_USAGE as well.
 */
export function workerHeapMiB(env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[] = []): number | undefined {
  const raw = env[WORKER_HEAP_VARIABLE];
  if (raw === undefined || raw === '') {
    checkOutOfMemoryDepth(env, undefined);
    return undefined;
  }
  const text = raw.replace(/^ +| +$/g, '');
  const n = /^[1-9]\d{0,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= WORKER_HEAP_MIB.min && n <= WORKER_HEAP_MIB.max))
    throw new KlpcheckError(
      'E_USAGE',
      `${WORKER_HEAP_VARIABLE}=${JSON.stringify(raw)}: a whole number of MiB from ${WORKER_HEAP_MIB.min} to ${WORKER_HEAP_MIB.max} (unset: node's own limit)`,
    );
  checkOutOfMemoryDepth(env, n);
  if (HEAP_FLAG.test(env.NODE_OPTIONS ?? '') || execArgv.some((a) => HEAP_FLAG.test(a)))
    throw new KlpcheckError(
      'E_USAGE',
      `${WORKER_HEAP_VARIABLE} has no effect beside node's --max-old-space-size or --max-heap-size (NODE_OPTIONS or node's options), which V8 gives every thread: set one of the two`,
    );
  return n;
}

/**
 * KLPCHECK_TEST_WORKER_OOM_DEPTH (harness/explore/worker-failure.ts), for
 * klpcheck's own tests, checked beside the workers' heap `mib`: unset or
 * empty, or items outOfMemoryItems takes, each semantics one klpcheck has,
 * with KLPCHECK_WORKER_HEAP_MIB at most OOM_DEPTH_HEAP_MAX_MIB (a worker
 * made to run out fills its heap, and node's default is some GiB;
 * helper-91, helper-92). Anything else is E_USAGE naming it: a worker
 * would otherwise ignore it (0 turned it off while -1 fired at once).
 */
function checkOutOfMemoryDepth(env: Readonly<Record<string, string | undefined>>, mib: number | undefined): void {
  const raw = env[OOM_DEPTH_VARIABLE];
  if (!raw) return;
  const wrong = outOfMemoryDepthWrong(raw, mib);
  if (wrong)
    throw new KlpcheckError('E_USAGE', `${OOM_DEPTH_VARIABLE}=${JSON.stringify(raw)}: ${wrong} (a variable for klpcheck's own tests)`);
}

/** What is wrong with OOM_DEPTH_VARIABLE's `raw` beside the workers' heap `mib`, or undefined. */
function outOfMemoryDepthWrong(raw: string, mib: number | undefined): string | undefined {
  const items = outOfMemoryItems(raw);
  if (typeof items === 'string') return items;
  const unknown = items.find((i) => i.semantics !== undefined && !semanticsByName(i.semantics));
  if (unknown) return `no semantics '${unknown.semantics}'`;
  if (mib === undefined || mib > OOM_DEPTH_HEAP_MAX_MIB)
    return `needs ${WORKER_HEAP_VARIABLE} of at most ${OOM_DEPTH_HEAP_MAX_MIB} beside it (not node's heap flag): a worker made to run out fills its heap`;
  return undefined;
}

/** node's heap flags with their values, as the user gave them: "--max-old-space-size=56" (HEAP_FLAG's matches, and what follows each to a space). */
const HEAP_FLAG_GIVEN = /(?:^|\s)(--?max[-_](?:old[-_]space|heap)[-_]size\b\S*)/g;

/**
 * The workers' heap in words, for a stop it caused (explorer.ts
 * StateBudget.workerHeap): "KLPCHECK_WORKER_HEAP_MIB=32" for a limit the
 * variable set (`mib`, workerHeapMiB), "--max-old-space-size=56" for node's
 * flag in NODE_OPTIONS or node's options, the last given (every thread's
 * limit then, the workers' too: helper-88 found it called node's default),
 * else "node's default".
 */
export function workerHeapWords(
  mib: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
  execArgv: readonly string[] = [],
): string {
  if (mib !== undefined) return `${WORKER_HEAP_VARIABLE}=${mib}`;
  // The one in effect: node reads NODE_OPTIONS, then its command line, and the last of a flag given twice wins (the
  // first found was named: helper-89).
  const given = [env.NODE_OPTIONS ?? '', ...execArgv].flatMap((a) => [...a.matchAll(HEAP_FLAG_GIVEN)].map((m) => m[1]!));
  return given.at(-1) ?? "node's default";
}
