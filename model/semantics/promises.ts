/**
 * Promised or not (issue 12, §4). Each semantics declares which properties
 * its rule promises, each with the mail or document that promises it
 * (Semantics.promises, in the semantics' own file). A violated property is
 * then one of two things: a broken promise (a flaw in the proposal or its
 * draft) or a property the proposal never promised (a design choice, worth
 * showing: upstream's non-replace patches stack on one function by design).
 *
 * This file holds the shared promise lists the semantics files draw from and
 * the pure classification the matrix renderers use. It imports types only, so
 * every semantics file may import it.
 */
import type { PropertyPromise, Semantics } from './semantics.ts';

/** What a violated or holding cell means for its semantics. */
export type Classification = 'broken-promise' | 'design-choice' | 'holds';

/**
 * A property that holds is `holds`; a violated one is a `broken-promise` when
 * the semantics lists it in its promises, else a `design-choice`. A semantics
 * klpcheck does not know (undefined) promises everything: a violation is not
 * excused without a declaration.
 */
export function classify(semantics: Pick<Semantics, 'promises'> | undefined, property: string, violated: boolean): Classification {
  if (!violated) return 'holds';
  if (!semantics) return 'broken-promise';
  return semantics.promises.some((p) => p.property === property) ? 'broken-promise' : 'design-choice';
}

/** Semantics name -> the properties it promises, in declaration order: the verdict matrix's `promised`. */
export function promisedBy(semantics: readonly Pick<Semantics, 'name' | 'promises'>[]): Record<string, string[]> {
  return Object.fromEntries(semantics.map((s) => [s.name, s.promises.map((p) => p.property)]));
}

/**
 * Promised by every semantics, because the kernel's livepatch core promises
 * them whatever the replace rule: the consistency model and module
 * reference counting (facts B.2, B.5, B.6; Documentation/livepatch/livepatch.rst
 * "Consistency model"), that an implementation does what its rule says, and
 * that a patch's fixes go only where a patch that declared it takes them
 * (Petr Mladek, seed 000_2d55233d1d974b9b.txt, 2026-04-07: a replace patch
 * must provide all existing fixes).
 */
export const CORE_PROMISES: readonly PropertyPromise[] = [
  { property: 'conformance', source: 'the rule in words of the semantics itself (its spec)' },
  { property: 'transition-sanity', source: 'facts B.2 (kernel/livepatch/transition.c): one transition at a time' },
  { property: 'no-silent-version-switch', source: 'facts B.2, B.6: Documentation/livepatch/livepatch.rst, Consistency model' },
  { property: 'module-safety', source: 'facts B.5 (kernel/livepatch/core.c: klp_module_going, module refcount)' },
  { property: 'no-lost-fix', source: 'seed 000_2d55233d1d974b9b.txt, Petr Mladek, 2026-04-07: a replace patch provides all fixes' },
];

/** Upstream's cumulative patch: "all older patches are automatically disabled and removed". */
export const CUMULATIVE_PROMISE: PropertyPromise = {
  property: 'one-active-patch-per-slot',
  source: 'Documentation/livepatch/cumulative-patches.rst; seed 002_1eea65d10ed1c246.txt, Petr Mladek, 2019-01-09',
};

/** Petr Mladek's per-state callbacks, is_shadow and block_disable (facts C.3, C.4). */
export const PER_STATE_PROMISES: readonly PropertyPromise[] = [
  { property: 'shadow-lifetime', source: 'facts C.3, Petr Mladek, 2025-01-15 (20250115082431.5550-1-pmladek@suse.com)' },
  { property: 'callback-pairing', source: 'facts C.3, Petr Mladek, 2025-01-15; seed 004_7e5a7d514636d047.txt' },
  { property: 'block-disable-honoured', source: 'facts C.4, Petr Mladek, 2025-01-15 (20250115082431.5550-5-pmladek@suse.com)' },
];

/**
 * The set family's invariant, stated in the replace_set v2 cover letter and
 * in Petr Mladek's June 2026 commit text: one active patch per set, no
 * function and no state id shared across sets (facts F.3).
 */
export const SET_PROMISES: readonly PropertyPromise[] = [
  { property: 'one-active-patch-per-slot', source: 'facts F.3: v2 cover letter, Yafang Shao, 2026-05-29; Petr Mladek, 2026-06-09' },
  { property: 'no-function-shared-across-slots', source: 'facts F.3: v2 cover letter; seed 000, Petr Mladek, 2026-04-07' },
  { property: 'no-state-shared-across-slots', source: 'facts F.3: v2 cover letter; Petr Mladek, reply to RFC 6/6' },
];

/**
 * Owners: "the OS vendor should not touch customer specific livepatches by
 * default ... allow to resolve the possible conflict by using the atomic
 * replace ... by a module-specific parameter", and "the hotfix should not be
 * allowed to modify a function or livepatch state which is modified by
 * another livepatch" (Petr Mladek, seed 001_3e784c1c435e3259.txt,
 * 2026-06-17; Joe Lawrence: "Agreed.").
 */
export const OWNER_PROMISES: readonly PropertyPromise[] = [
  { property: 'no-foreign-removal', source: 'seed 001_3e784c1c435e3259.txt, Petr Mladek, 2026-06-17' },
  { property: 'no-foreign-overlap', source: 'seed 001_3e784c1c435e3259.txt, Petr Mladek, 2026-06-17; Joe Lawrence: "Agreed."' },
];
