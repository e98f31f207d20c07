/**
 * Petr Mladek's three ideas to make hybrid mode safer, each under his two
 * definitions of a conflict: six semantics from one factory.
 *
 * Source: seed 003_3f95dad9b56cb0c5.txt, Petr Mladek's reply of 2025-02-07
 * (quoted by Yafang Shao the same day):
 *   1. load a patch with .replace only when every conflicting patch is
 *      allowed to be replaced (replaceable);
 *   2. automatically replace every conflicting patch ("would even work
 *      without the .replaceable flag");
 *   3. the patch lists the patches it replaces ("would allow to replace even
 *      non-conflicting patches").
 * Conflict: `shared`, some function modified by both; `partial`, the new
 * patch replaces only part of an old patch's functions (rules.ts).
 *
 * Readings (the mail gives ideas, not code):
 * - gated (1) keeps hybrid mode otherwise: what a replace patch takes is still
 *   the replaceable patches, and a patch without replace is not checked;
 * - auto (2) has no flags at all: every patch replaces exactly the active
 *   patches it conflicts with and nothing else;
 * - listed (3) replaces the patches named in `replaces`; a conflict with an
 *   active patch it does not name refuses the load (-EINVAL), as Petr later
 *   asks of conflicting loads (seed 001, 2026-06-17: "refuse to install two
 *   conflicting livepatches").
 * The hooks are what a kernel implementation of each idea would do: nops,
 * unpatching, freeing and the forced flag all follow the same replaced set.
 * The state check stays upstream's: a replace patch (gated) carries every
 * active state; under auto and listed, the patches it replaces.
 */
import type { PatchDef } from '../kernel/definitions.ts';
import type { ReplaceHooks } from '../kernel/hooks.ts';
import type { KPatch } from '../kernel/runtime.ts';
import { versionsCompatible } from '../kernel/states.ts';
import type { LoadVerdict } from '../spec/rule.ts';
import { hybrid, hybridLoad } from './hybrid.ts';
import {
  conflicts,
  isReplaceable,
  isReplacing,
  viewOfDef,
  viewOfKPatch,
  carriesStates,
  type ConflictDefinition,
  type PatchView,
} from './rules.ts';
import type { PropertyPromise, Semantics } from './semantics.ts';
import { upstream } from './upstream.ts';
import { CORE_PROMISES } from './promises.ts';

export type SaferIdea = 'gated' | 'auto' | 'listed';

const IDEA: Readonly<Record<SaferIdea, { n: number; words: string }>> = {
  gated: { n: 1, words: 'a replace patch loads only when every patch it conflicts with is replaceable' },
  auto: { n: 2, words: 'every patch automatically replaces the patches it conflicts with' },
  listed: { n: 3, words: 'a patch replaces the patches it names in `replaces`' },
};

const DEFINITION: Readonly<Record<ConflictDefinition, string>> = {
  shared: 'two patches conflict when they modify at least one common function',
  partial: "two patches conflict when the new one modifies some but not all of the old one's functions",
};

/** Spec: the patches the incoming one takes over, or why it is refused. */
function saferLoad(idea: SaferIdea, def: ConflictDefinition): (active: readonly PatchDef[], incoming: PatchDef) => LoadVerdict {
  return (active, incoming) => {
    if (idea === 'gated') {
      const n = viewOfDef(incoming);
      const blocker = isReplacing(n.attrs) && active.map(viewOfDef).find((p) => conflicts(def, n, p) && !isReplaceable(p.attrs));
      return blocker ? { refuse: `${n.name} conflicts with ${blocker.name}, which is not replaceable` } : hybridLoad(active, incoming);
    }
    const n = viewOfDef(incoming);
    const takes = (p: PatchView) => (idea === 'auto' ? conflicts(def, n, p) : (n.attrs.replaces ?? []).includes(p.name));
    const replaces: string[] = [];
    for (const p of active.map(viewOfDef)) {
      if (idea === 'listed' && !takes(p) && conflicts(def, n, p))
        return { refuse: `${n.name} conflicts with ${p.name} and does not replace it` };
      if (!carriesStates(n, p, takes(p))) return { refuse: `${n.name} does not carry the states of ${p.name}` };
      if (takes(p)) replaces.push(p.name);
    }
    return { replaces };
  };
}

