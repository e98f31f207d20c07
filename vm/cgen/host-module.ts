/**
 * Target modules (one per universe module) and the stand-in for generated
 * vmlinux functions: the functions themselves, their /proc/klpcheck/call
 * files, init and exit lines, the busy work, module parameters and a kprobe.
 *
 * Behaviour follows the reference implementation's target modules
 * (model/kernel/loader.ts initTarget, busy-work.ts, outputs.ts) and the
 * selftest modules they model (facts E.0, E.2: test_klp_callbacks_mod,
 * test_klp_callbacks_busy; E.6: test_klp_kprobe; E.7: test_klp_speaker).
 */
import { banner, cIdent, cString, printLines, sortedEntries, type BannerInfo } from './c.ts';
import { functionSource } from './function.ts';
import { paramDecl, paramLines, type ParamDecl } from './params.ts';
import { targetParams } from '../../model/kernel/module-params.ts';
import { kernelModuleName } from '../../model/kernel/definitions.ts';
import type { Host, HostFunc } from './plan.ts';
import { realFunction } from './vmlinux-functions.ts';

/** Files of one host module, and the Kbuild lines that build it. */
export interface ModuleFiles {
  readonly files: ReadonlyMap<string, string>;
  readonly kbuild: string;
}

/** The probe line of an original function (contract): "<object>: <func>: original". */
export function originalLine(object: string, func: string): string {
  return `${object}: ${func}: original`;
}

function unitFile(host: Host, unit: number): string {
  return host.units === 1 ? `${host.name}.c` : unit === 1 ? `${host.name}-main.c` : `${host.name}-u${unit}.c`;
}

function tableName(host: Host, unit: number): string {
  return `klpcheck_${cIdent(host.name)}_u${unit}`;
}

function prelude(host: Host): string {
  return `#define pr_fmt(fmt) ${cString(`${host.object}: `)} fmt\n`;
}

/** The functions of one unit and their entry table. */
function unitBody(host: Host, unit: number, funcs: readonly HostFunc[]): string {
  const outputs = host.def?.outputs ?? {};
  const bodies = funcs.map((f) =>
    functionSource({
      cName: f.name,
      key: f.key,
      ...(outputs[f.name] !== undefined ? { output: outputs[f.name]! } : {}),
      version: originalLine(host.object, f.name),
    }),
  );
  const storage = unit === 1 ? 'static ' : '';
  const entries = funcs.map((f) => `\t{ ${cString(f.procName)}, ${f.name} },\n`).join('');
  return `${bodies.join('\n')}\n${storage}const struct klpcheck_entry ${tableName(host, unit)}[] = {\n${entries}\t{ }\n};\n`;
}

function busyParts(host: Host, params: ParamDecl[]): { decls: string; start: string; stop: string; before: boolean } | undefined {
  const work = host.def?.busy_work;
  if (!work) return undefined;
  const flag = paramDecl(targetParams(host.def!), work.param, host.def?.params?.[work.param] ?? 'n');
  params.push(flag);
  const exitCall = work.exit_call ? `\tif (klpcheck_busy_woken)\n\t\t${work.exit_call.func}(&klpcheck_exit_call);\n` : '';
  const exitCallDecl = work.exit_call
    ? `static const struct klpcheck_call klpcheck_exit_call = { .context = ${cString(work.exit_call.context)} };\n`
    : '';
  const decls = `
/* The busy work (model/kernel/busy-work.ts): a worker enters ${work.func} and may sleep in it. */
static bool klpcheck_busy_blocking;
static bool klpcheck_busy_stop;
static bool klpcheck_busy_woken;
static bool klpcheck_busy_queued;
static DECLARE_COMPLETION(klpcheck_busy_entered);

/* Runs inside whichever version of ${work.func} is live for the worker. */
static void klpcheck_busy_inside(const struct klpcheck_call *call)
{
${printLines(work.enter_log)}	if (!klpcheck_busy_blocking) {
${printLines(work.exit_log, '\t\t')}		complete(&klpcheck_busy_entered);
		return;
	}
	complete(&klpcheck_busy_entered);
	/* Uninterruptible: a kernel thread switches only when it leaves the function. */
	while (READ_ONCE(${flag.variable}) && !READ_ONCE(klpcheck_busy_stop))
		msleep(20);
	if (READ_ONCE(klpcheck_busy_stop)) {
${work.rmmod_quiet ? '' : printLines(work.exit_log, '\t\t')}		return;
	}
	klpcheck_busy_woken = true;
${printLines(work.exit_log)}}

static const struct klpcheck_call klpcheck_busy_call = { .context = "", .inside = klpcheck_busy_inside };
${exitCallDecl}
static void klpcheck_busy_fn(struct work_struct *work)
{
	${work.func}(&klpcheck_busy_call);
${exitCall}}

static DECLARE_WORK(klpcheck_busy_work, klpcheck_busy_fn);
`;
  const queue = '\tklpcheck_busy_queued = true;\n\tschedule_work(&klpcheck_busy_work);\n\twait_for_completion(&klpcheck_busy_entered);\n';
  // The work runs always (test_klp_callbacks_busy), or only when it is to block (test_klp_speaker).
  const start = `\tklpcheck_busy_blocking = ${flag.variable};\n${
    work.only_when_blocking ? `\tif (klpcheck_busy_blocking) {\n${queue.replace(/^\t/gm, '\t\t')}\t}\n` : queue
  }`;
  const stop = `\tif (klpcheck_busy_queued) {
		WRITE_ONCE(klpcheck_busy_stop, true);
		flush_work(&klpcheck_busy_work);
	}
`;
  return { decls, start, stop, before: work.before_init === true };
}

