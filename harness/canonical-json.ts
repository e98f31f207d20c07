/**
 * Canonical JSON: the same value gives the same text whatever the order of
 * its objects' keys. The shard file's digests (harness/explore/shard-format.ts)
 * are taken over it, so that a file indented again or with its keys reordered
 * keeps them, and a violation's universe and ops are compared in it with what
 * the search builds (harness/explore/violation-scope.ts).
 */

/** JSON text of `value` with every object's keys sorted (and undefined members left out, as JSON.stringify leaves them). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
