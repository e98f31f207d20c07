/**
 * Owners and releases in the explorer: which patch is whose, and which is
 * the newer release, for every order the patches may first load in.
 *
 * Generated universes give each patch its owner and release by name
 * (patch-def.ts: p1 the vendor's release 1, p2 a user's release 2, p3 the
 * vendor's release 3, ...), and a random run loads them in any order. The
 * explorer names patches in the order they first load (candidates.ts
 * newPatchDefs: the k-th new patch is pk), which merges the orders of
 * patches that are interchangeable; but these are not, once they have owners
 * and releases. Named so, p1 always loaded before p3, and the explorer never
 * tried a newer release loaded before an older one of the same owner: it said
 * no-silent-downgrade "holds for every sequence up to depth 4" (stacking,
 * patches=3,functions=1,states=0,tasks=2) beside a saved counterexample of
 * the same scope that breaks it in 2 steps, "insmod p3; insmod p1"
 * (hostile-user finding, stop 36).
 *
 * Nothing but the properties that read owners and releases depends on them
 * (no semantics' hooks, the kernel or the spec model read them:
 * Invariant.readsOwners), so a path stands for every way of giving its
 * first-use names the generated names: the k-th patch to load is name
 * σ(k) for a permutation σ, and has that name's owner and release. A step
 * violates such a property when it does for some σ; the counterexample's
 * universe then carries that σ's owners and releases (relabeled), and
 * replays as it was found. Permutations that give every pair of patches the
 * same relation (foreign, or which one is the older release of their owner)
 * check the same: one of each is kept, the identity first, so that a
 * violation the identity shows is reported as before.
 */
import type { PatchDef, Universe } from '../../model/kernel/definitions.ts';
import { stateless, type Checker, type Invariant, type StepObservation } from '../../properties/invariant.ts';
import { foreign } from '../../properties/owners.ts';
import { generatedOwners, generatedRelease } from '../patch-def.ts';

/** One way to name the patches by load order: entry k - 1 is the owners and release of the k-th patch to load (pk). */
export interface LoadOrderLabels {
  readonly owners: readonly (readonly string[])[];
  readonly releases: readonly number[];
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Every load order's owners and releases over `patches` patches, the identity first: patches! of them. */
export function everyLoadOrder(patches: number): readonly LoadOrderLabels[] {
  // Sorted so that the identity comes first (permutations() lists it last for n > 1).
  const perms = permutations(patches).sort((a, b) => a.join(',').localeCompare(b.join(',')));
  return perms.map((sigma) => ({ owners: sigma.map(generatedOwners), releases: sigma.map(generatedRelease) }));
}

/**
 * The distinct labelings of `patches` patches (see the file's comment): the
 * identity first, then one per other relation among the patches. Patches=2
 * has one (its two patches are always foreign), patches=3 six.
 */
export function loadOrderLabelings(patches: number): readonly LoadOrderLabels[] {
  const seen = new Set<string>();
  const out: LoadOrderLabels[] = [];
  for (const l of everyLoadOrder(patches)) {
    const relation: string[] = [];
    for (let i = 0; i < patches; i++)
      for (let j = i + 1; j < patches; j++)
        relation.push(foreign({ owners: l.owners[i] }, { owners: l.owners[j] }) ? 'f' : l.releases[i]! < l.releases[j]! ? '<' : '>');
    const key = relation.join('');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(l);
  }
  return out;
}

/** The number of the explorer's patch `name` (pk is k), or 0 for a name it does not make. */
function loadIndex(name: string): number {
  // The explorer's names exactly (candidates.ts patchName): no leading zero, nothing around.
  const m = /^p([1-9]\d*)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** `def` with the owners and release `l` gives its place in the load order (a name the explorer does not make is kept). */
export function relabeledDef(def: PatchDef, l: LoadOrderLabels): PatchDef {
  const k = loadIndex(def.name);
  if (!k || k > l.owners.length) return def;
  return { ...def, owners: [...l.owners[k - 1]!], release: l.releases[k - 1]! };
}

/** `u` with every explorer patch relabeled by `l`. */
export function relabeledUniverse(u: Universe, l: LoadOrderLabels): Universe {
  return { ...u, patches: u.patches.map((d) => relabeledDef(d, l)) };
}

/** A step as the checker would see it in the universe relabeled by `l`. */
function relabeledStep(obs: StepObservation, l: LoadOrderLabels): StepObservation {
  return {
    index: obs.index,
    op: obs.op,
    outcome: obs.outcome,
    before: obs.before,
    after: obs.after,
    events: obs.events,
    semantics: obs.semantics,
    universe: relabeledUniverse(obs.universe, l),
    def: (name) => relabeledDef(obs.def(name), l),
  };
}

/**
 * `inv` as the explorer checks it over `patches` patches: a step violates it
 * when it does under some labeling (loadOrderLabelings), the reason that
 * labeling's. Only for an invariant that reads owners or releases, whose
 * checker is stateless (each labeling is asked the same step afresh).
 */
export function forEveryLoadOrder(inv: Invariant, patches: number): Invariant {
  const labelings = loadOrderLabelings(patches);
  if (!inv.checker().stateless) throw new Error(`${inv.id}: a checker with memory cannot be asked once per load order`);
  return {
    ...inv,
    checker: (): Checker => {
      const inner = inv.checker();
      return stateless((obs) => {
        // The first labeling is the identity: the explorer's own universe already has it.
        for (let i = 0; i < labelings.length; i++) {
          const reason = inner.check(i === 0 ? obs : relabeledStep(obs, labelings[i]!));
          if (reason) return reason;
        }
        return null;
      });
    },
  };
}