function kprobeParts(host: Host, params: ParamDecl[]): { decls: string; start: string; stop: string } | undefined {
  const kp = host.def?.kprobe;
  if (!kp) return undefined;
  const [obj, func] = kp.func.split(':') as [string, string];
  // A generated vmlinux function lives in the stand-in; kallsyms finds "<module>:<symbol>".
  const symbol =
    obj === 'vmlinux' && realFunction(func) ? func : `${obj === 'vmlinux' ? 'klpcheck_vmlinux' : kernelModuleName(obj)}:${func}`;
  let post = 'false';
  if (kp.post_handler_param !== undefined) {
    const p = paramDecl(targetParams(host.def!), kp.post_handler_param, host.def?.params?.[kp.post_handler_param] ?? 'n');
    params.push(p);
    post = p.variable;
  }
  const decls = `
/* A kprobe on ${kp.func} (facts E.6, test_klp_kprobe): a post_handler needs IPMODIFY, so it conflicts with a livepatch. */
static int klpcheck_kprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static void klpcheck_kprobe_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
}

static struct kprobe klpcheck_kprobe = {
	.symbol_name = ${cString(symbol)},
	.pre_handler = klpcheck_kprobe_pre,
};
`;
  const start = `\tif (${post})
		klpcheck_kprobe.post_handler = klpcheck_kprobe_post;
	ret = register_kprobe(&klpcheck_kprobe);
	if (ret)
		goto out_proc;
`;
  return { decls, start, stop: '\tunregister_kprobe(&klpcheck_kprobe);\n' };
}

function paramShowParts(host: Host): string {
  const shows = sortedEntries(host.def?.param_show);
  return shows
    .map(
      ([param, func]) => `
/* Reading /sys/module/<mod>/parameters/${param} calls ${func} (test_klp_speaker, facts E.7). */
static int klpcheck_show_${cIdent(param)}(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\\n", ${func}(NULL));
}

static const struct kernel_param_ops klpcheck_show_${cIdent(param)}_ops = {
	.get = klpcheck_show_${cIdent(param)},
};
module_param_cb(${param}, &klpcheck_show_${cIdent(param)}_ops, NULL, 0444);
`,
    )
    .join('');
}

