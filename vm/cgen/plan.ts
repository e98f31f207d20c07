/**
 * From a universe to the modules that express it in C: which module hosts
 * each function (a target module, the stand-in for generated vmlinux
 * functions, or the real vmlinux), how many copies of a name a host defines
 * (old_sympos), and what cannot be written as C for an upstream kernel. Every
 * refusal is a KlpcheckError naming the place by JSON pointer.
 */
import { KlpcheckError, pointer } from '../../harness/errors.ts';
import type { ModuleDef, PatchDef, Universe } from '../../model/kernel/definitions.ts';
import { VMLINUX, kernelModuleName } from '../../model/kernel/definitions.ts';
import { realFunction } from './vmlinux-functions.ts';

/** The module that stands in for generated vmlinux functions (the real vmlinux lacks f1, funcA ...). */
export const STAND_IN = 'klpcheck_vmlinux';
/** The block-point core module of the contract. */
export const CORE = 'klpcheck_core';
/** Module names the upstream selftests give fixed behaviour that no universe field describes (facts E.4). */
export const SHADOW_VARS_MODULE = 'test_klp_shadow_vars';

/** More copies of one symbol than this is no longer a test of old_sympos. */
const MAX_SYMBOL_COPIES = 8;

/** One function a generated host module defines: one copy of a (possibly repeated) name. */
export interface HostFunc {
  /** The universe's object name ("vmlinux" for the stand-in). */
  readonly object: string;
  readonly name: string;
  /** Which copy, 1-based, in kallsyms order (compilation unit `occurrence`). */
  readonly occurrence: number;
  /** How many copies of the name the host defines. */
  readonly count: number;
  /** The block-point and probe key: "<object>:<name>", or "<object>:<name>,<occurrence>" for a repeated name. */
  readonly key: string;
  /** The file under /proc/klpcheck/call/<object>/: the name, or "<name>,<occurrence>". */
  readonly procName: string;
}

/** A generated module that defines functions: a universe module, or the stand-in for vmlinux. */
export interface Host {
  readonly kind: 'target' | 'stand-in';
  /** Module (and file) name in the universe's spelling. */
  readonly name: string;
  /** The universe object it provides. */
  readonly object: string;
  /** Sorted by name, then occurrence. */
  readonly funcs: readonly HostFunc[];
  /** Compilation units: the most copies of any one name (at least 1). */
  readonly units: number;
  /** The universe module, for a target. */
  readonly def?: ModuleDef;
}

export interface Plan {
  readonly universe: Universe;
  readonly hosts: readonly Host[];
  /** The host of a universe object, if it is generated (not the real vmlinux, not an absent module). */
  hostOf(object: string): Host | undefined;
}

function refuse(where: string, message: string): never {
  throw new KlpcheckError('E_INEXPRESSIBLE', message, undefined, where);
}

const MODULE_NAME = /^[A-Za-z0-9_-]{1,55}$/;
const C_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Is this vmlinux function one the stand-in provides (not a real one the selftests patch)? */
export function isStandIn(object: string, func: string | null): boolean {
  return object === VMLINUX && realFunction(func) === undefined;
}

function checkNames(u: Universe): void {
  const seen = new Map<string, string>([
    [CORE, 'the core module'],
    [STAND_IN, 'the stand-in module'],
  ]);
  const claim = (name: string, where: string) => {
    if (!MODULE_NAME.test(name)) refuse(where, `module name '${name}' is not a kernel module name ([A-Za-z0-9_-], under 56 characters)`);
    const k = kernelModuleName(name);
    const other = seen.get(k);
    if (other !== undefined) refuse(where, `module name '${name}' is the kernel's '${k}', already used by ${other}`);
    seen.set(k, where);
  };
  u.patches.forEach((p, i) => claim(p.name, pointer('patches', i, 'name')));
  u.modules.forEach((m, i) => claim(m.name, pointer('modules', i, 'name')));
}

function checkKernel(u: Universe): void {
  const k = u.kernel ?? {};
  // A real x86-64 kernel has reliable stack traces and an initialised livepatch core.
  if (k.reliable_stacktrace === false)
    refuse(pointer('kernel', 'reliable_stacktrace'), 'an x86-64 kernel always has reliable stack traces');
  if (k.livepatch_initialized === false)
    refuse(pointer('kernel', 'livepatch_initialized'), 'the Debian kernel always initialises livepatch');
  for (const name of Object.keys(k.vmlinux_symbols ?? {})) {
    if (realFunction(name))
      refuse(pointer('kernel', 'vmlinux_symbols', name), `'${name}' is a real vmlinux function: its symbol table is the kernel's`);
  }
}

