/**
 * One livepatch module per universe patch: klp_func entries (old_name,
 * new_func, old_sympos), one klp_object per object, the klp_patch with
 * .replace (also a module parameter when the universe says so), klp_state
 * entries with id and version, callbacks, module parameters,
 * MODULE_INFO(livepatch, "Y") and MODULE_LICENSE("GPL").
 *
 * Structures as include/linux/livepatch.h of Linux 6.1 and 6.12 declares them
 * (facts A): struct klp_state there has only id, version and data, so the
 * per-state fields of Petr Mladek's series (callbacks, block_disable,
 * is_shadow) are not written; the upstream semantics ignores them too
 * (model/semantics/upstream.ts: perState false).
 */
import { VMLINUX, type ObjectDef, type PatchDef, kernelModuleName } from '../../model/kernel/definitions.ts';
import { banner, cIdent, cString, sortedEntries, type BannerInfo } from './c.ts';
import { CALLBACK_HELPERS, objectCallbacks } from './callbacks.ts';
import { functionSource } from './function.ts';
import { paramDecl, paramLines, type ParamDecl } from './params.ts';
import { livepatchParams, PIDS_MAX, PIDS_PARAM } from '../../model/kernel/module-params.ts';
import { STAND_IN, isStandIn, type Plan } from './plan.ts';
import { livePatchedLine, realFunction, type RealFunction } from './vmlinux-functions.ts';

/** The probe line of a replacement (contract): "<patch module>: <func>". */
export function replacementLine(patch: string, func: string): string {
  return `${patch}: ${func}`;
}

/** The block-point key of the function a klp_func resolves to (plan.ts HostFunc.key). */
export function resolvedKey(plan: Plan, object: string, name: string, sympos: number): string {
  const count = plan.hostOf(object)?.funcs.find((f) => f.name === name)?.count ?? 1;
  return count > 1 ? `${object}:${name},${sympos}` : `${object}:${name}`;
}

/** One klp_object as written: the kernel's object name (NULL for vmlinux) and the universe's funcs. */
interface KlpObject {
  readonly kname: string | null;
  /** The universe object this comes from. */
  readonly source: ObjectDef;
  readonly funcs: ObjectDef['funcs'];
  readonly callbacks: boolean;
  /** Callbacks print a module state (a real module, not vmlinux or its stand-in). */
  readonly module: boolean;
}

/**
 * The universe's objects as klp_objects. A vmlinux object's generated
 * functions move to the stand-in module's object (with its callbacks, which
 * still print "vmlinux"); its real functions stay on the NULL object.
 */
function klpObjects(objects: readonly ObjectDef[]): KlpObject[] {
  const out: KlpObject[] = [];
  for (const o of objects) {
    if (o.name !== VMLINUX) {
      out.push({ kname: kernelModuleName(o.name), source: o, funcs: o.funcs, callbacks: true, module: true });
      continue;
    }
    const funcs = o.funcs ?? [];
    const generated = funcs.filter((f) => isStandIn(o.name, f.old_name));
    const real = funcs.filter((f) => !isStandIn(o.name, f.old_name));
    if (o.funcs !== null && generated.length > 0) {
      if (real.length > 0) out.push({ kname: null, source: o, funcs: real, callbacks: false, module: false });
      out.push({ kname: STAND_IN, source: o, funcs: generated, callbacks: true, module: false });
    } else out.push({ kname: null, source: o, funcs: o.funcs, callbacks: true, module: false });
  }
  return out;
}

function realReplacement(patch: PatchDef, f: RealFunction, cName: string): string {
  const head = `static ${f.returns} ${cName}(${f.params})`;
  if (f.body === 'seq_live_patched') {
    return `${head}\n{\n\tseq_printf(m, "%s\\n", ${cString(livePatchedLine(patch.name))});\n\treturn 0;\n}\n`;
  }
  return `${head}
{
	int i;

	/* Tick off the caller: test-syscall waits until npids reads 0 (facts E.6). */
	spin_lock(&klpcheck_pids_lock);
	for (i = 0; i < klpcheck_npids; i++) {
		if (klpcheck_pids[i] == task_pid_nr(current)) {
			klpcheck_pids[i] = klpcheck_pids[klpcheck_npids - 1];
			klpcheck_npids--;
			break;
		}
	}
	spin_unlock(&klpcheck_pids_lock);
	return task_tgid_vnr(current);
}
`;
}

