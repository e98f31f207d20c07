/**
 * The packed engine's view of the patch definitions a search may choose, as
 * a tree: a node is the list of definitions chosen so far (p1 .. pk), its
 * children the definitions the next new patch may have. Each node holds,
 * compiled to small integers, the facts the packed models read about its
 * patches (which functions each patches, which state ids at which version,
 * whether it replaces) and its successor list: the explorer's candidate ops
 * for those patches (candidates.ts candidateOps), then one insmod per
 * definition the next new patch may have (newPatchDefs). The list is made
 * by the very functions the object explorer uses (expand.ts Expander), so a
 * successor's position means the same step in both engines, as the Promela
 * model shares these tables with the explorer (promela/upstream.ts).
 */
import type { PatchDef } from '../../../model/kernel/definitions.ts';
import type { Semantics } from '../../../model/semantics/semantics.ts';
import type { Op } from '../../ops.ts';
import { bootTasks, candidateOps, MODULE_FUNC, newPatchDefs, patchName, scopeFuncs, TARGET_MODULE } from '../candidates.ts';
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
} as const;

/**
 * A node's successor list as three parallel columns: the op, its patch or
 * task, and (block_task only) the function, 1..F for vmlinux f1..fF and F + 1
 * for mod:m1 (the byte the spec key writes for it: 1 + its place in
 * scopeFuncs).
 */
export interface CompiledSteps {
  readonly op: Uint8Array;
  readonly arg: Uint16Array;
  readonly func: Uint8Array;
}

export class DefinitionNode {
  /** The definitions chosen so far: p1 .. p<known.length>. */
  readonly known: readonly PatchDef[];
  /** Each known definition's position among its own node's new definitions (the key writes them, u16 each). */
  readonly defPos: readonly number[];
  /** Per patch k = 1..P: the functions it patches, bit f - 1 for function byte f (F + 1 bits at most). */
  readonly funcs: Uint8Array;
  /** Per patch k: 1 when it replaces (upstream's replace=true). */
  readonly replace: Uint8Array;
  /** Per patch k and state id s = 1..S: the version it carries at [k * (S + 1) + s], 0 when it carries none. */
  readonly versions: Uint8Array;
  readonly steps: CompiledSteps;
  /** The same successor list as ops: candidate ops, then the new patch's insmods (for printing a path). */
  readonly ops: readonly Op[];
  /** The definitions the next new patch may have; empty when P are known. */
  readonly newDefs: readonly PatchDef[];
  private readonly children: (DefinitionNode | undefined)[];

  constructor(
    private readonly tree: DefinitionTree,
    known: readonly PatchDef[],
    defPos: readonly number[],
    parent?: DefinitionNode,
  ) {
    const { scope, semantics } = tree;
    this.known = known;
    this.defPos = defPos;
    const P = scope.patches;
    const S = scope.states;
    this.funcs = parent ? parent.funcs.slice() : new Uint8Array(P + 1);
    this.replace = parent ? parent.replace.slice() : new Uint8Array(P + 1);
    this.versions = parent ? parent.versions.slice() : new Uint8Array((P + 1) * (S + 1));
    const k = known.length;
    if (k > 0) {
      const d = known[k - 1]!;
      this.funcs[k] = tree.funcBits(d);
      this.replace[k] = d.attrs?.replace ? 1 : 0;
      for (const s of d.states ?? []) this.versions[k * (S + 1) + s.id] = s.version ?? 0;
    }
    this.newDefs = k < P ? newPatchDefs(semantics, scope, known, new Set()) : [];
    this.children = new Array<DefinitionNode | undefined>(this.newDefs.length);
    const ops = candidateOps(semantics, scope, known);
    this.steps = tree.compile(ops, this.newDefs.length);
    this.ops = [...ops, ...this.newDefs.map((d): Op => ({ op: 'insmod', module: d.name }))];
  }

  /** The node after the next new patch takes the definition at `pos` among newDefs. */
  child(pos: number): DefinitionNode {
    let c = this.children[pos];
    if (!c) {
      const def = this.newDefs[pos];
      if (!def) throw new Error(`packed: no new definition at position ${pos}`);
      c = this.children[pos] = new DefinitionNode(this.tree, [...this.known, def], [...this.defPos, pos], this);
    }
    return c;
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
  readonly root: DefinitionNode;
  /** Function key -> function byte (1 + its place in scopeFuncs). */
  private readonly funcByte: ReadonlyMap<string, number>;
  private readonly taskIndex: ReadonlyMap<string, number>;

  constructor(
    readonly semantics: Semantics,
    readonly scope: ExploreScope,
  ) {
    if (scope.taskModel) throw new Error('packed: the task model (taskModel=1) is not in the packed engine yet');
    if (semantics.spec.perState || (semantics.spec.writableAttrs ?? []).length)
      throw new Error(`packed: ${semantics.name} needs shadow or attribute ops, which the packed engine does not have yet`);
    this.funcByte = new Map(scopeFuncs(scope).map((f, i) => [f, i + 1]));
    this.taskIndex = new Map(bootTasks(scope).map((t, i) => [t, i]));
    this.root = new DefinitionNode(this, [], []);
  }

  /** The node whose definitions are chosen at positions `defPos`, in order. */
  nodeAt(defPos: ArrayLike<number>): DefinitionNode {
    let n = this.root;
    for (let i = 0; i < defPos.length; i++) n = n.child(defPos[i]!);
    return n;
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
        default:
          throw new Error(`packed: ${o.op} is not in the packed engine`);
      }
    });
    for (let j = 0; j < newCount; j++) [op[ops.length + j], arg[ops.length + j]] = [PackedOp.InsmodNew, j];
    return { op, arg, func };
  }
}
