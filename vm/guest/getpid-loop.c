/*
 * The guest's stand-in for the selftests' test_klp-call_getpid (test-syscall.sh,
 * Marcos Paulo de Souza, 2023; facts E.6): it calls the getpid system call without
 * end, so that test_klp_syscall's new getpid ticks its PID off as soon as the task
 * switches. No libc, so one small static binary serves the busybox initramfs
 * (vm/initramfs.ts builds it with gcc-12, which vm/setup.sh installs). x86-64 only:
 * getpid is system call 39 there.
 */
void _start(void)
{
	for (;;) {
		long ret;

		__asm__ volatile("syscall" : "=a"(ret) : "a"(39L) : "rcx", "r11", "memory");
	}
}
