/**
 * How two semantics relate within a bound (issue 12, §5), from their
 * behaviours (behaviour.ts) on the same universes and sequences:
 * - equal: the same outcome (ok, or the same errno) and the same abstract
 *   state after every sequence;
 * - A refines B: every sequence A accepts, B accepts too, reaching the same
 *   state (A may refuse more: every outcome A allows, B allows);
 * - otherwise incomparable.
 * Where A does not refine B, the separating sequence is a shortest one A
 * accepts and B refuses or ends elsewhere.
 */
import type { Behaviour } from './behaviour.ts';
import { SEP } from './behaviour.ts';

export interface Separation {
  /** The sequence key: universe index, then ops. */
  readonly key: string;
  readonly ops: number;
}

export interface PairRelation {
  readonly a: string;
  readonly b: string;
  readonly equal: boolean;
  /** Shortest sequence A allows and B does not (null: A refines B). */
  readonly aNotB: Separation | null;
  /** Shortest sequence B allows and A does not (null: B refines A). */
  readonly bNotA: Separation | null;
}

const length = (key: string) => key.split(SEP).length - 1;
const refused = (v: string | undefined) => v === undefined || v.startsWith('refused');

/** Shortest (then first in order) sequence that `a` accepts and `b` does not reach alike. */
function separation(a: Behaviour, b: Behaviour): Separation | null {
  let best: Separation | null = null;
  for (const [key, state] of a) {
    if (refused(state) || b.get(key) === state) continue;
    const ops = length(key);
    if (!best || ops < best.ops) best = { key, ops };
  }
  return best;
}

export function relate(aName: string, a: Behaviour, bName: string, b: Behaviour): PairRelation {
  const equal = a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  return { a: aName, b: bName, equal, aNotB: equal ? null : separation(a, b), bNotA: equal ? null : separation(b, a) };
}

export interface Lattice {
  /** Groups of equal semantics, each named by its first member. */
  readonly classes: readonly (readonly string[])[];
  /** Hasse edges between classes: `below` refines `above` strictly, with nothing in between. */
  readonly edges: readonly { readonly below: string; readonly above: string }[];
  readonly pairs: readonly PairRelation[];
}

/** The classes and the Hasse diagram of the refinement order among the given semantics. */
export function lattice(names: readonly string[], pairs: readonly PairRelation[]): Lattice {
  const rel = (x: string, y: string) => pairs.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x))!;
  const refines = (x: string, y: string) => {
    const p = rel(x, y);
    return p.equal || (p.a === x ? p.aNotB === null : p.bNotA === null);
  };
  const classes: string[][] = [];
  for (const n of names) {
    const c = classes.find((k) => rel(k[0]!, n).equal);
    if (c) c.push(n);
    else classes.push([n]);
  }
  const heads = classes.map((c) => c[0]!);
  const below = (x: string, y: string) => x !== y && refines(x, y) && !refines(y, x);
  const edges = heads.flatMap((x) =>
    heads.filter((y) => below(x, y) && !heads.some((z) => below(x, z) && below(z, y))).map((y) => ({ below: x, above: y })),
  );
  return { classes, edges, pairs };
}
