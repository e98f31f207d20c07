/**
 * A kernel's whole livepatch state as bytes, for the exhaustive explorer's
 * exact visited set: the func_stacks, every loaded module with its patch's,
 * objects', funcs' and states' flags, klp_patches, the transition with its
 * target, the shadow variables, and each task apart (its
 * column), so that the caller can treat interchangeable tasks as a set.
 *
 * The retry counter (signals_cnt) is written only when ctx.signals (the task
 * model's ops are explored): its phase decides when the fake signal wakes
 * interruptible sleepers and kernel threads (facts B.2 klp_send_signals).
 * Without those ops every sleeper is uninterruptible and every task a user
 * task, so the signal's only effect is the text line "signaling remaining
 * tasks"; the properties see kernel events, never text lines, so two kernels
 * that differ only in it have the same verdicts on every later sequence.
 * Keeping it then multiplied the states in transition by up to 17 (13,859
 * states for 503 spec-level ones at patches=1,functions=1,states=0,tasks=1).
 * test/explore.test.ts checks that a retry emits no event.
 *
 * Everything is written in a fixed order that does not depend on history:
 * functions in the scope's order, modules by name (targets, then patches by
 * index), shadow variables by <obj, id>. The earlier string fingerprint
 * iterated modules in load order, so "insmod mod; insmod p1" and "insmod p1;
 * insmod mod" were two keys for one kernel (issue 11).
 */
import type { ByteWriter, PackContext } from '../spec/pack.ts';
import { codeIndex, funcOf } from '../spec/pack.ts';
import type { KernelCore } from './core.ts';
import { versionName } from './runtime.ts';
import { signalPhase } from './transition.ts';

/** Flags as bits, the first argument lowest; written out rather than with a rest array, which allocated on every call. */
function bits(b0: boolean, b1 = false, b2 = false, b3 = false): number {
  return (b0 ? 1 : 0) | (b1 ? 2 : 0) | (b2 ? 4 : 0) | (b3 ? 8 : 0);
}

/** The live shadow variables as <obj, id> pairs, sorted: the table keeps them in allocation order. */
function sortedShadows(k: KernelCore): (readonly [number, number])[] {
  const shadows: (readonly [number, number])[] = [];
  for (const v of k.shadow.live()) shadows.push([v.obj, v.id]);
  return shadows.length > 1 ? shadows.sort(byObjThenId) : shadows;
}

function byObjThenId(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Writes everything but the tasks; `patchCount` is the scope's number of patches (p1..pN). */
export function packKernelShared(k: KernelCore, ctx: PackContext, patchCount: number, w: ByteWriter): void {
  for (const key of ctx.funcIndex.keys()) {
    const stack = k.funcStacks.get(key);
    if (!stack) {
      w.u8(255);
      continue;
    }
    w.u8(stack.length);
    for (const f of stack) {
      w.u8(ctx.patchIndex(f.obj.patch.name));
      w.u8(bits(f.nop, f.transition));
    }
  }
  for (const name of ctx.modules) {
    const m = k.modules.get(name);
    w.u8(!m ? 0 : m.kind === 'target' ? 1 + bits(m.klp_alive) : 255);
  }
  for (let i = 1; i <= patchCount; i++) {
    const m = k.modules.get(`p${i}`);
    if (!m || m.kind !== 'livepatch') {
      w.u8(m ? 255 : 0);
      continue;
    }
    const p = m.patch;
    if (!p) {
      w.u8(1);
      continue;
    }
    // A freed patch (klp_free_patch_async: off klp_patches, sysfs gone) is
    // dead state until rmmod: no op reaches its enabled flag, objects, funcs
    // or states again (sysfs writes fail -ENOENT, module notifiers walk
    // klp_patches, rmmod reads only registered and forced, and observe()
    // reports it as freed). Those leftovers depend on history alone (how it
    // was freed, which objects were loaded then), and keeping them
    // multiplied the states by up to 12 at patches=2. test/explore.test.ts
    // checks against brute force that nothing reachable is lost.
    w.u8(2 + bits(p.registered && p.enabled, p.forced, p.registered));
    for (const a of ctx.writableAttrs) w.u8(p.writable.has(a) ? 1 + bits(p.writable.get(a)!) : 0);
    if (!p.registered) continue;
    w.u8(p.objs.length);
    for (const o of p.objs) {
      w.u8(o.isVmlinux ? 0 : 1 + ctx.modules.indexOf(o.name));
      w.u8(bits(o.dynamic, o.loaded, o.patched, o.post_unpatch_enabled));
      w.u8(o.funcs.length);
      for (const f of o.funcs) {
        w.u8(funcOf(ctx, f.key));
        w.u8(bits(f.nop, f.patched, f.transition, f.hasNewFunc));
      }
    }
    w.u8(p.states.length);
    for (const s of p.states) {
      w.u8(s.id);
      w.u8(bits(s.pre_patch_succeeded, s.pre_unpatch_done));
    }
  }
  w.u8(k.klp_patches.length);
  for (const p of k.klp_patches) w.u8(ctx.patchIndex(p.name));
  w.u8(k.transition ? ctx.patchIndex(k.transition.name) : 0);
  w.u8(k.target + 1);
  if (ctx.signals) w.u8(signalPhase(k.signalsCnt));
  const shadows = sortedShadows(k);
  w.u8(shadows.length);
  for (const [obj, id] of shadows) {
    w.u8(obj);
    w.u8(id);
  }
  w.u8(bits(k.taintReported, k.ftraceEnabled));
}

/** Task i's column (TASK_BYTES of spec/pack.ts, written over `out`): patch_state; TIF_PATCH_PENDING with the task's kind (kernel thread, on a CPU, asleep interruptibly); where it sleeps running which code. */
export function packKernelTask(k: KernelCore, i: number, ctx: PackContext, out: number[]): void {
  const t = k.tasks[i]!;
  // Written in place, TASK_BYTES of them: `out` is reused from key to key (harness/explore/state-key.ts).
  out[0] = t.patch_state + 1;
  out[1] = bits(t.pending, t.kthread, t.running, t.blocked?.sleep === 'interruptible');
  out[2] = t.blocked ? 1 + funcOf(ctx, t.blocked.key) : 0;
  out[3] = t.blocked ? codeIndex(ctx, versionName(t.blocked.code)) : 0;
}
