/**
 * The real vmlinux functions the upstream selftest modules patch, and how
 * the guest observes each. These stay in vmlinux: a universe naming one of
 * them on object "vmlinux" patches the real kernel, like the selftests do.
 * Every other vmlinux function of a universe lives in the stand-in module.
 *
 * Source: facts E.0 ("Test modules"), E.1 and E.6 in
 * /work/shared/reference/kernel-livepatch.md (tools/testing/selftests/livepatch,
 * v6.10+): test_klp_livepatch patches cmdline_proc_show and /proc/cmdline then
 * reads "<module>: this has been live patched"; test_klp_atomic_replace does the
 * same on meminfo_proc_show; test_klp_syscall patches the getpid syscall and
 * counts the listed PIDs that ran the new code (`npids` in
 * /sys/kernel/test_klp_syscall). test-ftrace traces the replacement by the name
 * `livepatch_cmdline_proc_show`, so replacements are named `livepatch_<old_name>`.
 * The C prototypes are the kernel's (fs/proc/cmdline.c, fs/proc/meminfo.c:
 * seq_file show functions; arch/x86 syscall wrappers take const struct pt_regs *).
 */

/** What a replacement of a real function does. */
export type RealBody =
  /** A seq_file show function: the replacement prints "<patch>: this has been live patched". */
  | 'seq_live_patched'
  /** The getpid syscall wrapper: the replacement ticks off the calling PID from klp_pids. */
  | 'getpid_pids';

export interface RealFunction {
  readonly name: string;
  /** The replacement's C return type and parameter list. */
  readonly returns: string;
  readonly params: string;
  readonly body: RealBody;
  /** A guest shell command whose output shows the patched version, if there is one. */
  readonly command?: string;
  /** The headers the replacement needs. */
  readonly includes: readonly string[];
}

export const REAL_VMLINUX_FUNCTIONS: readonly RealFunction[] = [
  {
    name: 'cmdline_proc_show',
    returns: 'int',
    params: 'struct seq_file *m, void *v',
    body: 'seq_live_patched',
    command: 'cat /proc/cmdline',
    includes: ['linux/seq_file.h'],
  },
  {
    name: 'meminfo_proc_show',
    returns: 'int',
    params: 'struct seq_file *m, void *v',
    body: 'seq_live_patched',
    command: 'cat /proc/meminfo',
    includes: ['linux/seq_file.h'],
  },
  {
    name: '__x64_sys_getpid',
    returns: 'asmlinkage long',
    params: 'const struct pt_regs *regs',
    body: 'getpid_pids',
    includes: ['linux/ptrace.h', 'linux/sched.h', 'linux/spinlock.h', 'linux/kobject.h', 'linux/sysfs.h'],
  },
];

/** The real function of that name, if the selftests patch one. */
export function realFunction(name: string | null): RealFunction | undefined {
  return REAL_VMLINUX_FUNCTIONS.find((f) => f.name === name);
}

/** The line a seq_live_patched replacement prints (facts E.1, "this has been live patched"). */
export function livePatchedLine(patch: string): string {
  return `${patch}: this has been live patched`;
}
