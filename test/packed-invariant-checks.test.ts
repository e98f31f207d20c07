/**
 * The packed invariants' checks (harness/explore/packed/invariants.ts,
 * callback-pairing.ts) on steps built by hand: each rule of the
 * catalog's checker, and each exception it makes, on the smallest step that
 * shows it. The differential and broken-kernel tests reach these checks
 * through whole searches; here each clause is held on its own, as mutation
 * testing asked (a clause a search never reaches cannot be told from its
 * removal there).
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef } from '../model/kernel/definitions.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { ABSENT, CallbackCode, IDLE, ORIGINAL, PATCHED, PatchStatusCode, UNPATCHED } from '../harness/explore/packed/codes.ts';
import { DefinitionTree, PackedOp, type DefinitionNode } from '../harness/explore/packed/definition-tree.ts';
import { KernelSnapshot, NOT_LOADED } from '../harness/explore/packed/kernel-snapshot.ts';
import { KernelStepEvents } from '../harness/explore/packed/kernel.ts';
import { PackedInvariants, type PackedStep } from '../harness/explore/packed/invariants.ts';
import { PackedCallbackPairing } from '../harness/explore/packed/callback-pairing.ts';
import { PackedReplaceRules } from '../harness/explore/packed/replace-rules.ts';
import { loadOrderLabelings } from '../harness/explore/load-order-labels.ts';

const { Freed, Enabled, Patching, Unpatching, Stale } = PatchStatusCode;
const scope = parseScope('patches=3,functions=1,states=1,tasks=2,depth=1');
const tree = new DefinitionTree(upstream, scope);
/** Clause by clause under one load order's owners and releases, the generated ones (p1 vendor 1, p2 user 2, p3 vendor 3). */
const generated = loadOrderLabelings(3)[0]!;
const parts = new PackedInvariants(tree, new PackedReplaceRules(tree), [generated]).parts;
/** As the search checks them: under every load order's (load-order-labels.ts). */
const everyOrder = new PackedInvariants(tree, new PackedReplaceRules(tree)).parts;
/** Function bytes at functions=1: f1 is 1, mod:m1 is 2. */
const F1 = 1;
const NF = 2;

/** What a patch's definition is to be: its functions, replace flag and state ids. */
interface Want {
  readonly funcs: readonly string[];
  readonly replace?: boolean;
  readonly states?: readonly number[];
}

const funcsOf = (d: PatchDef) => (d.objects ?? []).flatMap((o) => (o.funcs ?? []).map((f) => `${o.name}:${f.old_name}`));

/** The node whose patches p1, p2, ... have the definitions wanted (owners alternate vendor, user, vendor; release = k). */
function nodeOf(...wants: readonly Want[]): DefinitionNode {
  let node = tree.root;
  for (const w of wants) {
    const pos = node.list.newDefs.findIndex(
      (d) =>
        funcsOf(d).join() === w.funcs.join() &&
        Boolean(d.attrs?.replace) === Boolean(w.replace) &&
        (d.states ?? []).map((s) => `${s.id}`).join() === (w.states ?? []).join() &&
        (d.states ?? []).every((s) => s.version === 1),
    );
    if (pos < 0) throw new Error(`no definition ${JSON.stringify(w)}`);
    node = node.child(pos);
  }
  return node;
}

/** A kernel as the checks see it: each patch's [status, place on klp_patches, forced], each task's state and codes (f1, mod:m1). */
interface Kernel {
  readonly patches?: Readonly<Record<number, readonly [number, number?, boolean?]>>;
  readonly tasks?: readonly (readonly [number, number, number])[];
}

