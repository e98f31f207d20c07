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

function clonePatch(p: KPatch, funcs: Map<KFunc, KFunc>): KPatch {
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
      funcs.set(f, g);
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
function patchCopy(p: KPatch, patches: Map<KPatch, KPatch>, funcs: Map<KFunc, KFunc>): KPatch {
  let q = patches.get(p);
  if (!q) patches.set(p, (q = clonePatch(p, funcs)));
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
  const funcs = new Map<KFunc, KFunc>();
  const patches = new Map<KPatch, KPatch>();
  for (const [name, m] of k.modules) {
    // Parameters are replaced, never changed in place (core.ts LoadedModule): the copy shares them.
    if (m.kind === 'target') c.modules.set(name, { ...m });
    else c.modules.set(name, { ...m, patch: m.patch ? patchCopy(m.patch, patches, funcs) : null });
  }
  c.klp_patches = k.klp_patches.map((p) => patchCopy(p, patches, funcs));
  c.transition = k.transition ? patchCopy(k.transition, patches, funcs) : null;
  c.target = k.target;
  c.signalsCnt = k.signalsCnt;
  for (const [key, stack] of k.funcStacks)
    c.funcStacks.set(
      key,
      stack.map((f) => funcs.get(f)!),
    );
  c.ftraceEnabled = k.ftraceEnabled;
  for (const [key, v] of k.kprobes) c.kprobes.set(key, v);
  for (const f of k.traced) c.traced.add(f);
  c.taintReported = k.taintReported;
  k.shadow.copyTo(c.shadow);
  return c;
}
