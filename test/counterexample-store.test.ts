import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileNameFor, readCounterexample, saveCounterexample, serialize } from '../harness/counterexample.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { runProperty } from '../harness/suite.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { perState } from '../model/semantics/per-state.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'klpcheck-ce-'));
const find = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

describe('counterexample files', () => {
  it('the same seed gives byte-identical files', () => {
    const [a, b] = [tmp(), tmp()];
    for (const dir of [a, b]) runProperty({ semantics: perState, properties: undefined, runs: 3000, seed: 3, saveDir: dir }, 'callback-pairing');
    const files = find(a);
    expect(files).toHaveLength(1);
    expect(find(b)).toEqual(files);
    expect(readFileSync(join(a, files[0]!))).toEqual(readFileSync(join(b, files[0]!)));
  });

  it('saving the same counterexample again leaves the file alone', () => {
    const dir = tmp();
    const r = runProperty({ semantics: upstream, runs: 200, seed: 1, saveDir: dir }, 'no-function-shared-across-slots');
    expect(r.saved?.status).toBe('written');
    const again = saveCounterexample(dir, r.counterexample!);
    expect(again).toEqual({ file: r.saved!.file, status: 'exists' });
    expect(find(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('never overwrites a file of that name with a different counterexample', () => {
    const dir = tmp();
    const r = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots');
    const c = r.counterexample!;
    const other = { ...c, violation: { ...c.violation }, steps: c.steps.slice(0, 1), initial: c.initial };
    const file = join(dir, fileNameFor(c));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, serialize({ ...other, violation: { step: 0, reason: 'other' } }));
    const before = readFileSync(file, 'utf8');
    expect(() => saveCounterexample(dir, c)).toThrow(KlpcheckError);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('the name depends on what the counterexample is, not on the seed that found it', () => {
    const r = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots');
    const c = r.counterexample!;
    expect(fileNameFor({ ...c, provenance: { ...c.provenance, seed: 99 } })).toBe(fileNameFor(c));
    expect(fileNameFor(c)).toMatch(/^upstream\/no-function-shared-across-slots-[0-9a-f]{12}\.json$/);
  });

  it('records provenance: seed, path, fast-check and klpcheck versions, unshrunk length', () => {
    const r = runProperty({ semantics: upstream, runs: 200, seed: 1 }, 'no-function-shared-across-slots');
    const p = r.counterexample!.provenance;
    expect(p.seed).toBe(1);
    expect(p.source).toBe('random');
    expect(p.path).toMatch(/^\d+(:\d+)*$/);
    expect(p.fast_check).toMatch(/^4\./);
    expect(p.shrunk_from).toBeGreaterThanOrEqual(r.counterexample!.steps.length);
  });

  describe('bad files give one error with the file and the place in it', () => {
    const write = (text: string) => {
      const f = join(tmp(), 'bad.json');
      writeFileSync(f, text);
      return f;
    };
    const good = () => JSON.parse(readFileSync(join('counterexamples', find('counterexamples')[0]!), 'utf8'));
    it('invalid JSON', () => {
      const f = write('{"format": 1,,}');
      expect(() => readCounterexample(f)).toThrow(/invalid JSON at line 1/);
    });
    it('schema violation with its JSON pointer', () => {
      const c = good();
      c.steps[0].op = { op: 'insmod' };
      const f = write(JSON.stringify(c));
      try {
        readCounterexample(f);
        expect.unreachable();
      } catch (e) {
        expect((e as KlpcheckError).where).toBe('/steps/0/op');
        expect((e as KlpcheckError).code).toBe('E_SCHEMA');
      }
    });
    it('a violation step past the last step', () => {
      const c = good();
      c.violation.step = 99;
      const f = write(JSON.stringify(c));
      expect(() => readCounterexample(f)).toThrow(/past the last step/);
    });
  });
});