function snapshot(k: Kernel): KernelSnapshot {
  const s = new KernelSnapshot(null as never, 3, 2, NF);
  s.status.fill(NOT_LOADED);
  for (const [p, [status, order = 0, forced = false]] of Object.entries(k.patches ?? {})) {
    s.status[Number(p)] = status;
    s.order[Number(p)] = order;
    s.forced[Number(p)] = forced ? 1 : 0;
  }
  const tasks = k.tasks ?? [
    [IDLE, ORIGINAL, ABSENT],
    [IDLE, ORIGINAL, ABSENT],
  ];
  tasks.forEach(([state, f1, mod], t) => {
    s.taskState[t] = state;
    s.code[t * NF] = f1;
    s.code[t * NF + 1] = mod;
  });
  return s;
}

/** A step from `before` to `after` by op `op` naming patch `patch` (0 none), with the kernel's errno and events. */
function step(
  node: DefinitionNode,
  before: Kernel,
  after: Kernel,
  op: number = PackedOp.TransitionStep,
  patch = 0,
  o: { errno?: number; switched?: number; warned?: boolean } = {},
): PackedStep {
  const events = new KernelStepEvents(3);
  events.switched = o.switched ?? 0;
  events.warned = o.warned ?? false;
  return { before: snapshot(before), after: snapshot(after), node, op, patch, errno: o.errno ?? 0, events };
}

/** Whether the step violates invariant `id`: its step part or the state part (of the state it leads to). */
const violated = (id: string, st: PackedStep) => {
  const { step, state } = parts.get(id)!;
  return step?.(st) === true || state?.(st) === true;
};
/** Code of patch k. */
const P = (k: number) => 1 + k;

/** A step of kernel `k` where task 0 runs `from` in f1 before and `to` after; task 1 runs the original throughout. */
const runs = (k: Kernel, from: number, to: number, state = IDLE): [Kernel, Kernel] => [
  {
    ...k,
    tasks: [
      [state, from, ABSENT],
      [state, ORIGINAL, ABSENT],
    ],
  },
  {
    ...k,
    tasks: [
      [state, to, ABSENT],
      [state, ORIGINAL, ABSENT],
    ],
  },
];

describe('the packed checks, clause by clause', () => {
  const twoPlain = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] });

  it('transition-sanity: two in transition, a stale patch, a freed one still listed, a busy task outside a transition, a WARN', () => {
    const id = 'transition-sanity';
    const ok = { patches: { 1: [Enabled, 1] as const } };
    expect(violated(id, step(twoPlain, ok, ok))).toBe(false);
    expect(violated(id, step(twoPlain, ok, { patches: { 1: [Patching, 1], 2: [Unpatching, 2] } }))).toBe(true);
    expect(violated(id, step(twoPlain, ok, { patches: { 1: [Stale, 1] } }))).toBe(true);
    expect(violated(id, step(twoPlain, ok, { patches: { 1: [Freed, 1] } }))).toBe(true);
    expect(violated(id, step(twoPlain, ok, { patches: { 1: [Freed, 0] } }))).toBe(false);
    const busy = {
      patches: { 1: [Enabled, 1] as const },
      tasks: [
        [PATCHED, P(1), ABSENT],
        [IDLE, P(1), ABSENT],
      ] as const,
    };
    expect(violated(id, step(twoPlain, ok, busy))).toBe(true);
    const moving = { patches: { 1: [Patching, 1] as const }, tasks: busy.tasks };
    expect(violated(id, step(twoPlain, ok, moving))).toBe(false);
    expect(violated(id, step(twoPlain, ok, ok, PackedOp.BlockTask, 0, { warned: true }))).toBe(true);
  });

  it('module-safety: only a successful rmmod of a patch that was not freed, or was forced', () => {
    const id = 'module-safety';
    const gone = {};
    for (const [before, op, errno, bad] of [
      [{ patches: { 1: [Enabled, 1] } }, PackedOp.RmmodPatch, 0, true],
      [{ patches: { 1: [Freed, 0, true] } }, PackedOp.RmmodPatch, 0, true],
      [{ patches: { 1: [Freed, 0] } }, PackedOp.RmmodPatch, 0, false],
      [{ patches: { 1: [Enabled, 1] } }, PackedOp.RmmodPatch, 16, false],
      [{ patches: { 1: [Enabled, 1] } }, PackedOp.Disable, 0, false],
      [{}, PackedOp.RmmodPatch, 0, false],
    ] as const)
      expect(violated(id, step(twoPlain, before as Kernel, gone, op, 1, { errno }))).toBe(bad);
  });
});

