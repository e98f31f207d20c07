/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/verdict-matrix.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

/**
 * One semantics on one property. Tagged by verdict; a new kind of verdict is one more member.
 */
export type Cell = ViolatedCell | HoldsRandomCell | HoldsBoundedCell | NotApplicableCell;

/**
 * Every semantics against every property (conformance and each invariant), each cell combining all the evidence: the saved counterexamples of the cell replayed first, then the random runs, then any exhaustive exploration. What `klpcheck compare --json` prints, and what verdicts/expected.json records and the tests check.
 */
export interface VerdictMatrix {
  $schema?: string;
  /**
   * Version of this file format (2: cells are a tagged union on verdict).
   */
  format: 2;
  klpcheck: string;
  /**
   * fast-check seed of the random runs: a signed 32-bit integer, as --seed takes.
   */
  seed: number;
  /**
   * Sequences generated per cell.
   */
  runs: number;
  /**
   * Maximum generated operations per sequence (--steps), before its settle_steps settling ones.
   */
  max_steps: number;
  /**
   * The settling operations that end every generated sequence (each task wakes up or leaves its CPU, the transition work runs once more; those that do not apply are skipped): a sequence has up to max_steps + settle_steps operations. Absent in matrices recorded before klpcheck wrote it, which ended their sequences alike (7 at the default scope).
   */
  settle_steps?: number;
  /**
   * Present when every cell also had an exhaustive exploration (klpcheck compare --exhaustive). Each holds-bounded cell says how far its own exploration went (depth, fixpoint, state_budget), and so does searches for every semantics, whatever its cells' verdicts.
   */
  exhaustive?: {
    /**
     * The scope explored, e.g. patches=2,functions=2,states=1,tasks=2,depth=any.
     */
    scope: string;
    /**
     * The depth bound given (the scope's depth); absent with depth=any, where each exploration ran to its fixpoint or its state budget.
     */
    depth?: number;
    /**
     * The state budget of each exploration (compare --max-states, or the default one of a scope with no depth bound): one that would store more stopped there.
     */
    max_states?: number;
    /**
     * Each semantics' exploration, in the matrix's order of semantics. Absent in matrices written before klpcheck wrote it (2026-12-05), where only the holds-bounded cells say how far each went.
     */
    searches?: ExhaustiveSearch[];
  };
  /**
   * The folder of saved counterexamples replayed first (counterexamples/<semantics>/<property>-*.json), relative to the repository.
   */
  corpus: string;
  /**
   * The folder compare --out saved into, when it is not the corpus: its saved counterexamples are replayed first too (relative to the repository).
   */
  also_replayed?: string;
  semantics: string[];
  properties: string[];
  cells: Cell[];
  /**
   * Semantics -> the properties its rule promises (model/semantics/promises.ts). A violated property it promises is a broken promise; one it does not, a design choice.
   */
  promised?: {
    [k: string]: string[];
  };
}
/**
 * How far one semantics' exploration went, as its holds-bounded cells say it.
 */
export interface ExhaustiveSearch {
  semantics: string;
  /**
   * The levels the exploration expanded in full: every sequence up to this many operations was checked.
   */
  depth: number;
  /**
   * It reached its fixpoint: no new state (with covered, no new state stored) beyond depth.
   */
  fixpoint: boolean;
  /**
   * Successors the packed engine covered past a conformance break instead of storing them (as a holds-bounded cell says).
   */
  covered?: number;
  state_budget?: StateBudget;
}
/**
 * Present when the state budget, the visited set's capacity, or a worker thread's heap stopped the exploration: it ran out in depth in_depth, which is not claimed (depth is in_depth - 1).
 */
export interface StateBudget {
  /**
   * The budget; with capacity, the states stored when the visited set was full; with worker_heap, when the worker ran out.
   */
  states: number;
  in_depth: number;
  /**
   * Present when the visited set was full rather than the budget spent: what ran out, such as "16 GiB of stored states".
   */
  capacity?: string;
  /**
   * Present when a worker thread ran out of memory rather than the budget spent (compare then ends with E_MEMORY, exit 2): its heap limit: "KLPCHECK_WORKER_HEAP_MIB=32", node's flag as given ("--max-old-space-size=56", in NODE_OPTIONS or node's options), or "node's default". states is what was stored then; the level under way was given up, and the cell's states and transitions count what it had checked.
   */
  worker_heap?: string;
}
/**
 * Some counterexample violates the property: a saved one that still reproduces, or one the random runs or the explorer found.
 */
