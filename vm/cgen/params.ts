/**
 * Module parameters as C: a universe gives each parameter a default as a
 * string (ParamMap); its C type and sysfs mode are the model's
 * (model/kernel/module-params.ts: by the default, or by what the parameter
 * does: a bool attribute such as replace, a busy work's block flag).
 */
import { cIdent, cString } from './c.ts';
import { parseBool } from '../../model/kernel/kstrtobool.ts';
import { kstrtoint, kstrtouint } from '../../model/kernel/kstrtoint.ts';
import { UINTS_MAX, type DeclaredParams, type ParamAccess } from '../../model/kernel/module-params.ts';

/**
 * The C types a generated parameter takes (kernel/params.c param_ops_bool,
 * _int, _charp; `uints` an array of unsigned ints, param_array_ops over
 * param_ops_uint, of UINTS_MAX elements).
 */
export type ParamType = 'bool' | 'int' | 'charp' | 'uints';

/** One module parameter: its C variable and declaration. */
export interface ParamDecl {
  readonly name: string;
  readonly type: ParamType;
  /** The C variable that holds it. */
  readonly variable: string;
  /** The default as a C initializer (a `uints` array's: its elements, in braces). */
  readonly init: string;
  /** A `uints` array's number of elements set by default. */
  readonly count?: number;
  /** Its sysfs mode. */
  readonly mode: string;
}

/** The sysfs mode of each access (0644 as set_pre_patch_ret writes it, facts E.0). */
const MODE: Readonly<Record<ParamAccess, string>> = { rw: '0644', ro: '0444', none: '0' };

/**
 * Parameter `name` of a module as C, with the type and sysfs mode the
 * reference implementation declares it with (model/kernel/module-params.ts),
 * so that the guest's module takes and refuses the values the model does and
 * has the parameter files the model writes and reads. Throws when the model
 * declares no such parameter, or one that is not a plain bool, int or string:
 * the two lists drifted.
 */
export function paramDecl(declared: DeclaredParams, name: string, value: string | boolean | number | undefined): ParamDecl {
  const spec = declared.get(name);
  if (!spec || (spec.type !== 'bool' && spec.type !== 'int' && spec.type !== 'charp' && spec.type !== 'uints'))
    throw new Error(`cgen declares parameter ${name}, which the model's module declares ${spec ? `as ${spec.type}` : 'not at all'}`);
  const type = spec.type;
  const variable = `param_${cIdent(name)}`;
  let init: string;
  if (type === 'bool') init = (typeof value === 'string' ? parseBool(value) : Boolean(value)) ? 'true' : 'false';
  else if (type === 'int') {
    // The model reads an int default as the kernel would (kstrtoint: 0x10, 010); one it cannot read is 0.
    const v = typeof value === 'number' ? value : kstrtoint(String(value ?? 0));
    init = String(typeof v === 'number' ? v : 0);
  } else if (type === 'uints') {
    // A list attribute's default (merge_slots [1, 2] as "1,2"), each element as kstrtouint reads it; one it cannot read is 0.
    const elements = String(value ?? '') === '' ? [] : String(value).split(',').slice(0, UINTS_MAX);
    const values = elements.map((e) => {
      const v = kstrtouint(e);
      return typeof v === 'number' ? v : 0;
    });
    return { name, type, variable, init: `{ ${values.length ? values.join(', ') : '0'} }`, count: values.length, mode: MODE[spec.access] };
  } else init = cString(String(value ?? ''));
  return { name, type, variable, init, mode: MODE[spec.access] };
}

/** The C lines declaring the parameters. */
export function paramLines(params: readonly ParamDecl[]): string {
  return params
    .map((p) => {
      if (p.type === 'uints')
        return (
          `static unsigned int ${p.variable}[${UINTS_MAX}] = ${p.init};\nstatic unsigned int ${p.variable}_n = ${p.count ?? 0};\n` +
          `module_param_array_named(${p.name}, ${p.variable}, uint, &${p.variable}_n, ${p.mode});\n`
        );
      const ctype = p.type === 'bool' ? 'bool' : p.type === 'int' ? 'int' : 'char *';
      return `static ${ctype} ${p.variable} = ${p.init};\nmodule_param_named(${p.name}, ${p.variable}, ${p.type}, ${p.mode});\n`;
    })
    .join('');
}
