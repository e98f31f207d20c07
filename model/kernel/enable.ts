/**
 * klp_enable_patch, called from a livepatch module's init, with its checks in
 * the kernel's order (facts B.1), klp_add_nops, klp_init_object and
 * __klp_enable_patch.
 */
import { runObjectCallback } from './callbacks.ts';
import type { KernelCore } from './core.ts';
import { sysfsFuncName, type PatchAttrs, type PatchDef, type StateDef } from './definitions.ts';
import { errnoByNumber, fail, OK, type Errno, type Outcome } from './errno.ts';
import { patchObject } from './func-stack.ts';
import { KFunc, KLP_TRANSITION_PATCHED, KObject, KPatch } from './runtime.ts';
import { statesPrePatch, statesPreUnpatchReplaced } from './states.ts';
import { resolveFunc } from './symbols.ts';
import {
  cancelTransition,
  freePatch,
  initTransition,
  patchesBefore,
  perState,
  startTransition,
  tryCompleteTransition,
} from './transition.ts';

/** MODULE_NAME_LEN and KSYM_NAME_LEN (facts A, D). */
export const MODULE_NAME_LEN = 56;
export const KSYM_NAME_LEN = 512;

/** klp_init_patch_early: the static objects and funcs. */
export function buildPatch(
  def: PatchDef,
  attrs: PatchAttrs,
  writable: readonly string[],
  states: readonly StateDef[] = def.states ?? [],
): KPatch {
  const flags = new Map(writable.map((a) => [a, Boolean((attrs as Record<string, unknown>)[a])]));
  const patch = new KPatch(def, attrs, flags, states);
  for (const o of def.objects ?? []) {
    const obj = new KObject(patch, o.name, false, o.callbacks ?? 'none');
    for (const f of o.funcs ?? []) obj.funcs.push(new KFunc(obj, f.old_name, f.old_sympos ?? 0, false, f.new_func !== false));
    patch.objs.push(obj);
  }
  return patch;
}

/**
 * klp_find_func: same old_name, and the same old_sympos with 0 and 1 taken
 * as one (torvalds/linux commit 139560e8b973, Song Liu, October 2025: before
 * it, a nop `f,0` beside a func `f,1` failed the load with -EEXIST on the
 * duplicate sysfs name). That is the resolved function, the func's key. A
 * NULL old_name is dereferenced (facts F.4.7).
 */
function hasFunc(k: KernelCore, obj: KObject, oldFunc: KFunc): boolean {
  return obj.funcs.some((f) => {
    if (f.old_name === null || oldFunc.old_name === null) {
      k.log.event({ kind: 'warn', message: 'NULL old_name dereferenced in klp_find_func' });
      return false;
    }
    return f.key === oldFunc.key;
  });
}

/** klp_add_nops: cover every func of the nop sources that the new patch does not patch. */
function addNops(k: KernelCore, patch: KPatch): void {
  for (const old of k.hooks.nopSources(k.klp_patches, patch)) {
    for (const oldObj of old.objs) {
      let obj = patch.objs.find((o) => o.name === oldObj.name);
      if (!obj) {
        obj = new KObject(patch, oldObj.name, true, 'none');
        patch.objs.push(obj);
      }
      for (const oldFunc of oldObj.funcs) {
        if (hasFunc(k, obj, oldFunc)) continue;
        obj.funcs.push(new KFunc(obj, oldFunc.old_name, oldFunc.old_sympos, true, true));
      }
    }
  }
}

/**
 * klp_init_object (+ klp_init_func, klp_init_object_loaded): returns 0 or a
 * negative errno. `added` holds the object directories the patch has so far:
 * klp_init_object's kobject_add of a second object of one name (two
 * "vmlinux" entries) fails with -EEXIST (kernel/livepatch/core.c).
 */
