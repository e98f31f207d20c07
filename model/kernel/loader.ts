/**
 * The module loader around the livepatch core: insmod runs a livepatch
 * module's init (klp_enable_patch) or a target module's coming notifier and
 * init; rmmod checks the reference count and runs exit and the going notifier.
 */
import type { KernelCore, LoadedModule } from './core.ts';
import type { ModuleDef, PatchAttrs, PatchDef } from './definitions.ts';
import { fail, OK, type Outcome } from './errno.ts';
import { buildPatch, enablePatch } from './enable.ts';
import { runningCode } from './func-stack.ts';
import { moduleComing, moduleGoing } from './module-notifier.ts';
import { KLP_TRANSITION_IDLE, KLP_TRANSITION_PATCHED, KLP_TRANSITION_UNPATCHED, Task } from './runtime.ts';

/** kstrtobool's accepted spellings. */
export function parseBool(v: string): boolean | null {
  const c = v.trim().toLowerCase();
  if (['1', 'y', 'yes', 'on', 'true'].includes(c)) return true;
  if (['0', 'n', 'no', 'off', 'false'].includes(c)) return false;
  return null;
}

function parseAttr(current: unknown, value: string): unknown {
  if (typeof current === 'boolean') return parseBool(value) ?? false;
  if (Array.isArray(current)) return value === '' ? [] : value.split(',').map(Number);
  if (typeof current === 'number') return Number(value);
  return parseBool(value) ?? Number(value);
}

/** Module parameters that set patch attributes (test_klp_atomic_replace.ko replace=1). */
function attrsFromParams(def: PatchDef, params: ReadonlyMap<string, string>): PatchAttrs {
  const attrs: Record<string, unknown> = { ...(def.attrs ?? {}) };
  for (const [param, attr] of Object.entries(def.attr_params ?? {})) {
    const v = params.get(param);
    if (v !== undefined) attrs[attr] = parseAttr(attrs[attr], v);
  }
  return attrs as PatchAttrs;
}

function withDefaults(defaults: Readonly<Record<string, string>> | undefined, given: Readonly<Record<string, string>>) {
  return new Map(Object.entries({ ...(defaults ?? {}), ...given }));
}

function insmodLivepatch(k: KernelCore, def: PatchDef, given: Readonly<Record<string, string>>): Outcome {
  if (!k.taintReported) {
    k.log.raw(`${def.name}: tainting kernel with TAINT_LIVEPATCH`);
    k.taintReported = true;
  }
  const params = withDefaults(def.params, given);
  const patch = buildPatch(def, attrsFromParams(def, params), k.hooks.writableAttrs);
  const entry: LoadedModule = { kind: 'livepatch', def, params, patch };
  k.modules.set(def.name, entry);
  const outcome = enablePatch(k, patch);
  if (!outcome.ok) k.modules.delete(def.name);
  return outcome;
}

/** A module's busy work function: logs, and a worker task that may sleep inside it. */
function startBusyWork(k: KernelCore, def: ModuleDef, params: ReadonlyMap<string, string>): void {
  const work = def.busy_work;
  if (!work) return;
  for (const l of work.enter_log) k.log.module(def.name, l);
  if (!parseBool(params.get(work.param) ?? 'n')) {
    for (const l of work.exit_log) k.log.module(def.name, l);
    return;
  }
  const task = new Task(`${def.name}:work`, def.name);
  if (k.transition) {
    // A new task inherits its parent's transition state (facts A, "Per task").
    task.patch_state = k.target === KLP_TRANSITION_PATCHED ? KLP_TRANSITION_UNPATCHED : KLP_TRANSITION_PATCHED;
    task.pending = true;
  } else task.patch_state = KLP_TRANSITION_IDLE;
  const key = `${def.name}:${work.func},0`;
  task.blocked = { key, code: runningCode(k, task, key) };
  k.tasks.push(task);
}

function insmodTarget(k: KernelCore, def: ModuleDef, given: Readonly<Record<string, string>>): Outcome {
  const params = withDefaults(def.params, given);
  const entry: LoadedModule = { kind: 'target', def, params, klp_alive: false };
  k.modules.set(def.name, entry);
  const outcome = moduleComing(k, def.name, (alive) => (entry.klp_alive = alive));
  if (!outcome.ok) {
    k.modules.delete(def.name);
    return outcome;
  }
  for (const l of def.init_log ?? []) k.log.module(def.name, l);
  startBusyWork(k, def, params);
  return OK;
}

export function insmod(k: KernelCore, name: string, params: Readonly<Record<string, string>>): Outcome {
  if (k.modules.has(name)) return fail('EEXIST');
  const lp = k.universe.patches.find((p) => p.name === name);
  if (lp) return insmodLivepatch(k, lp, params);
  const mod = k.universe.modules.find((m) => m.name === name);
  if (mod) return insmodTarget(k, mod, params);
  return fail('ENOENT');
}

/**
 * rmmod: a livepatch module holds a reference while its patch is registered,
 * and forever once forced (facts B.3, B.2 "Force"); -EBUSY is "in use".
 */
export function rmmod(k: KernelCore, name: string): Outcome {
  const m = k.modules.get(name);
  if (!m) return fail('ENOENT');
  if (m.kind === 'livepatch') {
    if (m.patch && (m.patch.registered || m.patch.forced)) return fail('EBUSY');
    k.modules.delete(name);
    k.log.event({ kind: 'module_removed', module: name });
    return OK;
  }
  const work = m.def.busy_work;
  const worker = k.tasks.findIndex((t) => t.owner === name);
  if (worker >= 0) {
    k.tasks.splice(worker, 1);
    for (const l of work?.exit_log ?? []) k.log.module(name, l);
  }
  for (const l of m.def.exit_log ?? []) k.log.module(name, l);
  moduleGoing(k, name, (alive) => (m.klp_alive = alive));
  k.modules.delete(name);
  k.log.event({ kind: 'module_removed', module: name });
  return OK;
}
