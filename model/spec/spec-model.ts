/**
 * The spec-level model: a small machine that says what a semantics promises,
 * written from the rule and the consistency model (facts B.2), not from the
 * kernel's data structures. Patches are an ordered list; which code a task
 * runs is the newest patch of the set it sees ("with" or "without" the
 * transition patch), never a func_stack. Its abstract() must equal the
 * reference implementation's observe() after every step: that is the
 * conformance property.
 */
import { canonicalKey, taskNames, type PatchDef, type Universe } from '../kernel/definitions.ts';
import { attrsAtLoad } from '../kernel/attr-params.ts';
import { livepatchParams, splitArgs, targetParams } from '../kernel/module-params.ts';
import { OK, fail, refused, type Outcome } from '../kernel/errno.ts';
import { parseBool } from '../kernel/loader.ts';
import type { Semantics } from '../semantics/semantics.ts';
import type { Sleep } from '../kernel/runtime.ts';
import { SIGNALS_TIMEOUT, signalPhase } from '../kernel/transition.ts';
import {
  addAscending,
  blockedPlace,
  isBlockedPlace,
  sameState,
  strictlyAscending,
  type AbstractState,
  type PatchStatus,
  type TaskState,
} from './abstract-state.ts';
import type { SpecRule } from './rule.ts';
import { objectOf, patchFuncs, universeFuncs } from './universe-view.ts';

export interface SpecPatch {
  /** The definition with the current values of writable attributes. */
  def: PatchDef;
  readonly funcs: ReadonlySet<string>;
  registered: boolean;
  enabled: boolean;
  forced: boolean;
}

export interface SpecTask {
  readonly name: string;
  readonly kthread: boolean;
  state: TaskState;
  running: boolean;
  blocked: { readonly func: string; readonly code: string; readonly sleep: Sleep } | null;
}

export interface SpecTransition {
  readonly patch: SpecPatch;
  target: 'patched' | 'unpatched';
  readonly replaces: readonly SpecPatch[];
  /** Failed attempts to complete since it started: every SIGNALS_TIMEOUT-th sends the fake signal. */
  retries: number;
}

/** The spec model's whole state, by reference (model/spec/pack.ts encodes it); never mutated through this view. */
export interface SpecSnapshot {
  readonly loaded: readonly Readonly<SpecPatch>[];
  readonly klp: readonly Readonly<SpecPatch>[];
  readonly transition: Readonly<SpecTransition> | null;
  readonly tasks: readonly Readonly<SpecTask>[];
  readonly targets: ReadonlySet<string>;
  readonly shadows: ReadonlySet<string>;
}

/** The copy of `p`: `copies[i]` is the copy of `originals[i]`. */
function copyIn(originals: readonly SpecPatch[], copies: readonly SpecPatch[], p: SpecPatch): SpecPatch {
  const i = originals.indexOf(p);
  if (i < 0) throw new Error('SpecModel.clone: a listed or transition patch is not loaded');
  return copies[i]!;
}

export class SpecModel {
  private loaded: SpecPatch[] = [];
  private klp: SpecPatch[] = [];
  private transition: SpecTransition | null = null;
  private readonly tasks: SpecTask[];
  private readonly targets = new Set<string>();
  private readonly shadows = new Set<string>();
  private readonly rule: SpecRule;
  private readonly funcs: readonly string[];
  /** funcs[i] in canonical form (definitions.ts canonicalKey), as SpecPatch.funcs holds them. */
  private readonly canonicalFuncs: readonly string[];
  private readonly reliableStacks: boolean;

  constructor(
    private readonly universe: Universe,
    private readonly semantics: Semantics,
    /** The functions the abstract state reports (default: every function the universe patches). */
    funcs: readonly string[] = universeFuncs(universe),
    /** The tasks, when the caller makes them (a copy, clone()); default: the universe's boot tasks. */
    tasks?: SpecTask[],
  ) {
    this.rule = semantics.spec;
    this.funcs = funcs;
    this.canonicalFuncs = funcs.map(canonicalKey);
    this.reliableStacks = universe.kernel?.reliable_stacktrace ?? true;
    // taskNames lists the user tasks first, then the kernel threads.
    const users = universe.kernel?.tasks ?? 2;
    this.tasks =
      tasks ?? taskNames(universe).map((name, i) => ({ name, kthread: i >= users, state: 'idle' as const, running: false, blocked: null }));
  }

