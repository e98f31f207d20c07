/**
 * What a test module's function prints when it is called: the original's
 * line from its module (ModuleDef.outputs) or the replacement's line from the
 * livepatch (FuncDef.output), whichever the ftrace handler picks for the
 * calling task. The speaker modules of Petr Mladek's per-state tests (facts
 * E.7) print this way when their `welcome` parameter is read and from their
 * blocking work.
 */
import type { KernelCore, LoadedModule } from './core.ts';
import { funcKey } from './definitions.ts';
import { runningCode } from './func-stack.ts';
import { Task, type Version } from './runtime.ts';

/** The shadow variables a replacement prints live on the NULL object (test_klp_speaker_livepatch.c). */
const SHADOW_OBJ = 0;

function shadowText(k: KernelCore, ids: readonly number[]): string {
  const text = ids.map((id) => k.shadow.text(SHADOW_OBJ, id) ?? '').join('');
  return text ? `${text} ` : '';
}

function replacementLine(k: KernelCore, patch: string, obj: string, func: string): { line: string; shadow: readonly number[] } | undefined {
  const def = k.patchByName(patch)?.def;
  const f = def?.objects?.find((o) => o.name === obj)?.funcs?.find((x) => x.old_name === func);
  return f?.output === undefined ? undefined : { line: f.output, shadow: f.output_shadow_ids ?? [] };
}

/** Calls obj:func as `task`; logs the line of the version that runs. Returns that version. */
export function callFunction(k: KernelCore, task: Task, obj: string, func: string, context = ''): Version {
  const version = runningCode(k, task, funcKey(obj, func));
  if (typeof version === 'string') {
    const line = version === 'original' ? k.universe.modules.find((m) => m.name === obj)?.outputs?.[func] : undefined;
    if (line !== undefined) k.log.module(obj, line.replace('{context}', context));
    return version;
  }
  const r = replacementLine(k, version.patch, obj, func);
  if (r) k.log.module(version.patch, r.line.replace('{shadow}', shadowText(k, r.shadow)).replace('{context}', context));
  return version;
}

/**
 * A new process (cat of a module parameter) inherits its parent's transition
 * state (facts A, "Per task"); its parent, the test shell, is task0.
 */
export function shellTask(k: KernelCore): Task {
  return k.tasks[0] ?? new Task('shell', null);
}

/** Reading /sys/module/<mod>/parameters/<param> calls the function the module shows it with, if any. */
export function readModuleParam(k: KernelCore, m: LoadedModule, param: string): void {
  const func = m.kind === 'target' ? m.def.param_show?.[param] : undefined;
  if (func !== undefined) callFunction(k, shellTask(k), m.def.name, func);
}
