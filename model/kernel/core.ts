/**
 * The livepatch core's global state (facts A, "Global state"): klp_patches,
 * klp_transition_patch, klp_target_state, the klp_ops func_stacks, the tasks
 * and the loaded modules. One KernelCore is one simulated boot; the files
 * beside this one are the functions of core.c, transition.c, patch.c and
 * state.c that act on it.
 */
import type { CallbackContext } from './callbacks.ts';
import { taskNames, type KernelConfig, type ModuleDef, type PatchDef, type Universe } from './definitions.ts';
import type { ReplaceHooks } from './hooks.ts';
import { KernelLog } from './log.ts';
import { KLP_TRANSITION_IDLE, Task, type KFunc, type KPatch, type KState } from './runtime.ts';
import { ShadowStore } from './shadow.ts';

/**
 * A loaded module. Its parameters are replaced, never changed in place
 * (Kernel.writeParam), so that a copy of the kernel may share them.
 */
export type LoadedModule =
  | { readonly kind: 'target'; readonly def: ModuleDef; params: ReadonlyMap<string, string>; klp_alive: boolean }
  | { readonly kind: 'livepatch'; readonly def: PatchDef; params: ReadonlyMap<string, string>; patch: KPatch | null };

export class KernelCore implements CallbackContext {
  readonly log = new KernelLog();
  readonly shadow = new ShadowStore(this.log);
  /** klp_patches in list order: enabled patches and the transition patch. */
  klp_patches: KPatch[] = [];
  transition: KPatch | null = null;
  target: -1 | 0 | 1 = KLP_TRANSITION_IDLE;
  signalsCnt = 0;
  /** klp_ops by function key; index 0 is the head (newest entry). */
  readonly funcStacks = new Map<string, KFunc[]>();
  readonly tasks: Task[];
  readonly modules = new Map<string, LoadedModule>();
  ftraceEnabled: boolean;
  /** Functions with a kprobe; true when it has a post_handler (an IPMODIFY conflict, facts E.6). */
  readonly kprobes = new Map<string, boolean>();
  /** Functions the function tracer follows (a non-IPMODIFY ftrace user, facts E.6). */
  readonly traced = new Set<string>();
  taintReported = false;
  readonly config: Required<Omit<KernelConfig, 'vmlinux_symbols'>> & Pick<KernelConfig, 'vmlinux_symbols'>;

  constructor(
    readonly universe: Universe,
    readonly hooks: ReplaceHooks,
    /** The tasks, when the caller makes them (a copy, clone.ts); default: the universe's boot tasks. */
    tasks?: Task[],
  ) {
    const c = universe.kernel ?? {};
    this.config = {
      reliable_stacktrace: c.reliable_stacktrace ?? true,
      livepatch_initialized: c.livepatch_initialized ?? true,
      ftrace_enabled: c.ftrace_enabled ?? true,
      tasks: c.tasks ?? 2,
      kthreads: c.kthreads ?? 0,
      vmlinux_symbols: c.vmlinux_symbols,
    };
    this.ftraceEnabled = this.config.ftrace_enabled;
    // taskNames lists the user tasks first, then the kernel threads.
    this.tasks = tasks ?? taskNames(universe).map((name, i) => new Task(name, null, i >= this.config.tasks));
  }

  patchByName(name: string): KPatch | undefined {
    const m = this.modules.get(name);
    return m?.kind === 'livepatch' ? (m.patch ?? undefined) : undefined;
  }

  /** Whether an object is loaded: vmlinux always, a module while it is klp_alive (facts A). */
  objectAlive(name: string): boolean {
    if (name === 'vmlinux') return true;
    const m = this.modules.get(name);
    return m?.kind === 'target' && m.klp_alive;
  }

  param(patch: string, name: string): string | undefined {
    return this.modules.get(patch)?.params.get(name);
  }

  prevState(id: number): KState | null {
    if (!this.transition) {
      this.log.event({ kind: 'warn', message: 'klp_get_prev_state outside a transition' });
      return null;
    }
    let found: KState | null = null;
    for (const p of this.klp_patches) {
      if (p === this.transition) break;
      found = p.states.find((s) => s.id === id) ?? found;
    }
    return found;
  }

  shadowAlloc(obj: number, id: number): void {
    this.shadow.alloc(obj, id);
  }
}
