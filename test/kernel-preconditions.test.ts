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
import { keyBuilderFor } from '../harness/explore/state-key.ts';
import { parseScope, type ExploreScope } from '../harness/explore/scope.ts';
import { KernelPreconditions } from '../harness/kernel-preconditions.ts';
import { applicable, describeOp, type Op, type OpPreconditions, type TaskFlags } from '../harness/ops.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import type { Kernel } from '../model/kernel/kernel.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

type Answerer = (k: Kernel) => OpPreconditions;

/** Every (state, op) where the spec model and the kernel's answers differ while the two sides conform, up to `limit`. */
function disagreements(sem: Semantics, scope: ExploreScope, kernelSide: Answerer, limit = 3): string[] {
  const found: string[] = [];
  const keys = keyBuilderFor(sem, scope);
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
    // Random runs draw shadow ops for any state id, not only the ones a patch declares (harness/generators.ts).
    const anyShadow = sem.spec.perState
      ? known.flatMap((d) => Array.from({ length: scope.states }, (_, i): Op => ({ op: 'shadow_alloc', patch: d.name, obj: 1, id: i + 1 })))
      : [];
    const k = kernelSide(run.kernel);
    const after = path.map(describeOp).join('; ') || 'nothing';
    for (const op of [...ops, ...anyShadow]) {
      const spec = applicable(op, run.spec);
      if (spec !== applicable(op, k))
        found.push(`${sem.name}: after ${after}, the spec says ${describeOp(op)} ${spec ? 'applies' : 'does not apply'}`);
    }
    // What the explorer's pointless() reads: a module loaded, a patch's sysfs directory there.
    for (const d of known) {
      if (run.spec.isLoaded(d.name) !== k.isLoaded(d.name)) found.push(`${sem.name}: whether ${d.name} is loaded, after ${after}`);
      if (run.spec.isRegistered(d.name) !== k.isRegistered(d.name))
        found.push(`${sem.name}: whether ${d.name} is registered, after ${after}`);
    }
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
  // Two state ids: a patch may carry one and not the other.
  parseScope('patches=1,functions=1,states=2,tasks=1,depth=4'),
];
const kernelSide: Answerer = (k) => new KernelPreconditions(k);

describe("the kernel's preconditions", () => {
  it.each(SEMANTICS.map((s) => [s.name, s] as const))('answer as the spec model does while %s conforms', (_, sem) => {
    for (const scope of SCOPES) expect(disagreements(sem, scope, kernelSide)).toEqual([]);
  });

  it.each([
    [
      'a task on a CPU taken for asleep',
      (t: TaskFlags): TaskFlags => ({ ...t, running: false }),
      /run_task|sleep_task|cond_resched|runs on a CPU|goes to sleep|passes cond_resched/,
    ],
    ['a kernel thread taken for a user task', (t: TaskFlags): TaskFlags => ({ ...t, kthread: !t.kthread }), /returns to user|task_return/],
  ] as const)('would show a kernel answer that differs: %s', (_, wrong, shows) => {
    const broken: Answerer = (k) => {
      const real = new KernelPreconditions(k);
      return Object.assign(Object.create(real) as OpPreconditions, {
        taskFlags: (name: string) => {
          const t = real.taskFlags(name);
          return t && wrong(t);
        },
      });
    };
    const upstream = SEMANTICS.find((s) => s.name === 'upstream')!;
    expect(disagreements(upstream, SCOPES[1]!, broken)[0]).toMatch(shows);
  });

  it('would show a patch taken for registered after it is freed', () => {
    const broken: Answerer = (k) => {
      const real = new KernelPreconditions(k);
      return Object.assign(Object.create(real) as OpPreconditions, { isRegistered: (p: string) => real.isLoaded(p) });
    };
    const upstream = SEMANTICS.find((s) => s.name === 'upstream')!;
    expect(disagreements(upstream, SCOPES[0]!, broken)[0]).toMatch(/whether p\d is registered/);
  });

  it('would show a shadow variable of a state id the patch does not carry', () => {
    const broken: Answerer = (k) => {
      const real = new KernelPreconditions(k);
      return Object.assign(Object.create(real) as OpPreconditions, {
        declares: (p: string) => k.core.klp_patches.some((q) => q.name === p),
      });
    };
    const perState = SEMANTICS.find((s) => s.name === 'per-state')!;
    expect(disagreements(perState, SCOPES[0]!, broken)[0]).toMatch(/shadow|allocates/);
  });
});
