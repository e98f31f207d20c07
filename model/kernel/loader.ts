/**
 * The module loader around the livepatch core: insmod runs a livepatch
 * module's init (klp_enable_patch) or a target module's coming notifier and
 * init; rmmod checks the reference count and runs exit and the going notifier.
 */
import type { KernelCore, LoadedModule } from './core.ts';
import { attrsAtLoad } from './attr-params.ts';
import { funcKey, kernelModuleName, type ModuleDef, type PatchDef, type StateDef } from './definitions.ts';
import { OK, fail, refused, type Errno, type Outcome } from './errno.ts';
import { buildPatch, enablePatch } from './enable.ts';
import { startBusyWork, stopBusyWork } from './busy-work.ts';
import { parseBool } from './kstrtobool.ts';
import { registerKprobe, unregisterKprobe } from './ftrace-users.ts';
import { moduleComing, moduleGoing } from './module-notifier.ts';
import { livepatchParams, splitArgs, targetParams, type DeclaredParams } from './module-params.ts';

export { parseBool };

/**
 * The states a livepatch module carries for its parameters: the speaker
 * livepatch builds its states from applause=/applause2=, pmladek's
 * test_klp_state drops its state for no_state=1 and sets block_disable for
 * state_block_disable=1 (facts E.7).
 */
function statesFor(def: PatchDef, params: ReadonlyMap<string, string>): StateDef[] {
  if (!def.states?.length) return [];
  return def.states
    .filter((s) => (s.if_param === undefined || paramOn(params, s.if_param)) && !paramOn(params, s.unless_param))
    .map((s) => (paramOn(params, s.block_disable_param) ? { ...s, block_disable: true } : s));
}

/**
 * Whether module parameter `p` is set to a true value (kstrtobool; unset is
 * 'n'). A function of the file, not a closure in statesFor: tsx names each
 * named closure as it is made, and that was 4% of a random run.
 */
function paramOn(params: ReadonlyMap<string, string>, p: string | undefined): boolean {
  return p !== undefined && parseBool(params.get(p) ?? 'n') === true;
}

/**
 * parse_args over the insmod line (kernel/module/main.c load_module;
 * module-params.ts splitArgs): the module's parameters, its defaults
 * overridden by what the line sets, the lines parse_args logs, and the errno
 * that fails the load when a set operation refused a value.
 */
function parseArgs(
  def: PatchDef | ModuleDef,
  declared: DeclaredParams,
  given: Readonly<Record<string, string>>,
): { params: Map<string, string>; lines: readonly string[]; errno: Errno | null } {
  const { own, lines, errno } = splitArgs(def.name, declared, given);
  return { params: new Map(Object.entries({ ...(def.params ?? {}), ...own })), lines, errno };
}

function logArgs(k: KernelCore, lines: readonly string[]): void {
  for (const l of lines) k.log.raw(l);
}

function insmodLivepatch(k: KernelCore, def: PatchDef, given: Readonly<Record<string, string>>): Outcome {
  // The loader taints only for a module marked MODULE_INFO(livepatch, "Y"), once per boot.
  if (!k.taintReported && def.livepatch_modinfo !== false) {
    k.log.raw(`${kernelModuleName(def.name)}: tainting kernel with TAINT_LIVEPATCH`);
    k.taintReported = true;
  }
  // parse_args runs after the coming notifiers, which do nothing for a patch not yet registered.
  const { params, lines, errno } = parseArgs(def, livepatchParams(def), given);
  logArgs(k, lines);
  if (errno) return fail(errno);
  const patch = buildPatch(def, attrsAtLoad(def, params), k.hooks.writableAttrs, statesFor(def, params));
  const entry: LoadedModule = { kind: 'livepatch', def, params, patch };
  k.modules.set(def.name, entry);
  const outcome = enablePatch(k, patch);
  if (!outcome.ok) k.modules.delete(def.name);
  return outcome;
}

function kprobeOf(def: ModuleDef, params: ReadonlyMap<string, string>): { key: string; post: boolean } | null {
  if (!def.kprobe) return null;
  const [obj, func] = def.kprobe.func.split(':') as [string, string];
  const p = def.kprobe.post_handler_param;
  return { key: funcKey(obj, func), post: p !== undefined && parseBool(params.get(p) ?? 'n') === true };
}

/** The module's init: its line, its work (before or after the line), its kprobe. */
function initTarget(k: KernelCore, def: ModuleDef, params: ReadonlyMap<string, string>): Outcome {
  if (def.busy_work?.before_init) startBusyWork(k, def, params);
  for (const l of def.init_log ?? []) k.log.module(def.name, l);
  if (!def.busy_work?.before_init) startBusyWork(k, def, params);
  const probe = kprobeOf(def, params);
  return probe ? registerKprobe(k, probe.key, probe.post) : OK;
}

function insmodTarget(k: KernelCore, def: ModuleDef, given: Readonly<Record<string, string>>): Outcome {
  const { params, lines, errno } = parseArgs(def, targetParams(def), given);
  const entry: LoadedModule = { kind: 'target', def, params, klp_alive: false };
  k.modules.set(def.name, entry);
  let outcome = moduleComing(k, def.name, (alive) => (entry.klp_alive = alive));
  if (outcome.ok) {
    // parse_args runs after the coming notifiers (prepare_coming_module), before the module's init;
    // a refused value fails the load there, and the going notifiers follow (load_module's coming_cleanup).
    logArgs(k, lines);
    outcome = errno ? fail(errno) : initTarget(k, def, params);
    // A failing init is followed by the going notifier, as for any module load.
    if (!outcome.ok) moduleGoing(k, def.name, (alive) => (entry.klp_alive = alive));
  }
  if (!outcome.ok) k.modules.delete(def.name);
  return outcome;
}

export function insmod(k: KernelCore, name: string, params: Readonly<Record<string, string>>): Outcome {
  if (k.modules.has(name)) return refused('EEXIST');
  const lp = k.universe.patches.find((p) => p.name === name);
  if (lp) return insmodLivepatch(k, lp, params);
  const mod = k.universe.modules.find((m) => m.name === name);
  if (mod) return insmodTarget(k, mod, params);
  return refused('ENOENT');
}

/**
 * rmmod: a livepatch module holds a reference while its patch is registered,
 * and forever once forced (facts B.3, B.2 "Force"); -EBUSY is "in use".
 */
export function rmmod(k: KernelCore, name: string): Outcome {
  const m = k.modules.get(name);
  if (!m) return refused('ENOENT');
  if (m.kind === 'livepatch') {
    if (m.patch && (m.patch.registered || m.patch.forced)) return refused('EBUSY');
    k.modules.delete(name);
    k.log.event({ kind: 'module_removed', module: name });
    return OK;
  }
  stopBusyWork(k, m.def);
  for (const l of m.def.exit_log ?? []) k.log.module(name, l);
  const probe = kprobeOf(m.def, m.params);
  if (probe) unregisterKprobe(k, probe.key);
  moduleGoing(k, name, (alive) => (m.klp_alive = alive));
  k.modules.delete(name);
  k.log.event({ kind: 'module_removed', module: name });
  return OK;
}
