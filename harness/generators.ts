/**
 * fast-check arbitraries: a small universe of patches for a semantics, and
 * the operations of generated sequences as fc.commands. Names are fixed
 * (p1..pN, mod, task0..) so that the shrinker can shrink a universe and a
 * sequence independently.
 */
import fc from 'fast-check';
import type { PatchDef, StateDef, Universe } from '../model/kernel/definitions.ts';
import { generatedOwners, generatedRelease, patchFromFuncs, TARGET_MODULE } from './patch-def.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type { Lockstep } from './run-sequence.ts';
import { describeOp, type Op } from './ops.ts';

export interface Scope {
  readonly patches: number;
  /** vmlinux functions f1..fN; the module `mod` has one function m1. */
  readonly functions: number;
  readonly states: number;
  /** User tasks task0..taskN-1. */
  readonly tasks: number;
  /** At most this many kernel threads kthread0.. (each universe draws 0 up to it). */
  readonly kthreads: number;
}

export const DEFAULT_SCOPE: Scope = { patches: 3, functions: 3, states: 2, tasks: 2, kthreads: 1 };

/** Every task a scope's universes may boot with, user tasks first. */
export function scopeTasks(scope: Scope): string[] {
  return [...Array.from({ length: scope.tasks }, (_, i) => `task${i}`), ...Array.from({ length: scope.kthreads }, (_, i) => `kthread${i}`)];
}

/**
 * The kernel of a generated universe: the scope's user tasks, 0 up to its
 * kernel threads, and now and then no reliable stack traces (facts B.1 step
 * 5), where tasks switch only on return to user space or by force.
 */
