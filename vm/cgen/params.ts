/**
 * Module parameters as C: a universe gives each parameter a default as a
 * string (ParamMap); the C type follows from the default and from what the
 * parameter does (a bool attribute such as replace, a busy work's block flag).
 */
import { cIdent, cString } from './c.ts';
import { parseBool } from '../../model/kernel/kstrtobool.ts';
import type { DeclaredParams, ParamAccess } from '../../model/kernel/module-params.ts';

export type ParamType = 'bool' | 'int' | 'charp';

/** One module parameter: its C variable and declaration. */
export interface ParamDecl {
  readonly name: string;
  readonly type: ParamType;
  /** The C variable that holds it. */
  readonly variable: string;
  /** The default as a C initializer. */
  readonly init: string;
}

/** The type a default suggests: a decimal integer is an int (pre_patch_ret=-19), anything else a string. */
export function inferType(value: string): ParamType {
  return /^-?[0-9]{1,9}$/.test(value) ? 'int' : 'charp';
}

export function paramDecl(name: string, type: ParamType, value: string | boolean | number | undefined): ParamDecl {
  const variable = `param_${cIdent(name)}`;
  let init: string;
  if (type === 'bool') init = (typeof value === 'string' ? parseBool(value) : Boolean(value)) ? 'true' : 'false';
  else if (type === 'int') init = String(Number(value ?? 0) || 0);
  else init = cString(String(value ?? ''));
  return { name, type, variable, init };
}

/** The sysfs mode of each access (0644 as set_pre_patch_ret writes it, facts E.0). */
const MODE: Readonly<Record<ParamAccess, string>> = { rw: '0644', ro: '0444', none: '0' };

/**
 * The C lines declaring the parameters, each with the sysfs mode the
 * reference implementation gives it (model/kernel/module-params.ts), so
 * that the guest's parameter files are the ones the model writes and reads.
 * Throws on a parameter the model does not declare: the two lists drifted.
 */
export function paramLines(params: readonly ParamDecl[], declared: DeclaredParams): string {
  return params
    .map((p) => {
      const access = declared.get(p.name);
      if (access === undefined) throw new Error(`cgen declares parameter ${p.name}, which the model's module does not`);
      const ctype = p.type === 'bool' ? 'bool' : p.type === 'int' ? 'int' : 'char *';
      return `static ${ctype} ${p.variable} = ${p.init};\nmodule_param_named(${p.name}, ${p.variable}, ${p.type}, ${MODE[access]});\n`;
    })
    .join('');
}