describe('the packed checks of what a task runs, clause by clause', () => {
  const twoPlain = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] });
  const modOnly = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['mod:m1'] });
  const replacer = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['mod:m1'], replace: true });
  const listed = { patches: { 1: [Enabled, 1] as const, 2: [Enabled, 2] as const } };
  it('no-silent-version-switch: a task changes code only switching, in a transition covering the function', () => {
    const id = 'no-silent-version-switch';
    const moving = { patches: { 1: [Patching, 1] as const } };
    const [b, a] = runs(moving, ORIGINAL, P(1), UNPATCHED);
    expect(violated(id, step(twoPlain, b, a))).toBe(true);
    expect(violated(id, step(twoPlain, b, a, PackedOp.TransitionStep, 0, { switched: 1 }))).toBe(false);
    expect(violated(id, step(twoPlain, b, a, PackedOp.TransitionStep, 0, { switched: 2 }))).toBe(true);
    // No transition and no patch named: nothing covers f1.
    const [b2, a2] = runs(listed, P(1), P(2));
    expect(violated(id, step(twoPlain, b2, a2, PackedOp.TransitionStep, 0, { switched: 1 }))).toBe(true);
    // The op's own patch covers what it patches.
    expect(violated(id, step(twoPlain, b2, a2, PackedOp.InsmodPatch, 2, { switched: 1 }))).toBe(false);
    // A transition of a patch that patches only mod:m1 covers f1 through the listed patches (its nops).
    const [b3, a3] = runs({ patches: { 1: [Enabled, 1], 2: [Patching, 2] } }, P(1), ORIGINAL, UNPATCHED);
    expect(violated(id, step(modOnly, b3, a3, PackedOp.TransitionStep, 0, { switched: 1 }))).toBe(false);
    // ... but not when p1 is not listed before the step.
    const [b4, a4] = runs({ patches: { 1: [Freed, 0], 2: [Patching, 1] } }, P(1), ORIGINAL, UNPATCHED);
    expect(violated(id, step(modOnly, b4, a4, PackedOp.TransitionStep, 0, { switched: 1 }))).toBe(true);
    // A function whose module comes or goes is no switch.
    for (const [from, to] of [
      [ABSENT, P(1)],
      [P(1), ABSENT],
    ] as const)
      expect(violated(id, step(twoPlain, ...runs(listed, from, to)))).toBe(false);
  });

  it('no-lost-fix: a fix stops only when its patch leaves, a newer patch of the function takes over, or a replace patch replaces it', () => {
    const id = 'no-lost-fix';
    const [b, a] = runs(listed, P(1), ORIGINAL);
    expect(violated(id, step(twoPlain, b, a))).toBe(true);
    // Its own disable, or its own transition before or after the step.
    expect(violated(id, step(twoPlain, b, a, PackedOp.Disable, 1))).toBe(false);
    expect(violated(id, step(twoPlain, b, a, PackedOp.Disable, 2))).toBe(true);
    expect(violated(id, step(twoPlain, { ...b, patches: { 1: [Unpatching, 1] } }, a))).toBe(false);
    expect(violated(id, step(twoPlain, b, { ...a, patches: { 1: [Patching, 1] } }))).toBe(false);
    // A newer patch of the function (listed after it, or loaded at the step), not an older one nor one of another function.
    expect(violated(id, step(twoPlain, ...runs(listed, P(1), P(2))))).toBe(false);
    expect(violated(id, step(twoPlain, ...runs({ patches: { 1: [Enabled, 1], 2: [Enabled, 0] } }, P(1), P(2))))).toBe(false);
    expect(violated(id, step(twoPlain, ...runs({ patches: { 1: [Enabled, 2], 2: [Enabled, 1] } }, P(1), P(2))))).toBe(true);
    expect(violated(id, step(modOnly, ...runs(listed, P(1), P(2))))).toBe(true);
    // A replace patch in transition to patched, or loaded at the step, may replace it; a plain one may not.
    const patching = { patches: { 1: [Enabled, 1], 2: [Patching, 2] } } as const;
    expect(violated(id, step(replacer, ...runs(patching, P(1), ORIGINAL)))).toBe(false);
    expect(violated(id, step(modOnly, ...runs(patching, P(1), ORIGINAL)))).toBe(true);
    const [lb, la] = runs({ patches: { 1: [Enabled, 1] } }, P(1), ORIGINAL);
    expect(violated(id, step(replacer, lb, { ...la, patches: { 1: [Freed, 0], 2: [Enabled, 1] } }, PackedOp.InsmodPatch, 2))).toBe(false);
    expect(violated(id, step(replacer, lb, { ...la, patches: { 1: [Freed, 0] } }, PackedOp.InsmodPatch, 2))).toBe(true);
    expect(violated(id, step(replacer, lb, { ...la, patches: { 1: [Freed, 0], 2: [Enabled, 1] } }, PackedOp.InsmodPatch, 3))).toBe(true);
    // Found by mutation testing: an enable is its own write too; a force is not; a replace patch that is only
    // listed, or that starts patching at the step, replaces nothing or may replace; the last function counts.
    expect(violated(id, step(twoPlain, b, a, PackedOp.Enable, 1))).toBe(false);
    expect(violated(id, step(twoPlain, b, a, PackedOp.Force, 1))).toBe(true);
    expect(violated(id, step(replacer, ...runs(listed, P(1), ORIGINAL)))).toBe(true);
    const [rb, ra] = runs(listed, P(1), ORIGINAL);
    expect(violated(id, step(replacer, rb, { ...ra, patches: { 1: [Enabled, 1], 2: [Patching, 2] } }))).toBe(false);
    const inModule = (from: number, to: number): [Kernel, Kernel] => [
      {
        ...listed,
        tasks: [
          [IDLE, ORIGINAL, from],
          [IDLE, ORIGINAL, from],
        ],
      },
      {
        ...listed,
        tasks: [
          [IDLE, ORIGINAL, to],
          [IDLE, ORIGINAL, from],
        ],
      },
    ];
    expect(violated(id, step(twoPlain, ...inModule(P(1), ORIGINAL)))).toBe(true);
    expect(violated('no-silent-version-switch', step(twoPlain, ...inModule(P(1), ORIGINAL)))).toBe(true);
    // The original or an absent function is no fix, and a function that went with its module is no loss.
    expect(violated(id, step(twoPlain, ...runs(listed, ORIGINAL, P(1))))).toBe(false);
    expect(violated(id, step(twoPlain, ...runs(listed, P(1), ABSENT)))).toBe(false);
  });

  it('no-silent-downgrade: a task runs an older release’s code in place of a newer one’s of the same owner', () => {
    const id = 'no-silent-downgrade';
    // p1 and p3 are the vendor's, releases 1 and 3; p2 the user's.
    const three = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] });
    const all = { patches: { 1: [Enabled, 1], 2: [Enabled, 2], 3: [Enabled, 3] } } as const;
    expect(violated(id, step(three, ...runs(all, P(3), P(1))))).toBe(true);
    expect(violated(id, step(three, ...runs(all, P(1), P(3))))).toBe(false);
    expect(violated(id, step(three, ...runs(all, P(2), P(1))))).toBe(false);
    expect(violated(id, step(three, ...runs(all, P(3), P(1)), PackedOp.Disable, 3))).toBe(false);
    const [b, a] = runs(all, P(3), P(1));
    expect(violated(id, step(three, { ...b, patches: { 1: [Enabled, 1] } }, a))).toBe(false);
    expect(violated(id, step(three, b, { ...a, patches: { 3: [Enabled, 3] } }))).toBe(false);
  });
});

