/**
 * The bounds of an exhaustive exploration, as TLC's constants: patches in
 * the universe, vmlinux functions (the module `mod` always has one more,
 * m1), state ids, tasks, and the maximum number of operations.
 */
import { KlpcheckError } from '../errors.ts';
import { parseWhole } from '../numbers.ts';

export interface ExploreScope {
  readonly patches: number;
  readonly functions: number;
  readonly states: number;
  readonly tasks: number;
  /** The longest sequences explored; absent: no bound, the search runs to its fixpoint. */
  readonly depth?: number;
  /** 1 adds the task model's ops (run_task, sleep_task, cond_resched, fork, interruptible sleeps); they multiply the states. */
  readonly taskModel?: number;
}

/**
 * The default scope; bench/results.json shows how the state count grows with
 * each bound and how long each semantics takes.
 */
export const DEFAULT_EXPLORE_SCOPE: ExploreScope = { patches: 2, functions: 2, states: 1, tasks: 2, depth: 4 };

/** Each scope key's [min, max], as parseScope enforces them and explore --help shows them; depth also takes `any`. */
export const LIMITS: Readonly<Record<keyof ExploreScope, readonly [number, number]>> = {
  patches: [1, 5],
  functions: [1, 6],
  states: [0, 3],
  tasks: [1, 3],
  depth: [1, 30],
  taskModel: [0, 1],
};

/**
 * Each scope key with the values parseScope takes, from LIMITS:
 * `patches 1 to 5, ..., depth 1 to 30 or any, ...`, for a command's help;
 * `keys` (default all) for a command that takes only some (promela).
 */
export function scopeRanges(keys: readonly (keyof ExploreScope)[] = Object.keys(LIMITS) as (keyof ExploreScope)[]): string {
  return keys.map((key) => `${key} ${LIMITS[key][0]} to ${LIMITS[key][1]}${key === 'depth' ? ' or any' : ''}`).join(', ');
}

/**
 * `patches=3,functions=3,states=2,tasks=2,depth=8`; omitted keys keep their
 * defaults; `depth=any` removes the bound. Each value goes through the one
 * number parser (harness/numbers.ts); a key given twice, `depth=1=2` or an
 * empty part is refused.
 */
export function parseScope(text: string | undefined, base: ExploreScope = DEFAULT_EXPLORE_SCOPE): ExploreScope {
  if (text === undefined) return base;
  const scope: Record<string, number> = { ...base };
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const [key, value, ...extra] = part.split('=');
    // Own keys only: `constructor` or `toString` is no scope key.
    const limits = Object.hasOwn(LIMITS, key!) ? LIMITS[key as keyof ExploreScope] : undefined;
    if (!limits)
      throw new KlpcheckError('E_USAGE', `unknown scope key '${key}' (keys: ${Object.keys(LIMITS).join(', ')}); the scope is K=V,...`);
    if (value === undefined || extra.length) throw new KlpcheckError('E_USAGE', `scope ${key} takes one value, as ${key}=N, not '${part}'`);
    if (seen.has(key!)) throw new KlpcheckError('E_USAGE', `scope ${key} is given twice`);
    seen.add(key!);
    if (key === 'depth' && value === 'any') {
      delete scope.depth;
      continue;
    }
    // depth's refusal names its word too: 'ANY' or 'none' was meant as one.
    scope[key!] = parseWhole(value, `scope ${key}`, { min: limits[0], max: limits[1] }, key === 'depth' ? "or 'any'" : undefined);
  }
  return scope as unknown as ExploreScope;
}

/**
 * The part of a scope text that bounds the depth (`depth=N`; not `depth=any`),
 * or undefined. For what explores whole spaces only (promela, bench --whole):
 * a bound there would look honoured and not be.
 */
export function depthBoundIn(text: string | undefined): string | undefined {
  return text?.split(',').find((part) => part.startsWith('depth=') && part !== 'depth=any');
}

export function formatScope(s: ExploreScope): string {
  return `patches=${s.patches},functions=${s.functions},states=${s.states},tasks=${s.tasks},depth=${s.depth ?? 'any'}${s.taskModel ? ',taskModel=1' : ''}`;
}
