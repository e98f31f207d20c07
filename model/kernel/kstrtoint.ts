/**
 * kstrtoint(s, 0, &v) (lib/kstrtox.c), which an int module parameter's
 * param_set_int uses (kernel/params.c STANDARD_PARAM_DEF):
 * - an optional `-` or `+` (kstrtoll, kstrtoull);
 * - base 0: `0x` followed by a hex digit is hexadecimal, another leading `0`
 *   octal, anything else decimal (_parse_integer_fixup_radix);
 * - at least one digit, then at most one newline (`echo`'s) and nothing else,
 *   or -EINVAL (`abc`, ``, `08`, `1 `, `--1`);
 * - past unsigned 64 bits, or outside int's range, -ERANGE; the overflow is
 *   found before trailing garbage (`99999999999999999999x` is -ERANGE).
 *
 * Returns the value, or the errno the kernel returns.
 */
export function kstrtoint(s: string): number | 'EINVAL' | 'ERANGE' {
  const v = kstrtoll(s, true);
  if (typeof v !== 'bigint') return v;
  if (v < -0x8000_0000n || v > 0x7fff_ffffn) return 'ERANGE';
  return Number(v);
}

/**
 * kstrtouint(s, 0, &v) (lib/kstrtox.c), which a uint parameter's
 * param_set_uint uses, as each element of a module_param_array of uints:
 * kstrtoint's rules but for the sign: `+` is taken, `-` is -EINVAL
 * (kstrtoull reads no sign but `+`), and past 4294967295 is -ERANGE.
 */
export function kstrtouint(s: string): number | 'EINVAL' | 'ERANGE' {
  const v = kstrtoll(s, false);
  if (typeof v !== 'bigint') return v;
  if (v > 0xffff_ffffn) return 'ERANGE';
  return Number(v);
}

/** kstrtoll's parse (base 0, above), with a `-` taken only when `signed`: the value, or the errno. */
function kstrtoll(s: string, signed: boolean): bigint | 'EINVAL' | 'ERANGE' {
  let i = 0;
  let negative = false;
  if (s[0] === '-' && signed) {
    negative = true;
    i = 1;
  } else if (s[0] === '+') i = 1;
  let base = 10n;
  if (s[i] === '0') {
    if ((s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
      base = 16n;
      i += 2;
    } else base = 8n;
  }
  let value = 0n;
  let digits = 0;
  let overflow = false;
  for (; i < s.length; i++, digits++) {
    const d = digitValue(s[i]!);
    if (d === null || d >= base) break;
    value = value * base + d;
    if (value > 0xffff_ffff_ffff_ffffn) overflow = true;
  }
  if (overflow) return 'ERANGE';
  if (digits === 0) return 'EINVAL';
  if (s[i] === '\n') i++;
  if (i < s.length) return 'EINVAL';
  return negative ? -value : value;
}

function digitValue(c: string): bigint | null {
  const code = c.toLowerCase().charCodeAt(0);
  if (code >= 48 && code <= 57) return BigInt(code - 48);
  if (code >= 97 && code <= 102) return BigInt(code - 87);
  return null;
}
