/**
 * The ops' preconditions (harness/ops.ts OpPreconditions) answered by the
 * reference implementation: what the kernel itself would let a test do now.
 * While the kernel conforms to the spec model the answers are the spec's; a
 * test runs the suite with both compared (test/kernel-preconditions.test.ts).
 * After a conformance break the explorer follows these, because the kernel
 * is what the invariants are checked on.
 */
import type { Kernel } from '../model/kernel/kernel.ts';
import { objectOf } from '../model/spec/universe-view.ts';
import type { OpPreconditions, TaskFlags } from './ops.ts';

export class KernelPreconditions implements OpPreconditions {
  constructor(private readonly kernel: Kernel) {}

  isLoaded(module: string): boolean {
    return this.kernel.core.modules.has(module);
  }
  isRegistered(patch: string): boolean {
    return this.kernel.patch(patch)?.registered === true;
  }
  inTransition(): boolean {
    return this.kernel.core.transition !== null;
  }
  taskFlags(name: string): TaskFlags | undefined {
    const t = this.kernel.task(name);
    return t && { blocked: t.blocked !== null, running: t.running, kthread: t.kthread };
  }
  objectLoaded(obj: string): boolean {
    return this.kernel.core.objectAlive(obj);
  }
  declares(patch: string, id: number): boolean {
    const p = this.kernel.core.klp_patches.find((q) => q.name === patch);
    return p !== undefined && p.states.some((s) => s.def.id === id);
  }
  hasTaskBlockedIn(module: string): boolean {
    return this.kernel.core.tasks.some((t) => t.blocked !== null && objectOf(t.blocked.key) === module);
  }
}
