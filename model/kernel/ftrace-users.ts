/**
 * Other users of ftrace on a patched function (facts E.6): kprobes and the
 * function tracer. Only one ftrace_ops with IPMODIFY may sit on a function;
 * a livepatch's ops has it, and so does a kprobe with a post_handler. The
 * function tracer does not, so it coexists with a livepatch.
 */
import type { KernelCore } from './core.ts';
import { canonicalKey } from './definitions.ts';
import { fail, OK, type Outcome } from './errno.ts';

/** register_kprobe: a post_handler needs IPMODIFY, refused while a livepatch ops holds it. */
export function registerKprobe(k: KernelCore, asked: string, postHandler: boolean): Outcome {
  const key = canonicalKey(asked);
  if (postHandler && k.funcStacks.has(key)) return fail('EBUSY');
  k.kprobes.set(key, postHandler);
  return OK;
}

export function unregisterKprobe(k: KernelCore, key: string): Outcome {
  return k.kprobes.delete(canonicalKey(key)) ? OK : fail('ENOENT');
}

/** set_ftrace_filter + current_tracer=function: never conflicts with a livepatch. */
export function traceFunction(k: KernelCore, key: string): Outcome {
  k.traced.add(canonicalKey(key));
  return OK;
}