  /** An independent copy, optionally over a universe that knows more patches (the explorer). */
  clone(universe: Universe = this.universe): SpecModel {
    const c = new SpecModel(
      universe,
      this.semantics,
      this.funcs,
      this.tasks.map((task) => ({ ...task })),
    );
    // Every patch of klp and of the transition is loaded: loaded[i] becomes loadedCopies[i]. An array, not a Map,
    // and loops, not arrows: the explorer copies the spec model on every transition (issue 11).
    const loadedCopies: SpecPatch[] = [];
    for (const p of this.loaded) loadedCopies.push({ ...p });
    c.loaded = loadedCopies;
    c.klp = [];
    for (const p of this.klp) c.klp.push(copyIn(this.loaded, loadedCopies, p));
    const t = this.transition;
    if (t) {
      const replaces: SpecPatch[] = [];
      for (const p of t.replaces) replaces.push(copyIn(this.loaded, loadedCopies, p));
      c.transition = { patch: copyIn(this.loaded, loadedCopies, t.patch), target: t.target, replaces, retries: t.retries };
    }
    for (const m of this.targets) c.targets.add(m);
    for (const v of this.shadows) c.shadows.add(v);
    return c;
  }

  /** The state for packing into a byte key (the explorer's visited set); no copy is made. */
  snapshot(): SpecSnapshot {
    return {
      loaded: this.loaded,
      klp: this.klp,
      transition: this.transition,
      tasks: this.tasks,
      targets: this.targets,
      shadows: this.shadows,
    };
  }

  // ---- queries the harness uses for applicability ----

  isLoaded(module: string): boolean {
    return this.loaded.some((p) => p.def.name === module) || this.targets.has(module);
  }
  /** The patch's sysfs directory exists (loaded and not yet freed). */
  isRegistered(patch: string): boolean {
    return this.registered(patch) !== undefined;
  }
  isListed(patch: string): boolean {
    return this.klp.some((p) => p.def.name === patch);
  }
  inTransition(): boolean {
    return this.transition !== null;
  }
  task(name: string): SpecTask | undefined {
    return this.tasks.find((t) => t.name === name);
  }
  taskFlags(name: string): { blocked: boolean; running: boolean; kthread: boolean } | undefined {
    const t = this.task(name);
    return t && { blocked: t.blocked !== null, running: t.running, kthread: t.kthread };
  }
  objectLoaded(obj: string): boolean {
    return obj === 'vmlinux' || this.targets.has(obj);
  }
  declares(patch: string, id: number): boolean {
    return this.klp.some((p) => p.def.name === patch && (p.def.states ?? []).some((s) => s.id === id));
  }
  hasTaskBlockedIn(module: string): boolean {
    return this.tasks.some((t) => t.blocked && objectOf(t.blocked.func) === module);
  }

  // ---- which code runs ----

  private newest(set: readonly SpecPatch[], func: string): string {
    for (let i = set.length - 1; i >= 0; i--) if (set[i]!.funcs.has(func)) return set[i]!.def.name;
    return 'original';
  }

  /** The patches a task sees: "with" T (its replaced patches gone) or "without" T. */
  private viewOf(task: SpecTask): readonly SpecPatch[] {
    const t = this.transition;
    if (!t || task.state === 'idle') return this.klp;
    return task.state === 'patched' ? this.klp.filter((p) => !t.replaces.includes(p)) : this.klp.filter((p) => p !== t.patch);
  }

  version(task: SpecTask, func: string): string {
    if (!this.objectLoaded(objectOf(func))) return 'absent';
    return this.newest(this.viewOf(task), func);
  }

  /** The transition patch covers a function it patches or, replacing, one its replaced patches patch (a nop). */
  private covers(t: SpecTransition, func: string): boolean {
    return t.patch.funcs.has(func) || t.replaces.some((p) => p.funcs.has(func));
  }

  /**
   * The consistency model's stack check (facts B.2): a task may not switch
   * while it sleeps in a covered function running the code it would leave;
   * `self` is a running task checking its own stack at cond_resched.
   */
  private mayNotSwitch(task: SpecTask, self = false): boolean {
    // Without reliable stack traces no stack check passes (facts B.1 step 5,
    // B.2), and a task on another CPU is not checked at all.
    if (!this.reliableStacks || (task.running && !self)) return true;
    const t = this.transition!;
    const b = task.blocked;
    if (!b || !this.covers(t, b.func)) return false;
    if (t.target === 'patched')
      return (
        b.code ===
        this.newest(
          this.klp.filter((p) => p !== t.patch),
          b.func,
        )
      );
    return b.code === (t.patch.funcs.has(b.func) ? t.patch.def.name : 'original');
  }

