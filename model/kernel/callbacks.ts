/**
 * What the test modules' callbacks do. The C code lives in
 * tools/testing/selftests/livepatch/test_modules (upstream) and in
 * pmladek/linux (per-state versions); klpcheck models each by its observable
 * effect: the lines it prints, the state API calls it makes, and its return
 * value. Facts E.0 and E.7.
 */
import { kstrtoint } from './kstrtoint.ts';
import { PRE_PATCH_RET } from './module-params.ts';
import type { CallbackName } from './log.ts';
import type { KernelLog } from './log.ts';
import type { KObject, KState } from './runtime.ts';
import type { ShadowStore } from './shadow.ts';

/** The module state text test_klp_callbacks_demo prints for a module object (facts E.0). */
export type ModuleStateText = 'LIVE' | 'COMING' | 'GOING';
const MODULE_STATE_TEXT: Readonly<Record<ModuleStateText, string>> = {
  LIVE: '[MODULE_STATE_LIVE] Normal state',
  COMING: '[MODULE_STATE_COMING] Full formed, running module_init',
  GOING: '[MODULE_STATE_GOING] Going away',
};

/** What a callback may ask of the core. */
export interface CallbackContext {
  readonly log: KernelLog;
  /** The current value of a livepatch module's parameter. */
  param(patch: string, name: string): string | undefined;
  /** klp_get_prev_state (facts C.2): the newest older patch's state with this id, during a transition. */
  prevState(id: number): KState | null;
  /** klp_shadow_alloc on behalf of callback code. */
  shadowAlloc(obj: number, id: number): void;
  /** The shadow variable API, for callbacks that read and write their variables' data. */
  readonly shadow: ShadowStore;
}

/** The int module parameter pre_patch_ret as the module holds it: kstrtoint's reading, 0 while unset or unreadable. */
function preRet(ctx: CallbackContext, patch: string): number {
  const v = kstrtoint(ctx.param(patch, PRE_PATCH_RET) ?? '0');
  return typeof v === 'number' ? v : 0;
}

/** Upstream test_klp_state.c / test_klp_state2.c: the console_loglevel state (facts E.0, E.3). */
function consoleLoglevel(ctx: CallbackContext, mod: string, cb: CallbackName, takesOver: boolean): void {
  const prev = takesOver ? ctx.prevState(1) : null;
  const line = (fn: string, text: string) => ctx.log.module(mod, `${fn}: ${text}`);
  switch (cb) {
    case 'pre_patch':
      return line('allocate_loglevel_state', prev ? 'space to store console_loglevel already allocated' : 'allocating space to store console_loglevel');
    case 'post_patch':
      return line('fix_console_loglevel', prev ? 'taking over the console_loglevel change' : 'fixing console_loglevel');
    case 'pre_unpatch':
      return line('restore_console_loglevel', prev ? 'passing the console_loglevel change back to the old livepatch' : 'restoring console_loglevel');
    case 'post_unpatch':
      return line('free_loglevel_state', prev ? 'keeping space to store console_loglevel' : 'freeing space for the stored console_loglevel');
  }
}

/** Runs one object callback; returns its return value (only pre_patch's is used). */
export function runObjectCallback(
  ctx: CallbackContext,
  obj: KObject,
  cb: CallbackName,
  moduleState: ModuleStateText,
): number {
  const mod = obj.patch.name;
  const style = obj.callbacks;
  if (style === 'none') return 0;
  const where = obj.isVmlinux ? obj.name : `${obj.modName} -> ${MODULE_STATE_TEXT[moduleState]}`;
  ctx.log.module(mod, `${cb}_callback: ${where}`);
  if (style === 'console_loglevel_v1' || style === 'console_loglevel_v2') {
    consoleLoglevel(ctx, mod, cb, style === 'console_loglevel_v2');
  }
  const ret = cb === 'pre_patch' ? preRet(ctx, mod) : 0;
  ctx.log.event({ kind: 'object_callback', patch: mod, obj: obj.name, cb, ret });
  return ret;
}

/**
 * The speaker livepatch numbers its applause states from 10 and prints the
 * second one as "2": pre_patch stores "[]" / "[2]", post_patch "[APPLAUSE]" /
 * "[APPLAUSE2]", pre_unpatch the empty form again (pmladek/linux
 * test-state-callbacks.sh, "multiple livepatches in parallel": "freeing applause [2]").
 */
function applauseIndex(id: number): string {
  return id === 10 ? '' : String(id - 10 + 1);
}

const ERRNO_NAME: Readonly<Record<number, string>> = { [-19]: '-ENODEV', [-22]: '-EINVAL', [-16]: '-EBUSY' };

/** Runs one per-state callback (facts C.3, E.7); returns its return value. */
export function runStateCallback(ctx: CallbackContext, state: KState, cb: CallbackName): number {
  const mod = state.patch.name;
  const style = state.def.callbacks ?? 'none';
  const id = state.id;
  let ret = 0;
  if (style === 'console_loglevel') {
    const suffix = cb === 'post_unpatch' ? ' (nope)' : '';
    ctx.log.module(mod, `${cb}_callback: state ${id}${suffix}`);
    const fn: Readonly<Record<CallbackName, [string, string] | null>> = {
      pre_patch: ['allocate_loglevel_state', 'allocating space to store console_loglevel'],
      post_patch: ['fix_console_loglevel', 'fixing console_loglevel'],
      pre_unpatch: ['restore_console_loglevel', 'restoring console_loglevel'],
      post_unpatch: null,
    };
    const l = fn[cb];
    if (l) ctx.log.module(mod, `${l[0]}: ${l[1]}`);
    if (cb === 'pre_patch') ctx.shadowAlloc(0, id);
  } else if (style === 'applause') {
    const suffix = cb === 'post_unpatch' ? ' (nope)' : '';
    ctx.log.module(mod, `applause_${cb}_callback: state ${id}${suffix}`);
    if (cb === 'pre_patch') {
      ret = preRet(ctx, mod);
      if (ret) ctx.log.module(mod, `applause_pre_patch_callback: forcing err: ${ERRNO_NAME[ret] ?? ret}`);
      else {
        ctx.shadowAlloc(0, id);
        ctx.shadow.setText(0, id, `[${applauseIndex(id)}]`);
      }
    } else if (cb === 'post_patch') ctx.shadow.setText(0, id, `[APPLAUSE${applauseIndex(id)}]`);
    else if (cb === 'pre_unpatch') ctx.shadow.setText(0, id, `[${applauseIndex(id)}]`);
  } else if (style === 'trace') {
    ctx.log.module(mod, `state ${id}: ${cb}`);
  }
  ctx.log.event({ kind: 'state_callback', patch: mod, state: id, cb, ret });
  return ret;
}

/** A state's shadow_dtor, called once per shadow variable that the core frees (facts C.3). */
export function runShadowDtor(ctx: CallbackContext, state: KState, obj: number, data = 0): void {
  const mod = state.patch.name;
  switch (state.def.callbacks ?? 'none') {
    case 'console_loglevel':
      return ctx.log.module(mod, 'shadow_conosle_loglevel_dtor: freeing space for the stored console_loglevel');
    case 'applause':
      return ctx.log.module(mod, `applause_shadow_dtor: freeing applause ${ctx.shadow.dataText(data)} (nope)`);
    case 'trace':
      return ctx.log.module(mod, `state ${state.id}: shadow_dtor obj=${obj}`);
    case 'none':
      return;
  }
}
