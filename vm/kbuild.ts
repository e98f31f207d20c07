/**
 * Splitting a generated ModuleSet into its modules' sources, from its Kbuild file: `obj-m += a.o b.o`
 * names the modules, `a-y := x.o y.o` (or `a-objs`) a composite module's units, and a module without
 * one is built from `<name>.c`. Every other non-C file (headers) goes with every module. A module's
 * identity hashes its sources with comments removed, so that two universes' identical code (the
 * block-point core, a selftest module) is built once. Pure functions: the build is vm/build.ts.
 */
import { createHash } from 'node:crypto';
import { KlpcheckError } from '../harness/errors.ts';
import type { ModuleSet } from './cgen/contract.ts';

export interface ModuleSource {
  /** The module's file name without .ko (the universe's spelling). */
  readonly name: string;
  /** File name -> content, with a Kbuild of this module alone. */
  readonly files: Readonly<Record<string, string>>;
  /** Hash of the sources without comments, and the kernel: the build cache's key. */
  readonly id: string;
}

/** Kbuild assignments, continuation lines joined: variable -> the words assigned or added. */
export function kbuildVars(text: string): Map<string, string[]> {
  const vars = new Map<string, string[]>();
  const joined = text.replace(/\\\n/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([\w.-]+)\s*(\+=|:=|=)\s*(.*)$/.exec(line);
    if (!m) continue;
    const words = m[3]!.split(/\s+/).filter(Boolean);
    vars.set(m[1]!, m[2] === '+=' ? [...(vars.get(m[1]!) ?? []), ...words] : words);
  }
  return vars;
}

/** C and Kbuild comments removed: what decides the object code. */
export function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/^\s*#\s.*$/gm, (l) => (/^\s*#\s*(include|define|if|ifdef|ifndef|else|elif|endif|undef|pragma)\b/.test(l) ? l : ''))
    .replace(/[ \t]+$/gm, '');
}

/**
 * The modules of a set, each with its own sources. Errors: E_VM_BUILD when there is no Kbuild,
 * or a module's source file is missing.
 */
export function splitModules(set: ModuleSet, kernel: string): ModuleSource[] {
  const kbuild = set.files['Kbuild'];
  if (kbuild === undefined) throw new KlpcheckError('E_VM_BUILD', 'the generated module set has no Kbuild file');
  const vars = kbuildVars(kbuild);
  const shared = Object.keys(set.files)
    .filter((f) => f !== 'Kbuild' && !f.endsWith('.c'))
    .sort();
  return (vars.get('obj-m') ?? []).map((obj) => {
    const name = obj.replace(/\.o$/, '');
    const units = vars.get(`${name}-y`) ?? vars.get(`${name}-objs`);
    const cFiles = (units ?? [obj]).map((u) => u.replace(/\.o$/, '.c'));
    const files: Record<string, string> = {};
    for (const f of [...cFiles, ...shared]) {
      const text = set.files[f];
      if (text === undefined) throw new KlpcheckError('E_VM_BUILD', `module ${name} needs ${f}, which the generated set lacks`);
      files[f] = text;
    }
    files['Kbuild'] = `obj-m += ${name}.o\n${units ? `${name}-y := ${units.join(' ')}\n` : ''}`;
    const h = createHash('sha256').update(`${kernel}\n${name}\n`);
    for (const f of Object.keys(files).sort()) h.update(`${f}\n${withoutComments(files[f]!)}\n`);
    return { name, files, id: `${name}-${h.digest('hex').slice(0, 16)}` };
  });
}

/**
 * Groups modules into make invocations ("rounds"): kbuild refuses two modules of one name in one
 * build (scripts/modules-check.sh), so a round holds each name once. Modules with a dependency
 * export (the core) come first. Deterministic: sorted by id within a round.
 */
export function rounds(mods: readonly ModuleSource[]): ModuleSource[][] {
  const distinct = [...new Map(mods.map((m) => [m.id, m])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const out: ModuleSource[][] = [];
  for (const m of distinct) {
    const round = out.find((r) => !r.some((x) => x.name === m.name));
    if (round) round.push(m);
    else out.push([m]);
  }
  return out;
}