describe('the packed checks of removals and overlaps, clause by clause', () => {
  // p1 the vendor's, p2 the user's, p3 the vendor's again (release 3).
  const three = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'], replace: true }, { funcs: ['vmlinux:f1'], replace: true });
  const removal = (st: PackedStep) => violated('no-foreign-removal', st);

  it('no-foreign-removal: replaced and freed at a completion, or nopped away during a transition, by a patch of another owner', () => {
    const before = { patches: { 1: [Enabled, 1], 2: [Patching, 2] } } as const;
    const completed = { patches: { 1: [Freed, 0], 2: [Enabled, 1] } } as const;
    expect(removal(step(three, before, completed))).toBe(true);
    // A patch that stays enabled and listed, or unpatching, is not gone.
    expect(removal(step(three, before, { patches: { 1: [Enabled, 1], 2: [Enabled, 2] } }))).toBe(false);
    expect(removal(step(three, before, { patches: { 1: [Unpatching, 1], 2: [Enabled, 2] } }))).toBe(false);
    // Its own disable is no removal.
    expect(removal(step(three, before, completed, PackedOp.Disable, 1))).toBe(false);
    // A load that completes at once: p2 was not loaded before the step.
    expect(removal(step(three, { patches: { 1: [Enabled, 1] } }, completed, PackedOp.InsmodPatch, 2))).toBe(true);
    expect(removal(step(three, { patches: { 1: [Enabled, 1] } }, completed, PackedOp.InsmodPatch, 3))).toBe(false);
    // Gone is off klp_patches, or listed but neither enabled nor unpatching; and a transition that ended
    // other than patched (here reversed) completes nothing (mutation testing).
    expect(removal(step(three, before, { patches: { 1: [Stale, 1], 2: [Enabled, 2] } }))).toBe(true);
    expect(removal(step(three, before, { patches: { 1: [Enabled, 0], 2: [Enabled, 1] } }))).toBe(true);
    expect(removal(step(three, before, { patches: { 1: [Freed, 0], 2: [Unpatching, 2] } }))).toBe(false);
    // Only a patch enabled before the step can be removed.
    expect(removal(step(three, { patches: { 1: [Stale, 1], 2: [Patching, 2] } }, completed))).toBe(false);
    // Nopped away: while p2 patches, a task that ran p1's fix runs the original.
    const nopping = { patches: { 1: [Enabled, 1], 2: [Patching, 2] } } as const;
    const tasks = (c: number) => [[PATCHED, c, ABSENT] as const, [UNPATCHED, P(1), ABSENT] as const];
    expect(removal(step(three, { ...nopping, tasks: tasks(P(1)) }, { ...nopping, tasks: tasks(ORIGINAL) }))).toBe(true);
    expect(removal(step(three, { ...nopping, tasks: tasks(P(1)) }, { ...nopping, tasks: tasks(P(2)) }))).toBe(false);
    // The vendor's p3 taking the vendor's p1 away is no foreign removal.
    const byThree = { patches: { 1: [Enabled, 1], 3: [Patching, 2] } } as const;
    expect(removal(step(three, byThree, { patches: { 1: [Freed, 0], 3: [Enabled, 1] } }))).toBe(false);
  });

  it('no-silent-downgrade: an older release of an owner replacing a newer one', () => {
    // p1 the vendor's release 1 replaces p3, the vendor's release 3.
    const older = nodeOf({ funcs: ['vmlinux:f1'], replace: true }, { funcs: ['mod:m1'] }, { funcs: ['vmlinux:f1'] });
    const id = 'no-silent-downgrade';
    const before = { patches: { 3: [Enabled, 1], 1: [Patching, 2] } } as const;
    const after = { patches: { 3: [Freed, 0], 1: [Enabled, 1] } } as const;
    expect(violated(id, step(older, before, after))).toBe(true);
    expect(
      violated(id, step(older, { patches: { 3: [Patching, 2], 1: [Enabled, 1] } }, { patches: { 1: [Freed, 0], 3: [Enabled, 1] } })),
    ).toBe(false);
  });

  it('no-foreign-overlap and the slot invariants: pairs of settled patches', () => {
    // Two patches settled: the nodes below define two (a state's settled patch always has a definition).
    const settled = { patches: { 1: [Enabled, 1], 2: [Enabled, 2] } } as const;
    const at = (node: DefinitionNode, k: Kernel) => (id: string) => violated(id, step(node, {}, k));
    // p1 (vendor) and p2 (user) share f1; p1 and p3 are both the vendor's.
    const shareF1 = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] });
    expect(at(shareF1, { patches: { 1: [Enabled, 1], 2: [Enabled, 2] } })('no-foreign-overlap')).toBe(true);
    expect(at(shareF1, { patches: { 1: [Enabled, 1], 2: [Patching, 2] } })('no-foreign-overlap')).toBe(false);
    expect(at(shareF1, { patches: { 1: [Enabled, 1], 3: [Enabled, 2] } })('no-foreign-overlap')).toBe(false);
    const shareState = nodeOf({ funcs: ['vmlinux:f1'], states: [1] }, { funcs: ['mod:m1'], states: [1] });
    expect(at(shareState, settled)('no-foreign-overlap')).toBe(true);
    expect(at(shareState, settled)('no-state-shared-across-slots')).toBe(true);
    expect(at(shareState, settled)('no-function-shared-across-slots')).toBe(false);
    const apart = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['mod:m1'] });
    for (const id of ['no-foreign-overlap', 'no-function-shared-across-slots', 'no-state-shared-across-slots', 'one-active-patch-per-slot'])
      expect(at(apart, settled)(id)).toBe(false);
    // Two replace patches share the cumulative slot: one too many active there, and sharing within it is no fault.
    const cumulative = nodeOf({ funcs: ['vmlinux:f1'], replace: true, states: [1] }, { funcs: ['vmlinux:f1'], replace: true, states: [1] });
    expect(at(cumulative, settled)('one-active-patch-per-slot')).toBe(true);
    expect(at(cumulative, settled)('no-function-shared-across-slots')).toBe(false);
    expect(at(cumulative, settled)('no-state-shared-across-slots')).toBe(false);
    expect(at(shareF1, settled)('one-active-patch-per-slot')).toBe(false);
    expect(at(shareF1, settled)('no-function-shared-across-slots')).toBe(true);
  });
});

