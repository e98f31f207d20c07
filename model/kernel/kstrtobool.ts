/** kstrtobool's accepted spellings (lib/kstrtox.c): the sysfs bool writes and bool module parameters. */
export function parseBool(v: string): boolean | null {
  const c = v.trim().toLowerCase();
  if (['1', 'y', 'yes', 'on', 'true'].includes(c)) return true;
  if (['0', 'n', 'no', 'off', 'false'].includes(c)) return false;
  return null;
}
