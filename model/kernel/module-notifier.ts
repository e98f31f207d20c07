/**
 * klp_module_coming and klp_module_going (facts B.4, B.5): patching a module
 * that loads after its livepatch, and reverting it when the module goes.
 */
import { runObjectCallback } from './callbacks.ts';
import type { KernelCore } from './core.ts';
import { errnoByNumber, fail, OK, type Outcome } from './errno.ts';
import { initObjectLoaded } from './enable.ts';
import { patchObject, unpatchObject } from './func-stack.ts';
import type { KObject, KPatch } from './runtime.ts';
import { kernelModuleName } from './definitions.ts';

function objectFor(patch: KPatch, mod: string): KObject | undefined {
  return patch.objs.find((o) => o.name === mod);
}

/** klp_cleanup_module_patches_limited: revert `mod` in every patch before `limit`. */
function cleanupModulePatches(k: KernelCore, mod: string, limit: KPatch | null, going: boolean): void {
  for (const patch of k.klp_patches) {
    if (patch === limit) break;
    const obj = objectFor(patch, mod);
    if (!obj || !obj.loaded) continue;
    if (patch !== k.transition) runObjectCallback(k, obj, 'pre_unpatch', going ? 'GOING' : 'COMING');
    k.log.klp(`reverting patch '${patch.modName}' on unloading module '${kernelModuleName(mod)}'`);
    unpatchObject(k, obj);
    if (obj.post_unpatch_enabled) {
      runObjectCallback(k, obj, 'post_unpatch', going ? 'GOING' : 'COMING');
      obj.post_unpatch_enabled = false;
    }
    obj.loaded = false;
  }
}

/** klp_module_coming: runs before the module's init. A failure refuses the module. */
export function moduleComing(k: KernelCore, mod: string, setAlive: (alive: boolean) => void): Outcome {
  if (mod === 'vmlinux') {
    k.log.klp('vmlinux.ko: invalid module name');
    return fail('EINVAL');
  }
  setAlive(true);
  for (const patch of k.klp_patches) {
    const obj = objectFor(patch, mod);
    if (!obj) continue;
    obj.loaded = true;
    let ret = initObjectLoaded(k, obj);
    if (ret) {
      k.log.klp(`failed to initialize patch '${patch.modName}' for module '${kernelModuleName(mod)}' (${ret})`);
    } else {
      k.log.klp(`applying patch '${patch.modName}' to loading module '${kernelModuleName(mod)}'`);
      ret = runObjectCallback(k, obj, 'pre_patch', 'COMING');
      obj.post_unpatch_enabled = ret === 0;
      if (ret) k.log.klp(`pre-patch callback failed for object '${kernelModuleName(mod)}'`);
      else if (patchObject(k, obj)) {
        ret = -16;
        k.log.klp(`failed to apply patch '${patch.modName}' to module '${kernelModuleName(mod)}' (${ret})`);
        runObjectCallback(k, obj, 'post_unpatch', 'COMING');
        obj.post_unpatch_enabled = false;
      } else if (patch !== k.transition) {
        runObjectCallback(k, obj, 'post_patch', 'COMING');
      }
    }
    if (ret) {
      k.log.klp(
        `patch '${patch.modName}' failed for module '${kernelModuleName(mod)}', refusing to load module '${kernelModuleName(mod)}'`,
      );
      setAlive(false);
      obj.loaded = false;
      cleanupModulePatches(k, mod, patch, false);
      return fail(errnoByNumber(ret) ?? 'EINVAL');
    }
  }
  return OK;
}

/** klp_module_going: runs after the module's exit; never changes enabled or transition. */
export function moduleGoing(k: KernelCore, mod: string, setAlive: (alive: boolean) => void): void {
  setAlive(false);
  cleanupModulePatches(k, mod, null, true);
}
