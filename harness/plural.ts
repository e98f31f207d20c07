/**
 * A count with its noun, for every report and message: `1 step`, `2 steps`,
 * `0 steps`. Output once said `1 sequences` and `1 steps` wherever a count
 * could be one (`run --runs 1`, a one-step counterexample).
 */

/** `n` and `one` when n is 1, else `n` and `many` (default: `one` + 's'). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
