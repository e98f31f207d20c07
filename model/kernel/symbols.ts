/**
 * kallsyms lookups for klp_init_object_loaded (facts B.1 step 10.3, D):
 * resolving old_name/old_sympos in vmlinux or a module.
 */
import type { KernelCore } from './core.ts';
import type { KFunc } from './runtime.ts';

function symbolCount(k: KernelCore, objName: string, name: string): number {
  const table =
    objName === 'vmlinux'
      ? k.config.vmlinux_symbols
      : k.universe.modules.find((m) => m.name === objName)?.symbols;
  // A universe that lists no symbols has every function its patches name, once.
  if (!table) return 1;
  return table[name] ?? 0;
}

/** klp_find_object_symbol: 0 on success, -EINVAL with the kernel's message otherwise. */
export function resolveFunc(k: KernelCore, func: KFunc): number {
  const name = func.old_name ?? '';
  const obj = func.obj.name;
  const count = symbolCount(k, obj, name);
  const sympos = func.old_sympos;
  if (count === 0) k.log.klp(`symbol '${name}' not found in symbol table`);
  else if (count > 1 && sympos === 0) k.log.klp(`unresolvable ambiguity for symbol '${name}' in object '${func.obj.modName}'`);
  else if (sympos > 0 && count < sympos) k.log.klp(`symbol position ${sympos} for symbol '${name}' in object '${func.obj.modName}' not found`);
  else return 0;
  return -22;
}
