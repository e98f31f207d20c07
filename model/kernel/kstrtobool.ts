/**
 * kstrtobool (lib/kstrtox.c), which enabled_store, force_store and bool
 * module parameters use. It looks at the first character only, and at the
 * second for `o`:
 * - `y` `Y` `t` `T` `1` give true, and `n` `N` `f` `F` `0` give false,
 *   whatever follows (`10`, `yep`, `0x`, `false!` are all accepted);
 * - `o`/`O` then `n`/`N` gives true, `o`/`O` then `f`/`F` gives false
 *   (`onion`, `offline`);
 * - anything else, the empty string and leading blanks included (` 1`), is
 *   -EINVAL: nothing is trimmed, the trailing newline of `echo` never matters.
 *
 * Sources: torvalds/linux lib/kstrtox.c kstrtobool() (Kees Cook, "lib: move
 * strtobool() to kstrtobool()", 2016, first-character rule with `o[nf]`);
 * `t`/`T`/`f`/`F` added by Jagdish Gediya, "lib/kstrtox.c: add
 * "false"/"true" support to kstrtobool()", 2022 (v5.19; Petr Mladek asked in
 * review for the first character only, as for the other letters).
 *
 * Returns the value, or null where the kernel returns -EINVAL.
 */
export function parseBool(v: string): boolean | null {
  switch (v[0]) {
    case 'y':
    case 'Y':
    case 't':
    case 'T':
    case '1':
      return true;
    case 'n':
    case 'N':
    case 'f':
    case 'F':
    case '0':
      return false;
    case 'o':
    case 'O':
      if (v[1] === 'n' || v[1] === 'N') return true;
      if (v[1] === 'f' || v[1] === 'F') return false;
      return null;
    default:
      return null;
  }
}
