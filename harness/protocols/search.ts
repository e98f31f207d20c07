/**
 * Every release cycle up to a length, shortest first: per semantics and
 * protocol, the shortest cycle that fails (the first in C < H < U order at
 * that length), or that every cycle up to the bound holds. Bounded: "holds
 * for every cycle of up to N releases".
 */
import type { Semantics } from '../../model/semantics/semantics.ts';
import { runCycle, type CycleRun } from './cycle.ts';
import type { Protocol, ReleaseKind } from './protocol.ts';

const KINDS: readonly ReleaseKind[] = ['cumulative', 'hotfix', 'user'];

export const DEFAULT_MAX_RELEASES = 5;

export interface ProtocolVerdict {
  readonly semantics: string;
  readonly protocol: string;
  readonly maxReleases: number;
  /** Cycles run (all of them when it holds). */
  readonly cycles: number;
  /** The shortest failing cycle, or null: holds up to the bound. */
  readonly counterexample: CycleRun | null;
}

/** Every cycle of exactly `n` releases, in C < H < U order. */
export function* cyclesOfLength(n: number): Generator<ReleaseKind[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const prefix of cyclesOfLength(n - 1)) for (const k of KINDS) yield [...prefix, k];
}

export function protocolVerdict(protocol: Protocol, sem: Semantics, maxReleases: number = DEFAULT_MAX_RELEASES): ProtocolVerdict {
  let cycles = 0;
  // Shortest first, and the search stops at the first failure: no prefix of a cycle run here has failed.
  for (let n = 1; n <= maxReleases; n++) {
    for (const kinds of cyclesOfLength(n)) {
      cycles++;
      const run = runCycle(protocol, sem, kinds);
      if (run.failure) return { semantics: sem.name, protocol: protocol.name, maxReleases, cycles, counterexample: run };
    }
  }
  return { semantics: sem.name, protocol: protocol.name, maxReleases, cycles, counterexample: null };
}
