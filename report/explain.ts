/**
 * Why the invariant breaks, in prose, from facts only: the violating step
 * and its action, the reason klpcheck recorded, the invariant's meaning, the
 * patches the reason names (their attributes, slots and functions) and what
 * runs for the functions it names. Nothing here is inferred beyond that.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import type { RenderContext } from './context.ts';
import { andList, attrSummary, funcLabel, funcsOf, listedPatches, patchDef, runningRows, slotOf, stepsOf } from './derive.ts';
import { publicSource, slotPhrase, stepPhrase } from './phrases.ts';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mentions = (text: string, name: string) => new RegExp(`(^|[^\\w-])${escapeRe(name)}($|[^\\w-])`).test(text);

/** The patches the reason names, in universe order. */
export function patchesNamed(c: Counterexample): readonly string[] {
  return c.universe.patches.map((p) => p.name).filter((n) => mentions(c.violation.reason, n));
}

/** The functions (running keys) the reason names, in either spelling. */
export function funcsNamed(c: Counterexample): readonly string[] {
  const s = c.steps[c.violation.step]!.state;
  return Object.keys(s.running).filter((k) => c.violation.reason.includes(k) || mentions(c.violation.reason, funcLabel(k)));
}

/** The paragraphs of the explanation, unwrapped. */
export function explanation(c: Counterexample, ctx: RenderContext): readonly string[] {
  const f = stepsOf(c)[c.violation.step]!;
  const inv = ctx.invariant;
  const paragraphs: string[] = [];
  paragraphs.push(
    `The ${inv.title === inv.id ? `property "${inv.id}"` : `invariant "${inv.title}" (${inv.id})`} breaks after step ${f.number} of ${c.steps.length}, ` +
      `${stepPhrase(c, f, ctx).action}. klpcheck's reason: ${c.violation.reason}.`,
  );
  const source = inv.source ? publicSource(inv.source) : '';
  paragraphs.push(`It requires: ${inv.meaning}${source ? ` Source: ${source}.` : ''}`);
  const facts: string[] = [];
  for (const name of patchesNamed(c)) {
    const def = patchDef(c, name)!;
    const funcs = funcsOf(def);
    const attrs = attrSummary(def, ctx);
    facts.push(
      `${name}${attrs ? ` (${attrs})` : ''} is ${slotPhrase(slotOf(c, name, ctx), name)}` +
        ` and patches ${funcs.length ? andList(funcs) : 'no function'}.`,
    );
  }
  const listed = listedPatches(f.after).map((p) => `${p.name} (${p.status})`);
  facts.push(`After step ${f.number}, klp_patches holds ${listed.length ? andList(listed) : 'no patch'}.`);
  const named = new Set(funcsNamed(c).map(funcLabel));
  for (const row of runningRows(f.after).filter((r) => named.has(r.func))) {
    const code = row.code.length === 1 ? `${row.code[0]!.code} in every task` : andList(row.code.map((x) => `${x.code} in ${x.task}`));
    facts.push(`${row.func} runs ${code}.`);
  }
  paragraphs.push(facts.join(' '));
  return paragraphs;
}
