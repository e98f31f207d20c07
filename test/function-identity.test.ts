/**
 * Functions are identified by the function they resolve to: old_sympos 0 of
 * a unique symbol and old_sympos 1 are one function (definitions.ts
 * funcKey). One klp_ops and func_stack serve both (patch.c klp_find_ops
 * keys by address), klp_find_func matches them so a replace patch adds no
 * nop (torvalds/linux 139560e8b973, Song Liu, October 2025), the sysfs
 * directory is `f1,1` for both (core.c klp_init_func), and the spec model and
 * the sharing invariants see one function.
 */
import { describe, expect, it } from 'vitest';
import { runSequence } from '../harness/run-sequence.ts';
import type { PatchAttrs, Universe } from '../model/kernel/definitions.ts';
import { fail, OK } from '../model/kernel/errno.ts';
import { Kernel } from '../model/kernel/kernel.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { universeFuncs } from '../model/spec/universe-view.ts';
import { INVARIANTS, invariantById } from '../properties/catalog.ts';
import { lp, ops } from './support/universe.ts';

/** A universe whose vmlinux has f1 once and f2 twice. */
function symbols(...patches: ReturnType<typeof lp>[]): Universe {
  return { patches, modules: [], kernel: { tasks: 1, vmlinux_symbols: { f1: 1, f2: 2 } } };
}
const replace: PatchAttrs = { replace: true };
const plain: PatchAttrs = { replace: false };

describe('old_sympos 0 and 1 of a unique symbol are one function', () => {
  it('a replace patch on f1,1 over one on f1,0: its function runs, the old patch is replaced, no nop is left', () => {
    const k = new Kernel(symbols(lp('p1', ['f1'], replace), lp('p2', ['f1,1'], replace)), upstream.hooks);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.insmod('p2')).toEqual(OK);
    expect(k.runningCode('task0', 'vmlinux:f1,0')).toEqual({ patch: 'p2' });
    expect(k.runningCode('task0', 'vmlinux:f1,1')).toEqual({ patch: 'p2' });
    expect([...k.core.funcStacks.keys()]).toEqual(['vmlinux:f1,0']);
    expect(k.core.klp_patches.map((p) => p.name)).toEqual(['p2']);
    expect(k.sysfs('p1')).toBeUndefined();
  });

  it('klp_add_nops finds f1,0 in a patch that has f1,1: no nop is added', () => {
    const k = new Kernel(symbols(lp('p1', ['f1'], replace), lp('p2', ['f1,1'], replace)), upstream.hooks);
    const task = k.task('task0')!;
    expect(k.blockTask('task0', 'vmlinux:f1,1')).toBe(true);
    expect(k.insmod('p1')).toEqual(OK);
    expect(k.unblockTask('task0')).toBe(true);
    expect(k.transitionStep()).toBe(true);
    // task0 sleeps in p1's f1, so p2's transition stays open with its funcs visible.
    expect(k.blockTask('task0', 'vmlinux:f1,0')).toBe(true);
    expect(task.blocked?.code).toEqual({ patch: 'p1' });
    expect(k.insmod('p2')).toEqual(OK);
    expect([...k.patch('p2')!.allFuncs()].map((f) => [f.key, f.nop])).toEqual([['vmlinux:f1,0', false]]);
    expect(k.core.funcStacks.get('vmlinux:f1,0')!.map((f) => f.obj.patch.name)).toEqual(['p2', 'p1']);
  });

  it('two non-replace patches on f1,0 and f1,1 share one func_stack: the newer runs, the older after its disable', () => {
    const k = new Kernel(symbols(lp('a', ['f1'], plain), lp('b', ['f1,1'], plain)), upstream.hooks);
    expect(k.insmod('a')).toEqual(OK);
    expect(k.insmod('b')).toEqual(OK);
    expect(k.core.funcStacks.get('vmlinux:f1,0')!.map((f) => f.obj.patch.name)).toEqual(['b', 'a']);
    expect(k.runningCode('task0', 'vmlinux:f1,0')).toEqual({ patch: 'b' });
    expect(k.writeEnabled('b', '0')).toEqual(OK);
    expect(k.runningCode('task0', 'vmlinux:f1,1')).toEqual({ patch: 'a' });
  });

  it('sysfs names the directory f1,1 for old_sympos 0 and 1, and f2,2 for the second f2', () => {
    const k = new Kernel(symbols(lp('a', ['f1', 'f2,2'], plain), lp('b', ['f1,1'], plain)), upstream.hooks);
    expect(k.insmod('a')).toEqual(OK);
    expect(k.insmod('b')).toEqual(OK);
    expect(Object.keys(k.sysfs('a')!).filter((f) => f.startsWith('vmlinux/'))).toEqual(['vmlinux/patched', 'vmlinux/f1,1', 'vmlinux/f2,2']);
    expect(Object.keys(k.sysfs('b')!).filter((f) => f.startsWith('vmlinux/'))).toEqual(['vmlinux/patched', 'vmlinux/f1,1']);
  });

  it('one patch with both f1,0 and f1,1: klp_init_func fails with -EEXIST on the duplicate sysfs name', () => {
    const k = new Kernel(symbols(lp('a', ['f1', 'f1,1'], plain)), upstream.hooks);
    expect(k.insmod('a')).toEqual(fail('EEXIST'));
    expect(k.core.klp_patches).toEqual([]);
  });

  it('the two occurrences of a duplicate name are two functions: f2,1 and f2,2 have their own stacks', () => {
    const k = new Kernel(symbols(lp('a', ['f2,1'], plain), lp('b', ['f2,2'], plain)), upstream.hooks);
    expect(k.insmod('a')).toEqual(OK);
    expect(k.insmod('b')).toEqual(OK);
    expect(k.runningCode('task0', 'vmlinux:f2,1')).toEqual({ patch: 'a' });
    expect(k.runningCode('task0', 'vmlinux:f2,2')).toEqual({ patch: 'b' });
  });
});

