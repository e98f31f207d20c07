/** The invariant catalog, in the order of the issue that defines it. */
import { blockDisableHonoured } from './block-disable-honoured.ts';
import { callbackPairing } from './callback-pairing.ts';
import type { Invariant } from './invariant.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { moduleSafety } from './module-safety.ts';
import { noForeignOverlap } from './no-foreign-overlap.ts';
import { noForeignRemoval } from './no-foreign-removal.ts';
import { noFunctionSharedAcrossSlots } from './no-function-shared-across-slots.ts';
import { noSilentDowngrade } from './no-silent-downgrade.ts';
import { noLostFix } from './no-lost-fix.ts';
import { noSilentVersionSwitch } from './no-silent-version-switch.ts';
import { noStateSharedAcrossSlots } from './no-state-shared-across-slots.ts';
import { oneActivePatchPerSlot } from './one-active-patch-per-slot.ts';
import { shadowLifetime } from './shadow-lifetime.ts';
import { transitionSanity } from './transition-sanity.ts';

export const INVARIANTS: readonly Invariant[] = [
  oneActivePatchPerSlot,
  noFunctionSharedAcrossSlots,
  noStateSharedAcrossSlots,
  shadowLifetime,
  noSilentVersionSwitch,
  noLostFix,
  blockDisableHonoured,
  transitionSanity,
  callbackPairing,
  moduleSafety,
  // Issue 12: owners.
  noForeignRemoval,
  noForeignOverlap,
  noSilentDowngrade,
];

/** The first property: the reference implementation agrees with the spec model after every step. */
export const CONFORMANCE = 'conformance';

/**
 * The properties a search of `sem` checks, in the catalog's order with
 * conformance first: those of `wanted` (explore --invariant, compare
 * --invariants) that apply, or every one that applies. Both engines number a
 * property's violations by its place here (harness/explore/explorer.ts,
 * harness/explore/packed/lockstep.ts).
 */
export function applicableProperties(sem: Semantics, wanted?: readonly string[]): string[] {
  const all = [CONFORMANCE, ...INVARIANTS.filter((i) => i.appliesTo(sem)).map((i) => i.id)];
  return wanted ? all.filter((p) => wanted.includes(p)) : all;
}

export function invariantById(id: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.id === id);
}
