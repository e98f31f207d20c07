/**
 * /sys/kernel/livepatch/<patch>/: the writes (enabled_store, force_store;
 * facts B.3, B.2 "Force") and a read-only view of every attribute.
 */
import { runObjectCallback } from './callbacks.ts';
import type { KernelCore } from './core.ts';
import { sysfsFuncName } from './definitions.ts';
import { OK, refused, type Outcome } from './errno.ts';
import { parseBool } from './loader.ts';
import { KLP_TRANSITION_UNPATCHED, type KPatch } from './runtime.ts';
import { blocksDisable, statesPreUnpatch } from './states.ts';
import { forceTransition, initTransition, perState, reverseTransition, startTransition, tryCompleteTransition } from './transition.ts';

/** __klp_disable_patch. */
function disablePatch(k: KernelCore, patch: KPatch): Outcome {
  if (k.transition) return refused('EBUSY');
  const refusal = k.hooks.disableRefusal(k.klp_patches, patch);
  if (refusal) return refused(refusal);
  initTransition(k, patch, KLP_TRANSITION_UNPATCHED);
  if (perState(k)) statesPreUnpatch(k, patch);
  for (const obj of patch.objs) if (obj.patched) runObjectCallback(k, obj, 'pre_unpatch', 'LIVE');
  startTransition(k);
  patch.enabled = false;
  tryCompleteTransition(k);
  return OK;
}

/** enabled_store. A missing sysfs directory is ENOENT, as the shell's redirection sees it. */
export function writeEnabled(k: KernelCore, patch: KPatch | undefined, value: string): Outcome {
  if (!patch?.registered) return refused('ENOENT');
  const enable = parseBool(value);
  if (enable === null) return refused('EINVAL');
  if (patch.enabled === enable) return refused('EINVAL');
  if (!enable && perState(k) && blocksDisable(patch)) {
    k.log.klp(`The livepatch '${patch.modName}' does not support disable`);
    return refused('EINVAL');
  }
  if (patch === k.transition) {
    reverseTransition(k);
    return OK;
  }
  return enable ? refused('EINVAL') : disablePatch(k, patch);
}

/**
 * force_store: the value is parsed first and 0 is accepted as a no-op on any
 * patch; only 1 asks for the transition patch (facts B.2 "Force": "writing 0
 * is a no-op"; facts D: force=1 on a patch not in transition is -EINVAL).
 */
export function writeForce(k: KernelCore, patch: KPatch | undefined, value: string): Outcome {
  if (!patch?.registered) return refused('ENOENT');
  const v = parseBool(value);
  if (v === null) return refused('EINVAL');
  if (!v) return OK;
  if (patch !== k.transition) return refused('EINVAL');
  forceTransition(k);
  return OK;
}

/** A writable attribute a semantics adds (hybrid mode's `replaceable`, facts F.1): -EAGAIN in transition. */
export function writeAttr(k: KernelCore, patch: KPatch | undefined, attr: string, value: string): Outcome {
  if (!patch?.registered) return refused('ENOENT');
  if (!patch.writable.has(attr)) return refused('EACCES');
  const v = parseBool(value);
  if (v === null) return refused('EINVAL');
  if (patch === k.transition) return refused('EAGAIN');
  patch.writable.set(attr, v);
  return OK;
}

const b = (x: boolean) => (x ? '1' : '0');

/** Every file under /sys/kernel/livepatch/<patch>/ with its content. */
export function readSysfs(k: KernelCore, patch: KPatch): Record<string, string> {
  const files: Record<string, string> = {
    enabled: b(patch.enabled),
    transition: b(patch === k.transition),
    // force is write-only (--w-------): listed so that its presence can be checked.
    force: '',
    ...k.hooks.sysfsAttrs(patch),
  };
  const order = k.klp_patches.indexOf(patch);
  if (order >= 0) files.stack_order = String(order + 1);
  for (const [attr, v] of patch.writable) files[attr] = b(v);
  for (const obj of patch.objs) {
    files[`${obj.name}/patched`] = b(obj.patched);
    // Each func's directory, named by klp_init_func (listed so that its presence can be checked).
    for (const f of obj.funcs) files[`${obj.name}/${sysfsFuncName(f.old_name ?? '', f.old_sympos)}`] = '';
  }
  return files;
}
