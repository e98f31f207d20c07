/** How the packed engine's differential tests print what they compare. */
import type { Op } from '../../harness/ops.ts';

/** A key as hex, for maps and messages. */
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** An op without the task it names: tasks are sorted in a key, so each engine names them in its own order. */
export const label = (op: Op): string => JSON.stringify({ ...op, task: undefined });