function checkPatch(p: PatchDef, i: number): void {
  (p.objects ?? []).forEach((o, j) => {
    (o.funcs ?? []).forEach((f, n) => {
      const at = pointer('patches', i, 'objects', j, 'funcs', n);
      // klp_find_func strcmp()s old_name while adding nops (facts F.4.7): a replace patch would oops the guest.
      if (f.old_name === null) refuse(`${at}/old_name`, 'a NULL old_name is dereferenced by klp_find_func and would oops the guest');
      const generated = o.name !== VMLINUX || isStandIn(o.name, f.old_name);
      if (generated && !C_NAME.test(f.old_name)) refuse(`${at}/old_name`, `'${f.old_name}' cannot be the name of a C function`);
      if ((f.output_shadow_ids ?? []).length > 0 || (f.output ?? '').includes('{shadow}')) {
        refuse(
          `${at}/output_shadow_ids`,
          "printing per-state shadow texts needs the per-state callbacks of Petr Mladek's series, not in upstream 6.1/6.12",
        );
      }
    });
  });
  // test_klp_syscall's PID list is the getpid replacement's (livepatch-module.ts pidsDecls, facts E.6).
  const getpid = (p.objects ?? []).some(
    (o) => o.name === VMLINUX && (o.funcs ?? []).some((f) => realFunction(f.old_name ?? '')?.body === 'getpid_pids'),
  );
  if (p.params?.klp_pids !== undefined && !getpid) {
    refuse(
      pointer('patches', i, 'params', 'klp_pids'),
      "klp_pids is test_klp_syscall's PID list, which its getpid replacement (__x64_sys_getpid) keeps",
    );
  }
  (p.states ?? []).forEach((s, j) => {
    for (const field of ['if_param', 'unless_param', 'block_disable_param'] as const) {
      if (s[field] !== undefined) {
        refuse(
          pointer('patches', i, 'states', j, field),
          `${field} is a per-state test module's parameter (Petr Mladek's series); upstream struct klp_state has only id, version and data`,
        );
      }
    }
  });
}

function checkModule(m: ModuleDef, i: number): void {
  const names = [...Object.keys(m.outputs ?? {}), ...Object.values(m.param_show ?? {})];
  if (m.busy_work) names.push(m.busy_work.func, ...(m.busy_work.exit_call ? [m.busy_work.exit_call.func] : []));
  for (const n of names) if (!C_NAME.test(n)) refuse(pointer('modules', i), `'${n}' cannot be the name of a C function`);
  for (const p of [...Object.keys(m.params ?? {}), ...Object.keys(m.param_show ?? {}), ...(m.busy_work ? [m.busy_work.param] : [])]) {
    if (!C_NAME.test(p)) refuse(pointer('modules', i, 'params'), `'${p}' cannot be a module parameter name`);
  }
}

/** Names of the functions a host defines, with how many copies of each (0: the name is absent). */
function hostSymbols(u: Universe, object: string, def: ModuleDef | undefined, where: string): Map<string, number> {
  const table = object === VMLINUX ? u.kernel?.vmlinux_symbols : def?.symbols;
  const counts = new Map<string, number>();
  // The module's own functions exist whatever its symbol table says.
  const own = new Set<string>([...Object.keys(def?.outputs ?? {}), ...Object.values(def?.param_show ?? {})]);
  if (def?.busy_work) {
    own.add(def.busy_work.func);
    if (def.busy_work.exit_call) own.add(def.busy_work.exit_call.func);
  }
  for (const n of own) counts.set(n, Math.max(1, table?.[n] ?? 1));
  for (const [n, c] of Object.entries(table ?? {})) if (!own.has(n)) counts.set(n, c);
  for (const p of u.patches) {
    for (const o of p.objects ?? []) {
      if (o.name !== object) continue;
      for (const f of o.funcs ?? []) {
        if (f.old_name === null || !isStandInOrModule(object, f.old_name) || counts.has(f.old_name)) continue;
        // A universe without a symbol table has every named function once (model/kernel/symbols.ts).
        counts.set(f.old_name, table ? 0 : 1);
      }
    }
  }
  for (const [n, c] of counts) {
    if (!C_NAME.test(n)) refuse(`${where}/${n}`, `'${n}' cannot be the name of a C function`);
    if (c > MAX_SYMBOL_COPIES) refuse(`${where}/${n}`, `${c} copies of '${n}': at most ${MAX_SYMBOL_COPIES} are generated`);
  }
  return counts;
}

function isStandInOrModule(object: string, name: string): boolean {
  return object !== VMLINUX || isStandIn(object, name);
}

function makeHost(kind: Host['kind'], name: string, object: string, counts: Map<string, number>, def?: ModuleDef): Host {
  const funcs: HostFunc[] = [];
  for (const n of [...counts.keys()].sort()) {
    const count = counts.get(n)!;
    for (let k = 1; k <= count; k++) {
      const suffix = count > 1 ? `,${k}` : '';
      funcs.push({ object, name: n, occurrence: k, count, key: `${object}:${n}${suffix}`, procName: `${n}${suffix}` });
    }
  }
  const units = Math.max(1, ...funcs.map((f) => f.count));
  return def ? { kind, name, object, funcs, units, def } : { kind, name, object, funcs, units };
}

/** Plans the modules of a universe; throws E_INEXPRESSIBLE for what upstream C cannot express. */
export function planUniverse(u: Universe): Plan {
  checkNames(u);
  checkKernel(u);
  u.patches.forEach(checkPatch);
  u.modules.forEach(checkModule);
  const hosts: Host[] = [];
  const needsStandIn =
    Object.keys(u.kernel?.vmlinux_symbols ?? {}).length > 0 ||
    u.patches.some((p) => (p.objects ?? []).some((o) => o.name === VMLINUX && (o.funcs ?? []).some((f) => isStandIn(o.name, f.old_name))));
  if (needsStandIn)
    hosts.push(makeHost('stand-in', STAND_IN, VMLINUX, hostSymbols(u, VMLINUX, undefined, pointer('kernel', 'vmlinux_symbols'))));
  u.modules.forEach((m, i) => {
    if (m.name === VMLINUX) refuse(pointer('modules', i, 'name'), 'a module named vmlinux is refused by klp_module_coming');
    hosts.push(makeHost('target', m.name, m.name, hostSymbols(u, m.name, m, pointer('modules', i, 'symbols')), m));
  });
  return { universe: u, hosts, hostOf: (object) => hosts.find((h) => h.object === object) };
}
