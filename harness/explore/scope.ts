/**
 * The bounds of an exhaustive exploration, as TLC's constants: patches in
 * the universe, vmlinux functions (the module `mod` always has one more,
 * m1), state ids, tasks, and the maximum number of operations.
 */
import { KlpcheckError } from '../errors.ts';

export interface ExploreScope {
  readonly patches: number;
  readonly functions: number;
  readonly states: number;
  readonly tasks: number;
  /** The longest sequences explored; absent: no bound, the search runs to its fixpoint. */
  readonly depth?: number;
}

/**
 * The default scope; bench/results.json shows how the state count grows with
 * each bound and how long each semantics takes.
 */
export const DEFAULT_EXPLORE_SCOPE: ExploreScope = { patches: 2, functions: 2, states: 1, tasks: 2, depth: 4 };

const LIMITS: Readonly<Record<keyof ExploreScope, [number, number]>> = {
  patches: [1, 5],
  functions: [1, 6],
  states: [0, 3],
  tasks: [1, 3],
  depth: [1, 30],
};

/** `patches=3,functions=3,states=2,tasks=2,depth=8`; omitted keys keep their defaults; `depth=any` removes the bound. */
export function parseScope(text: string | undefined, base: ExploreScope = DEFAULT_EXPLORE_SCOPE): ExploreScope {
  if (!text) return base;
  const scope: Record<string, number> = { ...base };
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((x) => x.trim()) as [string, string | undefined];
    const limits = LIMITS[key as keyof ExploreScope];
    if (!limits) throw new KlpcheckError('E_USAGE', `unknown scope key '${key}' (keys: ${Object.keys(LIMITS).join(', ')})`);
    if (key === 'depth' && value === 'any') {
      delete scope.depth;
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < limits[0] || n > limits[1]) {
      throw new KlpcheckError('E_USAGE', `scope ${key} takes a whole number from ${limits[0]} to ${limits[1]}, not '${value}'`);
    }
    scope[key] = n;
  }
  return scope as unknown as ExploreScope;
}

export function formatScope(s: ExploreScope): string {
  return `patches=${s.patches},functions=${s.functions},states=${s.states},tasks=${s.tasks},depth=${s.depth ?? 'any'}`;
}
