/**
 * Shadow variables (kernel/livepatch/shadow.c, facts C.1): a global table
 * keyed by <obj, id>, owned by no patch. Pointers are small integers so that
 * logs are deterministic; the selftest harness anonymises them anyway.
 */
import type { KernelLog } from './log.ts';

export interface ShadowVar {
  readonly obj: number;
  readonly id: number;
  readonly data: number;
}

/** A constructor returns 0 or an error; a destructor sees the data pointer. */
export type ShadowCtor = (obj: number, data: number) => number;
export type ShadowDtor = (obj: number, data: number) => void;

const hex = (n: number) => `0x${n.toString(16)}`;
const keyOf = (obj: number, id: number) => `${obj}/${id}`;

export class ShadowStore {
  private readonly vars = new Map<string, ShadowVar>();
  /** What test code wrote into a variable's data, by data pointer (the speaker's applause strings). */
  private readonly texts = new Map<number, string>();
  private nextData = 0x1000;

  constructor(private readonly log: KernelLog) {}

  /** The same table in another store (the exhaustive explorer copies whole kernels). */
  copyTo(other: ShadowStore): void {
    for (const [k, v] of this.vars) other.vars.set(k, v);
    for (const [k, v] of this.texts) other.texts.set(k, v);
    other.nextData = this.nextData;
  }

  get(obj: number, id: number): number | null {
    return this.vars.get(keyOf(obj, id))?.data ?? null;
  }

  /** klp_shadow_alloc: WARNs and returns null on a duplicate; a failing ctor frees the data. */
  alloc(obj: number, id: number, ctor?: ShadowCtor): number | null {
    if (this.vars.has(keyOf(obj, id))) {
      // WARN() prints its message bare (no pr_fmt prefix) between the cut-here
      // and WARNING: lines, which klpcheck does not model (facts C.1, D).
      this.log.raw(`Duplicate shadow variable <${hex(obj)}, ${hex(id)}>`);
      this.log.event({ kind: 'warn', message: 'duplicate shadow variable' });
      return null;
    }
    return this.insert(obj, id, ctor);
  }

  /** klp_shadow_get_or_alloc: an existing variable is returned with no WARN and no ctor call. */
  getOrAlloc(obj: number, id: number, ctor?: ShadowCtor): number | null {
    return this.get(obj, id) ?? this.insert(obj, id, ctor);
  }

  /** Writes a string into an existing variable's data; false when there is none. */
  setText(obj: number, id: number, text: string): boolean {
    const v = this.vars.get(keyOf(obj, id));
    if (v) this.texts.set(v.data, text);
    return v !== undefined;
  }

  /** The string in a variable's data ('' when nothing was written), or null without a variable. */
  text(obj: number, id: number): string | null {
    const v = this.vars.get(keyOf(obj, id));
    return v ? this.dataText(v.data) : null;
  }

  /** The string at a data pointer; a dtor reads it after the variable left the table. */
  dataText(data: number): string {
    return this.texts.get(data) ?? '';
  }

  free(obj: number, id: number, by: 'code' | 'core', dtor?: ShadowDtor): void {
    const v = this.vars.get(keyOf(obj, id));
    if (!v) return;
    // Off the table first, then the dtor, then the memory (klp_shadow_free_struct).
    this.vars.delete(keyOf(obj, id));
    dtor?.(v.obj, v.data);
    this.texts.delete(v.data);
    this.log.event({ kind: 'shadow_free', obj, id, by });
  }

  /** klp_shadow_free_all: every <*, id>, in allocation order. */
  freeAll(id: number, by: 'code' | 'core', dtor?: ShadowDtor): void {
    for (const v of [...this.vars.values()]) if (v.id === id) this.free(v.obj, v.id, by, dtor);
  }

  live(): readonly ShadowVar[] {
    return [...this.vars.values()];
  }

  private insert(obj: number, id: number, ctor?: ShadowCtor): number | null {
    const data = this.nextData;
    this.nextData += 0x10;
    const ret = ctor ? ctor(obj, data) : 0;
    if (ret !== 0) {
      this.log.klp(`Failed to construct shadow variable <${hex(obj)}, ${hex(id)}> (${ret})`);
      return null;
    }
    this.vars.set(keyOf(obj, id), { obj, id, data });
    this.log.event({ kind: 'shadow_alloc', obj, id });
    return data;
  }
}
