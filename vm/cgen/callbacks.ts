/**
 * Object callbacks as C, logging exactly what the reference implementation
 * logs (model/kernel/callbacks.ts) for the selftest modules' behaviours:
 * - `demo` (test_klp_callbacks_demo, facts E.0/E.2): "<cb>_callback: <obj>" for
 *   vmlinux, "<cb>_callback: <mod> -> <module state text>" for a module, and
 *   pre_patch returns the module parameter pre_patch_ret;
 * - `console_loglevel_v1` / `_v2` (test_klp_state / test_klp_state2, facts E.0/E.3):
 *   the same line, then the console_loglevel state line; v2 takes the state
 *   over from klp_get_prev_state(1) (facts C.2). The state's data is allocated
 *   and freed as the facts describe; console_loglevel itself is left alone, as
 *   only the log lines are compared.
 */
import { cIdent, cString } from './c.ts';
import type { ObjectCallbacks } from '../../model/kernel/definitions.ts';

/** The id test_klp_state*.c use for the console_loglevel state (facts E.0: "state id 1"). */
const LOGLEVEL_STATE = 1;

type Cb = 'pre_patch' | 'post_patch' | 'pre_unpatch' | 'post_unpatch';
const CALLBACKS: readonly Cb[] = ['pre_patch', 'post_patch', 'pre_unpatch', 'post_unpatch'];

/** [function name, line without a previous state, line when taking over] per callback (facts E.0). */
const LOGLEVEL: Readonly<Record<Cb, readonly [string, string, string]>> = {
  pre_patch: ['allocate_loglevel_state', 'allocating space to store console_loglevel', 'space to store console_loglevel already allocated'],
  post_patch: ['fix_console_loglevel', 'fixing console_loglevel', 'taking over the console_loglevel change'],
  pre_unpatch: ['restore_console_loglevel', 'restoring console_loglevel', 'passing the console_loglevel change back to the old livepatch'],
  post_unpatch: ['free_loglevel_state', 'freeing space for the stored console_loglevel', 'keeping space to store console_loglevel'],
};

/** Helpers every patch with callbacks needs: the module state text (facts E.0) and the line printer. */
export const CALLBACK_HELPERS = `
static const char *klpcheck_module_state(struct klp_object *obj)
{
	if (!obj->mod)
		return "";
	switch (obj->mod->state) {
	case MODULE_STATE_LIVE:
		return "[MODULE_STATE_LIVE] Normal state";
	case MODULE_STATE_COMING:
		return "[MODULE_STATE_COMING] Full formed, running module_init";
	case MODULE_STATE_GOING:
		return "[MODULE_STATE_GOING] Going away";
	default:
		return "[MODULE_STATE_UNFORMED]";
	}
}

/* "<cb>_callback: <object>", with " -> <module state>" for a module object. */
static void klpcheck_callback_line(struct klp_object *obj, const char *cb, const char *name, bool module)
{
	if (module)
		pr_info("%s_callback: %s -> %s\\n", cb, name, klpcheck_module_state(obj));
	else
		pr_info("%s_callback: %s\\n", cb, name);
}
`;

function loglevelCode(cb: Cb, takesOver: boolean): string {
  const [fn, fresh, over] = LOGLEVEL[cb];
  const indent = (code: string, tabs: number) =>
    code
      .split('\n')
      .map((l) => (l ? '\t'.repeat(tabs) + l : l))
      .join('\n');
  const print = (text: string) => `pr_info("%s: %s\\n", ${cString(fn)}, ${cString(text)});\n`;
  const freshData =
    cb === 'pre_patch'
      ? 'if (state)\n\tstate->data = kzalloc(sizeof(int), GFP_KERNEL);\n'
      : cb === 'post_unpatch'
        ? 'if (state) {\n\tkfree(state->data);\n\tstate->data = NULL;\n}\n'
        : '';
  const overData = cb === 'pre_patch' ? 'if (state)\n\tstate->data = prev->data;\n' : '';
  const get = `\tstate = klp_get_state(&klpcheck_patch, ${LOGLEVEL_STATE});\n`;
  if (!takesOver) return get + indent(print(fresh) + freshData, 1);
  return `${get}\tprev = klp_get_prev_state(${LOGLEVEL_STATE});\n\tif (prev) {\n${indent(print(over) + overData, 2)}\t} else {\n${indent(print(fresh) + freshData, 2)}\t}\n`;
}

/**
 * The four callbacks of one object and the initializer of its .callbacks.
 * `name` is the universe's object name (the stand-in prints "vmlinux").
 */
export function objectCallbacks(
  style: ObjectCallbacks,
  index: number,
  name: string,
  module: boolean,
  preRet: string | undefined,
): { source: string; init: string } | undefined {
  if (style === 'none') return undefined;
  const loglevel = style === 'console_loglevel_v1' || style === 'console_loglevel_v2';
  const takesOver = style === 'console_loglevel_v2';
  const fns = CALLBACKS.map((cb) => {
    const fname = `klpcheck_${cb}_${index}`;
    const ret = cb === 'pre_patch' ? 'int' : 'void';
    const locals = loglevel ? `\tstruct klp_state *state${takesOver ? ', *prev' : ''};\n\n` : '';
    const line = `\tklpcheck_callback_line(obj, ${cString(cb)}, ${cString(name)}, ${module ? 'true' : 'false'});\n`;
    const extra = loglevel ? loglevelCode(cb, takesOver) : '';
    const tail = cb === 'pre_patch' ? `\treturn ${preRet ?? '0'};\n` : '';
    return { cb, fname, text: `static ${ret} ${fname}(struct klp_object *obj)\n{\n${locals}${line}${extra}${tail}}\n` };
  });
  const init = `\t\t.callbacks = {\n${fns.map((f) => `\t\t\t.${f.cb} = ${f.fname},\n`).join('')}\t\t},\n`;
  return { source: `/* Callbacks of object ${cIdent(name)} (${style}). */\n${fns.map((f) => f.text).join('\n')}`, init };
}
