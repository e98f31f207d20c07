/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/thread-outcomes.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

/**
 * What one thread scenario does under every semantics: per step, the outcome, the patches left enabled and the properties that first break there. Recorded next to the scenario as <name>.outcomes.json and checked by test/threads.test.ts.
 */
export interface ThreadOutcomes {
  $schema?: string;
  format: 1;
  scenario: string;
  /**
   * Semantics name -> its run of the scenario.
   */
  semantics: {
    [k: string]: SemanticsOutcome;
  };
}
export interface SemanticsOutcome {
  steps: StepOutcome[];
  /**
   * The earliest violation over conformance and every invariant, or null.
   */
  first_violation: null | Violation;
}
export interface StepOutcome {
  /**
   * The operation as a maintainer writes it (harness/ops.ts describeOp).
   */
  op: string;
  /**
   * ok, the errno name, or skipped (the op did not apply, e.g. no transition to run).
   */
  outcome: string;
  /**
   * Patches on klp_patches and enabled, in list order, after the step.
   */
  enabled: string[];
  /**
   * '<patch> patching' or '<patch> unpatching' while a transition is in progress.
   */
  transition: string | null;
  /**
   * Properties that break for the first time at this step.
   */
  violated: Violation[];
}
export interface Violation {
  step?: number;
  property: string;
  reason: string;
}
