/**
 * A deep copy of one simulated kernel: every klp_patch, klp_object,
 * klp_func and klp_state record anew, with the func_stacks, tasks and
 * modules pointing at the copies. The exhaustive explorer branches a state
 * this way instead of replaying its path. The kernel log is not copied: a
 * branch starts with an empty log (its events are what the next step adds).
 */
import { KernelCore } from './core.ts';
import type { Universe } from './definitions.ts';
import { KFunc, KObject, KPatch, Task } from './runtime.ts';

/**
 * The copies made so far, as pairs: `from[i]` became `to[i]`. Arrays, not
 * Maps: a kernel in the explorer's scopes has a few patches and funcs, and
 * a Map per copy was a measurable share of the explorer's allocation
 * (issue 11).
 */
interface Copies<T> {
  readonly from: T[];
  readonly to: T[];
}

function copyOf<T>(c: Copies<T>, x: T): T {
  const i = c.from.indexOf(x);
  if (i < 0) throw new Error('cloneCore: a func_stack holds a func of no copied patch');
  return c.to[i]!;
}

function clonePatch(p: KPatch, funcs: Copies<KFunc>): KPatch {
  const q = new KPatch(
    p.def,
    p.attrs,
    new Map(p.writable),
    p.states.map((s) => s.def),
  );
  q.enabled = p.enabled;
  q.forced = p.forced;
  q.registered = p.registered;
  for (let i = 0; i < p.states.length; i++) {
    q.states[i]!.pre_patch_succeeded = p.states[i]!.pre_patch_succeeded;
    q.states[i]!.pre_unpatch_done = p.states[i]!.pre_unpatch_done;
  }
  for (const o of p.objs) {
    const c = new KObject(q, o.name, o.dynamic, o.callbacks);
    c.loaded = o.loaded;
    c.patched = o.patched;
    c.post_unpatch_enabled = o.post_unpatch_enabled;
    for (const f of o.funcs) {
      const g = new KFunc(c, f.old_name, f.old_sympos, f.nop, f.hasNewFunc, f);
      g.patched = f.patched;
      g.transition = f.transition;
      c.funcs.push(g);
      funcs.from.push(f);
      funcs.to.push(g);
    }
    q.objs.push(c);
  }
  return q;
}

/**
 * The copy of `p`, made on first use. A module-level function, not a closure
 * in cloneCore: tsx names every local arrow function at each call (esbuild
 * keepNames), a measurable cost on the explorer's hottest path.
 */
function patchCopy(p: KPatch, patches: Copies<KPatch>, funcs: Copies<KFunc>): KPatch {
  const i = patches.from.indexOf(p);
  if (i >= 0) return patches.to[i]!;
  const q = clonePatch(p, funcs);
  patches.from.push(p);
  patches.to.push(q);
  return q;
}

/** A copy of `k`; `universe` replaces the universe when the copy will load patches `k` does not know. */
export function cloneCore(k: KernelCore, universe: Universe = k.universe): KernelCore {
  const tasks: Task[] = [];
  for (const t of k.tasks) {
    const u = new Task(t.name, t.owner, t.kthread);
    u.patch_state = t.patch_state;
    u.pending = t.pending;
    u.blocked = t.blocked;
    u.running = t.running;
    tasks.push(u);
  }
  const c = new KernelCore(universe, k.hooks, tasks);
  const funcs: Copies<KFunc> = { from: [], to: [] };
  const patches: Copies<KPatch> = { from: [], to: [] };
  for (const [name, m] of k.modules) {
    // Parameters are replaced, never changed in place (core.ts LoadedModule): the copy shares them.
    // Written out, not spread: a spread record was a measurable cost on the explorer's hottest path.
    if (m.kind === 'target') c.modules.set(name, { kind: 'target', def: m.def, params: m.params, klp_alive: m.klp_alive });
    else
      c.modules.set(name, { kind: 'livepatch', def: m.def, params: m.params, patch: m.patch ? patchCopy(m.patch, patches, funcs) : null });
  }
  c.klp_patches = k.klp_patches.map((p) => patchCopy(p, patches, funcs));
  c.transition = k.transition ? patchCopy(k.transition, patches, funcs) : null;
  c.target = k.target;
  c.signalsCnt = k.signalsCnt;
  for (const [key, stack] of k.funcStacks) {
    const copy: KFunc[] = [];
    for (const f of stack) copy.push(copyOf(funcs, f));
    c.funcStacks.set(key, copy);
  }
  c.ftraceEnabled = k.ftraceEnabled;
  for (const [key, v] of k.kprobes) c.kprobes.set(key, v);
  for (const f of k.traced) c.traced.add(f);
  c.taintReported = k.taintReported;
  k.shadow.copyTo(c.shadow);
  return c;
}