  // ---- transitions ----

  private startTransition(patch: SpecPatch, target: 'patched' | 'unpatched', replaces: readonly SpecPatch[]): void {
    this.transition = { patch, target, replaces, retries: 0 };
    for (const t of this.tasks) t.state = target === 'patched' ? 'unpatched' : 'patched';
  }

  private aliveStates(): Map<number, boolean> {
    const alive = new Map<number, boolean>();
    for (const p of this.klp) for (const s of p.def.states ?? []) alive.set(s.id, (alive.get(s.id) ?? false) || s.is_shadow === true);
    return alive;
  }

  private tryComplete(): boolean {
    const t = this.transition;
    if (!t) return false;
    let complete = true;
    for (const task of this.tasks) {
      if (task.state === t.target) continue;
      if (this.mayNotSwitch(task)) complete = false;
      else task.state = t.target;
    }
    if (!complete) {
      if (t.retries > 0 && t.retries % SIGNALS_TIMEOUT === 0) this.signal(t);
      t.retries++;
      return false;
    }
    const before = this.aliveStates();
    const gone = t.target === 'patched' ? t.replaces : [t.patch];
    for (const p of gone) {
      p.enabled = false;
      p.registered = false;
    }
    this.klp = this.klp.filter((p) => !gone.includes(p));
    if (this.rule.perState) {
      const after = this.aliveStates();
      for (const [id, shadow] of before) {
        if (after.has(id) || !shadow) continue;
        for (const v of [...this.shadows]) if (v.endsWith(`/${id}`)) this.shadows.delete(v);
      }
    }
    for (const task of this.tasks) task.state = 'idle';
    this.transition = null;
    return true;
  }

  /**
   * The fake signal (facts B.2 klp_send_signals): every task not yet switched
   * leaves an interruptible sleep; a user task then switches on its way back
   * to user space, a kernel thread at the next stack check.
   */
  private signal(t: SpecTransition): void {
    for (const task of this.tasks) {
      if (task.state === t.target || task.blocked?.sleep === 'uninterruptible') continue;
      task.blocked = null;
      if (!task.kthread) task.state = t.target;
    }
  }

  private reverse(): void {
    const t = this.transition!;
    t.target = t.target === 'patched' ? 'unpatched' : 'patched';
    t.patch.enabled = !t.patch.enabled;
    // klp_reverse_transition restarts the transition, and the retry count with it.
    t.retries = 0;
  }

  // ---- operations ----

  insmod(module: string, params: Readonly<Record<string, string>> = {}): Outcome {
    if (this.isLoaded(module)) return refused('EEXIST');
    const found = this.universe.patches.find((p) => p.name === module);
    if (!found) {
      const target = this.universe.modules.find((m) => m.name === module);
      if (!target) return refused('ENOENT');
      // parse_args: a value a parameter refuses fails the load (module-params.ts splitArgs).
      const { errno } = splitArgs(module, targetParams(target), params);
      if (errno) return fail(errno);
      this.targets.add(module);
      return OK;
    }
    // The patch as loaded: module parameters may set attributes (add_merge_slots=X), read as parse_args reads them.
    const args = splitArgs(module, livepatchParams(found), params);
    if (args.errno) return fail(args.errno);
    const def = { ...found, attrs: attrsAtLoad(found, args.own) };
    const verdict = this.rule.load(
      this.klp.map((p) => p.def),
      def,
    );
    if ('refuse' in verdict) return refused('EINVAL');
    if (this.transition) return refused('EBUSY');
    const rec: SpecPatch = { def, funcs: new Set(patchFuncs(def)), registered: true, enabled: true, forced: false };
    const replaces = this.klp.filter((p) => verdict.replaces.includes(p.def.name));
    this.loaded.push(rec);
    this.klp.push(rec);
    this.startTransition(rec, 'patched', replaces);
    this.tryComplete();
    return OK;
  }

  rmmod(module: string): Outcome {
    if (this.targets.delete(module)) return OK;
    const rec = this.loaded.find((p) => p.def.name === module);
    if (!rec) return refused('ENOENT');
    if (rec.registered || rec.forced) return refused('EBUSY');
    this.loaded = this.loaded.filter((p) => p !== rec);
    return OK;
  }

  private registered(name: string): SpecPatch | undefined {
    return this.loaded.find((p) => p.def.name === name && p.registered);
  }