export interface ViolatedCell {
  semantics: string;
  property: string;
  verdict: 'violated';
  /**
   * Every counterexample of the cell, the one to quote first: shortest, then by file name.
   *
   * @minItems 1
   */
  counterexamples: [CounterexampleRef, ...CounterexampleRef[]];
  /**
   * Why the property breaks, in the quoted counterexample.
   */
  reason: string;
  /**
   * Saved counterexamples of this cell that no longer violate the property on replay (reported, never dropped), relative to the repository.
   */
  fixed?: string[];
}
export interface CounterexampleRef {
  /**
   * The counterexample file, relative to the repository; absent when it was not saved (--no-save).
   */
  file?: string;
  /**
   * Operations in the counterexample.
   */
  length: number;
  /**
   * How it was found (its provenance): walk is a random walk of klpcheck simulate.
   */
  source: 'random' | 'exhaustive' | 'scenario' | 'walk';
}
/**
 * No counterexample: the random runs found none, no saved one reproduces, and nothing was explored exhaustively. Not a proof.
 */
export interface HoldsRandomCell {
  semantics: string;
  property: string;
  verdict: 'holds-random';
  /**
   * Random sequences run (of up to max_steps + settle_steps operations, seed of the matrix).
   */
  sequences: number;
  /**
   * Operations applied over those sequences.
   */
  steps: number;
  /**
   * Present when no random sequence applied an operation (steps is 0): nothing was checked, and the pass is vacuous, as a bounded pass that missed a milestone.
   */
  vacuous?: 'an operation applied'[];
  /**
   * Present when sequences of max_steps operations give the property nothing to check, so the random pass is vacuous: what none of them loads, and the --steps that would, e.g. "nothing to check, as no sequence of at most 1 step loads two patches (--steps 2 would)" (harness/explore/vacuity.ts vacuousInRandomRuns).
   */
  vacuous_in_scope?: string;
  /**
   * Present under compare --exhaustive when the cell's exploration had nothing to check of the property while its random runs did, or when it claims nothing at all (a worker thread ran out of memory before any level was expanded in full; then whatever the random runs checked): why (harness/explore/vacuity.ts vacuousWords), e.g. "nothing checked, as the search stopped at depth 1 and no sequence of at most 1 step loads two patches", or "nothing checked, as a worker thread's heap, KLPCHECK_WORKER_HEAP_MIB=32, ran out in depth 1". The cell holds on the random runs' evidence alone: no bounded proof.
   */
  exhaustive_nothing?: string;
  /**
   * Saved counterexamples of this cell that no longer violate the property on replay (reported, never dropped), relative to the repository.
   */
  fixed?: string[];
}
/**
 * No counterexample, and the cell's exhaustive exploration (in the scope of the matrix) found none: holds for every sequence up to `depth`, or of any length when `fixpoint`.
 */
export interface HoldsBoundedCell {
  semantics: string;
  property: string;
  verdict: 'holds-bounded';
  /**
   * Random sequences run (of up to max_steps + settle_steps operations, seed of the matrix).
   */
  sequences: number;
  /**
   * Operations applied over those sequences.
   */
  steps: number;
  /**
   * Distinct states explored and stored (the packed engine leaves out the successors it covered: `covered`).
   */
  states: number;
  /**
   * Transitions checked.
   */
  transitions: number;
  /**
   * Every sequence up to this many operations was checked: the levels the exploration expanded in full.
   */
  depth: number;
  /**
   * The exploration reached its fixpoint (no new state beyond `depth`; with `covered`, no new state stored beyond it): the cell holds for sequences of any length in the scope.
   */
  fixpoint: boolean;
  /**
   * Present when the packed engine covered successors past a conformance break instead of storing them (each time one was reached): a stored state has their definitions, kernel and checker memory, and meets every check they would. `states` does not count them, and covered states may lie deeper than `depth`.
   */
  covered?: number;
  state_budget?: StateBudget;
  /**
   * Milestones the exploration never reached; a pass missing any is vacuous.
   */
  vacuous?: string[];
  /**
   * Present when the scope gives the property nothing to check, so the exploration's pass is vacuous: what no universe of the scope has, and the least scope that has it, e.g. "nothing to check, as no universe of the scope has two releases of one owner (patches=3 would)".
   */
  vacuous_in_scope?: string;
  /**
   * Saved counterexamples of this cell that no longer violate the property on replay (reported, never dropped), relative to the repository.
   */
  fixed?: string[];
}
/**
 * The semantics has nothing the property speaks of.
 */
export interface NotApplicableCell {
  semantics: string;
  property: string;
  verdict: 'not-applicable';
  /**
   * Why, e.g. 'upstream has no is_shadow states (no per-state callbacks)'.
   */
  reason: string;
  /**
   * Saved counterexamples of this cell that no longer violate the property on replay (reported, never dropped), relative to the repository.
   */
  fixed?: string[];
}