/** The main unit: unit 1's functions, parameters, busy work, kprobe, init and exit. */
function mainSource(info: BannerInfo, host: Host): string {
  const params: ParamDecl[] = [];
  const busy = busyParts(host, params);
  const kprobe = kprobeParts(host, params);
  const claimed = new Set(params.map((p) => p.name));
  for (const [name, value] of sortedEntries(host.def?.params)) {
    if (!claimed.has(name)) params.push(paramDecl(targetParams(host.def!), name, value));
  }
  const tables = Array.from({ length: host.units }, (_, i) => tableName(host, i + 1));
  const what = host.kind === 'stand-in' ? `Stand-in for the generated functions of ${host.object}.` : `Target module ${host.name}.`;
  return `${banner(info, what)}
${prelude(host)}
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
${busy ? '#include <linux/workqueue.h>\n#include <linux/completion.h>\n#include <linux/delay.h>\n' : ''}${kprobe ? '#include <linux/kprobes.h>\n' : ''}#include "klpcheck.h"
${host.units > 1 ? `#include "${host.name}-units.h"\n` : ''}
${unitBody(
  host,
  1,
  host.funcs.filter((f) => f.occurrence === 1),
)}
${paramLines(params)}${paramShowParts(host)}${busy?.decls ?? ''}${kprobe?.decls ?? ''}
static const struct klpcheck_entry *const klpcheck_tables[] = {
${tables.map((t) => `\t${t},\n`).join('')}};

static struct proc_dir_entry *klpcheck_dir;

static struct klpcheck_host klpcheck_host = {
	.owner = THIS_MODULE,
	.object = ${cString(host.object)},
	.tables = klpcheck_tables,
	.ntables = ARRAY_SIZE(klpcheck_tables),
};

static int klpcheck_call_show(struct seq_file *m, void *v)
{
	const struct klpcheck_entry *e = m->private;
	const char *version = e->fn(NULL);

	/* Interrupted in its block point: the read restarts after the return to user space. */
	if (IS_ERR(version))
		return PTR_ERR(version);
	seq_printf(m, "%s\\n", version);
	return 0;
}

static int __init klpcheck_host_init(void)
{
	const struct klpcheck_entry *e;
	int i${kprobe ? ', ret' : ''};

	klpcheck_dir = proc_mkdir(${cString(host.object)}, klpcheck_call_root());
	if (!klpcheck_dir)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(klpcheck_tables); i++) {
		for (e = klpcheck_tables[i]; e->name; e++) {
			if (!proc_create_single_data(e->name, 0444, klpcheck_dir, klpcheck_call_show, (void *)e)) {
				proc_remove(klpcheck_dir);
				return -ENOMEM;
			}
		}
	}
	klpcheck_register(&klpcheck_host);
${busy?.before ? busy.start : ''}${printLines(host.def?.init_log)}${busy && !busy.before ? busy.start : ''}${kprobe?.start ?? ''}	return 0;
${kprobe ? `out_proc:\n${busy?.stop ?? ''}\tklpcheck_unregister(&klpcheck_host);\n\tproc_remove(klpcheck_dir);\n\treturn ret;\n` : ''}}

static void __exit klpcheck_host_exit(void)
{
${kprobe?.stop ?? ''}${busy?.stop ?? ''}${printLines(host.def?.exit_log)}	klpcheck_unregister(&klpcheck_host);
	/* A task asleep in a function here would hold proc_remove() forever. */
	klpcheck_release_prefix(${cString(`${host.object}:`)});
	proc_remove(klpcheck_dir);
}

module_init(klpcheck_host_init);
module_exit(klpcheck_host_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(${cString(what)});
`;
}

function otherUnitSource(info: BannerInfo, host: Host, unit: number): string {
  return `${banner(info, `Copy ${unit} of the repeated symbols of ${host.name} (old_sympos ${unit}).`)}
${prelude(host)}
#include <linux/module.h>
#include <linux/kernel.h>
#include "klpcheck.h"
#include "${host.name}-units.h"

${unitBody(
  host,
  unit,
  host.funcs.filter((f) => f.occurrence === unit),
)}`;
}

/**
 * The files of a host module. A name with N copies needs N compilation units
 * (static functions of one name in one object file would clash); kbuild links
 * them in the listed order, and a module's kallsyms keeps that order, so copy
 * k is old_sympos k.
 */
export function hostModule(info: BannerInfo, host: Host): ModuleFiles {
  const files = new Map<string, string>([[unitFile(host, 1), mainSource(info, host)]]);
  if (host.units === 1) return { files, kbuild: `obj-m += ${host.name}.o\n` };
  const externs = Array.from(
    { length: host.units - 1 },
    (_, i) => `extern const struct klpcheck_entry ${tableName(host, i + 2)}[];\n`,
  ).join('');
  files.set(
    `${host.name}-units.h`,
    `/* SPDX-License-Identifier: GPL-2.0 */\n${banner(info, `Tables of the units of ${host.name}.`).replace(/^\/\/ SPDX[^\n]*\n/, '')}\n${externs}`,
  );
  for (let u = 2; u <= host.units; u++) files.set(unitFile(host, u), otherUnitSource(info, host, u));
  const objs = Array.from({ length: host.units }, (_, i) => unitFile(host, i + 1).replace(/\.c$/, '.o'));
  return { files, kbuild: `obj-m += ${host.name}.o\n${host.name}-y := ${objs.join(' ')}\n` };
}