describe('the owner properties as the search checks them: under every order the patches may first load in', () => {
  // The search names patches in load order, and a name's owner and release go with the generated name it stands
  // for: the clause tests' steps that hold under the generated owners break under another order's (stop 36).
  const fails = (id: string, st: PackedStep) => {
    const { step: s, state } = everyOrder.get(id)!;
    return s?.(st) === true || state?.(st) === true;
  };
  const three = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'] });
  const all = { patches: { 1: [Enabled, 1], 2: [Enabled, 2], 3: [Enabled, 3] } } as const;

  it('no-silent-downgrade: any patch may be the older release of another one of its owner', () => {
    for (const [from, to] of [
      [3, 1],
      [1, 3],
      [2, 1],
    ]) {
      expect(violated('no-silent-downgrade', step(three, ...runs(all, P(from!), P(to!)))), `${from} to ${to}`).toBe(from === 3);
      expect(fails('no-silent-downgrade', step(three, ...runs(all, P(from!), P(to!)))), `${from} to ${to}`).toBe(true);
    }
    // Still not at the newer one's own sysfs write, nor when either is gone.
    expect(fails('no-silent-downgrade', step(three, ...runs(all, P(3), P(1)), PackedOp.Disable, 3))).toBe(false);
  });

  it('no-foreign-removal and no-foreign-overlap: any two patches may be of two owners', () => {
    const replacing = nodeOf({ funcs: ['vmlinux:f1'] }, { funcs: ['vmlinux:f1'], replace: true }, { funcs: ['vmlinux:f1'], replace: true });
    const byThree = { patches: { 1: [Enabled, 1], 3: [Patching, 2] } } as const;
    const done = { patches: { 1: [Freed, 0], 3: [Enabled, 1] } } as const;
    expect(violated('no-foreign-removal', step(replacing, byThree, done))).toBe(false);
    expect(fails('no-foreign-removal', step(replacing, byThree, done))).toBe(true);
    const both = { patches: { 1: [Enabled, 1], 3: [Enabled, 2] } } as const;
    expect(violated('no-foreign-overlap', step(three, {}, both))).toBe(false);
    expect(fails('no-foreign-overlap', step(three, {}, both))).toBe(true);
  });

  it('is one load order at patches=2, whose two patches are of two owners in any order', () => {
    expect(loadOrderLabelings(2)).toHaveLength(1);
    expect(loadOrderLabelings(3)).toHaveLength(6);
    expect(loadOrderLabelings(3)[0]).toEqual({ owners: [['vendor'], ['user'], ['vendor']], releases: [1, 2, 3] });
  });
});

