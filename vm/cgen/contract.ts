/**
 * The contract between the C generator (vm/cgen/, branch `cgen`) and the VM runner (vm/, branch `vm`).
 * Both helpers commit this file unchanged at vm/cgen/contract.ts. Extend it only by adding optional
 * fields; tell the lead in your report what you added.
 *
 * Guest-side contract (what the generated modules provide inside the VM):
 * - A core module `klpcheck_core` exports `klpcheck_block_point(const char *key)`, where key is the
 *   model's function key ("<object>:<func>" as the reference implementation names it). Every generated
 *   function, original or replacement, calls it first. procfs:
 *     /proc/klpcheck/arm      write "<key>\n": the next caller of that function sleeps in it
 *                             (wait_event_killable, so the transition's fake signal does not wake it)
 *     /proc/klpcheck/release  write "<key>\n": wake every sleeper in that function
 *     /proc/klpcheck/sleeping read: one line "<key> <pid>" per sleeping task
 *   Added by cgen: writing "<key> interruptible\n" to arm makes the sleep interruptible instead. The
 *   transition's fake signal then wakes the task; the read is restarted after its return to user
 *   space (where the task switches, facts B.2) and the restarted call sleeps again, in the version
 *   now live for it, until released.
 *   Added by cgen: /proc/klpcheck/kthread  write "<key>\n": start a kernel thread (named
 *   klpcheck_kthread) that calls that function once, sleeping in it if the key is armed, and then
 *   idles in the core for good; /proc/klpcheck/sleeping lists its pid. A kernel thread never returns
 *   to user space, so while it sleeps in a function only force moves it (facts B.2). It holds the
 *   function's module: rmmod of that module fails (module in use) until the thread has left it.
 *   Added by cgen: a task asleep in a generated function holds that function's module, so rmmod of
 *   it fails (module in use, as for an enabled livepatch module) until the task is released (the
 *   model never unloads code a task sleeps in). Probe and arm keys are FunctionProbe.key:
 *   "<object>:<func>", or "<object>:<func>,<k>" for copy k of a name the symbol table repeats.
 * - Each generated function has /proc/klpcheck/call/<object>/<func>: reading it calls the function
 *   (through livepatch, so whatever version is live for the reader) and prints one line naming the
 *   version that ran: "<patch module>: <func>" for a replacement, "<object>: <func>: original" for the
 *   original code.
 * - Functions of object "vmlinux" in a generated universe live in a stand-in module (the real vmlinux
 *   lacks them); the livepatch module's klp_object then names that module. Selftest universes patch
 *   real vmlinux functions (cmdline_proc_show ...): those stay in vmlinux, with the selftest modules'
 *   behaviour from facts section E.
 */

/** One module the runner must build, in the universe's own name (a '-' in a name is '_' in the kernel). */
export interface GeneratedModule {
  readonly name: string;
  readonly kind: 'livepatch' | 'target' | 'stand-in' | 'core';
  /** For a stand-in: the universe object it stands in for ("vmlinux"). */
  readonly standsInFor?: string;
}

/** How the guest observes which version of one function runs (check_running, tasks). */
export interface FunctionProbe {
  /** The reference implementation's function key, e.g. "vmlinux:f1". */
  readonly key: string;
  /** A guest shell command whose first output line names the version that ran. */
  readonly command: string;
  /** Module name (the kernel's spelling) of the klp_object that patches reach this function through. */
  readonly klpObject: string;
  /** Output line -> version: a patch name from the universe, or 'original'. */
  readonly versions: Readonly<Record<string, string>>;
  /**
   * Added by cgen: the version when the first line matches none of `versions`. A real vmlinux
   * function's original output is the kernel's own (the command line of `cat /proc/cmdline`), so
   * its probe lists only the patched lines and falls back to 'original'.
   */
  readonly fallback?: string;
}

/** Everything the runner needs to build and drive one universe. Pure data: the same universe gives the same bytes. */
export interface ModuleSet {
  /** File name -> content, including the Kbuild file; built with one `make -C <headers> M=<dir> modules`. */
  readonly files: Readonly<Record<string, string>>;
  /** In load-dependency order: the core module first, then stand-ins, then targets, then livepatches. */
  readonly modules: readonly GeneratedModule[];
  readonly probes: readonly FunctionProbe[];
}

/** Kernel versions the project runs; features differ (facts: real-kernel.md). */
export type KernelVersion = '6.1' | '6.12';

/**
 * Signature the generator exports from vm/cgen/index.ts.
 * Errors: throws KlpcheckError (harness/errors.ts) with a stable code when a universe cannot be
 * expressed as C (for example a NULL old_name), naming the place by JSON pointer.
 */
export type GenerateModuleSources = (universe: unknown, kernel: KernelVersion) => ModuleSet;
