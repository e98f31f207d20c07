import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { TEXT_MAX } from '../harness/json-file.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KlpcheckError } from '../harness/errors.ts';
import type { Op } from '../harness/ops.ts';
import { findingFile, isFinding, readFinding, saveFinding, type RealKernelFinding } from '../vm/finding.ts';
import { generateSequences } from '../vm/generate.ts';
import { reduceOps, removals } from '../vm/reduce.ts';

const op = (module: string): Op => ({ op: 'insmod', module });

describe('generated sequences', () => {
  it('are the same for the same seed, differ for another, and hold no op the guest cannot do', () => {
    const a = generateSequences(5, 7, 10);
    expect(JSON.stringify(generateSequences(5, 7, 10))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateSequences(5, 8, 10))).not.toBe(JSON.stringify(a));
    expect(a).toHaveLength(5);
    for (const s of a) {
      expect(s.ops.some((o) => o.op === 'shadow_alloc' || o.op === 'shadow_free')).toBe(false);
      // Every sequence ends with the settling ops (tasks wake up, the transition work runs).
      expect(s.ops[s.ops.length - 1]).toEqual({ op: 'transition_step' });
    }
  });
});

describe('delta debugging', () => {
  it('tries halves, quarters and single ops without repeats', () => {
    const ops = ['a', 'b', 'c', 'd'].map(op);
    const r = removals(ops).map((c) => c.map((o) => (o as { module: string }).module).join(''));
    expect(r).toEqual(['cd', 'ab', 'bcd', 'acd', 'abd', 'abc']);
  });

  it('finds the 1-minimal sequence, one batch per round', async () => {
    // Diverges while both b and d are there.
    const ops = ['a', 'b', 'c', 'd', 'e', 'f'].map(op);
    const batches: number[] = [];
    const has = (c: readonly Op[], m: string) => c.some((o) => (o as { module: string }).module === m);
    const { ops: min, rounds } = await reduceOps(ops, async (cands) => {
      batches.push(cands.length);
      return cands.map((c) => has(c, 'b') && has(c, 'd'));
    });
    expect(min.map((o) => (o as { module: string }).module)).toEqual(['b', 'd']);
    expect(rounds).toBe(batches.length);
  });
});

describe('real-kernel findings', () => {
  const finding = (ops: Op[]): RealKernelFinding => ({
    format: 1,
    property: 'real-kernel',
    semantics: 'upstream',
    kernel: '6.1',
    release: 'r',
    debian_version: 'v',
    universe: { patches: [], modules: [] },
    ops,
    model: [],
    real_kernel: [],
    diff: 'd',
    provenance: { source: 'vm-generate', seed: 1, index: 0, reduced_from: 3, klpcheck: 'x', fast_check: 'y' },
  });

  it('are saved once under a name from what they are, never overwritten with other content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-finding-'));
    const f = finding([op('a')]);
    const first = saveFinding(dir, f);
    expect(first.status).toBe('written');
    expect(first.file).toBe(findingFile(dir, f));
    expect(first.file).toMatch(/6\.1\/real-kernel-[0-9a-f]{12}\.json$/);
    // The same finding is already saved, also when another seed or version found it (provenance says who);
    // the same name with any other content (here the diff) is refused.
    expect(saveFinding(dir, f).status).toBe('exists');
    expect(saveFinding(dir, { ...f, provenance: { ...f.provenance, seed: f.provenance.seed + 1, klpcheck: '9.9.9' } }).status).toBe(
      'exists',
    );
    expect(readFileSync(first.file, 'utf8')).toBe(`${JSON.stringify(f, null, 2)}\n`);
    expect(() => saveFinding(dir, { ...f, diff: 'other run' })).toThrow(/has other content .*not overwritten/);
    expect(() => saveFinding(dir, { ...f, release: '6.1.0-99-amd64' })).toThrow(/has other content .*not overwritten/);
    expect(isFinding(JSON.parse(readFileSync(first.file, 'utf8')))).toBe(true);
    // Another finding forced into the same name is refused, and the file is kept.
    writeFileSync(findingFile(dir, finding([op('b')])), readFileSync(first.file));
    expect(() => saveFinding(dir, finding([op('b')]))).toThrow(/not overwritten/);
    // Read as readFinding reads it (helper-71, stop 45): a byte order mark is the same finding, a key given twice,
    // which a read refuses, is not.
    const text = readFileSync(first.file, 'utf8');
    writeFileSync(first.file, `\uFEFF${text}`);
    expect(saveFinding(dir, f).status).toBe('exists');
    writeFileSync(first.file, text.replace('{\n', '{\n  "diff": "x",\n'));
    expect(() => readFinding(first.file)).toThrow(KlpcheckError);
    expect(() => saveFinding(dir, f)).toThrow(/has other content .*not overwritten/);
    // One too large to read as one text is other content, never read whole (atomic-write.ts readExisting).
    truncateSync(first.file, TEXT_MAX + 1);
    expect(() => saveFinding(dir, f)).toThrow(/has other content .*not overwritten/);
  });
});
