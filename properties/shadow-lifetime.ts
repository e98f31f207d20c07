import type { Universe } from '../model/kernel/definitions.ts';
import { lacksStateIds, type Checker, type Invariant, type StepObservation } from './invariant.ts';

/**
 * Shadow-variable lifetime. Under Petr Mladek's per-state series a shadow
 * variable whose id is an is_shadow state belongs to that state: it lives
 * exactly while some active patch declares the state, is freed once (its
 * dtor runs once) when the last such patch goes, is not freed while a patch
 * that declares the state is still active (its code would use freed data),
 * and none is left behind. Sources: facts C.3 and C.4 (Petr Mladek, "[PATCH
 * v1 00/19] livepatch: Better integrate callbacks and shadow variables with
 * the states API", 2025-01-15); seed 004_7e5a7d514636d047.txt.
 */
export const shadowLifetime: Invariant = {
  id: 'shadow-lifetime',
  title: 'shadow variables live exactly as long as their state',
  meaning:
    'A shadow variable of an is_shadow state exists only while an active patch declares the state, is freed exactly once when the last one goes, and never while one still declares it.',
  source: 'facts C.3, C.4 (Petr Mladek, 2025-01-15); seed 004_7e5a7d514636d047.txt',
  appliesTo: (s) => s.spec.perState,
  whyNotApplicable: 'has no is_shadow states (no per-state callbacks and shadow variables)',
  // Shadow variables belong to is_shadow states: a universe with no state id has none.
  lacks: lacksStateIds,
  checker: () => new ShadowChecker(new Set()),
};

/**
 * Remembers which shadow variables are live, to catch a second free. A copy
 * shares the set with its original until either changes it (copy on write):
 * the explorer copies a checker for every transition.
 */
class ShadowChecker implements Checker {
  /** Whether the set is this checker's alone (false while shared with a copy). */
  private own = true;
  /** The memory string, kept until the set changes. */
  private shown: string | null = null;

  constructor(private live: Set<string>) {}

  clone(): Checker {
    const c = new ShadowChecker(this.live);
    c.shown = this.shown;
    c.own = this.own = false;
    return c;
  }

  memory(): string {
    return (this.shown ??= [...this.live].sort().join(' '));
  }

  /** Before the set changes: it becomes this checker's own, and the memory string is stale. */
  private write(): Set<string> {
    if (!this.own) {
      this.live = new Set(this.live);
      this.own = true;
    }
    this.shown = null;
    return this.live;
  }

  check(obs: StepObservation): string | null {
    for (const e of obs.events) {
      if (e.kind !== 'shadow_alloc' && e.kind !== 'shadow_free') continue;
      const key = `${e.obj}/${e.id}`;
      if (e.kind === 'shadow_alloc') {
        this.write().add(key);
        continue;
      }
      if (!this.live.has(key)) return `shadow variable <${key}> freed twice`;
      this.write().delete(key);
      if (e.by === 'core' && obs.after.states.includes(e.id)) {
        return `shadow variable <${key}> freed while state ${e.id} is still declared by an active patch`;
      }
    }
    // Most steps leave no shadow variable live: the universe's is_shadow ids are looked up only when one is.
    if (obs.after.shadows.length === 0) return null;
    const shadowIds = shadowStateIds(obs.universe);
    for (const v of obs.after.shadows) {
      const id = Number(v.slice(v.indexOf('/') + 1));
      if (shadowIds.has(id) && !obs.after.states.includes(id)) {
        return `shadow variable <${v}> left behind: no active patch declares state ${id}`;
      }
    }
    return null;
  }
}

/** shadowStateIds' answers by universe: a universe is immutable (definitions.ts DeepReadonly), so one answer holds for its life. */
const shadowIdsByUniverse = new WeakMap<Universe, ReadonlySet<number>>();

/**
 * The ids of the is_shadow states any patch of `u` declares. Worked out once
 * per universe: building the set on every checked step took about 8% of a
 * per-state random run's checked time (2026-12-07: the bench's checked side
 * of per-state, 13.0 to 13.8 ms a workload with this, 14.0 to 15.1 without).
 */
function shadowStateIds(u: Universe): ReadonlySet<number> {
  let ids = shadowIdsByUniverse.get(u);
  if (!ids) {
    ids = new Set(u.patches.flatMap((p) => (p.states ?? []).filter((s) => s.is_shadow).map((s) => s.id)));
    shadowIdsByUniverse.set(u, ids);
  }
  return ids;
}
