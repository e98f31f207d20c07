/**
 * Which parameters a module declares, and how /sys/module/<mod>/parameters
 * shows each: the one list both the reference implementation (insmod's
 * "unknown parameter" line, writes and reads of the parameter files) and the
 * VM's C generator (vm/cgen, each module_param's mode) read, so the modules a
 * real kernel loads declare exactly what the model thinks they declare
 * (test/module-params.test.ts).
 *
 * Kernel facts (kernel/module/main.c load_module, unknown_module_param_cb;
 * kernel/params.c; fs/namei.c lookup_open; fs/kernfs/file.c kernfs_fop_open),
 * each seen on the Debian 6.1 kernel in the VM (2026-12-04):
 * - a parameter the module does not declare is not an error at load: parse_args
 *   calls unknown_module_param_cb, which logs "<mod>: unknown parameter '<p>'
 *   ignored" and goes on; `async_probe` and `dyndbg` are taken by the module
 *   core itself and log nothing. parse_args runs after the coming notifiers
 *   (prepare_coming_module) and before the module's init;
 * - /sys/module/<mod>/parameters exists only when some parameter has a
 *   non-zero mode; writing a file that is not there is -EACCES (sysfs
 *   directories cannot create files) when the folder exists and -ENOENT when it
 *   does not; writing a read-only (0444) file is -EACCES for root too.
 */
import type { LoadedModule } from './core.ts';
import type { ModuleDef, PatchDef } from './definitions.ts';

/** A parameter's sysfs file: 0644 ('rw'), 0444 ('ro'), or none at all (mode 0, 'none'). */
export type ParamAccess = 'rw' | 'ro' | 'none';

/** The parameters a module declares, by name. */
export type DeclaredParams = ReadonlyMap<string, ParamAccess>;

/** Names the module core takes at load without the module declaring them (unknown_module_param_cb). */
const CORE_PARAMS: ReadonlySet<string> = new Set(['async_probe', 'dyndbg']);

/**
 * test_klp_syscall's PID list: module_param_array(klp_pids, int, &npids, 0),
 * so it has no sysfs file (tools/testing/selftests/livepatch/test_modules/
 * test_klp_syscall.c; facts E.6).
 */
const NO_SYSFS_FILE: ReadonlySet<string> = new Set(['klp_pids']);

/** Each definition's list, made once: insmod asks on every load of a random run. */
const ofPatch = new WeakMap<PatchDef, DeclaredParams>();
const ofModule = new WeakMap<ModuleDef, DeclaredParams>();

/**
 * A livepatch module's parameters: those that set attributes at load
 * (attr_params, e.g. test_klp_atomic_replace's replace), those with a default
 * (params, e.g. test_klp_callbacks_demo's pre_patch_ret), and those its states
 * read (Petr Mladek's per-state test modules: if_param, unless_param,
 * block_disable_param).
 */
export function livepatchParams(def: PatchDef): DeclaredParams {
  let out = ofPatch.get(def) as Map<string, ParamAccess> | undefined;
  if (out) return out;
  ofPatch.set(def, (out = new Map()));
  for (const name of Object.keys(def.attr_params ?? {})) out.set(name, 'rw');
  for (const name of Object.keys(def.params ?? {})) out.set(name, NO_SYSFS_FILE.has(name) ? 'none' : 'rw');
  for (const s of def.states ?? []) {
    for (const name of [s.if_param, s.unless_param, s.block_disable_param]) if (name !== undefined) out.set(name, 'rw');
  }
  return out;
}

/**
 * A target module's parameters: those with a default, the flag its busy work
 * waits on, its kprobe's post_handler switch (all 0644), and those it shows
 * through a function (param_show, 0444: test_klp_speaker's welcome).
 */
export function targetParams(def: ModuleDef): DeclaredParams {
  let out = ofModule.get(def) as Map<string, ParamAccess> | undefined;
  if (out) return out;
  ofModule.set(def, (out = new Map()));
  for (const name of Object.keys(def.params ?? {})) out.set(name, 'rw');
  if (def.busy_work) out.set(def.busy_work.param, 'rw');
  if (def.kprobe?.post_handler_param !== undefined) out.set(def.kprobe.post_handler_param, 'rw');
  for (const name of Object.keys(def.param_show ?? {})) out.set(name, 'ro');
  return out;
}

/** A loaded module's parameters. */
export function declaredParams(m: LoadedModule): DeclaredParams {
  return m.kind === 'livepatch' ? livepatchParams(m.def) : targetParams(m.def);
}

/**
 * parse_args' split of an insmod line (kernel/params.c parse_one, parameq):
 * the values of the module's own parameters under their declared names (a
 * '-' in a given name matches a '_'), and the names it does not declare that
 * the core does not take either, as given and in the order given.
 */
export function splitArgs(
  declared: DeclaredParams,
  given: Readonly<Record<string, string>>,
): { readonly own: Readonly<Record<string, string>>; readonly unknown: readonly string[] } {
  const own: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const param = declared.has(name) ? name : name.replaceAll('-', '_');
    if (declared.has(param)) own[param] = value;
    else if (!CORE_PARAMS.has(name)) unknown.push(name);
  }
  return { own, unknown };
}

/**
 * The errno of `echo v > /sys/module/<mod>/parameters/<name>` on a loaded
 * module, or null when the write reaches the parameter: -EACCES for a
 * read-only file or a missing one, when the module has a parameters folder
 * (some parameter with a file); -ENOENT when it has none.
 */
export function paramWriteErrno(declared: DeclaredParams, name: string): 'EACCES' | 'ENOENT' | null {
  if (declared.get(name) === 'rw') return null;
  for (const a of declared.values()) if (a !== 'none') return 'EACCES';
  return 'ENOENT';
}

/** Whether `cat /sys/module/<mod>/parameters/<name>` finds a file. */
export function paramReadable(declared: DeclaredParams, name: string): boolean {
  const access = declared.get(name);
  return access === 'rw' || access === 'ro';
}
