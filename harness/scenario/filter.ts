/**
 * check_result's filter (functions.sh, facts E.0): keep the lines that
 * contain `livepatch:` or `test_klp`, drop the taint notices.
 */
export function selftestFilter(lines: readonly string[]): string[] {
  return lines.filter((l) => (l.includes('livepatch:') || l.includes('test_klp')) && !/taint(ing|s) kernel/.test(l));
}
