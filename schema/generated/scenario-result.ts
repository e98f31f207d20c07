/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/scenario-result.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

/**
 * The output of `klpcheck scenario --json`: one result per scenario file.
 */
export interface ScenarioRunReport {
  /**
   * klpcheck version.
   */
  klpcheck: string;
  results: ScenarioResult[];
}
export interface ScenarioResult {
  file: string;
  name: string;
  semantics: string;
  verdict: 'pass' | 'fail' | 'pending';
  pending?: string;
  steps: StepResult[];
  failures: Failure[];
}
export interface StepResult {
  index: number;
  op: string;
  /**
   * The step as the selftest harness would log it.
   */
  command: string;
  /**
   * ok or an errno name.
   */
  result: string;
  log: string[];
}
export interface Failure {
  /**
   * JSON pointer into the scenario file of the expectation that failed.
   */
  pointer: string;
  message: string;
  expected?: string[];
  actual?: string[];
}
