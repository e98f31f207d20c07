/**
 * The real kernel's side of a VM case: the guest's report (vm/protocol.ts) turned into the same
 * observations as the model's (vm/model-side.ts). Kernel spellings are mapped back to the
 * universe's names: a module name's '-' is '_' in the kernel, and the stand-in module of a
 * generated "vmlinux" object is that object. The log lines keep the kernel's '_', as the
 * model's log does since stop 47; only a stand-in is named back there.
 */
import { INSMOD_STRERROR, STRERROR, type Errno } from '../model/kernel/errno.ts';
import { selftestFilter } from '../harness/scenario/filter.ts';
import type { ModuleSet } from './cgen/contract.ts';
import type { VmCase } from './case.ts';
import type { StepObservation, SysfsFile } from './observation.ts';
import type { GuestCase, GuestStep } from './protocol.ts';
import { kernelModuleName } from '../model/kernel/definitions.ts';

/** Error texts of kmod's insmod/rmmod and of busybox ash that name no strerror. */
const OTHER_TEXTS: readonly (readonly [RegExp, Errno])[] = [
  [/is in use/, 'EBUSY'],
  [/is not currently loaded|can't create|nonexistent directory/, 'ENOENT'],
];

/**
 * Lines with which a kernel reports a failure of its own (an oops, a BUG, a
 * panic, a general protection fault): the model never has one, so a case
 * whose guest log shows one differs whatever else agrees (hostile-user
 * finding, stop 39: a NULL set operation at insmod oopsed the guest, and the
 * report showed only an unknown result).
 */
const TROUBLE = /\bBUG: |\bOops\b|general protection fault|Kernel panic/;

/** The first such line of a case, with its step, as a problem of the comparison; empty when there is none. */
export function kernelTrouble(g: GuestCase): string[] {
  for (const s of g.steps) {
    const line = s.log.find((l) => TROUBLE.test(l));
    if (line !== undefined) return [`the guest kernel failed at step ${s.index}: ${line}`];
  }
  return [];
}

/** The errno a failed command's error text names ('unknown: <text>' when it names none). */
export function resultOf(rc: number, error: string): string {
  if (rc === 0) return 'ok';
  for (const table of [INSMOD_STRERROR, STRERROR]) {
    for (const [errno, text] of Object.entries(table)) if (error.endsWith(text)) return errno;
  }
  for (const [re, errno] of OTHER_TEXTS) if (re.test(error)) return errno;
  return `unknown: ${error}`;
}

/** Kernel spelling -> universe name, for every module and stand-in of the set. */
export function nameMap(m: ModuleSet): Map<string, string> {
  const map = new Map<string, string>();
  for (const x of m.modules) map.set(kernelModuleName(x.name), x.standsInFor ?? x.name);
  return map;
}

/** Replaces each kernel spelling that differs from its universe name, as a whole word. */
function renamer(map: Map<string, string>): (s: string) => string {
  const pairs = [...map].filter(([k, v]) => k !== v);
  return (s) => pairs.reduce((acc, [k, v]) => acc.replace(new RegExp(`(?<![\\w-])${k}(?![\\w-])`, 'g'), v), s);
}

/**
 * Guest sysfs paths in the universe's names: the patch and object segments are module names
 * (a '-' is '_' in the kernel; the stand-in is vmlinux), a func's directory `<function,sympos>`
 * is a function's own name and stays as it is.
 */
function sysfsOf(step: GuestStep, rename: (s: string) => string): Record<string, SysfsFile> {
  const segment = (s: string) => (s.includes(',') ? s : rename(s));
  return Object.fromEntries(Object.entries(step.sysfs).map(([path, f]) => [path.split('/').map(segment).join('/'), f]));
}

function runningOf(step: GuestStep, m: ModuleSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of m.probes) {
    const line = step.probes[p.key];
    if (line === undefined) continue;
    out[p.key] = p.versions[line] ?? (line === '' ? 'absent' : (p.fallback ?? `unknown: ${line}`));
  }
  return out;
}

/**
 * The kernel's observation after each step of the case, in the model's step order. A step the guest
 * did not report (a timeout, a crash) ends the list: the comparison shows where it stopped.
 */
export function observeKernel(c: VmCase, g: GuestCase, m: ModuleSet): StepObservation[] {
  const rename = renamer(nameMap(m));
  // The model's log spells a module name as the kernel does (model/kernel/log.ts): only a stand-in is named back.
  const standIns = m.modules.flatMap((x) => (x.standsInFor ? [[kernelModuleName(x.name), x.standsInFor] as const] : []));
  const renameInLog = renamer(new Map(standIns));
  const livepatches = new Set(m.modules.filter((x) => x.kind === 'livepatch').map((x) => x.name));
  let order: string[] = [];
  const out: StepObservation[] = [];
  for (const [i, step] of c.steps.entries()) {
    const got = g.steps[i];
    if (!got || got.index !== step.index) break;
    const result = resultOf(got.rc, got.error);
    const a = step.action;
    // klp_enable_patch appends to klp_patches: a loaded patch goes last (see enabledPatches).
    if (a.kind === 'insmod' && result === 'ok' && livepatches.has(a.module)) order = [...order.filter((p) => p !== a.module), a.module];
    const running = runningOf(got, m);
    const log = selftestFilter(got.log.map(renameInLog));
    const cr = step.checkRunning;
    if (cr?.log !== undefined && running[cr.key] === cr.runs) log.push(cr.log);
    out.push({ index: step.index, command: c.model[i]!.command, result, log, sysfs: sysfsOf(got, rename), order, running });
  }
  return out;
}
