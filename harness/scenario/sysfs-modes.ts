/** The permissions test-sysfs.sh checks (facts E.5); `undefined` is the patch directory. */
const MODES: Readonly<Record<string, string>> = {
  enabled: '-rw-r--r--',
  force: '--w-------',
  transition: '-r--r--r--',
  replace: '-r--r--r--',
  replace_set: '-r--r--r--',
  stack_order: '-r--r--r--',
  replaceable: '-rw-r--r--',
};

export function sysfsMode(file: string | undefined): string {
  if (file === undefined) return 'drwxr-xr-x';
  if (file.endsWith('/patched')) return '-r--r--r--';
  // <object>/<function,sympos>: the func's kobject directory (klp_init_func).
  if (/^[^/]+\/[^/]+,\d+$/.test(file)) return 'drwxr-xr-x';
  return MODES[file] ?? '-r--r--r--';
}