  writeEnabled(name: string, enable: boolean): Outcome {
    const rec = this.registered(name);
    if (!rec) return refused('ENOENT');
    if (rec.enabled === enable) return refused('EINVAL');
    if (!enable && this.rule.perState && (rec.def.states ?? []).some((s) => s.block_disable)) return refused('EINVAL');
    if (this.transition?.patch === rec) {
      this.reverse();
      return OK;
    }
    if (enable) return refused('EINVAL');
    if (this.transition) return refused('EBUSY');
    const refusal = this.rule.disable(
      this.klp.map((p) => p.def),
      rec.def,
    );
    if (refusal) return refused(refusal.errno);
    rec.enabled = false;
    this.startTransition(rec, 'unpatched', []);
    this.tryComplete();
    return OK;
  }

  force(name: string): Outcome {
    const rec = this.registered(name);
    if (!rec) return refused('ENOENT');
    const t = this.transition;
    if (t?.patch !== rec) return refused('EINVAL');
    for (const task of this.tasks) task.state = t.target;
    if (t.target === 'unpatched') rec.forced = true;
    else for (const p of t.replaces) p.forced = true;
    return OK;
  }

  transitionStep(): Outcome {
    this.tryComplete();
    return OK;
  }

  blockTask(name: string, asked: string, sleep: Sleep = 'uninterruptible'): Outcome {
    const task = this.task(name)!;
    const func = canonicalKey(asked);
    task.blocked = { func, code: this.version(task, func), sleep };
    task.running = false;
    return OK;
  }

  runTask(name: string, running: boolean): Outcome {
    this.task(name)!.running = running;
    return OK;
  }

  /** cond_resched in a running task: it checks its own stack and switches if it may (facts B.2). */
  condResched(name: string): Outcome {
    const task = this.task(name)!;
    const t = this.transition;
    if (t && task.state !== t.target && !this.mayNotSwitch(task, true)) task.state = t.target;
    return OK;
  }

  /** A forked child inherits its parent's patch state (facts A, "Per task"). */
  fork(name: string, child: string): Outcome {
    const parent = this.task(name)!;
    this.tasks.push({ name: child, kthread: parent.kthread, state: parent.state, running: false, blocked: null });
    return OK;
  }

  unblockTask(name: string): Outcome {
    this.task(name)!.blocked = null;
    return OK;
  }

  taskReturn(name: string): Outcome {
    const task = this.task(name)!;
    if (this.transition) task.state = this.transition.target;
    return OK;
  }

  shadowAlloc(obj: number, id: number): Outcome {
    this.shadows.add(`${obj}/${id}`);
    return OK;
  }

  shadowFree(obj: number, id: number): Outcome {
    this.shadows.delete(`${obj}/${id}`);
    return OK;
  }

  /** A writable boolean attribute (hybrid mode's replaceable): -EAGAIN on the transition patch (facts F.1). */
  writeAttr(name: string, attr: string, value: string): Outcome {
    const rec = this.registered(name);
    if (!rec) return refused('ENOENT');
    if (!(this.rule.writableAttrs ?? []).includes(attr)) return refused('EACCES');
    const v = parseBool(value);
    if (v === null) return refused('EINVAL');
    if (this.transition?.patch === rec) return refused('EAGAIN');
    rec.def = { ...rec.def, attrs: { ...rec.def.attrs, [attr]: v } };
    return OK;
  }

  // ---- the abstract state ----

  private status(p: SpecPatch): PatchStatus {
    if (!p.registered) return 'freed';
    if (this.transition?.patch === p) return this.transition.target === 'patched' ? 'patching' : 'unpatching';
    return 'enabled';
  }

  abstract(): AbstractState {
    const running: Record<string, string[]> = {};
    const tasks = this.tasks;
    // Only a task in a transition sees other than klp: look at each view once, not once per function.
    const views = this.transition ? tasks.map((t) => this.viewOf(t)) : null;
    const funcs = this.funcs;
    const canonical = this.canonicalFuncs;
    for (let j = 0; j < funcs.length; j++) {
      const f = funcs[j]!;
      const names: string[] = new Array(tasks.length);
      if (!this.objectLoaded(objectOf(f))) names.fill('absent');
      else if (!views) names.fill(this.newest(this.klp, canonical[j]!));
      else for (let i = 0; i < tasks.length; i++) names[i] = this.newest(views[i]!, canonical[j]!);
      running[f] = names;
    }
    const states: number[] = [];
    for (const p of this.klp) for (const s of p.def.states ?? []) addAscending(states, s.id);
    return {
      patches: this.loaded.map((p) => ({
        name: p.def.name,
        slot: this.semantics.slotOf(p.def.name, p.def.attrs ?? {}),
        status: this.status(p),
        order: this.klp.indexOf(p) + 1,
        forced: p.forced,
      })),
      modules: [...this.targets].sort(),
      tasks: this.tasks.map((t) => ({
        name: t.name,
        state: t.state,
        blocked: t.blocked ? blockedPlace(t.blocked.func, t.blocked.code) : null,
      })),
      running,
      states,
      shadows: [...this.shadows].sort(),
    };
  }

