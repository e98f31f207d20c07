/**
 * The C generator of issue 9: a universe in, the C sources of every module
 * the VM runner builds and loads out (vm/cgen/contract.ts). Pure: the same
 * universe and kernel give byte-identical files (sorted, no timestamps).
 *
 * - klpcheck_core: block points and /proc/klpcheck (core-module.ts);
 * - klpcheck_vmlinux: the stand-in for generated vmlinux functions, and one
 *   target module per universe module (host-module.ts; test_klp_shadow_vars
 *   from facts E.4, shadow-vars.ts);
 * - one livepatch module per universe patch (livepatch-module.ts);
 * - one Kbuild for a single `make -C <headers> M=<dir> modules`.
 */
import { KlpcheckError, placedIn } from '../../harness/errors.ts';
import { validate } from '../../harness/json-file.ts';
import type { Universe } from '../../model/kernel/definitions.ts';
import { banner, universeId, type BannerInfo } from './c.ts';
import type { FunctionProbe, GeneratedModule, GenerateModuleSources, KernelVersion, ModuleSet } from './contract.ts';
import { coreHeader, coreSource } from './core-module.ts';
import { hostModule, originalLine } from './host-module.ts';
import { livepatchSource, replacementLine } from './livepatch-module.ts';
import { CORE, SHADOW_VARS_MODULE, planUniverse, type Plan } from './plan.ts';
import { shadowVarsSource } from './shadow-vars.ts';
import { REAL_VMLINUX_FUNCTIONS, livePatchedLine } from './vmlinux-functions.ts';
import { kernelModuleName } from '../../model/kernel/definitions.ts';

export type { ModuleSet, KernelVersion } from './contract.ts';

/** Where the universe sits, so that errors name the file and the full JSON pointer. */
export interface UniverseLocation {
  readonly file?: string;
  /** JSON pointer of the universe in that file, e.g. "/universe" in a scenario. */
  readonly base?: string;
}

function summary(u: Universe): string {
  const text = `patches ${u.patches.map((p) => p.name).join(', ') || '(none)'}; modules ${u.modules.map((m) => m.name).join(', ') || '(none)'}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Which patches have a function of this name on this object: their probe lines. */
function replacementVersions(u: Universe, object: string, name: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const p of u.patches) {
    const has = (p.objects ?? []).some(
      (o) => o.name === object && (o.funcs ?? []).some((f) => f.old_name === name && f.new_func !== false),
    );
    if (has) versions[replacementLine(p.name, name)] = p.name;
  }
  return versions;
}

function probes(plan: Plan): FunctionProbe[] {
  const u = plan.universe;
  const out: FunctionProbe[] = [];
  for (const h of plan.hosts) {
    if (h.kind === 'target' && h.name === SHADOW_VARS_MODULE) continue;
    for (const f of h.funcs) {
      out.push({
        key: f.key,
        command: `cat /proc/klpcheck/call/${h.object}/${f.procName}`,
        klpObject: kernelModuleName(h.name),
        versions: { [originalLine(h.object, f.name)]: 'original', ...replacementVersions(u, h.object, f.name) },
      });
    }
  }
  for (const real of REAL_VMLINUX_FUNCTIONS) {
    if (real.command === undefined) continue;
    const versions: Record<string, string> = {};
    for (const patch of Object.values(replacementVersions(u, 'vmlinux', real.name))) versions[livePatchedLine(patch)] = patch;
    if (Object.keys(versions).length === 0) continue;
    out.push({ key: `vmlinux:${real.name}`, command: real.command, klpObject: 'vmlinux', versions, fallback: 'original' });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function generate(universe: Universe, kernel: KernelVersion, rawUniverse: unknown): ModuleSet {
  const plan = planUniverse(universe);
  const info: BannerInfo = { universeId: universeId(rawUniverse), summary: summary(universe), kernel };
  const files = new Map<string, string>();
  const kbuild: string[] = [];
  const modules: GeneratedModule[] = [{ name: CORE, kind: 'core' }];

  files.set('klpcheck.h', coreHeader(info));
  files.set(`${CORE}.c`, coreSource(info));
  kbuild.push(`obj-m += ${CORE}.o\n`);
  for (const h of plan.hosts) {
    if (h.kind === 'target' && h.name === SHADOW_VARS_MODULE) {
      files.set(`${h.name}.c`, shadowVarsSource(info, h.name));
      kbuild.push(`obj-m += ${h.name}.o\n`);
    } else {
      const m = hostModule(info, h);
      for (const [n, text] of m.files) files.set(n, text);
      kbuild.push(m.kbuild);
    }
    modules.push(h.kind === 'stand-in' ? { name: h.name, kind: 'stand-in', standsInFor: h.object } : { name: h.name, kind: 'target' });
  }
  for (const p of universe.patches) {
    files.set(`${p.name}.c`, livepatchSource(info, plan, p));
    kbuild.push(`obj-m += ${p.name}.o\n`);
    modules.push({ name: p.name, kind: 'livepatch' });
  }
  files.set('Kbuild', `${banner(info, 'Every module of the universe, for one kbuild run.', 'make')}\n${kbuild.join('')}`);
  const sorted: Record<string, string> = {};
  for (const name of [...files.keys()].sort()) sorted[name] = files.get(name)!;
  return { files: sorted, modules, probes: probes(plan) };
}

/**
 * The modules of a universe as C sources (contract: GenerateModuleSources).
 * Errors: KlpcheckError E_SCHEMA for a universe that breaks
 * schema/universe.schema.json, E_INEXPRESSIBLE for one that C on an upstream
 * kernel cannot express; both name the place by JSON pointer (below
 * `at.base`, in `at.file`).
 */
export const generateModuleSources: GenerateModuleSources &
  ((universe: unknown, kernel: KernelVersion, at?: UniverseLocation) => ModuleSet) = (
  universe: unknown,
  kernel: KernelVersion,
  at: UniverseLocation = {},
): ModuleSet => {
  try {
    const u = validate<Universe>('universe', universe, at.file ?? '');
    return generate(u, kernel, universe);
  } catch (e) {
    if (e instanceof KlpcheckError) throw placedIn(e, at.file, at.base);
    throw e;
  }
};

/**
 * The probe of a function key as the model and the scenarios spell it:
 * "<object>:<func>" (scenario steps), "<object>:<func>,<sympos>" (ops, funcKey).
 * For a name with one copy, sympos 0 and 1 both mean it; for a repeated name
 * only ",k" names copy k (sympos 0 is ambiguous there, facts A).
 */
export function findProbe(set: ModuleSet, key: string): FunctionProbe | undefined {
  const exact = set.probes.find((p) => p.key === key);
  if (exact) return exact;
  const m = /^(.*),([01])$/.exec(key);
  return m ? set.probes.find((p) => p.key === m[1]) : undefined;
}
