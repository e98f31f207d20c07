/**
 * Whether a violation a shard file reports lies in the file's scope: a
 * violation 'in scope S' must be one the search of S could have found.
 */
import { funcKey, type PatchDef, type Universe } from '../../model/kernel/definitions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { plural } from '../plural.ts';
import { canonicalJson } from '../canonical-json.ts';
import { KlpcheckError } from '../errors.ts';
import { describeOp, type Op } from '../ops.ts';
import { candidateOps, newPatchDefs, patchName, scopeFuncs } from './candidates.ts';
import { rootOwning, rootUniverse } from './expand.ts';
import { everyLoadOrder, relabeledDef } from './load-order-labels.ts';
import { formatScope, type ExploreScope } from './scope.ts';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/**
 * Refuses a violation (its universe and ops) that the search of `scope`
 * under `sem` could not have found, so that no violation is reported 'in
 * scope S' that lies outside S. The rule is the search's own: its universe
 * is rootUniverse(scope) (the target module mod, scope.tasks tasks, nothing
 * else) with patches p1, p2 ... added as the ops first load them, each
 * definition one newPatchDefs gives after the ones before it (so at most
 * scope.patches patches, functions among scopeFuncs(scope), state ids 1 to
 * scope.states, in the order of the symmetry reduction); each op is one of
 * candidateOps for the patches loaded so far, or the load of the next patch;
 * and with a depth bound there are at most that many ops. Not refused, as
 * they change no state: patches after the last one the ops load (the search
 * defines a patch when it first loads it, and two universes that differ
 * only in patches not loaded yet are the same state: candidates.ts), if
 * each is a definition the search could give next; and ops the search skips
 * as pointless (insmod of a loaded module and the like). The bounds are
 * checked first, each with what exceeds it. E_SCHEMA naming `file`, at `at`
 * (the entry's pointer) /universe, /ops (their number) or /ops/j.
 *
 * Returns where the search meets the violation (SearchPath): merge() orders
 * equally short counterexamples of several shards by it, as the whole
 * search's breadth-first order does.
 */
