/**
 * What livepatch modules and target modules declare: the input of the
 * reference implementation, mirroring struct klp_patch / klp_object /
 * klp_func / klp_state (facts section A). The shapes come from
 * schema/universe.schema.json (one source of truth for scenario files,
 * generated universes and counterexamples); here they are made readonly.
 */
import type * as G from '../../schema/generated/universe.ts';

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type FuncDef = DeepReadonly<G.FuncDef>;
export type ObjectDef = DeepReadonly<G.ObjectDef>;
export type StateDef = DeepReadonly<G.StateDef>;
export type PatchAttrs = DeepReadonly<G.PatchAttrs>;
export type PatchDef = DeepReadonly<G.PatchDef>;
export type BusyWorkDef = DeepReadonly<G.BusyWorkDef>;
export type ModuleDef = DeepReadonly<G.ModuleDef>;
export type KernelConfig = DeepReadonly<G.KernelConfig>;
export type Universe = DeepReadonly<G.Universe>;

/**
 * How an object's callbacks behave. The callbacks are C code in the test
 * modules; klpcheck names the behaviours it knows:
 * - `demo`: test_klp_callbacks_demo.c, prints `<mod>: <cb>_callback: <obj>[ -> <module state>]`
 *   and returns the module parameter pre_patch_ret from pre_patch;
 * - `console_loglevel_v1` / `console_loglevel_v2`: test_klp_state.c and
 *   test_klp_state2.c, the demo line followed by the state API calls (facts E.0);
 * - `none`: no callbacks.
 */
export type ObjectCallbacks = NonNullable<ObjectDef['callbacks']>;

/**
 * Per-state callback behaviours under Petr Mladek's per-state series (facts C.3, E.7):
 * `console_loglevel` (pmladek test_klp_state.c), `applause` (the speaker
 * modules of test-state-callbacks.sh), `trace` (one neutral line per
 * callback, for generated universes) and `none`.
 */
export type StateCallbacks = NonNullable<StateDef['callbacks']>;

/** `vmlinux` stands for the NULL object name. */
export const VMLINUX = 'vmlinux';

/** Identity of a patched function: object, name and sympos (facts A, klp_find_func). */
export function funcKey(obj: string, name: string, sympos = 0): string {
  return `${obj}:${name},${sympos}`;
}
