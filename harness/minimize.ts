/**
 * A last shrinking pass after fast-check's, and the one pass an exhaustive
 * search's counterexample gets: remove single operations, then the parts of
 * the universe no op names (unused-parts.ts: patches, target modules, tasks),
 * then patches' objects without functions, callbacks, functions and states,
 * then attributes, owners and releases (plainer-patches.ts), while the same
 * property still fails, until nothing more can go.
 * fast-check shrinks the universe and the command list separately; this pass
 * makes the counterexample 1-minimal, which is what a reader of a review
 * thread wants.
 */
import type { Universe } from '../model/kernel/definitions.ts';
import type { Op } from './ops.ts';
import type { RunResult } from './run-sequence.ts';
import { plainerPatches, withPatch } from './plainer-patches.ts';
import { withoutUnusedParts, type SmallerCase } from './unused-parts.ts';

export type Replay = (u: Universe, ops: readonly Op[]) => RunResult;

/**
 * Smaller variants of a universe: one function or one state fewer in one
 * patch, one old_sympos dropped, one object without functions fewer in a
 * patch that keeps another, or one object's callbacks dropped. The last two
 * came in stop 46: 74 of the corpus's 104 files had a module object with no
 * function, kept for callbacks that played no part, and each printed its
 * callbacks' lines in every kernel log.
 */
function* smallerUniverses(u: Universe): Generator<Universe> {
  for (const [i, p] of u.patches.entries()) {
    for (const [j, s] of (p.states ?? []).entries()) {
      yield withPatch(u, i, { ...p, states: (p.states ?? []).filter((_, k) => k !== j) });
      void s;
    }
    const objects = p.objects ?? [];
    for (const [oi, o] of objects.entries()) {
      if (!o.funcs?.length && objects.length > 1) yield withPatch(u, i, { ...p, objects: objects.filter((_, k) => k !== oi) });
      if (o.callbacks !== undefined && o.callbacks !== 'none') {
        const { callbacks: _dropped, ...quiet } = o;
        yield withPatch(u, i, { ...p, objects: objects.map((x, k) => (k === oi ? quiet : x)) });
      }
    }
    for (const [oi, o] of objects.entries()) {
      for (let fi = 0; fi < (o.funcs ?? []).length; fi++) {
        const fewer = objects.map((x, k) => (k === oi ? { ...x, funcs: (x.funcs ?? []).filter((_, m) => m !== fi) } : x));
        yield withPatch(u, i, { ...p, objects: fewer });
      }
      for (const [fi, f] of (o.funcs ?? []).entries()) {
        if (f.old_sympos === undefined) continue;
        const { old_sympos: _dropped, ...plain } = f;
        const unnumbered = objects.map((x, k) => (k === oi ? { ...x, funcs: (x.funcs ?? []).map((g, m) => (m === fi ? plain : g)) } : x));
        yield withPatch(u, i, { ...p, objects: unnumbered });
      }
    }
  }
}

/** A smaller case, and whether it must break the property for the same reason, word for word, to be kept. */
interface Candidate extends SmallerCase {
  readonly sameReason?: true;
}

/**
 * The smaller cases to try, the unused parts first: each takes a whole module
 * or task out of the trace at once. The decorations come last, so that they
 * are tried on the fewest patches, and each must keep the violation's reason:
 * one that still breaks the property another way is another finding. Without
 * that, replace-tag-draft's "p2 (slot tag:1) and p3 (slot tag:2) both use
 * vmlinux:f3,0", the draft's missing function check between tags, became two
 * patches without a tag that overlap, which every proposal allows by design;
 * and hybrid's user patch that brought back the vendor's older fix became the
 * vendor's own downgrade (stop 47). The attributes named in a reason stay so.
 */
function* smallerCases(u: Universe, ops: readonly Op[]): Generator<Candidate> {
  yield* withoutUnusedParts(u, ops);
  for (const universe of smallerUniverses(u)) yield { universe, ops };
  for (const universe of plainerPatches(u)) yield { universe, ops, sameReason: true };
}

export function minimize(u: Universe, ops: readonly Op[], property: string, replay: Replay): { universe: Universe; result: RunResult } {
  const fails = (uu: Universe, oo: readonly Op[]) => {
    const r = replay(uu, oo);
    return r.violation?.invariant === property ? r : null;
  };
  let best = fails(u, ops);
  if (!best) throw new Error('minimize: the sequence does not fail');
  let universe = u;
  let current = best.steps.map((s) => s.op);
  for (let changed = true; changed;) {
    changed = false;
    for (let i = current.length - 1; i >= 0; i--) {
      const shorter = current.filter((_, j) => j !== i);
      const r = fails(universe, shorter);
      if (r) {
        best = r;
        current = r.steps.map((s) => s.op);
        changed = true;
      }
    }
    for (const smaller of smallerCases(universe, current)) {
      const r = fails(smaller.universe, smaller.ops);
      if (r && (!smaller.sameReason || r.violation!.reason === best.violation!.reason)) {
        universe = smaller.universe;
        best = r;
        current = r.steps.map((s) => s.op);
        changed = true;
        break;
      }
    }
  }
  return { universe, result: best };
}
