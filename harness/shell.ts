/**
 * Words for the POSIX shell scripts klpcheck writes (the selftest drafts of
 * report/selftest.ts, the guest's batch script of vm/guest-script.ts): text
 * from a file never reaches bash as anything but one word.
 */

/** A POSIX shell single-quoted word. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One word as bash reads it back: as it is when it holds only characters
 * bash gives no meaning to, else single-quoted (shq). A counterexample's
 * module parameter `1 $(touch /tmp/x)` was pasted raw into a selftest draft
 * (hostile-user finding, 2026-12-03).
 */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_,.:=+/@%-]+$/.test(word) ? word : shq(word);
}
