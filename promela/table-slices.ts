/**
 * The definition tables' values as C initializers, cut to fit Spin: the
 * default model fills its hidden tables from them in c_code blocks
 * (model.ts), the multi-core model declares them in c_decl blocks
 * (multicore.ts), and Spin's lexer takes at most 65,536 characters of one
 * block (model.ts C_CODE_CHARS).
 */

/**
 * A table's values as C initializer lines of 24 values, `indent` spaces in,
 * cut into slices of at most `blockChars` characters with room for the C
 * around them (Spin's limit on one block: model.ts C_CODE_CHARS): each
 * slice's values [start, end) and its lines. One slice at least.
 */
export function tableSlices(
  values: readonly number[],
  blockChars: number,
  indent: number,
): { start: number; end: number; lines: string[] }[] {
  const slices: { start: number; end: number; lines: string[] }[] = [];
  let lines: string[] = [];
  let chars = 0;
  let start = 0;
  const flush = (end: number) => {
    slices.push({ start, end, lines });
    lines = [];
    chars = 0;
    start = end;
  };
  for (let i = 0; i < values.length; i += 24) {
    const line = `${' '.repeat(indent)}${values.slice(i, i + 24).join(', ')}`;
    // Room for the declaration and the memcpy around the values.
    if (lines.length && chars + line.length + 200 > blockChars) flush(i);
    lines.push(line);
    chars += line.length + 2;
  }
  flush(values.length);
  return slices;
}