describe('the spec model and the invariants see the resolved function', () => {
  it('the universe has one function f1, and spec and implementation agree that p2 runs it', () => {
    const u = symbols(lp('p1', ['f1'], replace), lp('p2', ['f1,1'], replace));
    expect(universeFuncs(u)).toEqual(['vmlinux:f1,0']);
    const r = runSequence(u, upstream, ops('insmod p1', 'insmod p2'), { invariants: INVARIANTS, conformance: true });
    expect(r.violation).toBeNull();
    expect(r.steps.at(-1)!.state.running).toEqual({ 'vmlinux:f1,0': ['p2'] });
  });

  it('a task blocked in f1,1 blocks the switch away from the f1,0 it runs', () => {
    const u = symbols(lp('p1', ['f1'], replace), lp('p2', ['f1,1'], replace));
    const r = runSequence(
      u,
      upstream,
      [...ops('insmod p1'), { op: 'block_task', task: 'task0', func: 'vmlinux:f1,1' }, ...ops('insmod p2', 'step')],
      {
        invariants: INVARIANTS,
        conformance: true,
      },
    );
    expect(r.violation).toBeNull();
    const last = r.steps.at(-1)!.state;
    expect(last.tasks[0]).toEqual({ name: 'task0', state: 'unpatched', blocked: 'vmlinux:f1,0@p1' });
    expect(last.patches.map((p) => p.status)).toEqual(['enabled', 'patching']);
  });

  it('no-function-shared-across-slots sees f1,0 and f1,1 in two tags as one shared function', () => {
    const u = symbols(lp('p1', ['f1'], { replace: 1 }), lp('p2', ['f1,1'], { replace: 2 }));
    const r = runSequence(u, semanticsByName('replace-tag-draft')!, ops('insmod p1', 'insmod p2'), {
      invariants: [invariantById('no-function-shared-across-slots')!],
      conformance: false,
    });
    expect(r.violation?.reason).toBe('p1 (slot tag:1) and p2 (slot tag:2) both use vmlinux:f1,0');
  });
});