describe('callback pairing on steps built by hand', () => {
  const pairing = new PackedCallbackPairing(3, 0);
  const run = (memory: number[], calls: readonly (readonly [number, number, number])[], freed: number[] = []) => {
    const x = Uint8Array.from(memory);
    const events = new KernelStepEvents(3);
    for (const [k, obj, cb] of calls) events.push(k, obj, cb);
    const after = snapshot({ patches: Object.fromEntries([1, 2, 3].map((p) => [p, [freed.includes(p) ? Freed : Enabled, 0]])) });
    return { bad: pairing.violated(x, events, after), memory: [...x], text: pairing.text(x) };
  };

  it('follows each object through pre_patch, post_patch, pre_unpatch and post_unpatch', () => {
    const { PrePatch, PostPatch, PreUnpatch, PostUnpatch } = CallbackCode;
    expect(run([0, 0, 0], [[1, 0, PrePatch]])).toEqual({ bad: false, memory: [1, 0, 0], text: 'p1/vmlinux=pre' });
    expect(run([1, 0, 0], [[1, 0, PostPatch]])).toEqual({ bad: false, memory: [2, 0, 0], text: 'p1/vmlinux=post' });
    expect(run([2, 0, 0], [[1, 0, PreUnpatch]]).memory).toEqual([1, 0, 0]);
    expect(run([1, 0, 0], [[1, 0, PostUnpatch]]).memory).toEqual([0, 0, 0]);
    // The module's object is bits 2-3 of its patch's byte.
    expect(run([0, 0, 0], [[2, 1, PrePatch]])).toEqual({ bad: false, memory: [0, 4, 0], text: 'p2/mod=pre' });
    expect(run([0, 8, 0], [[2, 1, PreUnpatch]]).memory).toEqual([0, 4, 0]);
  });

  it('finds each callback out of turn, and stops there', () => {
    const { PrePatch, PostPatch, PreUnpatch, PostUnpatch } = CallbackCode;
    expect(run([1, 0, 0], [[1, 0, PrePatch]]).bad).toBe(true);
    expect(run([2, 0, 0], [[1, 0, PostPatch]]).bad).toBe(true);
    expect(run([1, 0, 0], [[1, 0, PreUnpatch]]).bad).toBe(true);
    expect(run([0, 0, 0], [[1, 0, PostUnpatch]]).bad).toBe(true);
    // Stopped at the bad one: the good one after it is not applied, nor is a freed patch forgotten.
    expect(
      run(
        [0, 0, 1],
        [
          [1, 0, PostUnpatch],
          [2, 0, PrePatch],
        ],
        [3],
      ),
    ).toMatchObject({ bad: true, memory: [0, 0, 1] });
  });

  it('forgets a freed patch’s phases, and only a freed one’s', () => {
    expect(run([2, 6, 1], [], [2])).toEqual({ bad: false, memory: [2, 0, 1], text: 'p1/vmlinux=post p3/vmlinux=pre' });
  });
});
