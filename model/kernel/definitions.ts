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

/**
 * The identity of a patched function: the function a (object, old_name,
 * old_sympos) resolves to, as `obj:name,N`. old_sympos 0 asks for the only
 * symbol of that name and 1 for the first one, so both name the same
 * function whenever either resolves (a duplicate name with 0 is refused by
 * klp_find_object_symbol). klp_ops are found by the resolved address
 * (patch.c klp_find_ops), so one func_stack serves both; klp_find_func
 * treats them as the same func since torvalds/linux commit 139560e8b973
 * ("livepatch: Match old_sympos 0 and 1 in klp_find_func()", Song Liu,
 * October 2025), so a replace patch adds no nop for it.
 *
 * Position 1 is written `,0`, the spelling of a unique symbol, so that keys
 * stay the ones patches usually declare (reports print it as `obj:name`);
 * the sysfs directory shows it as `,1` (sysfsFuncName).
 */
export function funcKey(obj: string, name: string, sympos = 0): string {
  return `${obj}:${name},${sympos === 1 ? 0 : sympos}`;
}

/** A key as a user writes it (`obj:name,N`, as in ops and counterexamples) in its canonical form (funcKey). */
export function canonicalKey(key: string): string {
  let c = canonicalKeys.get(key);
  if (c === undefined) {
    const comma = key.lastIndexOf(',');
    const colon = key.indexOf(':');
    c =
      comma < colon || !/^\d+$/.test(key.slice(comma + 1))
        ? key
        : funcKey(key.slice(0, colon), key.slice(colon + 1, comma), Number(key.slice(comma + 1)));
    // A pure function of a few dozen distinct keys, asked on every observed step (issue 11): remembered.
    if (canonicalKeys.size < 4096) canonicalKeys.set(key, c);
  }
  return c;
}
const canonicalKeys = new Map<string, string>();

/**
 * A function as a scenario step names it, `obj:name` or `obj:name,sympos`
 * (the README and schema/scenario.schema.json), as the kernel model keys it
 * (funcKey): no position is position 0. `,0` was appended to every name, so
 * `obj:name,2` named no function (helper-127).
 */
export function namedFuncKey(func: string): string {
  return canonicalKey(/,\d+$/.test(func) ? func : `${func},0`);
}

/** The name of a func's sysfs directory, `<old_name>,<sympos>` with 0 shown as 1 (core.c klp_init_func). */
export function sysfsFuncName(name: string, sympos: number): string {
  return `${name},${sympos === 0 ? 1 : sympos}`;
}

/**
 * The kernel's spelling of a module name: kbuild makes KBUILD_MODNAME of the
 * file's name with '-' as '_' (scripts/Makefile.lib name-fix), so
 * `test_klp-a.ko` loads as module test_klp_a, with that sysfs directory,
 * and `test_klp-a` and `test_klp_a` are one module to the kernel.
 */
export function kernelModuleName(name: string): string {
  return name.replaceAll('-', '_');
}

/**
 * A livepatch's folder in sysfs, named after its module as the kernel names
 * it (kernelModuleName; core.c klp_init_patch names the kobject
 * patch->mod->name): /sys/kernel/livepatch/klp-2 is no folder a kernel makes.
 */
export function livepatchSysfsDir(patch: string): string {
  return `/sys/kernel/livepatch/${kernelModuleName(patch)}`;
}

/** A module's folder in sysfs, /sys/module/<its name as the kernel names it> (kernel/module: mod->name). */
export function moduleSysfsDir(module: string): string {
  return `/sys/module/${kernelModuleName(module)}`;
}

/** The user tasks task0.. and then the kernel threads kthread0.. a universe boots with. */
export function taskNames(u: Universe): string[] {
  // Loops, not spread Array.from: every random run's kernel and spec model ask once (stop 42's profile: 3-5% of a run).
  const names: string[] = [];
  for (let i = 0; i < (u.kernel?.tasks ?? 2); i++) names.push(`task${i}`);
  for (let i = 0; i < (u.kernel?.kthreads ?? 0); i++) names.push(`kthread${i}`);
  return names;
}
