/**
 * A unified diff (diff -u) of expected against actual log lines: the form
 * kernel developers read in every patch mail.
 */
type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Longest-common-subsequence edit script; logs are short, but the table is capped. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const keep = (l: string): Op => ({ kind: ' ', line: l });
  const middle: Op[] = [];
  if (x.length * y.length > 4_000_000) {
    middle.push(...x.map((l): Op => ({ kind: '-', line: l })), ...y.map((l): Op => ({ kind: '+', line: l })));
  } else {
    // lcs[i][j]: length of the LCS of x[i..] and y[j..]
    const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
    for (let i = x.length - 1; i >= 0; i--)
      for (let j = y.length - 1; j >= 0; j--)
        lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) middle.push(keep(x[i++]!)) && j++;
      // Removals before additions at a change, as diff -u prints them.
      else if (i < x.length && (j === y.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) middle.push({ kind: '-', line: x[i++]! });
      else middle.push({ kind: '+', line: y[j++]! });
    }
  }
  return [...a.slice(0, pre).map(keep), ...middle, ...b.slice(b.length - suf).map(keep)];
}

/** `--- expected`, `+++ actual`, then `@@ -a,n +b,m @@` hunks with `context` lines around each change. */
export function unifiedDiff(expected: readonly string[], actual: readonly string[], context = 3): string[] {
  const ops = editScript(expected, actual);
  // Positions in a and b before each op, for the hunk headers.
  const posA: number[] = [];
  const posB: number[] = [];
  let pa = 0;
  let pb = 0;
  for (const op of ops) {
    posA.push(pa);
    posB.push(pb);
    if (op.kind !== '+') pa++;
    if (op.kind !== '-') pb++;
  }
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  if (changed.length === 0) return [];
  const out = ['--- expected', '+++ actual'];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = changed[k]! + 1;
    while (k < changed.length && changed[k]! <= end + 2 * context) end = changed[k++]! + 1;
    end = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, end);
    const nA = hunk.filter((o) => o.kind !== '+').length;
    const nB = hunk.filter((o) => o.kind !== '-').length;
    // diff -u numbers an empty side by the line before it, and drops a count of 1.
    const from = (pos: number, n: number) => (n === 1 ? `${pos + 1}` : `${n === 0 ? pos : pos + 1},${n}`);
    out.push(`@@ -${from(posA[start]!, nA)} +${from(posB[start]!, nB)} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
  }
  return out;
}
