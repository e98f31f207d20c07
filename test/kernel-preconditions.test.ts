/**
 * An op's precondition is read off the reference implementation
 * (harness/kernel-preconditions.ts), and the explorer relies on that after a
 * conformance break. Before one, the spec model must answer every
 * precondition alike, or reading the kernel would change which sequences
 * run. This walks every state of a small scope for every semantics, with the
 * task model's ops too, and compares the two answers for every candidate op
 * in every state where the two sides still conform.
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef } from '../model/kernel/definitions.ts';
import { candidateOps, newPatchDefs, scopeFuncs, withPatch } from '../harness/explore/candidates.ts';
import { rootUniverse } from '../harness/explore/expand.ts';
import { KeyBuilder, packContext } from '../harness/explore/state-key.ts';
import { parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import { KernelPreconditions } from '../harness/kernel-preconditions.ts';
import { applicable, describeOp, type Op, type OpPreconditions } from '../harness/ops.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { Kernel } from '../model/kernel/kernel.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

type Answerer = (k: Kernel) => OpPreconditions;

/** Every (state, op) where the spec model and the kernel's answers differ while the two sides conform, up to `limit`. */
function disagreements(sem: Semantics, scope: ExploreScope, kernelSide: Answerer, limit = 3): string[] {
  const found: string[] = [];
  const keys = new KeyBuilder(packContext(sem, scope), scope.patches);
  // Each state at the least depth it is reached at, so that depth-first order cuts no subtree short.
  const seen = new Map<string, number>();
  const opts = { invariants: [], conformance: true, funcs: scopeFuncs(scope), specUntilDivergence: true };
  const walk = (run: Lockstep, known: readonly PatchDef[], path: readonly Op[], depth: number) => {
    const key =
      Buffer.from(
        keys.build(
          run,
          0,
          known.map((_, i) => i),
        ).full,
      ).toString('hex') + known.map((d) => d.name).join();
    if ((seen.get(key) ?? Infinity) <= depth || found.length >= limit) return;
    seen.set(key, depth);
    if (!run.followsSpec) return;
    const ops = candidateOps(sem, scope, known);
    const k = kernelSide(run.kernel);
    for (const op of ops) {
      const spec = applicable(op, run.spec);
      if (spec !== applicable(op, k))
        found.push(
          `${sem.name}: after ${path.map(describeOp).join('; ') || 'nothing'}, the spec says ${describeOp(op)} ${spec ? 'applies' : 'does not apply'}`,
        );
    }
    for (const m of ['insmod', 'rmmod'] as const)
      for (const d of known)
        if (run.spec.isLoaded(d.name) !== k.isLoaded(d.name))
          found.push(`${sem.name}: ${m} ${d.name} after ${path.map(describeOp).join('; ')}`);
    if (depth === scope.depth) return;
    for (const op of ops)
      if (run.applicable(op)) {
        const next = run.branch();
        next.stepAll(op);
        walk(next, known, [...path, op], depth + 1);
      }
    if (known.length < scope.patches)
      for (const def of newPatchDefs(sem, scope, known, new Set())) {
        const next = run.branch(withPatch(run.universe, def));
        const op: Op = { op: 'insmod', module: def.name };
        next.stepAll(op);
        walk(next, [...known, def], [...path, op], depth + 1);
      }
  };
  walk(new Lockstep(rootUniverse(scope), sem, opts), [], [], 0);
  return found;
}

const SCOPES = [
  parseScope('patches=2,functions=1,states=1,tasks=2,depth=5'),
  parseScope('patches=1,functions=1,states=0,tasks=2,depth=5,taskModel=1'),
];
const kernelSide: Answerer = (k) => new KernelPreconditions(k);

describe("the kernel's preconditions", () => {
  it.each(SEMANTICS.map((s) => [s.name, s] as const))('answer as the spec model does while %s conforms', (_, sem) => {
    for (const scope of SCOPES) expect(disagreements(sem, scope, kernelSide)).toEqual([]);
  });

  it('would show a kernel answer that differs: a task in a transition taken for idle', () => {
    const broken: Answerer = (k) => {
      const real = new KernelPreconditions(k);
      return Object.assign(Object.create(real) as OpPreconditions, {
        taskFlags: (name: string) => {
          const t = real.taskFlags(name);
          return t && { ...t, idle: true };
        },
      });
    };
    const upstream = SEMANTICS.find((s) => s.name === 'upstream')!;
    expect(disagreements(upstream, SCOPES[0]!, broken)[0]).toMatch(/task_return|returns to user/);
  });
});
