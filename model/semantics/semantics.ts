/**
 * A replace semantics: one proposal for how livepatches replace each other.
 * Each lives in one file of this folder and is listed in registry.ts. It
 * gives its source, its rule in words, its hooks in the reference
 * implementation (model/kernel/hooks.ts) and its notion of a slot.
 */
import type { PatchAttrs, PatchDef } from '../kernel/definitions.ts';
import type { ReplaceHooks } from '../kernel/hooks.ts';
import type { SpecRule } from '../spec/rule.ts';

export interface Source {
  /** Seed thread file in ../shared/seeds, or a section of the facts file. */
  readonly ref: string;
  readonly author: string;
  readonly date: string;
  readonly messageId?: string;
}

/**
 * A property the semantics' rule promises (properties/catalog.ts id, or
 * `conformance`), with the mail or document that promises it. A violated
 * property the semantics does not promise is a design choice, not a flaw
 * (promises.ts).
 */
export interface PropertyPromise {
  readonly property: string;
  readonly source: string;
}

/** An attribute a module parameter may set. */
export type AttrParam = NonNullable<PatchDef['attr_params']>[string];

export interface Semantics {
  /** Stable identifier used on the command line and in counterexample files. */
  readonly name: string;
  readonly title: string;
  readonly sources: readonly Source[];
  /** The rule in words, as a reviewer would state it. */
  readonly rule: string;
  /** The properties the rule promises, each with its source (promises.ts has the shared lists). */
  readonly promises: readonly PropertyPromise[];
  /** The patch attributes this semantics reads (the others are ignored). */
  readonly attrs: readonly (keyof PatchAttrs)[];
  /**
   * The attribute values generated universes draw from: a short finite list,
   * so that random runs and the exhaustive explorer share it.
   */
  readonly attrChoices: readonly PatchAttrs[];
  /**
   * Module parameters the patches of this semantics take at load, each with
   * the attribute it sets (PatchDef.attr_params): the admin's override,
   * add_merge_slots=X (seed 001). Generated universes give every patch these.
   */
  readonly attrParams?: Readonly<Record<string, AttrParam>>;
  /** Parameter values generated insmod ops may pass (besides none): keep it as short as attrChoices. */
  readonly paramChoices?: readonly Readonly<Record<string, string>>[];
  /** What the proposal promises (model/spec/rule.ts), written from the rule in words. */
  readonly spec: SpecRule;
  /** Where the kernel decides (model/kernel/hooks.ts), written as the proposal's code does it. */
  readonly hooks: ReplaceHooks;
  /**
   * The slot a patch occupies: patches in one slot replace each other, and
   * the invariants demand at most one active patch per slot. Semantics
   * without slots (stacking) give every patch its own.
   */
  slotOf(name: string, attrs: PatchAttrs): string;
}
