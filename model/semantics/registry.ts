/** Every semantics klpcheck knows. Adding a proposal is one file and one line here. */
import { perState } from './per-state.ts';
import type { Semantics } from './semantics.ts';
import { stacking } from './stacking.ts';
import { upstream } from './upstream.ts';

export const SEMANTICS: readonly Semantics[] = [stacking, upstream, perState];

export function semanticsByName(name: string): Semantics | undefined {
  return SEMANTICS.find((s) => s.name === name);
}
