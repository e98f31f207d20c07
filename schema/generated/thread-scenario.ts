/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: schema/thread-scenario.schema.json. Regenerate with `npm run gen:types`;
 * test/schema-types.test.ts fails when this file is stale.
 */

import type { FuncDef, KernelConfig, KprobeDef, ObjectDef, ParamMap, PatchAttrs, PatchDef, SetList, SetList1, StateDef, SymbolTable, Universe } from './universe.ts';
export type { FuncDef, KernelConfig, KprobeDef, ObjectDef, ParamMap, PatchAttrs, PatchDef, SetList, SetList1, StateDef, SymbolTable, Universe };
import type { AttrOp, BlockOp, BusyWorkDef, ForkOp, ModuleDef, ModuleOp, Op, PatchOp, ShadowOp, StepOp, TaskOp } from './counterexample.ts';
export type { AttrOp, BlockOp, BusyWorkDef, ForkOp, ModuleDef, ModuleOp, Op, PatchOp, ShadowOp, StepOp, TaskOp };


/**
 * An example traced by hand in a mailing-list thread, as data: a universe whose patches carry the attributes of every proposal at once, and the operations, run against every semantics (harness/thread-outcomes.ts).
 */
export interface ThreadScenario {
  $schema?: string;
  /**
   * Also the file name, without .json.
   */
  name: string;
  source: {
    /**
     * Seed thread file in ../shared/seeds, or a section of the facts file.
     */
    ref: string;
    author: string;
    date: string;
    messageId?: string;
  };
  /**
   * What the thread traces, and how each proposal's attributes were chosen for its patches (the readings where the thread is silent).
   */
  description: string;
  universe: Universe;
  /**
   * @minItems 1
   */
  ops: [Op, ...Op[]];
}
