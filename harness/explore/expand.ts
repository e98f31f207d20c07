/**
 * Expanding frontier states: the successors of a state, each checked for
 * conformance and every selected invariant with the reference implementation
 * in lockstep, and each successor's packed keys.
 *
 * A frontier entry is only a state number; the objects (kernel, spec model,
 * checkers) of a state are rebuilt by replaying its path from the root. The
 * frontier is in breadth-first order, so consecutive states share all but
 * their last steps: a stack of the objects along the previous path is kept,
 * and a state costs about one replayed step, not its depth.
 *
 * A step is named by its position in its state's successor list (`prefix`:
 * the candidate ops for the patch definitions chosen so far, then one insmod
 * per definition the next new patch may have), so a path is a few bytes and
 * means the same in every worker. The same positions name the definitions
 * in a state's key.
 */
import type { PatchDef, Universe } from '../../model/kernel/definitions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import type { Op } from '../ops.ts';
import { Lockstep, type RunOptions, type Violation } from '../run-sequence.ts';
import { candidateOps, newPatchDefs, scopeFuncs, TARGET_MODULE, withPatch } from './candidates.ts';
import { Coverage } from './coverage.ts';
import { forEveryLoadOrder } from './load-order-labels.ts';
import type { ExploreScope } from './scope.ts';
import { keyBuilderFor, type KeyBuilder, type StateKeys } from './state-key.ts';

/** One root per choice of which state ids own shadow variables (per-state semantics); one root otherwise. */
export function rootShadowIds(sem: Semantics, scope: ExploreScope): ReadonlySet<number>[] {
  if (!sem.spec.perState || scope.states === 0) return [new Set()];
  // Whether a state id owns shadow variables is the id's, not a patch's: chosen once per universe.
  return Array.from(
    { length: 2 ** scope.states },
    (_, mask) => new Set(Array.from({ length: scope.states }, (_, i) => i + 1).filter((id) => mask & (1 << (id - 1)))),
  );
}

/** The root whose shadow-owning state ids are `ids`: rootShadowIds numbers its roots by their ids' bit mask. */
export function rootOwning(sem: Semantics, ids: ReadonlySet<number>): number {
  let root = 0;
  if (sem.spec.perState) for (const id of ids) root |= 1 << (id - 1);
  return root;
}

export function rootUniverse(scope: ExploreScope): Universe {
  return { patches: [], modules: [{ name: TARGET_MODULE }], kernel: { tasks: scope.tasks }, forbid_downgrade: true };
}

/** The patch definitions chosen along a path. */
interface Defs {
  readonly known: readonly PatchDef[];
  /** Positions of the known definitions, each in its own prefix's list (they are part of the key). */
  readonly defPos: readonly number[];
}

/** The steps out of states whose patch definitions are `known`. */
interface Prefix extends Defs {
  /** Successor list: candidate ops, then a new patch's insmods. */
  readonly ops: readonly Op[];
  readonly firstNew: number;
  readonly newDefs: readonly PatchDef[];
}

const NO_DEFS: Defs = { known: [], defPos: [] };

/** The definitions after loading `def`, at `index` in the newDefs of the prefix whose definitions are `defs`. */
function afterNew(defs: Defs, def: PatchDef, index: number): Defs {
  return { known: [...defs.known, def], defPos: [...defs.defPos, index] };
}

/** A successor as the explorer sees it. */
export interface Successor {
  readonly pos: number;
  readonly op: Op;
  /** The objects after the step: valid only during the call (a quiet step's are reused for the next op). */
  readonly run: Lockstep;
  readonly keys: StateKeys;
  readonly found: readonly Violation[];
}

