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
 *   does not; writing a read-only (0444) file is -EACCES for root too;
 * - a value the parameter's set operation refuses (an int's `abc`, a bool's
 *   `maybe`) fails the load with that errno after logging "`abc' invalid for
 *   parameter `pre_patch_ret'" (the coming notifiers have run, so the going
 *   ones run too), and fails a write of the parameter file the same way.
 */
import type { LoadedModule } from './core.ts';
import { kernelModuleName, type ModuleDef, type PatchDef } from './definitions.ts';
import { kstrtoint, kstrtouint } from './kstrtoint.ts';
import { parseBool } from './kstrtobool.ts';

/** A parameter's sysfs file: 0644 ('rw'), 0444 ('ro'), or none at all (mode 0, 'none'). */
export type ParamAccess = 'rw' | 'ro' | 'none';

/**
 * How a parameter takes a value (kernel/params.c): `bool` by kstrtobool,
 * `int` by kstrtoint, `charp` any string of up to 1024 bytes, `show` not at
 * all (a getter-only kernel_param_ops: test_klp_speaker's welcome), `pids`
 * test_klp_syscall's list of PIDs (the model names tasks in it, so it is not
 * checked), `uints` a list X[,Y]... of unsigned ints, each by kstrtouint (a
 * proposal's list attribute, LIST_ATTRS, as module_param_array(name, uint,
 * &n, 0644) would take it).
 */
export type ParamType = 'bool' | 'int' | 'charp' | 'show' | 'pids' | 'uints';

/** One declared parameter. */
export interface ParamSpec {
  readonly access: ParamAccess;
  readonly type: ParamType;
}

/** The parameters a module declares, by name. */
export type DeclaredParams = ReadonlyMap<string, ParamSpec>;

/** Why a parameter's set operation refuses a value (paramValueErrno). */
export type ValueErrno = 'EINVAL' | 'ERANGE' | 'ENOSPC';

/**
 * The declared parameter a name given on a command line stands for, or
 * undefined: kernel/params.c parameq takes a '-' for a '_' (a declared name
 * is a C identifier, schema/universe.schema.json ParamName, so it has none).
 */
export function declaredName(declared: DeclaredParams, given: string): string | undefined {
  const name = parameqName(given);
  return declared.has(name) ? name : undefined;
}

/** A name given on a command line as parameq compares it: each '-' a '_' (kernel/params.c dash2underscore). */
export const parameqName = (given: string): string => given.replaceAll('-', '_');

/**
 * Whether the module core takes a name at load without the module declaring
 * it (unknown_module_param_cb): `async_probe`, and `dyndbg` with or without
 * a prefix up to the first '.' (lib/dynamic_debug.c
 * ddebug_dyndbg_module_param_cb: `foo.dyndbg=+p` is taken too).
 */
function takenByTheCore(name: string): boolean {
  return name === 'async_probe' || name.slice(name.indexOf('.') + 1) === 'dyndbg';
}

/**
 * The type a parameter's default suggests: a decimal integer of up to 9
 * digits is an int (pre_patch_ret=-19), anything else a string. The VM's C
 * generator declares the parameter so (vm/cgen/params.ts).
 */
export function typeOfDefault(value: string): 'int' | 'charp' {
  return /^-?[0-9]{1,9}$/.test(value) ? 'int' : 'charp';
}

/** The single-valued attributes' own types (schema/universe.schema.json PatchAttrs); the lists are LIST_ATTRS, `uints`. */
const ATTR_TYPES: Readonly<Record<string, 'bool' | 'int'>> = {
  replace: 'bool',
  replaceable: 'bool',
  replace_set: 'int',
  slot: 'int',
  provides: 'int',
};

/** The attributes that hold one number (ATTR_TYPES' ints), which attr-params.ts reads as kstrtoint does. */
export const NUMBER_ATTRS: ReadonlySet<string> = new Set(Object.keys(ATTR_TYPES).filter((a) => ATTR_TYPES[a] === 'int'));

/**
 * How many elements a `uints` parameter takes: the size of the array the
 * VM's C generator declares (vm/cgen/params.ts), past which param_array
 * refuses a value ("can only take 64 arguments"). A proposal's list names a
 * handful of ids.
 */
export const UINTS_MAX = 64;

/**
 * The attributes that hold a list of numbers (schema/universe.schema.json
 * PatchAttrs): a parameter gives them as X[,Y]... (attr-params.ts).
 */
export const LIST_ATTRS: ReadonlySet<string> = new Set(['replace_sets', 'merge_slots', 'obsoletes', 'also_obsoletes', 'add_merge_slots']);

/**
 * An attribute parameter takes the type of the attribute it sets: a list
 * attribute's is a list of unsigned ints (`uints`: the ids of sets, slots
 * or patches, which no proposal makes negative); else the definition's value
 * says it (seed 000's u32 replace tag is an int), or the attribute's own
 * type (upstream's replace is a bool). Until stop 72 a list was a string
 * (charp) that nothing checked, and `abc` became NaN (helper-131).
 */
function typeOfAttr(attr: string, current: unknown): 'bool' | 'int' | 'charp' | 'uints' {
  if (LIST_ATTRS.has(attr)) return 'uints';
  if (typeof current === 'boolean') return 'bool';
  if (typeof current === 'number') return 'int';
  return ATTR_TYPES[attr] ?? 'charp';
}

const RW_BOOL: ParamSpec = { access: 'rw', type: 'bool' };
const RW_INT: ParamSpec = { access: 'rw', type: 'int' };
const RW_CHARP: ParamSpec = { access: 'rw', type: 'charp' };
const RW_UINTS: ParamSpec = { access: 'rw', type: 'uints' };
const SPECS: Readonly<Record<'bool' | 'int' | 'charp' | 'uints', ParamSpec>> = {
  bool: RW_BOOL,
  int: RW_INT,
  charp: RW_CHARP,
  uints: RW_UINTS,
};

/**
 * test_klp_callbacks_demo's pre-patch callback returns it: module_param(
 * pre_patch_ret, int, 0644) whatever its default looks like
 * (tools/testing/selftests/livepatch/test_modules/test_klp_callbacks_demo.c;
 * facts E.2).
 */
export const PRE_PATCH_RET = 'pre_patch_ret';

/**
 * How many PIDs klp_pids takes: test-syscall.sh starts at most MAXPROC = 128
 * callers, and the VM's module has room for as many (vm/cgen/livepatch-module.ts
 * KLPCHECK_MAX_PIDS). test_klp_syscall.c's own array has NR_CPUS entries.
 */
export const PIDS_MAX = 128;

/** test_klp_syscall's PID list (module_param_array(klp_pids, int, &npids, 0); facts E.6). */
export const PIDS_PARAM = 'klp_pids';

/**
 * Livepatch parameters the selftests' modules declare with a fixed type,
 * whatever their default looks like: pre_patch_ret above, and
 * test_klp_syscall's PID list, module_param_array(klp_pids, int, &npids, 0),
 * which has no sysfs file (tools/testing/selftests/livepatch/test_modules/
 * test_klp_syscall.c; facts E.6). A Map, so that a parameter named like an
 * Object member finds nothing here.
 */
const FIXED_SPECS: ReadonlyMap<string, ParamSpec> = new Map([
  [PRE_PATCH_RET, RW_INT],
  [PIDS_PARAM, { access: 'none', type: 'pids' }],
]);

/** Each definition's list, made once: insmod asks on every load of a random run. */
const ofPatch = new WeakMap<PatchDef, DeclaredParams>();
const ofModule = new WeakMap<ModuleDef, DeclaredParams>();

/**
 * A livepatch module's parameters: those that set attributes at load
 * (attr_params, e.g. test_klp_atomic_replace's replace), those with a default
 * (params, e.g. test_klp_callbacks_demo's pre_patch_ret), and those its states
 * read (Petr Mladek's per-state test modules: if_param, unless_param,
 * block_disable_param, each a bool). A name declared twice keeps its first
 * declaration, as the C generator does.
 */
export function livepatchParams(def: PatchDef): DeclaredParams {
  let out = ofPatch.get(def) as Map<string, ParamSpec> | undefined;
  if (out) return out;
  ofPatch.set(def, (out = new Map()));
  const attrs = def.attrs as Readonly<Record<string, unknown>> | undefined;
  for (const [name, attr] of Object.entries(def.attr_params ?? {})) out.set(name, SPECS[typeOfAttr(attr, attrs?.[attr])]);
  for (const [name, value] of Object.entries(def.params ?? {}))
    if (!out.has(name)) out.set(name, FIXED_SPECS.get(name) ?? SPECS[typeOfDefault(value)]);
  for (const s of def.states ?? []) {
    for (const name of [s.if_param, s.unless_param, s.block_disable_param])
      if (name !== undefined && !out.has(name)) out.set(name, RW_BOOL);
  }
  return out;
}

/**
 * A target module's parameters: those with a default, the flag its busy work
 * waits on and its kprobe's post_handler switch (bools), all 0644, and those
 * it shows through a function (param_show, 0444, no set: test_klp_speaker's
 * welcome).
 */
export function targetParams(def: ModuleDef): DeclaredParams {
  let out = ofModule.get(def) as Map<string, ParamSpec> | undefined;
  if (out) return out;
  ofModule.set(def, (out = new Map()));
  for (const [name, value] of Object.entries(def.params ?? {})) out.set(name, SPECS[typeOfDefault(value)]);
  if (def.busy_work) out.set(def.busy_work.param, RW_BOOL);
  if (def.kprobe?.post_handler_param !== undefined) out.set(def.kprobe.post_handler_param, RW_BOOL);
  for (const name of Object.keys(def.param_show ?? {})) out.set(name, { access: 'ro', type: 'show' });
  return out;
}

/** A loaded module's parameters. */
export function declaredParams(m: LoadedModule): DeclaredParams {
  return m.kind === 'livepatch' ? livepatchParams(m.def) : targetParams(m.def);
}

/** param_set_charp's limit (kernel/params.c), in bytes. */
const CHARP_MAX = 1024;
const UTF8 = new TextEncoder();

/** A set operation's refusal: its errno, the lines the setter logs itself, and the value parse_args then quotes. */
interface Refusal {
  readonly errno: ValueErrno;
  readonly lines: readonly string[];
  readonly quoted: string;
}

/**
 * Why the set operation of parameter `param`, of type `type`, refuses
 * `value` (kernel/params.c param_set_bool, param_set_int, param_set_charp,
 * param_array), or null when it takes it. A getter-only parameter has no set
 * operation at all: the kernel calls a NULL pointer (scenario files are
 * refused such a load before it runs, harness/scenario/load.ts); the model
 * says -EINVAL.
 */
function refusalOf(type: ParamType, param: string, value: string): Refusal | null {
  const einval = { errno: 'EINVAL', lines: [], quoted: value } as const;
  switch (type) {
    case 'bool':
      return parseBool(value) === null ? einval : null;
    case 'int': {
      const v = kstrtoint(value);
      return typeof v === 'number' ? null : { ...einval, errno: v };
    }
    case 'charp':
      return UTF8.encode(value).length > CHARP_MAX
        ? { errno: 'ENOSPC', lines: [`${param}: string parameter too long`], quoted: value }
        : null;
    case 'show':
      return einval;
    case 'pids':
      // An element stands for a PID: a task's name in the model, its PID on the VM, so only an empty one is refused.
      return arrayRefusal(param, value, PIDS_MAX, (e) => (e === '' ? 'EINVAL' : null));
    case 'uints':
      return arrayRefusal(param, value, UINTS_MAX, (e) => {
        const v = kstrtouint(e);
        return typeof v === 'number' ? null : v;
      });
  }
}

/** The errno of refusalOf (the set operation's refusal of `value`), or null when it takes it. */
export function paramValueErrno(type: ParamType, value: string): ValueErrno | null {
  return refusalOf(type, '', value)?.errno ?? null;
}

/**
 * param_array (kernel/params.c) over a value of parameter `name`, an array
 * of at most `max` elements each of which `element` takes (null) or refuses
 * (its errno, silently, as param_set_int and param_set_uint do): null when it
 * takes the value, else its refusal: the line it logs first (past `max`
 * elements, "can only take N arguments", -EINVAL), and the text parse_args
 * then quotes, which is the first element alone: param_array writes a NUL at
 * each comma and never puts it back ("We break the rule and mangle the
 * string"). An empty value is one empty element.
 */
function arrayRefusal(name: string, value: string, max: number, element: (e: string) => ValueErrno | null): Refusal | null {
  const elements = value.split(',');
  for (let i = 0; i < elements.length; i++) {
    if (i === max) return { errno: 'EINVAL', lines: [`${name}: can only take ${max} arguments`], quoted: elements[0]! };
    const errno = element(elements[i]!);
    if (errno) return { errno, lines: [], quoted: elements[0]! };
  }
  return null;
}

/**
 * parse_args over an insmod line (kernel/params.c parse_args, parse_one,
 * parameq), name by name in the order given:
 * - a name the module declares (a '-' in it matches a '_') is set, unless
 *   its set operation refuses the value: then the kernel logs
 *   "`<value>' invalid for parameter `<name>'" (or "too large" for -ENOSPC,
 *   after param_set_charp's own "string parameter too long"), goes on with
 *   the next name, and fails the load with the last refusal's errno;
 * - a name the core takes (async_probe, [prefix.]dyndbg) is not the module's;
 * - any other name is logged "unknown parameter '<name>' ignored", cut at
 *   its first '.' (the dynamic debug core writes a NUL there first).
 * `own` holds the values set, under their declared names; `lines` what the
 * kernel logs, in order (parse_args prefixes the module's name as the kernel
 * spells it, definitions.ts kernelModuleName; the string
 * setter the parameter's).
 */
export function splitArgs(
  module: string,
  declared: DeclaredParams,
  given: Readonly<Record<string, string>>,
): {
  readonly own: Readonly<Record<string, string>>;
  readonly lines: readonly string[];
  readonly errno: ValueErrno | null;
} {
  const own: Record<string, string> = {};
  const lines: string[] = [];
  let errno: ValueErrno | null = null;
  for (const [name, value] of Object.entries(given)) {
    const param = declaredName(declared, name);
    if (param === undefined) {
      // ddebug_dyndbg_module_param_cb cuts a dotted name at its first '.' before unknown_module_param_cb prints it.
      if (!takenByTheCore(name)) lines.push(`${kernelModuleName(module)}: unknown parameter '${name.split('.', 1)[0]}' ignored`);
      continue;
    }
    const refused = refusalOf(declared.get(param)!.type, param, value);
    if (refused === null) {
      own[param] = value;
      continue;
    }
    errno = refused.errno;
    const what = refused.errno === 'ENOSPC' ? 'too large' : 'invalid';
    lines.push(...refused.lines, `${kernelModuleName(module)}: \`${refused.quoted}' ${what} for parameter \`${name}'`);
  }
  return { own, lines, errno };
}

/**
 * The errno of `echo v > /sys/module/<mod>/parameters/<name>` on a loaded
 * module, or null when the write reaches the parameter: -EACCES for a
 * read-only file or a missing one, when the module has a parameters folder
 * (some parameter with a file); -ENOENT when it has none.
 */
export function paramWriteErrno(declared: DeclaredParams, name: string): 'EACCES' | 'ENOENT' | null {
  if (declared.get(name)?.access === 'rw') return null;
  for (const p of declared.values()) if (p.access !== 'none') return 'EACCES';
  return 'ENOENT';
}

/** Whether `cat /sys/module/<mod>/parameters/<name>` finds a file. */
export function paramReadable(declared: DeclaredParams, name: string): boolean {
  const access = declared.get(name)?.access;
  return access === 'rw' || access === 'ro';
}
