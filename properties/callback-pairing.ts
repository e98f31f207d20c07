import type { KernelEvent } from '../model/kernel/log.ts';
import { always, type Checker, type Invariant, type StepObservation } from './invariant.ts';

/**
 * Where a (patch, object) or a state id is in its callback series:
 * - closed: no pre callback is outstanding (none ran, or post_unpatch ended the series);
 * - pre: a pre callback ran (pre_patch succeeded, or pre_unpatch followed post_patch)
 *   and a post callback is due: post_patch when the transition ends patched (a
 *   reversed one too), post_unpatch when it ends unpatched;
 * - post: post_patch ran; pre_unpatch comes next.
 *
 * After pre_unpatch this was once its own phase, 'unpatching'. It accepted
 * exactly the callbacks 'pre' accepts, with the same messages, so it changed
 * no verdict; but the checker's memory is part of an explored state, and a
 * patching transition reversed before post_patch and an unpatching one after
 * post_patch and pre_unpatch leave the same kernel. Told apart, they were 37%
 * of the distinct states at patches=2,functions=1,states=0,tasks=1 (94,630
 * for 59,730 kernels) and 38% of the transitions, for no verdict (issue 11).
 */
type Phase = 'closed' | 'pre' | 'post';

/**
 * Callback pairing. Object callbacks (facts B.6, Documentation/livepatch/
 * callbacks.rst): post_patch follows a successful pre_patch, pre_unpatch
 * follows post_patch, and post_unpatch follows a successful pre_patch (a
 * reversed or cancelled transition skips post_patch and pre_unpatch). State
 * callbacks under the per-state series (facts C.3, Petr Mladek 2025-01-15)
 * fire only when a state id appears or disappears: pre_patch only for an id
 * no active patch has, and when an id that was introduced disappears, its
 * post_unpatch must run.
 */
export const callbackPairing: Invariant = {
  id: 'callback-pairing',
  title: 'callback pairing',
  meaning:
    'post_unpatch only after a successful pre_patch, pre_unpatch only after post_patch; state callbacks only when a state appears or disappears, and a state that disappears gets its post_unpatch.',
  source: 'facts B.6, C.3 (callbacks.rst; Petr Mladek, 2025-01-15)',
  appliesTo: always,
  checker: () => new PairingChecker(new Map(), new Map()),
};

function advance(phase: Phase, cb: string, ret: number): Phase | string {
  switch (cb) {
    case 'pre_patch':
      return phase === 'closed' ? (ret === 0 ? 'pre' : 'closed') : 'pre_patch while already patched';
    case 'post_patch':
      // A disable reversed before completion ends in post_patch again (callbacks.rst): 'pre' after pre_unpatch too.
      return phase === 'pre' ? 'post' : 'post_patch without a successful pre_patch';
    case 'pre_unpatch':
      return phase === 'post' ? 'pre' : 'pre_unpatch without post_patch';
    default:
      return phase === 'closed' ? 'post_unpatch without a successful pre_patch' : 'closed';
  }
}

/** The entries of a phase map that are not closed, as sorted `key=phase` strings. */
function open(m: Map<string | number, Phase>): string[] {
  const shown: string[] = [];
  for (const [k, p] of m) if (p !== 'closed') shown.push(`${k}=${p}`);
  return shown.sort();
}

/**
 * Remembers the callback phase of every (patch, object) and every state id.
 * A copy shares the maps with its original until either changes a phase
 * (copy on write): the explorer copies a checker for every transition, and
 * most transitions run no callback.
 */
class PairingChecker implements Checker {
  /** Whether the maps are this checker's alone (false while shared with a copy). */
  private own = true;
  /** The memory string, kept until a phase changes: the explorer asks after every step. */
  private shown: string | null = null;

  constructor(
    private objects: Map<string, Phase>,
    private states: Map<number, Phase>,
  ) {}

  clone(): Checker {
    const c = new PairingChecker(this.objects, this.states);
    c.shown = this.shown;
    c.own = this.own = false;
    return c;
  }

  memory(): string {
    return (this.shown ??= [...open(this.objects), ...open(this.states)].join(' '));
  }

  /** Before a phase changes: the maps become this checker's own, and the memory string is stale. */
  private write(): void {
    if (!this.own) {
      this.objects = new Map(this.objects);
      this.states = new Map(this.states);
      this.own = true;
    }
    this.shown = null;
  }

  private event(e: KernelEvent, before: readonly number[]): string | null {
    if (e.kind === 'object_callback') {
      const key = `${e.patch}/${e.obj}`;
      const next = advance(this.objects.get(key) ?? 'closed', e.cb, e.ret);
      if (next.includes(' ')) return `${e.patch} object ${e.obj}: ${next}`;
      this.write();
      this.objects.set(key, next as Phase);
    } else if (e.kind === 'state_callback') {
      if (e.cb === 'pre_patch' && before.includes(e.state) && (this.states.get(e.state) ?? 'closed') !== 'closed') {
        return `${e.patch}: pre_patch of state ${e.state}, which an active patch already has`;
      }
      const next = advance(this.states.get(e.state) ?? 'closed', e.cb, e.ret);
      if (next.includes(' ')) return `${e.patch} state ${e.state}: ${next}`;
      this.write();
      this.states.set(e.state, next as Phase);
    }
    return null;
  }

  check(obs: StepObservation): string | null {
    for (const e of obs.events) {
      const bad = this.event(e, obs.before.states);
      if (bad) return bad;
    }
    for (const [id, phase] of this.states) {
      if (phase !== 'closed' && !obs.after.states.includes(id)) return `state ${id} disappeared without post_unpatch`;
    }
    // A freed patch's callbacks are done with: a replaced patch never gets its
    // unpatch callbacks (callbacks.rst), and a reloaded module starts afresh.
    for (const p of obs.after.patches) {
      if (p.status !== 'freed') continue;
      // Iterates the maps as they were: write() may replace this.objects with a copy.
      const objects = this.objects;
      for (const key of objects.keys())
        if (key.startsWith(`${p.name}/`)) {
          this.write();
          this.objects.delete(key);
        }
    }
    return null;
  }
}
