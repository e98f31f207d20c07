import { describe, expect, it } from 'vitest';
import { compareCase, renderStep } from '../vm/compare.ts';
import { FEATURES, hasFeature } from '../vm/features.ts';
import { knownDifference } from '../vm/known-differences.ts';
import { enabledPatches, transitionOf, type StepObservation } from '../vm/observation.ts';
import { countLine, countsOf, explain } from '../vm/report.ts';

const f = (value: string, mode = '-r--r--r--') => ({ value, mode });
const step: StepObservation = {
  index: 0,
  command: 'insmod b.ko',
  result: 'ok',
  log: ["livepatch: enabling patch 'b'"],
  sysfs: {
    'a/enabled': f('1', '-rw-r--r--'),
    'a/transition': f('0'),
    'b/enabled': f('1', '-rw-r--r--'),
    'b/transition': f('1'),
    'b/replace': f('0'),
    'b/stack_order': f('2'),
  },
  order: ['a', 'b'],
  running: { 'vmlinux:f1': 'a' },
};

describe('feature table', () => {
  it('records the measured kernels: 6.1 lacks replace, neither has stack_order, neither maps tasks to PIDs', () => {
    expect(hasFeature('6.1', 'sysfs-replace')).toBe(false);
    expect(hasFeature('6.12', 'sysfs-replace')).toBe(true);
    expect(hasFeature('6.1', 'sysfs-stack_order') || hasFeature('6.12', 'sysfs-stack_order')).toBe(false);
    for (const row of FEATURES) expect(row.reason).not.toBe('');
  });
});

describe('observations', () => {
  it('orders enabled patches by klp_patches order and names the transition with its direction', () => {
    expect(enabledPatches({ sysfs: step.sysfs, order: ['b', 'a'] })).toEqual(['b', 'a']);
    expect(enabledPatches({ sysfs: { ...step.sysfs, 'a/enabled': f('0') }, order: ['a', 'b'] })).toEqual(['b']);
    expect(transitionOf(step)).toBe('b patching');
    expect(transitionOf({ sysfs: { 'b/enabled': f('0'), 'b/transition': f('1') } })).toBe('b unpatching');
    expect(transitionOf({ sysfs: { 'b/transition': f('0') } })).toBeNull();
  });

  it('leaves out what the kernel lacks, with a note, and running versions during a transition', () => {
    const notes = new Set<string>();
    const text = renderStep(step, '6.1', notes).join('\n');
    expect(text).not.toMatch(/replace|stack_order|runs:/);
    expect([...notes].join('\n')).toMatch(/replace: not on this kernel \(the sysfs attribute replace came in Linux 6.11\)/);
    const on612 = new Set<string>();
    expect(renderStep(step, '6.12', on612).join('\n')).toMatch(/sysfs: b\/replace -r--r--r-- 0/);
    expect([...on612].join()).not.toMatch(/replace:/);
  });
});

describe('compareCase', () => {
  it('is SAME when only a missing feature differs, and never drops the note', () => {
    const real = { ...step, sysfs: Object.fromEntries(Object.entries(step.sysfs).filter(([k]) => !/replace|stack_order/.test(k))) };
    const c = compareCase('x.json', [step], [real], '6.1');
    expect(c.verdict).toBe('SAME');
    expect(c.diff).toBeUndefined();
    expect(c.notOnThisKernel).toHaveLength(2);
    // On 6.12 the kernel has replace: its absence is a difference.
    expect(compareCase('x.json', [step], [real], '6.12').verdict).toBe('DIFFERS');
  });

  it('prints a unified diff with the model first', () => {
    const c = compareCase('x.json', [step], [{ ...step, result: 'EINVAL' }], '6.1');
    expect(c.verdict).toBe('DIFFERS');
    expect(c.diff).toContain('--- x.json (model)\n+++ x.json (kernel 6.1)\n');
    expect(c.diff).toContain('-  result: ok\n+  result: EINVAL\n');
  });

  it('DIFFERS when the guest stopped early, or a problem was reported, even if the steps agree', () => {
    expect(compareCase('x.json', [step, { ...step, index: 1 }], [step], '6.1').verdict).toBe('DIFFERS');
    expect(compareCase('x.json', [step], [step], '6.1', ['the VM timed out']).verdict).toBe('DIFFERS');
  });

  it('counts known differences apart from the failing ones', () => {
    const table = [{ file: 'k.json', kernels: ['6.1' as const], reason: 'because' }];
    expect(knownDifference('dir/k.json', '6.1', table)?.reason).toBe('because');
    expect(knownDifference('dir/k.json', '6.12', table)).toBeUndefined();
    const d = compareCase('k.json', [step], [{ ...step, result: 'EINVAL' }], '6.1');
    const n = countsOf([d, compareCase('s.json', [step], [step], '6.1'), { ...d, label: 'n.json', verdict: 'NOT RUN' }]);
    expect(n).toEqual({ files: 3, same: 1, differs: 1, known: 0, notRun: 1 });
    expect(explain(compareCase('s.json', [step], [step], '6.1'), '6.1').known).toBeUndefined();
    expect(countLine(n, { release: 'r', version: 'v' })).toBe(
      '3 files: 1 same, 1 differ, 0 known differences, 1 not run (kernel r, Debian v)',
    );
  });
});

describe('text report', () => {
  it('prints one line per file, its notes, the diff without a separator line, and the count line', async () => {
    const { textReport } = await import('../vm/report.ts');
    const real = { ...step, result: 'EINVAL' };
    const run = {
      comparisons: [
        compareCase('a.json', [step], [step], '6.1'),
        { ...compareCase('b.json', [step], [real], '6.1'), notes: ['left behind after the case: p1'] },
      ],
      real: [],
      boots: 1,
      bootSeconds: 1,
    };
    const text = textReport(run, { release: '6.1.0-57-cloud-amd64', version: '6.1.192-3' } as never);
    const lines = text.split('\n');
    expect(lines[0]).toBe('SAME     a.json');
    expect(lines).toContain('DIFFERS  b.json');
    expect(lines).toContain('  left behind after the case: p1');
    expect(text).not.toMatch(/^=+$/m);
    expect(text).toContain('--- b.json (model)\n+++ b.json (kernel 6.1)\n@@ ');
    expect(lines[lines.length - 2]).toBe(
      '2 files: 1 same, 1 differ, 0 known differences, 0 not run (kernel 6.1.0-57-cloud-amd64, Debian 6.1.192-3)',
    );
  });
});
