/**
 * One generated function, original or replacement: it first calls the block
 * point with its key, then prints its output line (if the universe gives one),
 * then runs the caller's inside() (a busy work's wait), and returns the line
 * naming its version (the contract's probe output).
 */
import { cString } from './c.ts';

export interface FunctionSpec {
  /** The C name: the symbol livepatch resolves (original) or new_func (replacement). */
  readonly cName: string;
  /** The block-point key. */
  readonly key: string;
  /** The line the function prints when called, after pr_fmt's prefix; {context} is the caller's suffix. */
  readonly output?: string;
  /** The probe line naming this version. */
  readonly version: string;
}

/**
 * noipa (implies noinline) keeps every call a real call of this very symbol:
 * no inlining, and no `.constprop`/`.isra` clone that livepatch would not
 * redirect. Static, so several units of one module can each define a copy of
 * a name (old_sympos).
 */
export function functionSource(f: FunctionSpec): string {
  let print = '';
  if (f.output !== undefined) {
    const at = f.output.indexOf('{context}');
    const before = at < 0 ? f.output : f.output.slice(0, at);
    const after = at < 0 ? '' : f.output.slice(at + '{context}'.length);
    print =
      at < 0
        ? `\tpr_info("%s\\n", ${cString(before)});\n`
        : `\tpr_info("%s%s%s\\n", ${cString(before)}, call ? call->context : "", ${cString(after)});\n`;
  }
  return `static __attribute__((__noipa__)) const char *${f.cName}(const struct klpcheck_call *call)
{
	if (klpcheck_block_point_in(${cString(f.key)}, THIS_MODULE))
		return KLPCHECK_RESTART;
${print}	if (call && call->inside)
		call->inside(call);
	return ${cString(f.version)};
}
`;
}
