/**
 * Petr Mladek's counter-example to hybrid mode (facts F.1; seed thread of
 * 2025-01-27, Z5eYzcF5JLR4o5Yl@pathway.suse.cz;
 * scenarios/threads/petr-lp1-lp2-lp3.json), found by the explorer on its own:
 * lp1 (non-replaceable) and lp2 (replaceable) patch funcA; lp3 (replace) does
 * not, so it gets a nop for funcA from lp2 and funcA runs the original code
 * during lp3's transition; when the transition completes and the nops are
 * discarded, funcA switches to lp1's version "at some random time".
 *
 * The smallest scope that shows it: three patches (the flaw needs all three),
 * one vmlinux function (funcA; the module's m1 serves as funcB), no states,
 * one task, and six operations: the search below checks every transition up
 * to depth 5 and finds nothing there (see the depth assertion).
 */
import { describe, expect, it } from 'vitest';
import type { PatchDef } from '../model/kernel/definitions.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { hybrid } from '../model/semantics/hybrid.ts';

const funcsOf = (p: PatchDef) => (p.objects ?? []).flatMap((o) => (o.funcs ?? []).map((f) => `${o.name}:${f.old_name}`));

describe('the explorer finds the hybrid-mode flaw exhaustively', () => {
  it("finds Petr Mladek's lp1/lp2/lp3 inconsistency at its breadth-first shortest length, 6", () => {
    const r = explore({
      semantics: hybrid,
      scope: parseScope('patches=3,functions=1,states=0,tasks=1,depth=6'),
      properties: ['no-silent-version-switch'],
    });
    expect(r.complete).toBe(true);
    const v = r.violations.find((x) => x.property === 'no-silent-version-switch');
    expect(v, 'hybrid mode switches a function silently').toBeDefined();
    // Breadth first: every transition up to depth 5 was checked in this search before this one was found.
    expect(v!.depth).toBe(6);
    const steps = v!.result.steps;
    expect(steps).toHaveLength(6);

    // The shape, told by attributes (the explorer names patches in load order): one patch of each kind.
    const patches = v!.universe.patches;
    const only = (what: string, f: (p: PatchDef) => boolean) => {
      const found = patches.filter(f);
      expect(
        found.map((p) => p.name),
        what,
      ).toHaveLength(1);
      return found[0]!;
    };
    const lp1 = only('non-replaceable, no replace', (p) => p.attrs?.replace === false && p.attrs.replaceable === false);
    const lp2 = only('replaceable, no replace', (p) => p.attrs?.replace === false && p.attrs.replaceable === true);
    const lp3 = only('replace', (p) => p.attrs?.replace === true);
    // funcA: patched by lp1 and lp2, not by lp3, so lp3's transition carries a nop for it (from replaceable lp2 only).
    const funcA = funcsOf(lp1).filter((f) => funcsOf(lp2).includes(f));
    expect(funcA).toHaveLength(1);
    expect(funcsOf(lp3)).not.toContain(funcA[0]);

    // Each load accepted, lp3 last: it must find both lp1 and lp2 on klp_patches (it takes a nop only from lp2).
    const loads = steps.flatMap((s) => (s.op.op === 'insmod' ? [[s.op.module, s.outcome]] : []));
    expect(loads).toHaveLength(3);
    expect(loads.slice(0, 2)).toEqual(
      expect.arrayContaining([
        [lp1.name, 'ok'],
        [lp2.name, 'ok'],
      ]),
    );
    expect(loads[2]).toEqual([lp3.name, 'ok']);

    // Last: the transition work completes lp3's transition; lp2 is replaced, lp1 stays, and funcA jumps to lp1.
    const last = steps.at(-1)!;
    const status = (i: number) => Object.fromEntries(steps[i]!.state.patches.map((p) => [p.name, p.status]));
    expect(last.op).toEqual({ op: 'transition_step' });
    expect(status(steps.length - 2)[lp3.name]).toBe('patching');
    expect(status(steps.length - 1)).toEqual({ [lp1.name]: 'enabled', [lp2.name]: 'freed', [lp3.name]: 'enabled' });
    expect(v!.result.violation?.step).toBe(steps.length - 1);
    expect(v!.result.violation?.reason).toMatch(new RegExp(`switched ${funcA[0]},0 from original to ${lp1.name} without switching`));
  }, 300_000);
});
