/**
 * The references a JSON Schema cannot check, in one place for every file
 * that carries a universe (scenarios, thread scenarios, counterexamples):
 * names in the universe that must be unique, and operations that must name a
 * patch, module, task or function the universe has. Each failure is one
 * KlpcheckError with the JSON pointer of the offending field.
 */
import { funcKey, kernelModuleName, namedFuncKey, type Universe } from '../model/kernel/definitions.ts';
import { taskNames } from '../model/kernel/definitions.ts';
import { MODULE_NAME_LEN } from '../model/kernel/enable.ts';
import { KlpcheckError, pointer } from './errors.ts';
import type { Op } from './ops.ts';

/** What a universe declares, by name. */
export interface UniverseNames {
  readonly patches: ReadonlySet<string>;
  /** Livepatch modules and target modules: what insmod and rmmod may name. */
  readonly modules: ReadonlySet<string>;
  /** task0..taskN-1 (kernel.tasks, default 2). */
  readonly tasks: ReadonlySet<string>;
  /** `object:name` of every function the universe mentions: patched, printed, shown, worked in, probed, or in a symbol table. */
  readonly funcs: ReadonlySet<string>;
  /** funcKey (`object:name,sympos`) of every patched function. */
  readonly funcKeys: ReadonlySet<string>;
}

/**
 * Whether a scenario step's function, `obj:name` or `obj:name,sympos`, is
 * one the universe has: a name it mentions, or a patched function at that
 * position (position 0 and 1 are one, as funcKey has them, and name the
 * unique symbol of a name the universe mentions). `obj:name,sympos` was
 * refused, though the README and the schema take it (helper-127).
 */
export function namesFunc(names: UniverseNames, func: string): boolean {
  if (names.funcs.has(func)) return true;
  const key = namedFuncKey(func);
  return names.funcKeys.has(key) || (key.endsWith(',0') && names.funcs.has(key.slice(0, -2)));
}

/**
 * Checks that patch and module names are shorter than MODULE_NAME_LEN
 * (E_INEXPRESSIBLE: no kernel build makes such a module), do not start with
 * '-' (E_INEXPRESSIBLE: kmod's tools read one as an option) and are unique as the kernel spells them
 * (two patches named alike would share one sysfs directory, and 'lp-a' and
 * 'lp_a' are one module, lp_a: definitions.ts kernelModuleName; E_CONFLICT
 * at the second) and collects the names. `at` is the pointer of the universe
 * in its file.
 */
export function universeNames(u: Universe, file: string, at: readonly (string | number)[]): UniverseNames {
  const modules = new Set<string>();
  const spelled = new Map<string, string>();
  const unique = (name: string, where: readonly (string | number)[]) => {
    // modpost stops a build whose module name is MODULE_NAME_LEN or more (scripts/mod/modpost.c check_modname_len:
    // "module name is too long"), so no kernel ever loads one: the model ran it (hostile-user finding, stop 44). An
    // object may still name one: klp_init_object refuses that at load, with -EINVAL (model/kernel/enable.ts).
    if (name.length >= MODULE_NAME_LEN)
      throw new KlpcheckError(
        'E_INEXPRESSIBLE',
        `a module name of ${name.length} characters: modpost refuses one of MODULE_NAME_LEN (${MODULE_NAME_LEN}) or more ("module name is too long"), so no kernel loads it`,
        file,
        pointer(...at, ...where, 'name'),
      );
    // kmod's rmmod, insmod and modprobe read an argument that starts with '-' as an option: functions.sh's
    // unload_mod runs `rmmod "$mod"`, and `rmmod -f` is rmmod's --force with no module (hostile-user finding, stop 52:
    // the model logged `% rmmod -f` as ok). No selftest can load and unload such a module by its name.
    if (name.startsWith('-'))
      throw new KlpcheckError(
        'E_INEXPRESSIBLE',
        `a module name that starts with '-' ('${name}'): rmmod and modprobe read it as an option (rmmod -f is --force), so no selftest unloads it by name`,
        file,
        pointer(...at, ...where, 'name'),
      );
    const other = spelled.get(kernelModuleName(name));
    if (other !== undefined)
      throw new KlpcheckError(
        'E_CONFLICT',
        other === name
          ? `a module named '${name}' is declared twice`
          : `'${name}' and '${other}' are one module to the kernel, '${kernelModuleName(name)}' ('-' in a module name is '_'): declared twice`,
        file,
        pointer(...at, ...where, 'name'),
      );
    spelled.set(kernelModuleName(name), name);
    modules.add(name);
  };
  u.patches.forEach((p, i) => unique(p.name, ['patches', i]));
  u.modules.forEach((m, i) => unique(m.name, ['modules', i]));
  // The model matches an object to a module by the name as declared; the kernel by its own spelling (the VM's C
  // normalises both). An object naming a declared module by another spelling was never patched in the model, where a
  // kernel patches it (hostile-user finding, 2026-12-04): refused, with the spelling to write.
  u.patches.forEach((p, i) =>
    (p.objects ?? []).forEach((o, j) => {
      const declared = spelled.get(kernelModuleName(o.name));
      if (declared !== undefined && declared !== o.name)
        throw new KlpcheckError(
          'E_REFERENCE',
          `object '${o.name}' names module '${declared}' as the kernel spells it; write '${declared}', as the universe declares it (klpcheck matches an object to a module by its declared name)`,
          file,
          pointer(...at, 'patches', i, 'objects', j, 'name'),
        );
    }),
  );
  const funcs = new Set<string>();
  const funcKeys = new Set<string>();
  for (const p of u.patches) {
    for (const o of p.objects ?? []) {
      for (const f of o.funcs ?? []) {
        if (f.old_name === null) continue;
        funcs.add(`${o.name}:${f.old_name}`);
        funcKeys.add(funcKey(o.name, f.old_name, f.old_sympos ?? 0));
      }
    }
  }
  for (const s of Object.keys(u.kernel?.vmlinux_symbols ?? {})) funcs.add(`vmlinux:${s}`);
  for (const m of u.modules) {
    const own = [
      ...Object.keys(m.symbols ?? {}),
      ...Object.keys(m.outputs ?? {}),
      ...Object.values(m.param_show ?? {}),
      ...(m.busy_work ? [m.busy_work.func, ...(m.busy_work.exit_call ? [m.busy_work.exit_call.func] : [])] : []),
    ];
    for (const f of own) funcs.add(`${m.name}:${f}`);
    if (m.kprobe) funcs.add(m.kprobe.func);
  }
  return { patches: new Set(u.patches.map((p) => p.name)), modules, tasks: new Set(taskNames(u)), funcs, funcKeys };
}

