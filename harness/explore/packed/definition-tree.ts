/**
 * The packed engine's view of the patch definitions a search may choose, as
 * a tree: a node is the list of definitions chosen so far (p1 .. pk), its
 * children the definitions the next new patch may have. Each node holds,
 * compiled to small integers, the facts the packed models read about its
 * patches (which functions each patches, which state ids it declares, with
 * which per-state flags) and its successor list: the explorer's candidate ops
 * for those patches (candidates.ts candidateOps), then one insmod per
 * definition the next new patch may have (newPatchDefs). The list is made
 * by the very functions the object explorer uses (expand.ts Expander), so a
 * successor's position means the same step in both engines, as the Promela
 * model shares these tables with the explorer (promela/model.ts).
 *
 * A per-state search has one tree root per choice of the state ids that own
 * shadow variables (expand.ts rootShadowIds: is_shadow is the id's, chosen
 * once per universe), numbered as the explorer numbers its roots, which is
 * the first byte of every key.
 */
import type { PatchDef, StateDef } from '../../../model/kernel/definitions.ts';
import type { Semantics } from '../../../model/semantics/semantics.ts';
import type { Op } from '../../ops.ts';
import { rootShadowIds, rootUniverse } from '../expand.ts';
import { bootTasks, candidateOps, MODULE_FUNC, newPatchDefs, patchName, scopeFuncs, TARGET_MODULE, usedSoFar } from '../candidates.ts';
import type { ExploreScope } from '../scope.ts';

/** An op as the packed models take it: what it does, to which patch (1..P) or task (0..T-1), in which function. */
export const PackedOp = {
  InsmodPatch: 0,
  InsmodModule: 1,
  RmmodModule: 2,
  RmmodPatch: 3,
  Disable: 4,
  Enable: 5,
  Force: 6,
  TransitionStep: 7,
  BlockTask: 8,
  UnblockTask: 9,
  TaskReturn: 10,
  /** The next new patch's insmod; `arg` is its definition's position among the node's new definitions. */
  InsmodNew: 11,
  /** A write to a patch's writable attribute (hybrid mode's replaceable); `func` is 2 * its place in writableAttrs + the value. */
  SetAttr: 12,
  /** Patch code's klp_shadow_get_or_alloc(obj 1, id `func`) (per-state: ops.ts shadow_alloc). */
  ShadowAlloc: 13,
  /** Patch code's klp_shadow_free(obj 1, id `func`) (per-state: ops.ts shadow_free). */
  ShadowFree: 14,
} as const;

/**
 * A node's successor list as three parallel columns: the op, its patch or
 * task, and for block_task the function, 1..F for vmlinux f1..fF and F + 1
 * for mod:m1 (the byte the spec key writes for it: 1 + its place in
 * scopeFuncs), for set_attr the attribute and value (PackedOp.SetAttr), for
 * a shadow op the state id.
 */
export interface CompiledSteps {
  readonly op: Uint8Array;
  readonly arg: Uint16Array;
  readonly func: Uint8Array;
}

/** A node's successor list, shared by the nodes with the same choice (DefinitionTree.successorList). */
interface SuccessorList {
  readonly newDefs: readonly PatchDef[];
  readonly steps: CompiledSteps;
  readonly ops: readonly Op[];
  /** Per new definition (its position in newDefs): what a child node there has, made when first asked (DefinitionTree.childFacts). */
  readonly children: (ChildFacts | undefined)[];
}

/** The largest vmlinux function index and state id some definitions use (candidates.ts usedSoFar). */
interface Used {
  readonly funcs: number;
  readonly states: number;
}

/**
 * What a node's child at one new definition has: that definition's row, the
 * functions and state ids used with it, and its successor list. All three
 * follow from the parent's successor list and the position alone, so every
 * node of one list shares them.
 */
interface ChildFacts {
  readonly row: number;
  readonly used: Used;
  readonly list: SuccessorList;
}

/**
 * `list` with `last` appended, in an array of exactly that length. A spread
 * (`[...list, last]`) grows its array as a push does (three elements in
 * room for 20, node 20's V8): with two such arrays a node took about 530 bytes of heap
 * (1,100,889 nodes, 555 MiB, at patches=3,functions=3,states=2,tasks=2,
 * depth 4, 2026-12-06).
 */
function extended(list: readonly number[], last: number): number[] {
  // Array.from of a length makes a packed array of small integers, as the roots' are (new Array(n) made a holey one,
  // which the hot reads of rows then told apart from the roots').
  const n = list.length;
  return Array.from({ length: n + 1 }, (_, i) => (i < n ? list[i]! : last));
}

