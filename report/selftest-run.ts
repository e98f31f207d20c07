/**
 * The counterexample re-run on the reference implementation the way a
 * selftest would run it: every module renamed test_klp_<name> (so that
 * check_result's `test_klp` filter keeps the modules' own lines), the
 * counterexample's operations, then a clean-up (wake the sleeping tasks,
 * finish the transition, disable what is enabled, unload every module) so
 * that the test leaves the machine as it found it. Each step keeps the
 * kernel log lines it produced.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import type { Op } from '../harness/ops.ts';
import { Lockstep, type TraceStep } from '../harness/run-sequence.ts';
import { VMLINUX, type ModuleDef, type ObjectDef, type PatchDef, type Universe } from '../model/kernel/definitions.ts';
import { MODULE_NAME_LEN } from '../model/kernel/enable.ts';
import { KlpcheckError, pointer } from '../harness/errors.ts';
import type { AbstractState } from '../model/spec/abstract-state.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { listedPatches } from './derive.ts';

/** A module name a selftest can load: test_klp_<name>, only [A-Za-z0-9_]. */
export function moduleName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  return clean.startsWith('test_klp_') ? clean : `test_klp_${clean}`;
}

const renameKey = (key: string) => {
  const i = key.indexOf(':');
  const obj = key.slice(0, i);
  return obj === VMLINUX ? key : `${moduleName(obj)}${key.slice(i)}`;
};

const renameObject = (o: ObjectDef): ObjectDef => (o.name === VMLINUX ? o : { ...o, name: moduleName(o.name) });

function renamePatch(p: PatchDef): PatchDef {
  const attrs = p.attrs?.replaces ? { ...p.attrs, replaces: p.attrs.replaces.map(moduleName) } : p.attrs;
  return { ...p, name: moduleName(p.name), objects: p.objects ? p.objects.map(renameObject) : null, ...(attrs ? { attrs } : {}) };
}

function renameModule(m: ModuleDef): ModuleDef {
  return { ...m, name: moduleName(m.name), ...(m.kprobe ? { kprobe: { ...m.kprobe, func: renameKey(m.kprobe.func) } } : {}) };
}

/**
 * Refuses (E_INEXPRESSIBLE, at the name's JSON pointer below /universe) a
 * universe whose renamed modules a selftest could not build or tell apart:
 * a module name the kernel holds in MODULE_NAME_LEN (56) bytes with its NUL
 * (include/linux/module.h), so at most 55 characters once `test_klp_` is put
 * in front; and two names that become one, as kbuild's KBUILD_MODNAME turns
 * '-' into '_' (`p-1` and `p_1`). An object name is refused only where the
 * renaming makes it too long: one over 55 already is what the counterexample
 * shows the kernel refusing (model/kernel/enable.ts), and stays so renamed.
 */
function checkRenamable(u: Universe): void {
  const limit = MODULE_NAME_LEN - 1;
  const tooLong = (name: string, where: string): KlpcheckError => {
    const renamed = moduleName(name);
    return new KlpcheckError(
      'E_INEXPRESSIBLE',
      `a selftest loads '${name}' as module '${renamed}', ${renamed.length} characters: the kernel takes at most ${limit} (MODULE_NAME_LEN ${MODULE_NAME_LEN}), so a name of at most ${limit - (renamed.length - name.length)} here`,
      undefined,
      where,
    );
  };
  const owner = new Map<string, string>();
  const claim = (name: string, where: string) => {
    const renamed = moduleName(name);
    if (renamed.length > limit) throw tooLong(name, where);
    const other = owner.get(renamed);
    if (other !== undefined)
      throw new KlpcheckError(
        'E_INEXPRESSIBLE',
        `a selftest loads '${name}' as module '${renamed}', as it loads ${other}: ${/-/.test(`${name}${other}`) ? "the kernel spells '-' in a module name '_', so " : 'a name that starts test_klp_ is kept as it is, so '}the two are one module`,
        undefined,
        where,
      );
    owner.set(renamed, `${where} ('${name}')`);
  };
  u.patches.forEach((p, i) => claim(p.name, pointer('universe', 'patches', i, 'name')));
  u.modules.forEach((m, i) => claim(m.name, pointer('universe', 'modules', i, 'name')));
  u.patches.forEach((p, i) =>
    (p.objects ?? []).forEach((o, j) => {
      if (o.name !== VMLINUX && o.name.length <= limit && moduleName(o.name).length > limit)
        throw tooLong(o.name, pointer('universe', 'patches', i, 'objects', j, 'name'));
    }),
  );
}

/** The universe with every module renamed as a selftest loads it (moduleName); refused as checkRenamable says. */
export function renameUniverse(u: Universe): Universe {
  checkRenamable(u);
  return { ...u, patches: u.patches.map(renamePatch), modules: u.modules.map(renameModule) };
}

export function renameOp(op: Op): Op {
  switch (op.op) {
    case 'insmod':
    case 'rmmod':
      return { ...op, module: moduleName(op.module) };
    case 'block_task':
      return { ...op, func: renameKey(op.func) };
    case 'transition_step':
    case 'unblock_task':
    case 'task_return':
    case 'run_task':
    case 'sleep_task':
    case 'cond_resched':
    case 'fork':
      return op;
    default:
      return { ...op, patch: moduleName(op.patch) };
  }
}

export interface RunStep extends TraceStep {
  /** The state before the step. */
  readonly before: AbstractState;
  /** Kernel log lines of this step, unfiltered. */
  readonly log: readonly string[];
  /** False for the clean-up after the counterexample's own operations. */
  readonly counterexample: boolean;
}

export interface SelftestRun {
  readonly universe: Universe;
  readonly steps: readonly RunStep[];
  /** Steps where the re-run's result differs from the recorded one (the model changed since). */
  readonly divergences: readonly { readonly step: number; readonly recorded: string; readonly now: string }[];
}

const MAX_RETRIES = 5;

export function selftestRun(c: Counterexample, semantics: Semantics): SelftestRun {
  const universe = renameUniverse(c.universe);
  const run = new Lockstep(universe, semantics, { invariants: [], conformance: false });
  const steps: RunStep[] = [];
  const state = () => steps[steps.length - 1]?.state ?? run.initial;
  const apply = (op: Op, counterexample: boolean) => {
    if (!counterexample && !run.applicable(op)) return;
    const before = state();
    const from = run.kernel.log.length;
    run.step(op);
    steps.push({ ...run.steps[run.steps.length - 1]!, before, log: run.kernel.log.slice(from), counterexample });
  };
  for (const op of c.steps.map((s) => s.op)) apply(renameOp(op), true);
  const divergences = c.steps.flatMap((s, i) =>
    steps[i]!.outcome === s.outcome ? [] : [{ step: i + 1, recorded: s.outcome, now: steps[i]!.outcome }],
  );
  const settle = () => {
    for (let i = 0; i < MAX_RETRIES && state().patches.some((p) => p.status === 'patching' || p.status === 'unpatching'); i++) {
      apply({ op: 'transition_step' }, false);
    }
  };
  for (const t of state().tasks) if (t.blocked !== null) apply({ op: 'unblock_task', task: t.name }, false);
  settle();
  for (const p of [...listedPatches(state())].reverse()) {
    apply({ op: 'disable', patch: p.name }, false);
    settle();
  }
  for (const p of [...state().patches].reverse()) apply({ op: 'rmmod', module: p.name }, false);
  for (const m of [...state().modules].reverse()) apply({ op: 'rmmod', module: m }, false);
  return { universe, steps, divergences };
}
