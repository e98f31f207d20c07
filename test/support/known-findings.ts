/**
 * The known conformance findings, each as a classifier: given a run stopped
 * at a conformance violation, it says whether the violation is an instance of
 * that finding. test/known-findings.test.ts keeps checking conformance in the
 * cells verdicts/expected.json records as violated: a random sequence that
 * violates conformance passes only when a classifier of its semantics claims
 * the violation, and any other violation fails the suite.
 *
 * A classifier is a mechanism, not a message match: it looks at both models
 * (what differs, the transition patch's nops, the ops since the transition
 * started) and names the recorded counterexample it generalises. Each must
 * recognise its recorded counterexample (checked by the test), and none may
 * claim a violation that its mechanism does not explain.
 */
import type { Lockstep, Violation } from '../../harness/run-sequence.ts';
import type { KernelCore } from '../../model/kernel/core.ts';
import { tagOf } from '../../model/semantics/rules.ts';
import type { AbstractState } from '../../model/spec/abstract-state.ts';

/** One differing leaf of the two abstract states. */
export interface Difference {
  readonly path: string;
  readonly spec: unknown;
  readonly impl: unknown;
}

/** Every leaf where the spec's abstract state and the implementation's differ (arrays by index). */
export function differences(spec: unknown, impl: unknown, path = ''): Difference[] {
  if (JSON.stringify(spec) === JSON.stringify(impl)) return [];
  if (spec && impl && typeof spec === 'object' && typeof impl === 'object') {
    const keys = [...new Set([...Object.keys(spec), ...Object.keys(impl)])];
    return keys.flatMap((k) => differences((spec as Record<string, unknown>)[k], (impl as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return [{ path: path || '/', spec, impl }];
}

/** What a classifier sees: the run stopped at its first violation. */
export interface ViolationContext {
  readonly run: Lockstep;
  readonly violation: Violation;
  /** The implementation's abstract state before and after the violating step. */
  readonly before: AbstractState;
  readonly after: AbstractState;
  /** The spec model's abstract state after the violating step. */
  readonly spec: AbstractState;
  readonly diffs: readonly Difference[];
}

export interface KnownFinding {
  readonly id: string;
  /** The semantics whose conformance cell the finding explains. */
  readonly semantics: readonly string[];
  /**
   * Where the finding is recorded: a counterexample file whose ops, checked
   * for conformance, show it (test/known-findings.test.ts replays it), or the
   * note that reports it.
   */
  readonly recorded: string;
  readonly meaning: string;
  matches(c: ViolationContext): boolean;
}

export function contextOf(run: Lockstep, violation: Violation): ViolationContext {
  const after = run.steps[violation.step]!.state;
  const before = violation.step > 0 ? run.steps[violation.step - 1]!.state : run.initial;
  const spec = run.spec.abstract();
  return { run, violation, before, after, spec, diffs: differences(spec, after) };
}

const specOutcome = (c: ViolationContext) => /^the spec says (\w+), the implementation returned (\w+)$/.exec(c.violation.reason);
const lastKlpLine = (k: KernelCore) => k.log.lines.findLast((l) => l.startsWith('livepatch: '));
const declares = (c: ViolationContext, name: string, id: number) =>
  (c.run.universe.patches.find((p) => p.name === name)?.states ?? []).some((s) => s.id === id);
/** The patches the spec's current transition replaces (SpecModel.snapshot()). */
const specReplaces = (c: ViolationContext) => (c.run.spec.snapshot().transition?.replaces ?? []).map((p) => p.def.name);

/**
 * Nops of the kernel's transition patch that hide a patch the rule does not
 * replace: a function that some other listed patch, not one the spec says
 * the transition replaces, patches. klp_add_nops walked more patches than the
 * rule replaces (facts F.1, F.4.2).
 */
function strayNops(c: ViolationContext): Set<string> {
  const k = c.run.kernel.core;
  const t = k.transition;
  if (!t) return new Set();
  const replaced = new Set(specReplaces(c));
  const kept = k.klp_patches.filter((p) => p !== t && !replaced.has(p.name));
  const keptKeys = new Set(kept.flatMap((p) => [...p.allFuncs()].filter((f) => !f.nop).map((f) => f.key)));
  return new Set([...t.allFuncs()].filter((f) => f.nop && keptKeys.has(f.key)).map((f) => f.key));
}

export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    id: 'per-state-shared-state-replaced',
    semantics: ['per-state'],
    recorded: 'counterexamples/per-state/conformance-0cd0058e652e.json',
    meaning:
      'Two replaced patches carry one is_shadow state the replace drops: is_state_in_other_patches counts the other ' +
      'replaced patch, so the state is removed without post_unpatch and its shadow variables stay (facts C.3).',
    matches: (c) =>
      c.diffs.length > 0 &&
      c.diffs.every((d) => {
        if (!d.path.startsWith('/shadows/') || typeof d.impl !== 'string') return false;
        if (c.spec.shadows.includes(d.impl) || !c.after.shadows.includes(d.impl)) return false;
        const id = Number(d.impl.slice(d.impl.indexOf('/') + 1));
        const goneHolders = c.before.patches.filter(
          (p) => p.order > 0 && declares(c, p.name, id) && !c.after.patches.some((a) => a.name === p.name && a.order > 0),
        );
        const listedHolders = c.after.patches.filter((p) => p.order > 0 && declares(c, p.name, id));
        return goneHolders.length >= 2 && listedHolders.length === 0;
      }),
  },
  {
    id: 'stray-nops',
    semantics: [
      'hybrid',
      'hybrid-gated-shared',
      'hybrid-gated-partial',
      'hybrid-auto-partial',
      'hybrid-listed-partial',
      'replace-set-unfiltered-nops',
      'replace-tag-draft',
    ],
    recorded: 'counterexamples/hybrid/conformance-a973a6463204.json',
    meaning:
      'klp_add_nops takes nops from patches the new patch does not replace (facts F.1, F.4.2): during the transition ' +
      'a switched task runs the original code for their functions, and a task sleeping in one holds the transition.',
    matches: (c) => {
      const stray = strayNops(c);
      if (!stray.size || specOutcome(c)) return false;
      const inStray = (blocked: string | null) => blocked !== null && stray.has(blocked.slice(0, blocked.lastIndexOf('@')));
      // A task sleeping in a stray nop's function cannot switch: the transition stalls where the spec's completes...
      if (!c.run.spec.inTransition()) return c.after.tasks.some((t) => inStray(t.blocked));
      // ...or that task alone stays behind, and the switched tasks run the nop where the spec runs the kept patch.
      const heldBack = new Set(c.after.tasks.flatMap((t, i) => (inStray(t.blocked) && c.spec.tasks[i]!.state !== t.state ? [i] : [])));
      return c.diffs.every((d) => {
        const task = /^\/tasks\/(\d+)\/state$/.exec(d.path);
        if (task) return heldBack.has(Number(task[1]));
        const run = /^\/running\/(.+)\/(\d+)$/.exec(d.path);
        return run !== null && (heldBack.has(Number(run[2])) || (stray.has(run[1]!) && d.impl === 'original'));
      });
    },
  },
  {
    id: 'replaceable-written-in-transition',
    semantics: ['hybrid', 'hybrid-gated-shared', 'hybrid-gated-partial', 'hybrid-auto-shared', 'hybrid-auto-partial'],
    recorded: 'the first session\'s closing note, issue 4, "Findings to bring to the list" (no file; the test writes the sequence out)',
    meaning:
      "A replaceable flag written during another patch's transition: the nops were read at load, the replaced set is " +
      'read at completion, so the completion frees or keeps a patch the rule chose otherwise (facts F.1).',
    matches: (c) => {
      if (specOutcome(c) || c.before.patches.every((p) => p.status !== 'patching')) return false;
      const transitionPatch = c.before.patches.find((p) => p.status === 'patching')!.name;
      const started = c.run.steps.findLastIndex((s) => s.op.op === 'insmod' && s.op.module === transitionPatch);
      const written = c.run.steps.slice(started + 1, c.violation.step).some((s) => s.op.op === 'set_attr' && s.outcome === 'ok');
      return written && c.diffs.every((d) => /^\/patches\/\d+\/(status|order)$/.test(d.path) || d.path.startsWith('/running/'));
    },
  },
  {
    id: 'force-marks-later-patches',
    // hybrid-listed-shared and replace-sets-positional: found by the whole space of
    // patches=2,functions=1,states=0,tasks=1 (explore, issue 11), at 6 steps; per-state (upstream's forcedByForce)
    // by the packed engine's differential at patches=2,functions=1,states=1,tasks=1, depth 6 (2026-12-02).
    semantics: [
      'upstream',
      'slots',
      'provides-obsoletes',
      'replace-tag-draft',
      'hybrid-listed-shared',
      'replace-sets-positional',
      'per-state',
    ],
    recorded: 'counterexamples/slots/conformance-c2aaede076a4.json',
    meaning:
      'klp_force_transition marks every other patch on klp_patches (or of the replaced sets) forced, including ' +
      'patches loaded after a re-enabled transition patch that it does not replace (facts B.2 "Force").',
    matches: (c) => {
      if (c.run.steps[c.violation.step]!.op.op !== 'force' || !c.diffs.length) return false;
      const t = c.before.patches.find((p) => p.status === 'patching');
      return (
        t !== undefined &&
        c.diffs.every((d) => {
          const m = /^\/patches\/(\d+)\/forced$/.exec(d.path);
          const p = m ? c.after.patches[Number(m[1])] : undefined;
          return p !== undefined && d.spec === false && d.impl === true && p.order > t.order;
        })
      );
    },
  },
  {
    id: 'switch-under-a-newer-patch',
    // Found by the whole space of patches=2,functions=1,states=0,tasks=1 (explore, issue 11), at 10 steps.
    semantics: ['upstream', 'replace-tag'],
    recorded: 'counterexamples/replace-tag/conformance-e89db3dcc1ae.json',
    meaning:
      "A disable reversed back to patching, with a newer patch above the transition patch on a function: a task asleep in the newer patch's " +
      'code for it switches in the reference implementation, which forbids only the entry below the transition patch or the original ' +
      '(facts B.2 klp_try_complete_transition), while the spec model holds it back. The facts leave this case open: the transition ' +
      "patch's entry is the last of a stack of two, so the kernel's list_next_entry finds no previous entry.",
    matches: (c) => {
      if (c.run.steps[c.violation.step]!.op.op !== 'transition_step' || specOutcome(c) || !c.diffs.length) return false;
      const t = c.before.patches.find((p) => p.status === 'patching');
      if (!t) return false;
      const newer = new Set(c.before.patches.filter((p) => p.order > t.order).map((p) => p.name));
      const underNewer = c.before.tasks.some((task) => task.blocked !== null && newer.has(task.blocked.split('@')[1]!));
      return (
        underNewer &&
        c.diffs.every(
          (d) =>
            (/^\/patches\/\d+\/status$/.test(d.path) && d.spec === 'patching' && d.impl === 'enabled') ||
            /^\/(running|tasks)\//.test(d.path),
        )
      );
    },
  },
  {
    id: 'draft-states-checked-across-tags',
    semantics: ['replace-tag-draft'],
    recorded:
      'the sequence of the first corpus file (replace-tag-draft/conformance-e850674d192d.json, regenerated since), written out in the test',
    meaning:
      "The draft leaves klp_is_patch_compatible as upstream: a tagged patch must carry the states of every active patch, other tags' too.",
    matches: (c) => {
      const m = specOutcome(c);
      return (
        m !== null &&
        m[1] !== 'EINVAL' &&
        m[2] === 'EINVAL' &&
        / is not compatible with the already installed livepatches\.$/.test(lastKlpLine(c.run.kernel.core) ?? '')
      );
    },
  },
  {
    id: 'draft-no-function-check',
    semantics: ['replace-tag-draft'],
    recorded: 'counterexamples/replace-tag-draft/no-function-shared-across-slots-8f9f214477cc.json',
    meaning: 'The draft has no function check: a patch of a function another tag patches loads, where the promised rule refuses it.',
    matches: (c) => {
      const m = specOutcome(c);
      const op = c.run.steps[c.violation.step]!.op;
      if (m === null || m[1] !== 'EINVAL' || m[2] === 'EINVAL' || op.op !== 'insmod') return false;
      const defs = c.before.patches.filter((p) => p.order > 0).map((p) => c.run.universe.patches.find((d) => d.name === p.name)!);
      const incoming = c.run.universe.patches.find((p) => p.name === op.module)!;
      const verdict = c.run.semantics.spec.load(defs, incoming);
      return 'refuse' in verdict && / patches a function of /.test(verdict.refuse);
    },
  },
  {
    id: 'draft-supersedes-replace0',
    semantics: ['replace-tag-draft'],
    recorded: 'counterexamples/replace-tag-draft/no-lost-fix-58c58b1e2f0f.json',
    meaning: 'The draft frees a replace=0 patch when any tagged patch completes; the promised rule keeps it.',
    matches: (c) => {
      if (specOutcome(c) || !c.diffs.length) return false;
      const completed =
        c.before.patches.find((p) => p.status === 'patching')?.name ?? (c.run.steps[c.violation.step]!.op as { module?: string }).module;
      const tagged = c.run.universe.patches.find((p) => p.name === completed);
      if (!tagged || !tagOf(tagged.attrs ?? {})) return false;
      const superseded = c.diffs.filter((d) => /^\/patches\/\d+\/status$/.test(d.path) && d.spec === 'enabled' && d.impl === 'freed');
      const replace0 = (i: number) => tagOf(c.run.universe.patches.find((p) => p.name === c.after.patches[i]!.name)!.attrs ?? {}) === 0;
      const explained = c.diffs.every((d) => /^\/patches\/\d+\/(status|order)$/.test(d.path) || /^\/(running|states)\//.test(d.path));
      return explained && superseded.length > 0 && superseded.every((d) => replace0(Number(d.path.split('/')[2])));
    },
  },
];

/** The known finding of `semantics` that explains the violation, if any. */
export function classify(semantics: string, c: ViolationContext): KnownFinding | null {
  return KNOWN_FINDINGS.find((f) => f.semantics.includes(semantics) && f.matches(c)) ?? null;
}