/**
 * A node of the tree. Nodes are many (1.1 million at
 * patches=3,functions=3,states=2, depth 4) and mostly leaves, so a node
 * holds no definitions: its place (defPos), its patches' row numbers and a
 * shared successor list; the facts are the tree's tables, one row per
 * distinct definition. Still, a node is about 250 bytes of heap beside a
 * stored state's 40 (1,100,889 nodes in 261 MiB at patches=3,functions=3,
 * states=2,tasks=2, depth 4), which the bench's RSS shows and its bytes per
 * stored state do not (deriving defPos and rows from the parent chain would
 * cost a walk per successor).
 */
export class DefinitionNode {
  /** Each known definition's position among its own node's new definitions (the key writes them, u16 each). */
  readonly defPos: readonly number[];
  /** Per patch k = 1..P (index 0 unused): the row of its definition's facts (DefinitionTree.funcs, states, owners ...). */
  readonly rows: readonly number[];
  /** The successor list (shared): candidate ops, then the next new patch's insmods. */
  readonly list: SuccessorList;
  /** The largest vmlinux function index and state id the known definitions use (candidates.ts usedSoFar). */
  readonly used: Used;
  private children: (DefinitionNode | undefined)[] | null = null;
  /** The root this node grows from (the key's first byte: expand.ts rootShadowIds). */
  readonly root: number;

  constructor(
    private readonly tree: DefinitionTree,
    private readonly parent: DefinitionNode | null,
    pos: number,
    root = 0,
  ) {
    this.root = parent ? parent.root : root;
    if (!parent) {
      this.defPos = [];
      this.rows = [-1];
      this.used = { funcs: 0, states: 0 };
      this.list = tree.successorList(this.root, this.rows, this.used, () => []);
    } else {
      // A million nodes or more at the larger scopes, nearly all leaves: what a child has is looked up, not worked out.
      const facts = tree.childFacts(parent, pos);
      this.defPos = extended(parent.defPos, pos);
      this.rows = extended(parent.rows, facts.row);
      this.used = facts.used;
      this.list = facts.list;
    }
    // Counted once made: a child at a position past the new definitions throws above.
    tree.nodes++;
  }

  /** The definitions chosen so far, p1 first (made on request: only a new successor list and a printed path need them). */
  known(): PatchDef[] {
    const out: PatchDef[] = [];
    for (let n: DefinitionNode = this; n.parent; n = n.parent) out.push(n.parent.list.newDefs[n.defPos.at(-1)!]!);
    return out.reverse();
  }

  /** The node after the next new patch takes the definition at `pos` among newDefs. */
  child(pos: number): DefinitionNode {
    const children = (this.children ??= new Array<DefinitionNode | undefined>(this.list.newDefs.length));
    return (children[pos] ??= new DefinitionNode(this.tree, this, pos));
  }
}

/**
 * The definitions a key names: every explored key begins [root][count]
 * [position u16, little-endian]... (state-key.ts).
 */
export function keyDefinitions(key: Uint8Array): number[] {
  const positions: number[] = [];
  for (let d = 0, i = 2; d < key[1]!; d++, i += 2) positions.push(key[i]! | (key[i + 1]! << 8));
  return positions;
}

/** The definition tree of one search (semantics and scope), its nodes made when first reached. */
export class DefinitionTree {
  /** One root per choice of shadow-owning state ids (expand.ts rootShadowIds), numbered as the explorer's. */
  readonly roots: readonly DefinitionNode[];
  /** Per root: the state ids whose shadow variables belong to their state (is_shadow). */
  private readonly shadowIds: readonly ReadonlySet<number>[];
  /** Function key -> function byte (1 + its place in scopeFuncs). */
  private readonly funcByte: ReadonlyMap<string, number>;
  private readonly taskIndex: ReadonlyMap<string, number>;
  private readonly lists = new Map<string, SuccessorList>();
  private readonly rowIds = new Map<string, number>();
  private readonly rowDefs: PatchDef[] = [];
  /** Per row: the functions its definition patches, bit f - 1 for function byte f (F + 1 bits at most). */
  readonly funcs: number[] = [];
  /** Per row: the state ids it declares, bit id - 1 (the rules read versions in the definition: replace-rules.ts). */
  readonly states: number[] = [];
  /** Per row: its state ids with block_disable, bit id - 1 (per-state, facts C.4). */
  readonly blockDisable: number[] = [];
  /** Per row: its state ids with is_shadow, bit id - 1 (per-state, facts C.3). */
  readonly shadowStates: number[] = [];
  /** Per row: its writable attributes' values as built (bit i for the semantics' writableAttrs[i]; model/kernel/enable.ts buildPatch). */
  readonly writableBits: number[] = [];
  /** Whether the search's universes forbid downgrades (expand.ts rootUniverse; properties/no-silent-downgrade.ts). */
  readonly forbidDowngrade: boolean;
  /** The nodes made so far, the roots included: the bench's figure of the heap the definitions take beside the states. */
  nodes = 0;