function initObject(k: KernelCore, obj: KObject, added: Set<string>): number {
  if (!obj.isVmlinux && obj.name.length >= MODULE_NAME_LEN) return -22;
  if (added.has(obj.name)) return -17;
  added.add(obj.name);
  obj.loaded = k.objectAlive(obj.name);
  const dirs = new Set<string>();
  for (const f of obj.funcs) {
    if (f.old_name === null || (!f.hasNewFunc && !f.nop) || f.old_name.length >= KSYM_NAME_LEN) return -22;
    // klp_init_func's kobject_add: two funcs with one sysfs name (f,0 and f,1) fail with -EEXIST.
    const dir = sysfsFuncName(f.old_name, f.old_sympos);
    if (dirs.has(dir)) return -17;
    dirs.add(dir);
  }
  return obj.loaded ? initObjectLoaded(k, obj) : 0;
}

export function initObjectLoaded(k: KernelCore, obj: KObject): number {
  for (const f of obj.funcs) {
    const ret = resolveFunc(k, f);
    if (ret) return ret;
  }
  return 0;
}

/** klp_init_patch: sysfs directory, nops, objects, then onto klp_patches. */
function initPatch(k: KernelCore, patch: KPatch): number {
  patch.registered = true;
  addNops(k, patch);
  const added = new Set<string>();
  for (const obj of patch.objs) {
    const ret = initObject(k, obj, added);
    if (ret) return ret;
  }
  k.klp_patches.push(patch);
  return 0;
}

/** __klp_enable_patch: returns 0 or a negative errno. */
function doEnable(k: KernelCore, patch: KPatch): number {
  if (k.transition) return -16;
  k.log.klp(`enabling patch '${patch.modName}'`);
  initTransition(k, patch, KLP_TRANSITION_PATCHED);
  let ret = 0;
  if (perState(k)) {
    ret = statesPrePatch(k, patch);
    if (!ret) statesPreUnpatchReplaced(k, k.hooks.replaced(patchesBefore(k, patch), patch));
  }
  for (const obj of ret ? [] : patch.objs) {
    if (!obj.loaded) continue;
    ret = runObjectCallback(k, obj, 'pre_patch', 'LIVE');
    obj.post_unpatch_enabled = ret === 0;
    if (ret) {
      k.log.klp(`pre-patch callback failed for object '${obj.modName}'`);
      break;
    }
    const err = patchObject(k, obj);
    if (err) {
      k.log.klp(`failed to patch object '${obj.modName}'`);
      ret = -16;
      break;
    }
  }
  if (ret) {
    k.log.klp(`failed to enable patch '${patch.modName}'`);
    cancelTransition(k);
    return ret;
  }
  startTransition(k);
  patch.enabled = true;
  tryCompleteTransition(k);
  return 0;
}

const toErrno = (ret: number): Errno => errnoByNumber(ret) ?? 'EINVAL';

/** klp_enable_patch (facts B.1): the whole init of a livepatch module. */
export function enablePatch(k: KernelCore, patch: KPatch): Outcome {
  const def = patch.def;
  if (def.objects === null) return fail('EINVAL');
  if (def.objects.some((o) => o.funcs === null)) return fail('EINVAL');
  if (def.livepatch_modinfo === false) {
    k.log.klp(`module ${patch.modName} is not marked as a livepatch module`);
    return fail('EINVAL');
  }
  if (!k.config.livepatch_initialized) return fail('ENODEV');
  if (!k.config.reliable_stacktrace) {
    k.log.klp("This architecture doesn't have support for the livepatch consistency model.");
    k.log.klp('The livepatch transition may never complete.');
  }
  if (!k.hooks.isCompatible(k.klp_patches, patch)) {
    k.log.klp(`Livepatch patch (${patch.modName}) is not compatible with the already installed livepatches.`);
    return fail('EINVAL');
  }
  let ret = initPatch(k, patch);
  if (!ret) ret = doEnable(k, patch);
  if (ret) {
    freePatch(k, patch);
    return fail(toErrno(ret));
  }
  return OK;
}