export function checkInScope(
  v: { readonly universe: Universe; readonly ops: readonly Op[] },
  sem: Semantics,
  scope: ExploreScope,
  file: string,
  at: string,
): SearchPath {
  const { universe: u, ops } = v;
  const where = `in scope ${formatScope(scope)}`;
  const refuse = (to: string, why: string) => new KlpcheckError('E_SCHEMA', why, file, `${at}${to}`);
  const outside = (to: string, why: string) => refuse(to, `${why}: outside the file's scope ${formatScope(scope)}`);
  if (u.patches.length > scope.patches)
    throw outside('/universe', `${plural(u.patches.length, 'patch', 'patches')}, more than patches=${scope.patches}`);
  const tasks = u.kernel?.tasks ?? 2;
  if (tasks !== scope.tasks) throw outside('/universe', `${plural(tasks, 'task')} (/kernel/tasks), not tasks=${scope.tasks}`);
  const funcs = scopeFuncs(scope);
  const shown = funcs.map((f) => f.replace(/,0$/, ''));
  const ids = scope.states === 0 ? 'no state ids' : scope.states === 1 ? 'state id 1' : `state ids 1 to ${scope.states}`;
  for (const p of u.patches) {
    for (const o of p.objects ?? [])
      for (const f of o.funcs ?? []) {
        // A NULL old_name is no function; no definition the search gives has one (refused below).
        if (f.old_name === null || funcs.includes(funcKey(o.name, f.old_name, f.old_sympos ?? 0))) continue;
        throw outside(
          '/universe',
          `patch ${p.name} patches ${o.name}:${f.old_name}${f.old_sympos ? `,${f.old_sympos}` : ''}, not one of functions=${scope.functions} (${shown.slice(0, -1).join(', ')} and ${shown.at(-1)})`,
        );
      }
    for (const st of p.states ?? [])
      if (st.id < 1 || st.id > scope.states)
        throw outside('/universe', `patch ${p.name} has state id ${st.id}, beyond states=${scope.states} (${ids})`);
  }
  u.patches.forEach((p, k) => {
    if (p.name !== patchName(k + 1))
      throw refuse('/universe', `patch ${p.name} is at /patches/${k}: explore names its patches p1, p2 ... in the order it loads them`);
  });
  // The owners and releases are those of one load order (load-order-labels.ts); the definitions are compared without them.
  const orders = everyLoadOrder(scope.patches);
  const labelsOf = (d: PatchDef) => canonicalJson({ owners: d.owners, release: d.release });
  if (!orders.some((l) => u.patches.every((d) => labelsOf(d) === labelsOf(relabeledDef(d, l)))))
    throw refuse(
      '/universe',
      `its patches' owners and releases follow no load order of the generated ones (p1 the vendor's release 1, p2 a user's release 2, p3 the vendor's release 3 ...) ${where}`,
    );
  const unlabeled = (d: PatchDef) => relabeledDef(d, orders[0]!);
  const { patches: _, ...rest } = u;
  const { patches: __, ...root } = rootUniverse(scope);
  if (canonicalJson(rest) !== canonicalJson(root))
    throw refuse(
      '/universe',
      `its modules, kernel and forbid_downgrade are not those of every universe explore builds ${where} (${canonicalJson(root)})`,
    );
  if (scope.depth !== undefined && ops.length > scope.depth)
    throw outside('/ops', `${plural(ops.length, 'op')}, more than depth=${scope.depth}`);
  // Which state ids own shadow variables is chosen once per search root; the universe's own definitions say which.
  const shadowIds = new Set(u.patches.flatMap((p) => (p.states ?? []).filter((st) => st.is_shadow === true).map((st) => st.id)));
  const known: PatchDef[] = [];
  /** Patch k, after the k patches before it, must be a definition the search gives a new patch: its place among them. */
  const checkDef = (k: number): number => {
    const spelled = canonicalJson(unlabeled(u.patches[k]!));
    const place = newPatchDefs(sem, scope, known, shadowIds).findIndex((d) => canonicalJson(d) === spelled);
    if (place < 0)
      throw refuse(
        '/universe',
        `patch ${u.patches[k]!.name} (/patches/${k}) is none of the definitions explore gives the patch it loads ${ORDINALS[k] ?? `${k + 1}th`} ${where}`,
      );
    return place;
  };
  /**
   * The candidate ops for the patches known so far, each with its place in the state's successor list (expand.ts
   * Prefix); a new patch's loads come after them. candidateOps lists each op once, so the map holds them all.
   */
  let candidates: Map<string, number> | undefined;
  const positions: number[] = [];
  ops.forEach((op, j) => {
    candidates ??= new Map(candidateOps(sem, scope, known).map((c, i) => [canonicalJson(c), i]));
    const spelled = canonicalJson(op);
    const place = candidates.get(spelled);
    if (place !== undefined) {
      positions.push(place);
      return;
    }
    const next = patchName(known.length + 1);
    // The search's load of a new patch is that insmod alone, with no parameters; it follows the candidate ops.
    if (spelled === canonicalJson({ op: 'insmod', module: next }) && known.length < u.patches.length) {
      positions.push(candidates.size + checkDef(known.length));
      known.push(u.patches[known.length]!);
      candidates = undefined;
      return;
    }
    if (op.op === 'insmod' && u.patches.some((p, k) => k > known.length && p.name === op.module))
      throw refuse(
        `/ops/${j}`,
        `${describeOp(op)} loads ${op.module} before ${next}: explore names its patches in the order it loads them`,
      );
    const loaded = known.map((d) => d.name);
    throw refuse(
      `/ops/${j}`,
      `${describeOp(op)} is not an operation explore tries ${loaded.length ? `after loading ${loaded.slice(0, -1).join(', ')}${loaded.length > 1 ? ' and ' : ''}${loaded.at(-1)}` : 'before loading a patch'} ${where}`,
    );
  });
  // Patches the ops never load change no state (candidates.ts), but each is still a definition the search could give next.
  for (let k = known.length; k < u.patches.length; k++) {
    checkDef(k);
    known.push(u.patches[k]!);
  }
  // An id no patch declares changes nothing on the path, and the search meets the path first from the root without it.
  return { root: rootOwning(sem, shadowIds), positions };
}

/**
 * Where the breadth-first search meets a counterexample: its root and, per
 * op, the op's place in its state's successor list (expand.ts). The search
 * expands each level in the order of these paths, so of two counterexamples
 * of one length it finds first the one whose path compares lower.
 */
export interface SearchPath {
  readonly root: number;
  readonly positions: readonly number[];
}

/** Negative when `a` comes first in the search's order (root, then positions, compared as words), 0 when equal. */
export function compareSearchPaths(a: SearchPath, b: SearchPath): number {
  if (a.root !== b.root) return a.root - b.root;
  const n = Math.min(a.positions.length, b.positions.length);
  for (let i = 0; i < n; i++) if (a.positions[i] !== b.positions[i]) return a.positions[i]! - b.positions[i]!;
  return a.positions.length - b.positions.length;
}
