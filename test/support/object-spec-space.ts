/**
 * The brute-force side of the packed engine's differential test: the spec
 * level explored with the object spec model (model/spec/spec-model.ts), one
 * SpecModel per state, each successor a clone, keyed by the explorer's own
 * spec-level key (state-key.ts's layout, packed by model/spec/pack.ts, tasks
 * sorted). It offers the successors the explorer would try (candidates.ts;
 * expand.ts pointless and ops.ts applicable, answered by the spec model), so
 * that packedSearch can run it as it runs the packed model.
 */
import { hex } from './packed-keys.ts';
import type { PatchDef, Universe } from '../../model/kernel/definitions.ts';
import { ByteWriter, packSpecShared, packSpecTask, TASK_BYTES, type PackContext } from '../../model/spec/pack.ts';
import { SpecModel } from '../../model/spec/spec-model.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { candidateOps, newPatchDefs, scopeFuncs, withPatch } from '../../harness/explore/candidates.ts';
import { rootUniverse } from '../../harness/explore/expand.ts';
import type { PackedSpace } from '../../harness/explore/packed/search.ts';
import type { ExploreScope } from '../../harness/explore/scope.ts';
import { packContext } from '../../harness/explore/state-key.ts';
import { applicable, applyToSpec, type Op } from '../../harness/ops.ts';

interface ObjectState {
  readonly spec: SpecModel;
  readonly universe: Universe;
  readonly known: readonly PatchDef[];
  readonly defPos: readonly number[];
}

export class ObjectSpecSpace implements PackedSpace {
  private readonly states = new Map<string, ObjectState>();
  private readonly ctx: PackContext;

  constructor(
    private readonly sem: Semantics,
    private readonly scope: ExploreScope,
  ) {
    this.ctx = packContext(sem, scope);
  }

  roots(): Uint8Array[] {
    const universe = rootUniverse(this.scope);
    const s: ObjectState = { spec: new SpecModel(universe, this.sem, scopeFuncs(this.scope)), universe, known: [], defPos: [] };
    const key = this.key(s);
    this.states.set(hex(key), s);
    return [key];
  }

  /** The successor list of `key`'s state: the ops, then the new patch's insmods (as expand.ts). */
  successorOps(key: Uint8Array): { ops: readonly Op[]; newDefs: readonly PatchDef[] } {
    const s = this.states.get(hex(key))!;
    const ops = candidateOps(this.sem, this.scope, s.known);
    const newDefs = s.known.length < this.scope.patches ? newPatchDefs(this.sem, this.scope, s.known, new Set()) : [];
    return { ops: [...ops, ...newDefs.map((d): Op => ({ op: 'insmod', module: d.name }))], newDefs };
  }

  expand(key: Uint8Array, emit: (out: Uint8Array, length: number, pos: number) => void): void {
    const s = this.states.get(hex(key));
    if (!s) throw new Error(`object space: no state ${hex(key)}`);
    const { ops, newDefs } = this.successorOps(key);
    const firstNew = ops.length - newDefs.length;
    ops.forEach((op, pos) => {
      let next: ObjectState;
      if (pos >= firstNew) {
        const def = newDefs[pos - firstNew]!;
        const universe = withPatch(s.universe, def);
        next = { spec: s.spec.clone(universe), universe, known: [...s.known, def], defPos: [...s.defPos, pos - firstNew] };
      } else {
        // expand.ts pointless: the op would fail before the livepatch core (-EEXIST, -ENOENT).
        const k = s.spec;
        const pointless =
          op.op === 'insmod'
            ? k.isLoaded(op.module)
            : op.op === 'rmmod'
              ? !k.isLoaded(op.module)
              : (op.op === 'disable' || op.op === 'enable' || op.op === 'force') && !k.isRegistered(op.patch);
        if (pointless || !applicable(op, k)) return;
        next = { ...s, spec: s.spec.clone(s.universe) };
      }
      applyToSpec(op, next.spec);
      const out = this.key(next);
      const h = hex(out);
      if (!this.states.has(h)) this.states.set(h, next);
      emit(out, out.length, pos);
    });
  }

  private key(s: ObjectState): Uint8Array {
    return specLevelKey(s.spec, s.defPos, this.ctx);
  }
}

/** The spec-level key of a spec model whose definitions were chosen at `defPos`: root 0, the definitions, the spec model, the task columns sorted. */
export function specLevelKey(spec: SpecModel, defPos: readonly number[], ctx: PackContext): Uint8Array {
  const w = new ByteWriter();
  w.u8(0);
  w.u8(defPos.length);
  for (const d of defPos) w.u16(d);
  const snap = packSpecShared(spec, ctx, w);
  const columns = snap.tasks.map((_, i) => {
    const c = new Array<number>(TASK_BYTES).fill(0);
    packSpecTask(snap, i, ctx, c);
    return c;
  });
  columns.sort((a, b) => {
    for (let i = 0; i < TASK_BYTES; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  w.u8(columns.length);
  for (const c of columns) for (const b of c) w.u8(b);
  return w.bytes().slice();
}