export class Expander {
  readonly runOpts: RunOptions;
  private readonly roots: readonly ReadonlySet<number>[];
  private readonly prefixes = new Map<string, Prefix>();
  /**
   * Equal successor lists, shared: thousands of prefixes (3 patches) have the
   * same candidates, and each call of candidateOps/newPatchDefs makes new objects.
   */
  private readonly lists = new Map<string, Omit<Prefix, 'known' | 'defPos'>>();
  private readonly keys: KeyBuilder;
  /** The objects along the last replayed path: stack[k] is the state after k steps. */
  private stack: { run: Lockstep; prefix: Prefix; pos: number }[] = [];
  private stackRoot = -1;
  readonly coverage = new Coverage();

  constructor(
    readonly semantics: Semantics,
    readonly scope: ExploreScope,
    readonly properties: readonly string[],
    /**
     * Called on every quiet step (run-sequence.ts stepAll) with the state's
     * objects and the op, before the step's own objects are reused: the
     * tests check there what the skipped checks would have said.
     */
    private readonly onQuietStep?: (state: Lockstep, op: Op) => void,
  ) {
    // Owners and releases go with names, which the search gives in load order: checked for every load order.
    const invariants = INVARIANTS.filter((i) => properties.includes(i.id)).map((i) =>
      i.readsOwners ? forEveryLoadOrder(i, scope.patches) : i,
    );
    this.runOpts = { invariants, conformance: properties.includes(CONFORMANCE), funcs: scopeFuncs(scope), specUntilDivergence: true };
    this.roots = rootShadowIds(semantics, scope);
    this.keys = keyBuilderFor(semantics, scope);
  }

  get rootCount(): number {
    return this.roots.length;
  }

  /** How many successor lists this expander holds (prefix): the tests bound it by the states expanded. */
  get successorLists(): number {
    return this.prefixes.size;
  }

  /**
   * The successor list of the states whose definitions are `defs` (one list
   * for all of them, by root and definition positions), made when a path
   * first steps out of one of them: only definitions of states expanded, or
   * on a path to one, get one. Made for every successor that loads a new
   * patch, the lists numbered some hundred times the states a worker
   * expands, and a 32 MiB worker ran out of memory in depth 2 of
   * patches=5,functions=6,states=3,tasks=3 on that alone (stop 54).
   */
  private prefix(root: number, { known, defPos }: Defs): Prefix {
    const id = `${root}:${defPos.join(',')}`;
    let p = this.prefixes.get(id);
    if (!p) {
      const ops = candidateOps(this.semantics, this.scope, known);
      const newDefs = known.length < this.scope.patches ? newPatchDefs(this.semantics, this.scope, known, this.roots[root]!) : [];
      if (ops.length + newDefs.length > 0xffff) throw new Error('explore: more than 65535 successors of one state');
      const listKey = JSON.stringify([ops, newDefs]);
      let list = this.lists.get(listKey);
      if (!list)
        this.lists.set(
          listKey,
          (list = { ops: [...ops, ...newDefs.map((d): Op => ({ op: 'insmod', module: d.name }))], firstNew: ops.length, newDefs }),
        );
      p = { known, defPos, ...list };
      this.prefixes.set(id, p);
    }
    return p;
  }

  /** The state at the end of `path` (positions) from root `root`: its objects and its prefix. */
  private at(root: number, path: readonly number[]): { run: Lockstep; prefix: Prefix } {
    if (this.stackRoot !== root || !this.stack.length) {
      const run = new Lockstep(rootUniverse(this.scope), this.semantics, this.runOpts);
      this.stack = [{ run, prefix: this.prefix(root, NO_DEFS), pos: -1 }];
      this.stackRoot = root;
    }
    let k = 0;
    while (k < path.length && k + 1 < this.stack.length && this.stack[k + 1]!.pos === path[k]) k++;
    this.stack.length = k + 1;
    for (; k < path.length; k++) {
      const { run, prefix } = this.stack[k]!;
      const pos = path[k]!;
      const { run: next, defs } = this.step(run, prefix, pos);
      next.replay(prefix.ops[pos]!);
      this.stack.push({ run: next, prefix: defs === prefix ? prefix : this.prefix(root, defs), pos });
    }
    const top = this.stack[this.stack.length - 1]!;
    return { run: top.run, prefix: top.prefix };
  }