/**
 * Every operation of a generated sequence (a counterexample's steps, a thread
 * scenario's ops) must name what the universe has. `funcKeys` adds the
 * functions a run observed beyond the patched ones (a record's
 * initial.running). `at(i)` is the pointer of operation i.
 */
export function checkOps(
  ops: readonly Op[],
  names: UniverseNames,
  file: string,
  at: (i: number) => readonly (string | number)[],
  funcKeys: Iterable<string> = [],
): void {
  const known = new Set([...names.funcKeys, ...funcKeys]);
  const tasks = new Set(names.tasks);
  ops.forEach((op, i) => {
    const bad = (field: string, what: string, name: string): never => {
      throw new KlpcheckError('E_REFERENCE', notInUniverse(what, name, names), file, pointer(...at(i), field));
    };
    if ('module' in op && !names.modules.has(op.module)) bad('module', 'module', op.module);
    // The schema shares the module op's shape between insmod and rmmod; rmmod has no parameters to take.
    if (op.op === 'rmmod' && (op as { params?: unknown }).params !== undefined)
      throw new KlpcheckError('E_SCHEMA', 'rmmod takes no params (insmod only)', file, pointer(...at(i), 'params'));
    if ('patch' in op && !names.patches.has(op.patch)) bad('patch', 'patch', op.patch);
    if ('task' in op && !tasks.has(op.task)) bad('task', 'task', op.task);
    if (op.op === 'block_task' && !known.has(op.func)) bad('func', 'function', op.func);
    // A fork names a new task, which later ops may name.
    if (op.op === 'fork') {
      if (tasks.has(op.child))
        throw new KlpcheckError('E_REFERENCE', `task '${op.child}' already exists`, file, pointer(...at(i), 'child'));
      tasks.add(op.child);
    }
  });
}

/**
 * "patch 'p9' is not in the universe", and, for a patch or module the
 * universe declares under another spelling of the same kernel name
 * ('klp-3a' for 'klp_3a'), which one to write: klpcheck names a module as
 * the universe declares it.
 */
export function notInUniverse(what: string, name: string, names: UniverseNames): string {
  const declared =
    what === 'patch' || what === 'module' ? [...names.modules].find((m) => kernelModuleName(m) === kernelModuleName(name)) : undefined;
  const hint =
    declared === undefined ? '' : ` (the universe declares '${declared}', one module with it to the kernel: write '${declared}')`;
  return `${what} '${name}' is not in the universe${hint}`;
}
