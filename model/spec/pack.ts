/**
 * The spec model's state as bytes: the exhaustive explorer's state identity
 * (harness/explore/state-key.ts) is built from these instead of canonical
 * JSON. Every field that can influence a later step is written: the loaded
 * patches in load order with their flags and writable attributes, klp_patches
 * order, the transition (patch, target, whom it replaces), the loaded target
 * modules, the live shadow variables and each task's transition state and
 * sleep. Which code a task runs is derived from these, so it is not written.
 * Tasks are written as separate columns so that the caller can sort them
 * (tasks are interchangeable: task symmetry).
 */
import { signalPhase } from '../kernel/transition.ts';
import type { SpecModel, SpecSnapshot } from './spec-model.ts';

/** A growable byte buffer written front to back; `bytes()` is a view, valid until the next write. */
export class ByteWriter {
  buf = new Uint8Array(256);
  length = 0;

  /** One byte; values outside 0..255 are a packing bug (an index outside the scope). */
  u8(v: number): void {
    if (v < 0 || v > 255 || !Number.isInteger(v)) throw new Error(`pack: byte out of range: ${v}`);
    if (this.length === this.buf.length) {
      const b = new Uint8Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.length++] = v;
  }

  u16(v: number): void {
    this.u8(v & 0xff);
    this.u8(v >>> 8);
  }

  bytes(from = 0, to = this.length): Uint8Array {
    return this.buf.subarray(from, to);
  }
}

/** How names map to small integers in one scope. */
export interface PackContext {
  /** `p1` -> 1 ... (0 is never a patch). */
  readonly patchIndex: (name: string) => number;
  /** Function key -> 0.. (the scope's functions in a fixed order). */
  readonly funcIndex: ReadonlyMap<string, number>;
  /** Target module names in a fixed order. */
  readonly modules: readonly string[];
  /** The semantics' sysfs-writable attributes, in a fixed order. */
  readonly writableAttrs: readonly string[];
  /**
   * Whether the transition's retry count is part of the state: its phase
   * (signalPhase) decides when the fake signal wakes interruptible sleepers
   * and kernel threads (facts B.2 klp_send_signals). Without the task model's
   * ops (explore scope taskModel=0) every sleeper is uninterruptible and every
   * task a user task, so the signal changes nothing a later step can see and
   * the count stays out of the key.
   */
  readonly signals: boolean;
}

/** Code a task runs or sleeps in: 0 original, 1 absent, 1 + k for patch pk. */
export function codeIndex(ctx: PackContext, code: string): number {
  if (code === 'original') return 0;
  if (code === 'absent') return 1;
  return 1 + ctx.patchIndex(code);
}

function funcOf(ctx: PackContext, key: string): number {
  const i = ctx.funcIndex.get(key);
  if (i === undefined) throw new Error(`pack: function ${key} is outside the scope`);
  return i;
}

const TASK_STATE = { idle: 0, unpatched: 1, patched: 2 } as const;

/** Writes everything but the tasks. */
export function packSpecShared(spec: SpecModel, ctx: PackContext, w: ByteWriter): SpecSnapshot {
  const s = spec.snapshot();
  w.u8(s.loaded.length);
  for (const p of s.loaded) {
    let flags = (p.registered ? 1 : 0) | (p.enabled ? 2 : 0) | (p.forced ? 4 : 0);
    const attrs = p.def.attrs as Readonly<Record<string, unknown>> | undefined;
    for (let i = 0; i < ctx.writableAttrs.length; i++) if (attrs?.[ctx.writableAttrs[i]!]) flags |= 8 << i;
    w.u8(ctx.patchIndex(p.def.name));
    w.u8(flags);
  }
  w.u8(s.klp.length);
  for (const p of s.klp) w.u8(ctx.patchIndex(p.def.name));
  const t = s.transition;
  if (!t) w.u8(0);
  else {
    w.u8(ctx.patchIndex(t.patch.def.name));
    w.u8(t.target === 'patched' ? 1 : 0);
    w.u8(t.replaces.length);
    for (const p of t.replaces) w.u8(ctx.patchIndex(p.def.name));
    if (ctx.signals) w.u8(signalPhase(t.retries));
  }
  let mods = 0;
  for (let i = 0; i < ctx.modules.length; i++) if (s.targets.has(ctx.modules[i]!)) mods |= 1 << i;
  w.u8(mods);
  w.u8(s.shadows.size);
  if (s.shadows.size) {
    const shadows: [number, number][] = [];
    for (const v of s.shadows) shadows.push(v.split('/').map(Number) as [number, number]);
    shadows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [obj, id] of shadows) {
      w.u8(obj);
      w.u8(id);
    }
  }
  return s;
}

/**
 * One task's column (TASK_BYTES), written over `out`: its transition state, where it sleeps running
 * which code, and its kind (kernel thread, on a CPU, asleep interruptibly:
 * the task model of issue 9).
 */
export function packSpecTask(s: SpecSnapshot, i: number, ctx: PackContext, out: number[]): void {
  const t = s.tasks[i]!;
  const kind = (t.kthread ? 1 : 0) | (t.running ? 2 : 0) | (t.blocked?.sleep === 'interruptible' ? 4 : 0);
  // Written in place, TASK_BYTES of them: `out` is reused from key to key (harness/explore/state-key.ts).
  out[0] = TASK_STATE[t.state];
  out[1] = t.blocked ? 1 + funcOf(ctx, t.blocked.func) : 0;
  out[2] = t.blocked ? codeIndex(ctx, t.blocked.code) : 0;
  out[3] = kind;
}

/** The width of a task's column, spec record and kernel record alike. */
export const TASK_BYTES = 4;

export { funcOf };
