/**
 * A string that identifies a kernel's whole livepatch state, for the
 * exhaustive explorer's visited set: func_stacks, every patch's, object's
 * and state's flags, the transition, loaded modules and shadow variables.
 * Tasks are returned apart, one string each, so that the explorer can treat
 * interchangeable tasks as a set.
 */
import type { KernelCore } from './core.ts';
import { versionName } from './runtime.ts';
import { signalPhase } from './transition.ts';

const bit = (b: boolean) => (b ? '1' : '0');

export function kernelFingerprint(k: KernelCore): { readonly shared: string; readonly tasks: readonly string[] } {
  const parts: string[] = [];
  for (const [key, stack] of k.funcStacks) {
    parts.push(`${key}=${stack.map((f) => `${f.obj.patch.name}${f.nop ? 'n' : ''}${bit(f.transition)}`).join(',')}`);
  }
  for (const [name, m] of k.modules) {
    if (m.kind === 'target') {
      parts.push(`m:${name}${bit(m.klp_alive)}`);
      continue;
    }
    const p = m.patch;
    if (!p) continue;
    const objs = p.objs.map((o) => `${o.name}${bit(o.loaded)}${bit(o.patched)}${bit(o.post_unpatch_enabled)}${o.funcs.map((f) => bit(f.patched)).join('')}`);
    const states = p.states.map((s) => `${s.id}${bit(s.pre_patch_succeeded)}${bit(s.pre_unpatch_done)}`);
    const writable = [...p.writable].map(([a, v]) => `${a}${bit(v)}`);
    parts.push(`p:${name}${bit(p.enabled)}${bit(p.forced)}${bit(p.registered)}[${objs}][${states}][${writable}]`);
  }
  parts.push(`klp:${k.klp_patches.map((p) => p.name).join(',')}`);
  parts.push(`t:${k.transition?.name ?? ''}${k.target}/${signalPhase(k.signalsCnt)}`);
  parts.push(`s:${k.shadow.fingerprint()}`);
  const tasks = k.tasks.map(
    (t) =>
      `${t.owner ?? ''}${t.kthread ? 'k' : 'u'}${bit(t.running)}${t.patch_state}${bit(t.pending)}${t.blocked ? `${t.blocked.key}@${versionName(t.blocked.code)}/${t.blocked.sleep[0]}` : ''}`,
  );
  return { shared: parts.join(';'), tasks };
}