/** Hooks: which kernel patches the incoming one replaces, read at each decision point. */
function saferHooks(idea: SaferIdea, def: ConflictDefinition): ReplaceHooks {
  const takes = (incoming: KPatch) => {
    const n = viewOfKPatch(incoming);
    return (p: KPatch): boolean => {
      if (idea === 'gated') return isReplacing(n.attrs) && p.writable.get('replaceable') === true;
      if (idea === 'auto') return conflicts(def, n, viewOfKPatch(p));
      return (n.attrs.replaces ?? []).includes(p.name);
    };
  };
  const refuses = (incoming: KPatch, p: KPatch): boolean => {
    const n = viewOfKPatch(incoming);
    if (!conflicts(def, n, viewOfKPatch(p))) return false;
    if (idea === 'gated') return isReplacing(n.attrs) && p.writable.get('replaceable') !== true;
    return idea === 'listed' && !takes(incoming)(p);
  };
  return {
    ...upstream.hooks,
    isCompatible: (active, incoming) =>
      active.every((p) => !refuses(incoming, p)) &&
      (idea === 'gated'
        ? versionsCompatible(active, incoming, isReplacing(incoming.attrs))
        : active.every((p) => versionsCompatible([p], incoming, takes(incoming)(p)))),
    nopSources: (active, incoming) => active.filter(takes(incoming)),
    replaced: (active, incoming) => active.filter(takes(incoming)),
    forcedByForce: (active, transition) => active.filter(takes(transition)),
    sysfsAttrs: (p): Record<string, string> =>
      idea === 'listed' ? { replaces: (p.attrs.replaces ?? []).join(',') } : { replace: isReplacing(p.attrs) ? '1' : '0' },
    writableAttrs: idea === 'gated' ? ['replaceable'] : [],
  };
}

/**
 * Ideas 2 and 3 resolve every shared function (auto replaces the patch it
 * shares one with, listed refuses one it does not name), which is what Petr
 * Mladek asks the kernel to enforce ("I would like to enforce some safe
 * behavior from the kernel", seed 003). Idea 1 checks replace patches only,
 * and the partial definition lets a patch that covers all of an old patch's
 * functions stack on it: sharing is then the design. States are not part of
 * any idea.
 */
const SAFER_PROMISE: PropertyPromise = {
  property: 'no-function-shared-across-slots',
  source: 'seed 003_3f95dad9b56cb0c5.txt, Petr Mladek, 2025-02-07',
};

const LISTED_CHOICES = [{ replaces: [] }, { replaces: ['p1'] }, { replaces: ['p1', 'p2'] }, { replaces: ['p2', 'p3'] }];

export function saferHybrid(idea: SaferIdea, def: ConflictDefinition): Semantics {
  const { n, words } = IDEA[idea];
  return {
    name: `hybrid-${idea}-${def}`,
    title: `hybrid mode, Petr Mladek's idea ${n} (${idea}), conflict = ${def === 'shared' ? 'any shared function' : 'partial replacement'}`,
    sources: [{ ref: '003_3f95dad9b56cb0c5.txt', author: 'Petr Mladek', date: '2025-02-07' }],
    rule:
      `Idea ${n}: ${words}; ${DEFINITION[def]}.` +
      (idea === 'gated'
        ? ' Otherwise hybrid mode: a replace patch replaces the replaceable patches, and a patch without replace stacks.'
        : '') +
      (idea === 'auto' ? ' There is no replace or replaceable flag; a patch that conflicts with nothing replaces nothing.' : '') +
      (idea === 'listed' ? ' A load that conflicts with an active patch it does not name is refused with -EINVAL.' : '') +
      ' A patch carries the states of the patches it replaces, at no lower version.',
    promises: [...CORE_PROMISES, ...(def === 'shared' && idea !== 'gated' ? [SAFER_PROMISE] : [])],
    attrs: idea === 'gated' ? ['replace', 'replaceable'] : idea === 'listed' ? ['replaces'] : [],
    attrChoices: idea === 'gated' ? hybrid.attrChoices : idea === 'listed' ? LISTED_CHOICES : [{}],
    spec: {
      load: saferLoad(idea, def),
      disable: () => null,
      authorizes: (incoming, old) => {
        if (idea === 'gated') return isReplacing(incoming.attrs ?? {});
        if (idea === 'auto') return conflicts(def, viewOfDef(incoming), viewOfDef(old));
        return (incoming.attrs?.replaces ?? []).includes(old.name);
      },
      perState: false,
      ...(idea === 'gated' ? { writableAttrs: ['replaceable'] } : {}),
    },
    hooks: saferHooks(idea, def),
    slotOf: (name) => `patch:${name}`,
  };
}

export const hybridGatedShared = saferHybrid('gated', 'shared');
export const hybridGatedPartial = saferHybrid('gated', 'partial');
export const hybridAutoShared = saferHybrid('auto', 'shared');
export const hybridAutoPartial = saferHybrid('auto', 'partial');
export const hybridListedShared = saferHybrid('listed', 'shared');
export const hybridListedPartial = saferHybrid('listed', 'partial');