  constructor(
    readonly semantics: Semantics,
    readonly scope: ExploreScope,
  ) {
    if (scope.taskModel) throw new Error('packed: the task model (taskModel=1) is not in the packed engine yet');
    this.funcByte = new Map(scopeFuncs(scope).map((f, i) => [f, i + 1]));
    this.taskIndex = new Map(bootTasks(scope).map((t, i) => [t, i]));
    this.forbidDowngrade = rootUniverse(scope).forbid_downgrade === true;
    this.shadowIds = rootShadowIds(semantics, scope);
    this.roots = this.shadowIds.map((_, root) => new DefinitionNode(this, null, 0, root));
  }

  /** The first root (the only one but in a per-state search with state ids). */
  get root(): DefinitionNode {
    return this.roots[0]!;
  }

  /**
   * The successor list of a node of root `root` whose definitions have the
   * rows `rows` (index 0 unused) and use functions and state ids up to
   * `used`: candidateOps and newPatchDefs depend on nothing else but the
   * root's shadow-owning ids and, for per-state's shadow ops, each known
   * patch's own state ids (candidates.ts), so a list is made once per such
   * choice, from `known()` (the definitions, p1 first) the first time, not
   * once per node: at patches=3,functions=3,states=2 a list per node held
   * 5.7 GB of definitions.
   */
  successorList(root: number, rows: readonly number[], used: Used, known: () => PatchDef[]): SuccessorList {
    const count = rows.length - 1;
    let id = `${root},${count},${used.funcs},${used.states}`;
    if (this.semantics.spec.perState) for (let k = 1; k <= count; k++) id += `,${this.states[rows[k]!]}`;
    let list = this.lists.get(id);
    if (!list) {
      const { semantics, scope } = this;
      const defs = known();
      const newDefs = count < scope.patches ? newPatchDefs(semantics, scope, defs, this.shadowIds[root]!) : [];
      const ops = candidateOps(semantics, scope, defs);
      list = {
        newDefs,
        steps: this.compile(ops, newDefs.length),
        ops: [...ops, ...newDefs.map((d): Op => ({ op: 'insmod', module: d.name }))],
        children: new Array<ChildFacts | undefined>(newDefs.length),
      };
      this.lists.set(id, list);
    }
    return list;
  }

  /**
   * What the child of `parent` at new definition `pos` has (ChildFacts),
   * worked out for the first node of parent's list that asks: the list's
   * id (successorList) is made of the root, the count, the functions and
   * state ids used and, for per-state, the rows' state ids, and the child's
   * are those and the one definition's.
   */
  childFacts(parent: DefinitionNode, pos: number): ChildFacts {
    const children = parent.list.children;
    const known = children[pos];
    if (known) return known;
    const def = parent.list.newDefs[pos];
    if (!def) throw new Error(`packed: no new definition at position ${pos}`);
    const u = usedSoFar([def]);
    const used = { funcs: Math.max(parent.used.funcs, u.funcs), states: Math.max(parent.used.states, u.states) };
    const row = this.rowOf(def);
    const list = this.successorList(parent.root, extended(parent.rows, row), used, () => [...parent.known(), def]);
    return (children[pos] = { row, used, list });
  }

  /** The row of a definition's facts, added when new. */
  rowOf(d: PatchDef): number {
    // Two definitions share a row when they differ in name only: the rules (replace-rules.ts) read every other field.
    const key = JSON.stringify({ ...d, name: '' });
    let row = this.rowIds.get(key);
    if (row === undefined) {
      this.rowIds.set(key, (row = this.funcs.length));
      this.rowDefs.push(d);
      this.funcs.push(this.funcBits(d));
      const bits = (has: (s: StateDef) => boolean | undefined) =>
        (d.states ?? []).reduce((b, s) => (has(s) ? b | (1 << (s.id - 1)) : b), 0);
      this.states.push(bits(() => true));
      this.blockDisable.push(bits((s) => s.block_disable));
      this.shadowStates.push(bits((s) => s.is_shadow));
      this.writableBits.push(this.attrBitsOf(d));
    }
    return row;
  }

  /** A definition's writable attribute values as bits (bit i for writableAttrs[i] true). */
  private attrBitsOf(d: PatchDef): number {
    const attrs = (d.attrs ?? {}) as Readonly<Record<string, unknown>>;
    let bits = 0;
    (this.semantics.spec.writableAttrs ?? []).forEach((a, i) => (bits |= attrs[a] ? 1 << i : 0));
    return bits;
  }

  /** A definition of row `row` (its name is the first patch's that had it: replace-rules.ts names it anew). */
  defOfRow(row: number): PatchDef {
    const d = this.rowDefs[row];
    if (!d) throw new Error(`packed: no definition row ${row}`);
    return d;
  }