/**
 * test_klp_syscall's PID list and /sys/kernel/<patch>/npids (facts E.6). The
 * list is the module parameter klp_pids when the universe's patch declares it
 * (model/kernel/module-params.ts); otherwise it stays empty, as the model's
 * module has no such parameter.
 */
const pidsDecls = (asParam: boolean) => `
#define KLPCHECK_MAX_PIDS ${PIDS_MAX}
static int klpcheck_pids[KLPCHECK_MAX_PIDS];
static int klpcheck_npids;
${asParam ? 'module_param_array_named(klp_pids, klpcheck_pids, int, &klpcheck_npids, 0);\n' : ''}static DEFINE_SPINLOCK(klpcheck_pids_lock);
static struct kobject *klpcheck_kobj;

static ssize_t npids_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\\n", READ_ONCE(klpcheck_npids));
}

static struct kobj_attribute klpcheck_npids_attr = __ATTR_RO(npids);
`;

/** The C file of one livepatch module. */
export function livepatchSource(info: BannerInfo, plan: Plan, patch: PatchDef): string {
  const objects = patch.objects === null ? null : klpObjects(patch.objects);
  const includes = new Set(['linux/module.h', 'linux/kernel.h', 'linux/livepatch.h']);
  const parts: string[] = [];
  const params: ParamDecl[] = [];
  let generated = false;
  let loglevel = false;

  const declared = livepatchParams(patch);
  // Module parameters: the attribute parameters first (replace=1, facts E.1), then the others.
  const attrParams = sortedEntries(patch.attr_params);
  let replaceParam: ParamDecl | undefined;
  for (const [name, attr] of attrParams) {
    const current = (patch.attrs as Record<string, unknown> | undefined)?.[attr];
    // The model types it by the attribute (a bool replace; seed 000's u32 tag is an int, nonzero sets the bool).
    const decl = paramDecl(declared, name, Array.isArray(current) ? current.join(',') : (current as string | number | boolean | undefined));
    params.push(decl);
    // Not an upstream attribute otherwise: accepted (so the same insmod line works) and unused.
    if (attr === 'replace') replaceParam = decl;
  }
  // test_klp_syscall's klp_pids list and npids file come with a getpid replacement (facts E.6).
  const pids = (objects ?? []).some(
    (o) => o.kname === null && (o.funcs ?? []).some((f) => realFunction(f.old_name)?.body === 'getpid_pids'),
  );
  for (const [name, value] of sortedEntries(patch.params)) {
    // klp_pids is the PID list of pidsDecls (plan.ts refuses it without the getpid replacement).
    if (params.some((p) => p.name === name) || name === PIDS_PARAM) continue;
    params.push(paramDecl(declared, name, value));
  }
  const preRet = params.find((p) => p.name === 'pre_patch_ret' && p.type === 'int')?.variable;

  // Replacement functions, and the klp_func arrays.
  const used = new Set<string>();
  const funcArrays: string[] = [];
  const objInits: string[] = [];
  const callbackParts: string[] = [];
  (objects ?? []).forEach((o, j) => {
    let entries = '';
    for (const f of o.funcs ?? []) {
      const name = f.old_name!;
      const sympos = f.old_sympos ?? 0;
      let newFunc = 'NULL';
      if (f.new_func !== false) {
        let cName = `livepatch_${cIdent(name)}${sympos ? `_${sympos}` : ''}`;
        for (let n = 2; used.has(cName); n++) cName = `livepatch_${cIdent(name)}${sympos ? `_${sympos}` : ''}_${n}`;
        used.add(cName);
        newFunc = cName;
        const real = o.kname === null ? realFunction(name) : undefined;
        if (real) {
          real.includes.forEach((h) => includes.add(h));
          parts.push(realReplacement(patch, real, cName));
        } else {
          generated = true;
          const object = o.source.name;
          parts.push(
            functionSource({
              cName,
              key: resolvedKey(plan, object, name, sympos),
              ...(f.output !== undefined ? { output: f.output } : {}),
              version: replacementLine(patch.name, name),
            }),
          );
        }
      }
      entries += `\t{\n\t\t.old_name = ${cString(name)},\n\t\t.new_func = ${newFunc},\n\t\t.old_sympos = ${sympos},\n\t},\n`;
    }
    if (o.funcs !== null) funcArrays.push(`static struct klp_func klpcheck_funcs_${j}[] = {\n${entries}\t{ }\n};\n`);
    const style = o.callbacks ? (o.source.callbacks ?? 'none') : 'none';
    if (style === 'console_loglevel_v1' || style === 'console_loglevel_v2') loglevel = true;
    const cb = objectCallbacks(style, j, o.source.name, o.module, preRet);
    if (cb) callbackParts.push(cb.source);
    objInits.push(
      `\t{\n\t\t.name = ${o.kname === null ? 'NULL' : cString(o.kname)},\n\t\t.funcs = ${o.funcs === null ? 'NULL' : `klpcheck_funcs_${j}`},\n${cb?.init ?? ''}\t},\n`,
    );
  });
  if (loglevel) includes.add('linux/slab.h');
  if (pids) realFunction('__x64_sys_getpid')!.includes.forEach((h) => includes.add(h));

  const states = patch.states ?? [];
  const stateLines = states.map((s) => `\t{ .id = ${s.id}, .version = ${s.version ?? 0} },\n`).join('');
  const replace = Boolean(patch.attrs?.replace);
  const modname = kernelModuleName(patch.name);

  const init = `static int __init klpcheck_livepatch_init(void)
{
${pids ? '\tint ret;\n\n' : ''}${replaceParam ? `\tklpcheck_patch.replace = ${replaceParam.variable};\n` : ''}${
    pids
      ? `\tklpcheck_kobj = kobject_create_and_add(${cString(modname)}, kernel_kobj);
	if (!klpcheck_kobj)
		return -ENOMEM;
	ret = sysfs_create_file(klpcheck_kobj, &klpcheck_npids_attr.attr);
	if (!ret)
		ret = klp_enable_patch(&klpcheck_patch);
	if (ret)
		kobject_put(klpcheck_kobj);
	return ret;
`
      : '\treturn klp_enable_patch(&klpcheck_patch);\n'
  }}

static void __exit klpcheck_livepatch_exit(void)
{
${pids ? '\tkobject_put(klpcheck_kobj);\n' : ''}}
`;

  const what = `Livepatch module ${patch.name}.`;
  return `${banner(info, what)}
#define pr_fmt(fmt) ${cString(`${patch.name}: `)} fmt

${[...includes].map((h) => `#include <${h}>\n`).join('')}${generated ? '#include "klpcheck.h"\n' : ''}
${paramLines(params)}${pids ? pidsDecls(declared.has(PIDS_PARAM)) : ''}
${loglevel ? '\n/* The console_loglevel callbacks look their state up in this patch. */\nstatic struct klp_patch klpcheck_patch;\n' : ''}
${parts.join('\n')}${callbackParts.length ? CALLBACK_HELPERS : ''}
${callbackParts.join('\n')}
${funcArrays.join('\n')}${
    objects === null ? '' : `\nstatic struct klp_object klpcheck_objs[] = {\n${objInits.join('')}\t{ }\n};\n`
  }${states.length ? `\nstatic struct klp_state klpcheck_states[] = {\n${stateLines}\t{ }\n};\n` : ''}
static struct klp_patch klpcheck_patch = {
	.mod = THIS_MODULE,
	.objs = ${objects === null ? 'NULL' : 'klpcheck_objs'},
${states.length ? '\t.states = klpcheck_states,\n' : ''}	.replace = ${replace ? 'true' : 'false'},
};

${init}
module_init(klpcheck_livepatch_init);
module_exit(klpcheck_livepatch_exit);
MODULE_LICENSE("GPL");
${patch.livepatch_modinfo === false ? '/* No MODULE_INFO(livepatch, "Y"): the universe leaves it out. */\n' : 'MODULE_INFO(livepatch, "Y");\n'}MODULE_DESCRIPTION(${cString(what)});
`;
}
