/**
 * What makes a model run in Spin's multi-core mode (`cc -DNCORE=N`,
 * `klpcheck promela --multicore`). pan refuses `hidden` variables there
 * ("cannot use hidden variables when compiling multi-core", pan.c of Spin
 * 6.5.2): each core is a process of its own and takes states from the
 * others, so a variable outside the state vector would hold another core's
 * value, or none. The default model keeps its definition tables and its
 * scratch variables hidden. The multi-core one instead:
 * - holds the tables in C (c_decl), filled before the search by a
 *   constructor, so that every core's process has them, and reads the
 *   class-indexed ones through c_expr;
 * - keeps each defined patch's row facts (dfuncs[pdef[k]] ...) in the
 *   state, as `dfuncs_p[k]` ..., copied from the tables when the patch is
 *   defined: a function of pdef, as cls is, so no state is added;
 * - keeps its scratch variables in the state and clears them at the end of
 *   every step, so that they add no state either.
 * Spin's count of stored states is then the default model's (a test checks
 * it for several semantics).
 */

import { tableSlices } from './table-slices.ts';

/** A definition table as promelaModel builds it: its name, its values, and their C type ('uchar' is pan's own, not yet declared where c_decl text goes). */
export interface CTable {
  readonly name: string;
  readonly values: readonly number[];
  readonly type: { readonly c: string };
}

/** memcpy lines a constructor holds: each block stays under Spin's c_code limit (model.ts C_CODE_CHARS). */
const COPIES_PER_CONSTRUCTOR = 500;

/**
 * The tables as C globals, each filled from slices of at most `blockChars`
 * characters of initializer (one c_decl block each) by constructors that run
 * as pan starts, before it forks a process for each core.
 */
export function cTables(tables: readonly CTable[], blockChars: number): string {
  const ctype = (c: string) => (c === 'uchar' ? 'unsigned char' : c);
  const blocks: string[] = [
    `c_decl {\n${tables.map((t) => `  ${ctype(t.type.c)} ${t.name}[${Math.max(1, t.values.length)}];`).join('\n')}\n}`,
  ];
  const copies: string[] = [];
  for (const t of tables) {
    tableSlices(t.values, blockChars, 4).forEach(({ start, end, lines }, i) => {
      const v = `${t.name}_v${i}`;
      blocks.push(`c_decl {\n  static const ${ctype(t.type.c)} ${v}[${end - start}] = {\n${lines.join(',\n')}\n  };\n}`);
      copies.push(`    memcpy(${t.name} + ${start}, ${v}, sizeof ${v});`);
    });
  }
  for (let c = 0; c * COPIES_PER_CONSTRUCTOR < copies.length; c++) {
    const f = `klp_tables_${c}`;
    blocks.push(
      `c_decl {\n  static void ${f}(void) __attribute__((constructor));\n  static void ${f}(void) {\n` +
        `${copies.slice(c * COPIES_PER_CONSTRUCTOR, (c + 1) * COPIES_PER_CONSTRUCTOR).join('\n')}\n  }\n}`,
    );
  }
  return blocks.join('\n');
}

/**
 * `text` with every read of a row table through pdef, `NAME[pdef[X]REST]`,
 * made a read of the patch's own facts, `NAME_p[XREST]`: the facts of patch
 * k lie at k * width, as the row's at row * width, so REST must be empty
 * for a table of one value a row ('one' in `rows`), and begin ` * (S + 1)`
 * for one of a value per state id and 0 ('states': dver). X is rewritten too.
 * Throws for a read of another form (an index past the row, an unclosed
 * bracket), and for a read of a row table left in the Promela: the model
 * would read a table that is not in the state. Reads in c_expr (whose C
 * names pdef as now.pdef) and in comments are left as they are.
 */
export function perPatchReads(text: string, rows: ReadonlyMap<string, 'one' | 'states'>): string {
  const names = [...rows.keys()].join('|');
  const read = new RegExp(String.raw`\b(${names})\s*\[\s*pdef\s*\[`, 'g');
  let out = '';
  let from = 0;
  for (let m = read.exec(text); m; m = read.exec(text)) {
    const name = m[1]!;
    const pdefEnd = closingBracket(text, m.index + m[0].length, name);
    const readEnd = closingBracket(text, pdefEnd + 1, name);
    const rest = text.slice(pdefEnd + 1, readEnd);
    // A row of values per state id is read at one of them: the row's first, plus an id or a number (helper-119).
    if (rows.get(name) === 'one' ? rest.trim() !== '' : !/^ \* \(S \+ 1\)(?: \+ (?:[A-Za-z_]\w*|\d+))?$/.test(rest))
      throw new Error(`promela: a read of ${name} by other than its patch's row: ${text.slice(m.index, readEnd + 1)}`);
    const x = perPatchReads(text.slice(m.index + m[0].length, pdefEnd), rows);
    out += `${text.slice(from, m.index)}${name}_p[${rows.get(name) === 'one' ? x : `(${x})`}${rest}]`;
    from = readEnd + 1;
    read.lastIndex = from;
  }
  out += text.slice(from);
  const promelaOnly = out.replaceAll(/c_expr \{[^}]*\}/g, '').replaceAll(/\/\*[\s\S]*?\*\//g, '');
  const left = new RegExp(String.raw`\b(${names})\s*\[`).exec(promelaOnly);
  if (left) throw new Error(`promela: a read of ${left[1]} the multi-core model does not take from the state`);
  return out;
}

/** Where the bracket open before `text[from]` closes; throws naming `table` when it does not. */
function closingBracket(text: string, from: number, table: string): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  throw new Error(`promela: an unclosed bracket in a read of ${table}`);
}