  /** The node of root `root` whose definitions are chosen at positions `defPos`, in order. */
  nodeAt(defPos: ArrayLike<number>, root = 0): DefinitionNode {
    let n = this.roots[root];
    if (!n) throw new Error(`packed: no root ${root}`);
    for (let i = 0; i < defPos.length; i++) n = n.child(defPos[i]!);
    return n;
  }

  /** The node a key names: its root (first byte) and definitions (keyDefinitions). */
  nodeOfKey(key: Uint8Array): DefinitionNode {
    return this.nodeAt(keyDefinitions(key), key[0]);
  }

  /** A definition's functions as bits (bit f - 1 for function byte f). */
  funcBits(d: PatchDef): number {
    let bits = 0;
    for (const o of d.objects ?? [])
      for (const f of o.funcs ?? []) {
        const key = o.name === TARGET_MODULE ? MODULE_FUNC : `${o.name}:${f.old_name},${f.old_sympos ?? 0}`;
        const b = this.funcByte.get(key);
        if (b === undefined) throw new Error(`packed: function ${key} is outside the scope`);
        bits |= 1 << (b - 1);
      }
    return bits;
  }

  /** The successor list of a node: its candidate ops, then `newCount` new-patch insmods. */
  compile(ops: readonly Op[], newCount: number): CompiledSteps {
    const n = ops.length + newCount;
    if (n > 0xffff) throw new Error('packed: more than 65535 successors of one state');
    const op = new Uint8Array(n);
    const arg = new Uint16Array(n);
    const func = new Uint8Array(n);
    const patch = (name: string) => {
      for (let k = 1; k <= this.scope.patches; k++) if (patchName(k) === name) return k;
      throw new Error(`packed: patch ${name} is outside the scope`);
    };
    const task = (name: string) => {
      const i = this.taskIndex.get(name);
      if (i === undefined) throw new Error(`packed: task ${name} is outside the scope`);
      return i;
    };
    ops.forEach((o, i) => {
      switch (o.op) {
        case 'insmod':
          if (o.module === TARGET_MODULE) op[i] = PackedOp.InsmodModule;
          else [op[i], arg[i]] = [PackedOp.InsmodPatch, patch(o.module)];
          return;
        case 'rmmod':
          if (o.module === TARGET_MODULE) op[i] = PackedOp.RmmodModule;
          else [op[i], arg[i]] = [PackedOp.RmmodPatch, patch(o.module)];
          return;
        case 'disable':
          [op[i], arg[i]] = [PackedOp.Disable, patch(o.patch)];
          return;
        case 'enable':
          [op[i], arg[i]] = [PackedOp.Enable, patch(o.patch)];
          return;
        case 'force':
          [op[i], arg[i]] = [PackedOp.Force, patch(o.patch)];
          return;
        case 'transition_step':
          op[i] = PackedOp.TransitionStep;
          return;
        case 'block_task': {
          const f = this.funcByte.get(o.func);
          if (f === undefined || o.sleep === 'interruptible') throw new Error(`packed: ${JSON.stringify(o)} is not in the packed engine`);
          [op[i], arg[i], func[i]] = [PackedOp.BlockTask, task(o.task), f];
          return;
        }
        case 'unblock_task':
          [op[i], arg[i]] = [PackedOp.UnblockTask, task(o.task)];
          return;
        case 'task_return':
          [op[i], arg[i]] = [PackedOp.TaskReturn, task(o.task)];
          return;
        case 'set_attr': {
          const a = (this.semantics.spec.writableAttrs ?? []).indexOf(o.attr);
          if (a < 0 || (o.value !== '0' && o.value !== '1')) throw new Error(`packed: ${JSON.stringify(o)} is not in the packed engine`);
          [op[i], arg[i], func[i]] = [PackedOp.SetAttr, patch(o.patch), 2 * a + Number(o.value)];
          return;
        }
        case 'shadow_alloc':
        case 'shadow_free':
          // The explorer's shadow ops name object 1 only (candidates.ts): the shadow table is a bit per state id.
          if (o.obj !== 1) throw new Error(`packed: ${JSON.stringify(o)} is not in the packed engine`);
          [op[i], arg[i], func[i]] = [o.op === 'shadow_alloc' ? PackedOp.ShadowAlloc : PackedOp.ShadowFree, patch(o.patch), o.id];
          return;
        default:
          throw new Error(`packed: ${o.op} is not in the packed engine`);
      }
    });
    for (let j = 0; j < newCount; j++) [op[ops.length + j], arg[ops.length + j]] = [PackedOp.InsmodNew, j];
    return { op, arg, func };
  }
}
