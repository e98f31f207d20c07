/**
 * The identity of an explored state: the abstract state, what the spec
 * model and the kernel hold beyond it, what the checkers remember, and the
 * patch definitions chosen so far. Tasks are interchangeable, so their
 * columns (state, sleep, what they run) are sorted: a state and its task
 * permutation are one state. The key is hashed to 48 bits, as TLC keeps
 * 64-bit fingerprints; the report states the collision odds.
 */
import { createHash } from 'node:crypto';
import type { PatchDef } from '../../model/kernel/definitions.ts';
import { kernelFingerprint } from '../../model/kernel/fingerprint.ts';
import type { Lockstep } from '../run-sequence.ts';

const defsJson = new WeakMap<readonly PatchDef[], string>();

export function stateKey(run: Lockstep, known: readonly PatchDef[]): string {
  const a = run.current;
  const fp = kernelFingerprint(run.kernel.core);
  const funcs = Object.keys(a.running);
  const columns = a.tasks.map((t, i) => `${t.state}/${t.blocked ?? ''}/${funcs.map((f) => a.running[f]![i]).join(',')}/${fp.tasks[i] ?? ''}`).sort();
  const shared = JSON.stringify([a.patches, a.modules, a.states, a.shadows]);
  let defs = defsJson.get(known);
  if (defs === undefined) defsJson.set(known, (defs = JSON.stringify(known)));
  return `${shared}#${columns.join('|')}#${fp.shared}#${run.spec.hidden()}#${run.memory()}#${defs}`;
}

/** 48 bits of the key's SHA-1: a number, so the visited set is a Set<number>. */
export function fingerprint(key: string): number {
  return createHash('sha1').update(key).digest().readUIntBE(0, 6);
}

/** The probability that two of n distinct states share a 53-bit fingerprint (birthday bound). */
export function collisionOdds(n: number): number {
  return Math.min(1, (n * (n - 1)) / 2 / 2 ** 48);
}
