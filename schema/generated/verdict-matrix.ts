/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/verdict-matrix.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

/**
 * Every semantics against every property (conformance and each invariant): what `klpcheck compare --json` prints, and what verdicts/expected.json records and the tests check.
 */
export interface VerdictMatrix {
  $schema?: string;
  format: 1;
  klpcheck: string;
  seed: number;
  /**
   * Sequences generated per cell.
   */
  runs: number;
  /**
   * Maximum operations per sequence.
   */
  max_steps: number;
  semantics: string[];
  properties: string[];
  cells: Cell[];
  /**
   * Random runs (default) or exhaustive exploration.
   */
  mode?: 'random' | 'exhaustive';
  /**
   * Exhaustive: the scope explored.
   */
  scope?: string;
  /**
   * Semantics -> the properties its rule promises (model/semantics/promises.ts). A violated property it promises is a broken promise; one it does not, a design choice.
   */
  promised?: {
    [k: string]: string[];
  };
}
export interface Cell {
  semantics: string;
  property: string;
  verdict: 'holds' | 'violated' | 'not-applicable';
  /**
   * Sequences run (holds).
   */
  sequences?: number;
  /**
   * Operations applied over those sequences (holds).
   */
  steps?: number;
  /**
   * Counterexample file, relative to the repository (violated).
   */
  counterexample?: string;
  /**
   * Operations in the minimal counterexample (violated).
   */
  length?: number;
  /**
   * Why the property breaks (violated).
   */
  reason?: string;
  /**
   * Distinct states explored (exhaustive).
   */
  states?: number;
  /**
   * Transitions checked (exhaustive).
   */
  transitions?: number;
  /**
   * Milestones an exhaustive pass never reached; a pass missing any is vacuous.
   */
  vacuous?: string[];
}