  /**
   * sameState(this.abstract(), s) (abstract-state.ts), read off the model's
   * own structures without building its abstract state: conformance asks
   * this after every step that changes a state, and building the abstract
   * state and comparing it were 1.9 times the cost of the kernel's own step
   * (issue 11, stop 40). abstract() stays the definition; a state whose
   * modules, states or shadows are not strictly ascending (observe() never
   * gives one) is compared the long way, so the answer is the same for any `s`.
   */
  matches(s: AbstractState): boolean {
    if (!strictlyAscending(s.modules) || !strictlyAscending(s.states) || !strictlyAscending(s.shadows))
      return sameState(this.abstract(), s);
    const loaded = this.loaded;
    if (s.patches.length !== loaded.length) return false;
    for (let i = 0; i < loaded.length; i++) {
      const p = loaded[i]!;
      const a = s.patches[i]!;
      if (a.name !== p.def.name || a.status !== this.status(p) || a.order !== this.klp.indexOf(p) + 1 || a.forced !== p.forced)
        return false;
      if (a.slot !== this.semantics.slotOf(p.def.name, p.def.attrs ?? {})) return false;
    }
    // Strictly ascending, as [...set].sort() lists a set: equal when as long and each is in the set.
    if (s.modules.length !== this.targets.size || s.shadows.length !== this.shadows.size) return false;
    for (const m of s.modules) if (!this.targets.has(m)) return false;
    for (const v of s.shadows) if (!this.shadows.has(v)) return false;
    if (!this.sameLiveStates(s.states)) return false;
    const tasks = this.tasks;
    if (s.tasks.length !== tasks.length) return false;
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i]!;
      const a = s.tasks[i]!;
      if (a.name !== t.name || a.state !== t.state) return false;
      if (t.blocked ? !isBlockedPlace(a.blocked, t.blocked.func, t.blocked.code) : a.blocked !== null) return false;
    }
    return this.sameRunning(s.running);
  }

  /** Whether `ids`, strictly ascending, are the ids of the states of the patches on klp_patches (abstract().states). */
  private sameLiveStates(ids: readonly number[]): boolean {
    for (const p of this.klp) for (const st of p.def.states ?? []) if (!ids.includes(st.id)) return false;
    // Every id the patches list is in `ids`, and every id in `ids` is one a patch lists.
    for (const id of ids) if (!this.klp.some((p) => (p.def.states ?? []).some((st) => st.id === id))) return false;
    return true;
  }

  /** Whether `running` is abstract().running: the same functions, and each task's code in each, as abstract() names it. */
  private sameRunning(running: AbstractState['running']): boolean {
    const tasks = this.tasks;
    const funcs = this.funcs;
    const canonical = this.canonicalFuncs;
    let views: (readonly SpecPatch[])[] | null = null;
    for (let j = 0; j < funcs.length; j++) {
      const names = running[funcs[j]!];
      if (names === undefined || names.length !== tasks.length) return false;
      if (!this.objectLoaded(objectOf(funcs[j]!))) {
        for (let i = 0; i < names.length; i++) if (names[i] !== 'absent') return false;
      } else if (!this.transition) {
        const all = this.newest(this.klp, canonical[j]!);
        for (let i = 0; i < names.length; i++) if (names[i] !== all) return false;
      } else {
        views ??= tasks.map((t) => this.viewOf(t));
        for (let i = 0; i < names.length; i++) if (names[i] !== this.newest(views[i]!, canonical[j]!)) return false;
      }
    }
    // Each of funcs is a key of `running`: the same keys when it has no more than funcs' distinct names.
    let keys = 0;
    for (const _ in running) keys++;
    return keys === distinctCount(funcs);
  }
}

/** How many distinct names a functions list holds, kept per list (a run's lists are shared by its clones). */
const distinctCounts = new WeakMap<readonly string[], number>();
function distinctCount(funcs: readonly string[]): number {
  let n = distinctCounts.get(funcs);
  if (n === undefined) distinctCounts.set(funcs, (n = new Set(funcs).size));
  return n;
}
