/**
 * One release cycle under one protocol and one semantics: the vendor's
 * cumulative patches and hotfixes and the users' off-band patches, one a
 * day, each built by the protocol (build time), loaded by its script with
 * the parameters it reads from sysfs (deploy time), and checked after every
 * load: the invariants and conformance the semantics promises (the others are
 * noted as its design choices), and the three protocol properties:
 * - loads: every release loads, unless the protocol's script refuses it;
 * - fixes: after a release lands, every fix of every landed release runs;
 * - knowledge: a vendor release's build choice does not depend on the users'
 *   releases, which the vendor cannot know at build time.
 * Source: issue 12 §2, after Joe Lawrence's "Could you trace through a few
 * cycles of cumulative + hotfix releases" (seed 001_3e784c1c435e3259.txt).
 */
import type { PatchDef, Universe } from '../../model/kernel/definitions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { classify } from '../../model/semantics/promises.ts';
import { INVARIANTS } from '../../properties/catalog.ts';
import type { Op } from '../ops.ts';
import { Lockstep, type RunResult } from '../run-sequence.ts';
import { attrsOf, DEPLOY_PARAMS, paramsOf } from './attrs.ts';
import { isVendor, type BuildChoice, type Protocol, type Release, type ReleaseKind, type SetChoice, type SysfsPatch } from './protocol.ts';

/** The protocol properties, worded for the renderers (report/context.ts). */
export const PROTOCOL_PROPERTIES = [
  { id: 'loads', title: 'every release loads', meaning: "Every release loads, unless the protocol's own script refuses it." },
  { id: 'fixes', title: 'no missing fix', meaning: 'After a release lands, every fix of every release that landed before still runs.' },
  {
    id: 'knowledge',
    title: 'no unknowable knowledge',
    meaning: "A vendor release's build-time attributes do not depend on the users' patches, which the vendor cannot know.",
  },
].map((p) => ({
  ...p,
  source: 'issue 12 section 2; seed 001_3e784c1c435e3259.txt (Joe Lawrence, Yafang Shao, Petr Mladek, 2026-06-17/18)',
}));

/** Whether `id` names a release cycle's property (loads, fixes, knowledge): one a replay of the ops cannot check. */
export function isProtocolProperty(id: string): boolean {
  return PROTOCOL_PROPERTIES.some((p) => p.id === id);
}

export interface CycleDay {
  readonly release: Release;
  readonly build: BuildChoice;
  /** The functions it patches: its fix and those of the releases it carries. */
  readonly funcs: readonly string[];
  /** What the script passed, or why it refused; absent: the build's attributes. */
  readonly deploy?: { readonly params: SetChoice } | { readonly refuse: string };
  /** insmod's outcome (ok or an errno), or `refused by the script`. */
  readonly outcome: string;
  /** Patches enabled after the day. */
  readonly enabled: readonly string[];
}

export interface CycleFailure {
  /** The day (0-based) of the first failure. */
  readonly day: number;
  /** `loads`, `fixes`, `knowledge`, `conformance` or an invariant id. */
  readonly property: string;
  readonly reason: string;
}

export interface CycleRun {
  readonly kinds: readonly ReleaseKind[];
  readonly days: readonly CycleDay[];
  readonly failure: CycleFailure | null;
  /** Properties the semantics does not promise that broke on the way (its design choices). */
  readonly notes: readonly CycleFailure[];
  /** The universe and the ops, as a thread scenario would hold them. */
  readonly universe: Universe;
  readonly ops: readonly Op[];
  /** The run's trace: the abstract state before and after each op. */
  readonly trace: Pick<RunResult, 'initial' | 'steps'>;
  /** Index in `ops` of each day's insmod (null: the script refused it). */
  readonly opOfDay: readonly (number | null)[];
}

const PREFIX: Readonly<Record<ReleaseKind, string>> = { cumulative: 'klp-c', hotfix: 'klp-h', user: 'usr-' };
const FIX: Readonly<Record<ReleaseKind, string>> = { cumulative: 'cve_', hotfix: 'hot_', user: 'usr_' };

/** The releases of a cycle, numbered per kind: C H H U C -> klp-c1 klp-h1 klp-h2 usr-1 klp-c2. */
export function releasesOf(kinds: readonly ReleaseKind[]): Release[] {
  const n: Record<ReleaseKind, number> = { cumulative: 0, hotfix: 0, user: 0 };
  return kinds.map((kind, day) => {
    n[kind]++;
    return { kind, day, name: `${PREFIX[kind]}${n[kind]}`, fix: `${FIX[kind]}${n[kind]}` };
  });
}

/** Build time for every release: the choices, and the knowledge property's first failure. */
function buildAll(protocol: Protocol, releases: readonly Release[]) {
  const built: (Release & { readonly choice: BuildChoice })[] = [];
  let failure: CycleFailure | null = null;
  for (const r of releases) {
    const choice = protocol.build(r, built);
    if (isVendor(r.kind) && !failure) {
      const blind = protocol.build(
        r,
        built.filter((e) => isVendor(e.kind)),
      );
      if (JSON.stringify(blind) !== JSON.stringify(choice)) {
        const show = (c: BuildChoice) =>
          `sets {${[c.own, ...c.absorbs].join(',')}}${c.carries.length ? ` carrying ${c.carries.join(' ')}` : ''}`;
        failure = {
          day: r.day,
          property: 'knowledge',
          reason: `${r.name}'s build depends on the users' patches, which the vendor cannot know: ${show(choice)} with them, ${show(blind)} without`,
        };
      }
    }
    built.push({ ...r, choice });
  }
  return { built, failure };
}