  /**
   * A branch of `run` ready to take step `pos` (its universe knows a new
   * patch's definition), and the definitions after it: `prefix` itself
   * unless the step loads a new patch.
   */
  private step(run: Lockstep, prefix: Prefix, pos: number): { run: Lockstep; defs: Defs } {
    if (pos < prefix.firstNew) return { run: run.branch(), defs: prefix };
    const def = prefix.newDefs[pos - prefix.firstNew]!;
    return { run: run.branch(withPatch(run.universe, def)), defs: afterNew(prefix, def, pos - prefix.firstNew) };
  }

  /** The keys of a root state. */
  rootKeys(root: number): { keys: StateKeys; memory: string } {
    const { run, prefix } = this.at(root, []);
    return { keys: this.keys.build(run, root, prefix.defPos), memory: run.memory() };
  }

  /**
   * Calls `each` for every successor of the state at `path`, in the order of
   * its successor list, after checking every property on the transition.
   */
  expand(root: number, path: readonly number[], each: (s: Successor, memory: string) => void): void {
    const { run, prefix } = this.at(root, path);
    this.keys.build(run, root, prefix.defPos);
    const was = this.keys.placed();
    /** A branch left as the state was by a quiet step: the next op may start from it instead of a new branch. */
    let spare: Lockstep | null = null;
    for (let pos = 0; pos < prefix.ops.length; pos++) {
      const op = prefix.ops[pos]!;
      if (pos < prefix.firstNew && (pointless(op, run) || !run.applicable(op))) continue;
      const reuse: Lockstep | null = pos < prefix.firstNew ? spare : null;
      spare = null;
      const { run: next, defs: after }: { run: Lockstep; defs: Defs } = reuse ? { run: reuse, defs: prefix } : this.step(run, prefix, pos);
      // A quiet step (run-sequence.ts stepAll) is one whose packed state, tasks in place, is the state's own:
      // its keys are the state's, and nothing the checks do changes them.
      // Keys built for that question stand unless a conformance break then changed what a key holds.
      let builtFollowing: boolean | null = null;
      let quiet = false;
      const found = next.stepAll(op, undefined, () => {
        this.keys.build(next, root, after.defPos);
        builtFollowing = next.followsSpec;
        return (quiet = this.keys.isUnchanged(was));
      });
      this.coverage.record(op, next);
      const keys = builtFollowing === next.followsSpec ? this.keys.last() : this.keys.build(next, root, after.defPos);
      each({ pos, op, run: next, keys, found }, next.memory());
      if (quiet) {
        this.onQuietStep?.(run, op);
        next.forgetQuietStep();
        spare = next;
      }
    }
  }

  /** The universe and ops of a path, for a counterexample. */
  decode(root: number, path: readonly number[]): { universe: Universe; ops: Op[] } {
    let prefix = this.prefix(root, NO_DEFS);
    let universe = rootUniverse(this.scope);
    const ops: Op[] = [];
    for (const pos of path) {
      ops.push(prefix.ops[pos]!);
      if (pos >= prefix.firstNew) {
        const def = prefix.newDefs[pos - prefix.firstNew]!;
        universe = withPatch(universe, def);
        prefix = this.prefix(root, afterNew(prefix, def, pos - prefix.firstNew));
      }
    }
    return { universe, ops };
  }
}

/**
 * Ops that fail before reaching the livepatch core and change nothing:
 * loading a loaded module (-EEXIST), removing one that is not loaded or
 * writing a sysfs file that does not exist (-ENOENT). The random runs and
 * the unit tests cover them; exhaustively they would double the transitions.
 */
function pointless(op: Op, run: Lockstep): boolean {
  const k = run.preconditions;
  switch (op.op) {
    case 'insmod':
      return k.isLoaded(op.module);
    case 'rmmod':
      return !k.isLoaded(op.module);
    case 'disable':
    case 'enable':
    case 'force':
    case 'set_attr':
      return !k.isRegistered(op.patch);
    default:
      return false;
  }
}