function kernelArb(scope: Scope): fc.Arbitrary<Universe['kernel']> {
  return fc
    .record({
      kthreads: fc.integer({ min: 0, max: scope.kthreads }),
      reliable: fc.oneof({ weight: 7, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    })
    .map(({ kthreads, reliable }) => ({
      tasks: scope.tasks,
      ...(kthreads ? { kthreads } : {}),
      ...(reliable ? {} : { reliable_stacktrace: false }),
    }));
}

export { TARGET_MODULE };

export function scopeFuncs(scope: Scope): string[] {
  return [...Array.from({ length: scope.functions }, (_, i) => `vmlinux:f${i + 1}`), `${TARGET_MODULE}:m1`];
}

const patchName = (i: number) => `p${i + 1}`;

/**
 * A state as one patch declares it. is_shadow belongs to the state id (which
 * shadow variables the id owns), so it is drawn once per universe; the
 * version and block_disable are each patch's own.
 */
function stateArb(sem: Semantics, id: number, isShadow: boolean): fc.Arbitrary<StateDef> {
  if (sem.spec.perState) {
    return fc.boolean().map((block_disable) => ({ id, block_disable, is_shadow: isShadow, callbacks: 'trace' as const }));
  }
  return fc.integer({ min: 1, max: 2 }).map((version) => ({ id, version }));
}

/** Every generated patch takes the semantics' load-time parameters (none for most). */
function withAttrParams(sem: Semantics, p: PatchDef): PatchDef {
  return sem.attrParams ? { ...p, attr_params: { ...sem.attrParams } } : p;
}

/**
 * One patch's functions: 1 or 2 of the scope, each declared with old_sympos 0
 * or 1. Generated universes list no symbol table, so every name is unique and
 * both positions name the same function (definitions.ts funcKey): patches
 * built by different toolchains, as in torvalds/linux 139560e8b973.
 */
function patchFuncsArb(funcs: readonly string[]): fc.Arbitrary<string[]> {
  return fc.subarray([...funcs], { minLength: 1, maxLength: 2 }).chain((fs) => fc.tuple(...fs.map((f) => fc.constantFrom(f, `${f},1`))));
}

export function universeArb(sem: Semantics, scope: Scope = DEFAULT_SCOPE): fc.Arbitrary<Universe> {
  const funcs = scopeFuncs(scope);
  const ids = Array.from({ length: scope.states }, (_, i) => i + 1);
  const patch = (i: number, shadowIds: readonly boolean[]) =>
    fc
      .record({
        funcs: patchFuncsArb(funcs),
        states: fc
          .subarray(ids, { maxLength: scope.states })
          .chain((chosen) => fc.tuple(...chosen.map((id) => stateArb(sem, id, shadowIds[id - 1] ?? false)))),
        attrs: fc.constantFrom(...sem.attrChoices),
      })
      .map((p) => withAttrParams(sem, patchFromFuncs(patchName(i), p.funcs, p.states, p.attrs, generatedOwners(i), generatedRelease(i))));
  return (
    fc
      .array(fc.boolean(), { minLength: scope.states, maxLength: scope.states })
      .chain((shadowIds) => fc.tuple(fc.tuple(...Array.from({ length: scope.patches }, (_, i) => patch(i, shadowIds))), kernelArb(scope)))
      // Generated universes opt in to no-silent-downgrade: p3 is a newer release than p1.
      .map(([patches, kernel]) => ({ patches, modules: [{ name: TARGET_MODULE }], kernel, forbid_downgrade: true }))
  );
}

/**
 * insmod of a patch, with one of the semantics' parameter choices or none
 * (add_merge_slots=X, the admin's override). A semantics without parameters
 * draws plain loads only.
 */
function insmodArb(sem: Semantics, p: fc.Arbitrary<string>): fc.Arbitrary<Op> {
  const plain = p.map((module) => ({ op: 'insmod', module }) as const);
  if (!sem.paramChoices?.length) return plain;
  const withParams = fc
    .tuple(p, fc.constantFrom(...sem.paramChoices))
    .map(([module, params]) => ({ op: 'insmod', module, params: { ...params } }) as const);
  return fc.oneof({ weight: 2, arbitrary: plain }, { weight: 1, arbitrary: withParams });
}

/** Every op of the scope, weighted towards loads and transition work. */
export function opArb(sem: Semantics, scope: Scope = DEFAULT_SCOPE): fc.Arbitrary<Op> {
  const patches = Array.from({ length: scope.patches }, (_, i) => patchName(i));
  const tasks = scopeTasks(scope);
  const p = fc.constantFrom(...patches);
  const t = fc.constantFrom(...tasks);
  const arbs: fc.WeightedArbitrary<Op>[] = [
    { weight: 6, arbitrary: insmodArb(sem, p) },
    { weight: 2, arbitrary: fc.constantFrom(...patches, TARGET_MODULE).map((module) => ({ op: 'rmmod', module }) as const) },
    { weight: 1, arbitrary: fc.constant({ op: 'insmod', module: TARGET_MODULE } as const) },
    // Fewer disables than loads: a disabled patch must be removed and loaded
    // again, and replace bugs need two or three patches active at once.
    { weight: 2, arbitrary: p.map((patch) => ({ op: 'disable', patch }) as const) },
    { weight: 1, arbitrary: p.map((patch) => ({ op: 'enable', patch }) as const) },
    { weight: 1, arbitrary: p.map((patch) => ({ op: 'force', patch }) as const) },
    { weight: 3, arbitrary: fc.constant({ op: 'transition_step' } as const) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(t, fc.constantFrom(...scopeFuncs(scope)), fc.boolean())
        .map(([task, func, interruptible]) =>
          interruptible
            ? ({ op: 'block_task', task, func: `${func},0`, sleep: 'interruptible' } as const)
            : ({ op: 'block_task', task, func: `${func},0` } as const),
        ),
    },
    { weight: 2, arbitrary: t.map((task) => ({ op: 'unblock_task', task }) as const) },
    { weight: 2, arbitrary: t.map((task) => ({ op: 'task_return', task }) as const) },
    // The task model (issue 9): tasks on a CPU, cond_resched in kernel threads, forks during a transition.
    { weight: 2, arbitrary: t.map((task) => ({ op: 'run_task', task }) as const) },
    { weight: 1, arbitrary: t.map((task) => ({ op: 'sleep_task', task }) as const) },
    { weight: 2, arbitrary: t.map((task) => ({ op: 'cond_resched', task }) as const) },
    { weight: 1, arbitrary: t.map((task) => ({ op: 'fork', task, child: `${task}.1` }) as const) },
  ];
  if (sem.spec.perState) {
    const shadow = (op: 'shadow_alloc' | 'shadow_free') =>
      fc
        .record({ patch: p, obj: fc.integer({ min: 1, max: 2 }), id: fc.integer({ min: 1, max: scope.states }) })
        .map((r) => ({ op, ...r }));
    arbs.push({ weight: 2, arbitrary: shadow('shadow_alloc') }, { weight: 1, arbitrary: shadow('shadow_free') });
  }
  for (const attr of sem.spec.writableAttrs ?? []) {
    arbs.push({
      weight: 2,
      arbitrary: fc.tuple(p, fc.constantFrom('0', '1')).map(([patch, value]) => ({ op: 'set_attr', patch, attr, value }) as const),
    });
  }
  return fc.oneof(...arbs);
}

/** Thrown by a command to report a violation to fast-check. */
export class ViolationFound extends Error {}

/** An op as a fast-check command: check() is the op's precondition, read off the reference implementation (harness/kernel-preconditions.ts). */
export class OpCommand implements fc.Command<Lockstep, Lockstep> {
  constructor(readonly op: Op) {}
  check(m: Readonly<Lockstep>): boolean {
    return m.applicable(this.op);
  }
  run(_m: Lockstep, r: Lockstep): void {
    const v = r.step(this.op);
    if (v) throw new ViolationFound(`${v.invariant} after step ${v.step}: ${v.reason}`);
  }
  toString(): string {
    return describeOp(this.op);
  }
}

/** The op of a command of commandsArb's sequences: fast-check hands its CommandWrappers to a model run, the op on the wrapped command. */
export function opOf(c: fc.Command<Lockstep, Lockstep>): Op {
  return ((c as { cmd?: OpCommand }).cmd ?? (c as OpCommand)).op;
}

/**
 * The ops every sequence ends with: every task wakes up or leaves its CPU,
 * and the transition work runs once more. A transition a blocked task held open then completes
 * inside the sequence, and completion is where replace semantics differ
 * (nops discarded, replaced patches unpatched); without it most generated
 * sequences end with the interesting transition still pending. Ops that do
 * not apply are skipped, and the minimizer drops the ones a counterexample
 * does not need.
 */
export function settleOps(scope: Scope): Op[] {
  return [
    ...scopeTasks(scope).flatMap((task) => [{ op: 'unblock_task', task } as const, { op: 'sleep_task', task } as const]),
    { op: 'transition_step' } as const,
  ];
}

/**
 * How many settling ops end every generated sequence at the default scope,
 * the only one `run` and `compare` generate in (settleOps). `--steps` bounds
 * the ops before them, so a sequence is up to steps + SETTLE_STEPS long, and
 * each report says so: "up to 3 operations" with a counterexample of 5 was a
 * claim the run did not keep (hostile user, stop 41).
 */
export const SETTLE_STEPS = settleOps(DEFAULT_SCOPE).length;

export function commandsArb(sem: Semantics, scope: Scope, maxCommands: number): fc.Arbitrary<Iterable<fc.Command<Lockstep, Lockstep>>> {
  const settle = settleOps(scope);
  return fc
    .commands([opArb(sem, scope).map((op) => new OpCommand(op) as fc.Command<Lockstep, Lockstep>)], { maxCommands, size: 'max' })
    .map((cmds) => ({
      *[Symbol.iterator]() {
        yield* cmds;
        for (const op of settle) yield new OpCommand(op);
      },
      toString: () => [...cmds, ...settle.map((op) => new OpCommand(op))].map(String).join(', '),
    }));
}
