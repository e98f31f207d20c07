/**
 * What test_klp_shadow_vars prints around its calls of the shadow variable
 * API (facts E.4). The module anonymises pointers itself: its ptr_id() gives
 * each pointer a number the first time it prints it, NULL being registered
 * first as PTR0, and it registers each ctor_data target just before the call
 * that passes it; printk's arguments are numbered left to right. shadow_ctor
 * stores the ctor_data target in the new variable, which is what the
 * "got expected PTRa -> PTRb" checks compare.
 */
import type { Step } from '../../schema/generated/scenario.ts';
import type { Kernel } from '../../model/kernel/kernel.ts';

export type ShadowStep = Extract<Step, { id: number }>;

/** sizeof(void *) and the gfp the module passes to every allocation. */
const ALLOC_ARGS = 'size=8, gfp_flags=GFP_KERNEL';

export class ShadowVarsModule {
  private readonly ptrs = new Map<string, number>();
  /** data pointer -> the ctor_data name shadow_ctor stored in it. */
  private readonly stored = new Map<number, string>();

  constructor(
    private readonly k: Kernel,
    readonly name: string,
  ) {
    this.ptr('NULL');
  }

  /** ptr_id(): PTRn for a pointer, numbering new ones in the order they are printed. */
  private ptr(token: string): string {
    if (!this.ptrs.has(token)) this.ptrs.set(token, this.ptrs.size);
    return `PTR${this.ptrs.get(token)}`;
  }

  private data(d: number | null): string {
    return this.ptr(d === null ? 'NULL' : `data:${d}`);
  }

  private print(line: string): void {
    this.k.core.log.module(this.name, line);
  }

  /** Runs one call as the module does; returns a problem when the module's own check fails. */
  run(step: ShadowStep): string | undefined {
    const store = this.k.core.shadow;
    const obj = step.obj ?? 0;
    const objPtr = () => this.ptr(`obj:${obj}`);
    const id = `0x${step.id.toString(16)}`;
    let result: number | null = null;
    switch (step.op) {
      case 'shadow_get':
        result = store.get(obj, step.id);
        this.print(`klp_shadow_get(obj=${objPtr()}, id=${id}) = ${this.data(result)}`);
        break;
      case 'shadow_alloc':
      case 'shadow_get_or_alloc': {
        const field = step.ctor_data;
        if (field !== undefined) this.ptr(`var:${field}`);
        const ctor = (_o: number, d: number): number => {
          this.print(`shadow_ctor: ${this.data(d)} -> ${this.ptr(`var:${field}`)}`);
          this.stored.set(d, field ?? '');
          return step.ctor_ret ?? 0;
        };
        const withCtor = field !== undefined ? ctor : undefined;
        result = step.op === 'shadow_alloc' ? store.alloc(obj, step.id, withCtor) : store.getOrAlloc(obj, step.id, withCtor);
        const ctorArgs = `ctor=${this.ptr(withCtor ? 'fn:shadow_ctor' : 'NULL')}, ctor_data=${this.ptr(field ? `var:${field}` : 'NULL')}`;
        this.print(`klp_${step.op}(obj=${objPtr()}, id=${id}, ${ALLOC_ARGS}), ${ctorArgs} = ${this.data(result)}`);
        break;
      }
      case 'shadow_free': {
        const dtor = step.dtor ? (o: number, d: number) => this.print(`shadow_dtor(obj=${this.ptr(`obj:${o}`)}, shadow_data=${this.data(d)})`) : undefined;
        store.free(obj, step.id, 'code', dtor);
        this.print(`klp_shadow_free(obj=${objPtr()}, id=${id}, dtor=${this.ptr(dtor ? 'fn:shadow_dtor' : 'NULL')})`);
        return undefined;
      }
      case 'shadow_free_all': {
        const dtor = step.dtor ? (o: number, d: number) => this.print(`shadow_dtor(obj=${this.ptr(`obj:${o}`)}, shadow_data=${this.data(d)})`) : undefined;
        store.freeAll(step.id, 'code', dtor);
        this.print(`klp_shadow_free_all(id=${id}, dtor=${this.ptr(dtor ? 'fn:shadow_dtor' : 'NULL')})`);
        return undefined;
      }
    }
    return this.check(step.expect_data, result);
  }

  /** The module's "got expected" line, printed only when the result is what it expects. */
  private check(expected: string | null | undefined, result: number | null): string | undefined {
    if (expected === undefined) return undefined;
    if (expected === null && result === null) {
      this.print('  got expected NULL result');
      return undefined;
    }
    if (expected !== null && result !== null && this.stored.get(result) === expected) {
      this.print(`  got expected ${this.data(result)} -> ${this.ptr(`var:${expected}`)} result`);
      return undefined;
    }
    return `${this.name}: expected ${expected ?? 'NULL'}, got ${result === null ? 'NULL' : (this.stored.get(result) ?? 'other data')}`;
  }
}

const instances = new WeakMap<object, ShadowVarsModule>();

/** The printer of a loaded module instance; a reload starts a fresh pointer list, as the module does. */
export function shadowVarsModule(k: Kernel, name: string): ShadowVarsModule | undefined {
  const entry = k.core.modules.get(name);
  if (!entry) return undefined;
  let m = instances.get(entry);
  if (!m) instances.set(entry, (m = new ShadowVarsModule(k, name)));
  return m;
}
