/**
 * The kernel log (dmesg) and a structured event stream beside it. The log is
 * what the selftests compare; the events are what invariants read, so that no
 * property has to parse log text.
 */

import { kernelModuleName } from './definitions.ts';

export type CallbackName = 'pre_patch' | 'post_patch' | 'pre_unpatch' | 'post_unpatch';

export type KernelEvent =
  | { readonly kind: 'object_callback'; readonly patch: string; readonly obj: string; readonly cb: CallbackName; readonly ret: number }
  | { readonly kind: 'state_callback'; readonly patch: string; readonly state: number; readonly cb: CallbackName; readonly ret: number }
  | { readonly kind: 'shadow_alloc'; readonly obj: number; readonly id: number }
  /** `by`: patched or module code calling klp_shadow_free*, or the core's automatic free_all (facts C.3). */
  | { readonly kind: 'shadow_free'; readonly obj: number; readonly id: number; readonly by: 'code' | 'core' }
  | { readonly kind: 'warn'; readonly message: string }
  /** A task switched to the target state (stack check, return to user space, or force). */
  | { readonly kind: 'task_switch'; readonly task: string; readonly to: 0 | 1 }
  | { readonly kind: 'module_removed'; readonly module: string };

export class KernelLog {
  readonly lines: string[] = [];
  readonly events: KernelEvent[] = [];

  /** pr_notice / pr_info / pr_err from kernel/livepatch (pr_fmt adds the prefix). */
  klp(message: string): void {
    this.lines.push(`livepatch: ${message}`);
  }

  /** pr_debug from kernel/livepatch; the selftests enable it with dynamic debug (facts E.0). */
  debug(message: string): void {
    this.klp(message);
  }

  /** A line printed by module `mod` (named as written): pr_fmt is KBUILD_MODNAME, its name with '-' as '_' (kernelModuleName). */
  module(mod: string, message: string): void {
    this.lines.push(`${kernelModuleName(mod)}: ${message}`);
  }

  /** A line written to /dev/kmsg by the selftest harness (functions.sh), or the loader's own. */
  raw(line: string): void {
    this.lines.push(line);
  }

  event(e: KernelEvent): void {
    this.events.push(e);
  }

  /** Forgets every line and event (the explorer reuses a kernel whose step changed nothing). */
  clear(): void {
    this.lines.length = 0;
    this.events.length = 0;
  }
}