function funcsOf(name: string, built: readonly (Release & { readonly choice: BuildChoice })[], seen = new Set<string>()): string[] {
  const r = built.find((b) => b.name === name)!;
  if (seen.has(name)) return [];
  seen.add(name);
  return [...new Set([r.fix, ...r.choice.carries.flatMap((c) => funcsOf(c, built, seen))])].sort();
}

function patchDef(
  r: Release & { readonly choice: BuildChoice },
  funcs: readonly string[],
  earlier: readonly (Release & { readonly choice: BuildChoice })[],
): PatchDef {
  // Set 0 is "not chosen yet" (the script chooses at deploy time): it names nothing.
  const sets = [r.choice.own, ...r.choice.absorbs].filter((x) => x > 0);
  // Petr Mladek's idea 3 names the patches it replaces: its owner's earlier releases in its sets.
  const replaces = earlier.filter((e) => isVendor(e.kind) === isVendor(r.kind) && sets.includes(e.choice.own)).map((e) => e.name);
  return {
    name: r.name,
    objects: [{ name: 'vmlinux', funcs: funcs.map((f) => ({ old_name: f })) }],
    attrs: attrsOf(r.choice, replaces),
    owners: [isVendor(r.kind) ? 'vendor' : 'user'],
    attr_params: DEPLOY_PARAMS,
  };
}

function sysfsOf(run: Lockstep): SysfsPatch[] {
  return run.kernel.core.klp_patches.map((p) => {
    const sets = p.attrs.replace_sets ?? [p.attrs.slot ?? 0];
    return { name: p.name, own: sets[0] ?? 0, absorbs: sets.slice(1) };
  });
}

/** Runs one cycle; stops at the first failure. */
export function runCycle(protocol: Protocol, sem: Semantics, kinds: readonly ReleaseKind[]): CycleRun {
  const releases = releasesOf(kinds);
  const { built, failure: knowledge } = buildAll(protocol, releases);
  const funcs = new Map(built.map((b) => [b.name, funcsOf(b.name, built)]));
  const universe: Universe = {
    patches: built.map((b, i) => patchDef(b, funcs.get(b.name)!, built.slice(0, i))),
    modules: [],
    kernel: { tasks: 2 },
  };
  const run = new Lockstep(universe, sem, { invariants: INVARIANTS.filter((i) => i.appliesTo(sem)), conformance: true });
  const days: CycleDay[] = [];
  const ops: Op[] = [];
  const landed: string[] = [];
  const notes: CycleFailure[] = [];
  const opOfDay: (number | null)[] = [];
  let failure: CycleFailure | null = null;
  for (const b of built) {
    if (knowledge && knowledge.day === b.day) failure = knowledge;
    const deploy = protocol.deploy(b, sysfsOf(run)) ?? undefined;
    let outcome = 'refused by the script';
    opOfDay.push(deploy && 'refuse' in deploy ? null : ops.length);
    if (!deploy || 'params' in deploy) {
      const op: Op = deploy ? { op: 'insmod', module: b.name, params: paramsOf(deploy.params) } : { op: 'insmod', module: b.name };
      ops.push(op);
      const violations = run.stepAll(op);
      outcome = run.steps[run.steps.length - 1]!.outcome;
      // A property the semantics does not promise is its design, not the protocol's failure: noted only.
      for (const v of violations) {
        if (classify(sem, v.invariant, true) === 'broken-promise') failure ??= { day: b.day, property: v.invariant, reason: v.reason };
        else notes.push({ day: b.day, property: v.invariant, reason: v.reason });
      }
      if (outcome === 'ok') landed.push(b.name);
      else
        failure ??= { day: b.day, property: 'loads', reason: `insmod ${b.name}.ko failed with ${outcome}; the protocol did not refuse it` };
    }
    const state = run.steps.length ? run.steps[run.steps.length - 1]!.state : run.initial;
    if (!failure && outcome === 'ok') {
      for (const name of landed) {
        const missing = funcs.get(name)!.find((f) => state.running[`vmlinux:${f},0`]?.some((code) => code === 'original'));
        if (missing) {
          failure = { day: b.day, property: 'fixes', reason: `after ${b.name} landed, ${name}'s fix ${missing} no longer runs` };
          break;
        }
      }
    }
    const enabled = state.patches
      .filter((p) => p.order > 0 && p.status === 'enabled')
      .sort((x, y) => x.order - y.order)
      .map((p) => p.name);
    days.push({ release: b, build: b.choice, funcs: funcs.get(b.name)!, ...(deploy ? { deploy } : {}), outcome, enabled });
    if (failure) break;
  }
  return { kinds, days, failure, notes, universe, ops, trace: { initial: run.initial, steps: [...run.steps] }, opOfDay };
}
