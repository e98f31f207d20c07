/**
 * Every matrix cell combines all the evidence: saved counterexamples
 * replayed first, then the random runs, then any exhaustive result. A
 * counterexample that still reproduces makes the cell violated whatever the
 * runs found; one that no longer reproduces is reported as fixed; the one
 * to quote is the shortest, then by file name.
 *
 * The closing figure "matrix cells that disagree with the evidence (goal 0)"
 * is the last test: the quick start's `klpcheck compare` (500 sequences per
 * cell, seed 1) against verdicts/expected.json and the corpus.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCounterexample, saveCounterexample, storedFor } from '../harness/counterexample.ts';
import { readJson, validate } from '../harness/json-file.ts';
import {
  byQuote,
  checkCorpus,
  combine,
  computeMatrix,
  disagreements,
  notApplicableWhy,
  quoted,
  replaySaved,
  type CellEvidence,
  type VerdictMatrix,
} from '../harness/matrix.ts';
import { replayCounterexample } from '../harness/replay.ts';
import { verdictLine } from '../cli/commands/run.ts';
import { PLAIN } from '../cli/style.ts';
import { SEMANTICS, semanticsByName } from '../model/semantics/registry.ts';
import { INVARIANTS } from '../properties/catalog.ts';

const ROOT = resolve('.');
const CORPUS = resolve('counterexamples');
const tmp = () => mkdtempSync(join(tmpdir(), 'klpcheck-evidence-'));
const base = { semantics: 'upstream', property: 'conformance' };
const found = (file: string | undefined, length: number) => ({
  length,
  reason: `r${length}`,
  source: 'random' as const,
  ...(file ? { file: join(ROOT, file) } : {}),
});

describe('combining the evidence of one cell', () => {
  it('a saved counterexample that still reproduces makes the cell violated although the random runs found nothing', () => {
    const e: CellEvidence = {
      ...base,
      replayed: [{ file: join(ROOT, 'ce/a.json'), found: found('ce/a.json', 6) }],
      random: { sequences: 500, steps: 5000 },
    };
    expect(combine(e, ROOT)).toEqual({
      ...base,
      verdict: 'violated',
      counterexamples: [{ file: 'ce/a.json', length: 6, source: 'random' }],
      reason: 'r6',
    });
  });

  it('the one to quote comes first: shortest, then by file name, an unsaved one last; a file found twice is listed once', () => {
    const e: CellEvidence = {
      ...base,
      replayed: [
        { file: join(ROOT, 'ce/c.json'), found: found('ce/c.json', 4) },
        { file: join(ROOT, 'ce/b.json'), found: found('ce/b.json', 7) },
      ],
      random: { sequences: 9, steps: 90, found: found(undefined, 4) },
      bounded: {
        states: 1,
        transitions: 2,
        depth: 4,
        fixpoint: false,
        vacuous: [],
        found: { ...found('ce/a.json', 4), source: 'exhaustive' },
      },
    };
    const c = combine(e, ROOT);
    expect(c.verdict === 'violated' && c.counterexamples.map((r) => r.file ?? '-')).toEqual(['ce/a.json', 'ce/c.json', '-', 'ce/b.json']);
    const again = combine({ ...e, random: { sequences: 9, steps: 90, found: found('ce/c.json', 4) } }, ROOT);
    expect(again.verdict === 'violated' && again.counterexamples.map((r) => r.file)).toEqual(['ce/a.json', 'ce/c.json', 'ce/b.json']);
  });

  it('a copy in --out of a corpus file (the same name, so the same content) is listed once, as the corpus file', () => {
    const e: CellEvidence = {
      ...base,
      replayed: [
        { file: join(ROOT, 'ce/upstream/x-1.json'), found: found('ce/upstream/x-1.json', 4) },
        { file: join(ROOT, 'ce/upstream/old-2.json') },
        { file: join(ROOT, 'out/upstream/x-1.json'), found: found('out/upstream/x-1.json', 4) },
        { file: join(ROOT, 'out/upstream/old-2.json') },
      ],
      random: { sequences: 9, steps: 90, found: found('out/upstream/x-1.json', 4) },
    };
    const c = combine(e, ROOT);
    expect(c.verdict === 'violated' && c.counterexamples.map((r) => r.file)).toEqual(['ce/upstream/x-1.json']);
    expect(c.fixed).toEqual(['ce/upstream/old-2.json']);
  });

  it('a file of the naming before stop 45 holding the same finding is listed once too, by the finding it holds (helper-73)', () => {
    const e: CellEvidence = {
      ...base,
      replayed: [
        { file: join(ROOT, 'ce/upstream/x-1.json'), finding: 'x-1.json', found: found('ce/upstream/x-1.json', 4) },
        { file: join(ROOT, 'ce/upstream/old-2.json'), finding: 'old-2.json' },
        { file: join(ROOT, 'out/upstream/x-9.json'), finding: 'x-1.json', found: found('out/upstream/x-9.json', 4) },
        { file: join(ROOT, 'out/upstream/old-8.json'), finding: 'old-2.json' },
      ],
      random: { sequences: 9, steps: 90, found: found('out/upstream/x-1.json', 4) },
    };
    const c = combine(e, ROOT);
    expect(c.verdict === 'violated' && c.counterexamples.map((r) => r.file)).toEqual(['ce/upstream/x-1.json']);
    expect(c.fixed).toEqual(['ce/upstream/old-2.json']);
    // replaySaved names the finding of each file it reads, of either naming.
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-old-names-'));
    const [stored] = storedFor(CORPUS, 'upstream', 'conformance');
    const saved = saveCounterexample(out, stored!.counterexample);
    const old = join(
      dirname(saved.file),
      `conformance-${createHash('sha256').update(readFileSync(saved.file)).digest('hex').slice(0, 12)}.json`,
    );
    renameSync(saved.file, old);
    expect(replaySaved(out, semanticsByName('upstream')!, 'conformance').map((r) => [r.file, r.finding])).toEqual([
      [old, basename(saved.file)],
    ]);
  });

  it('a random pass whose sequences applied no operation says so in its data: vacuous (stop 37)', () => {
    // --json showed a plain holds with steps 0 (second hostile user, stop 37).
    expect(combine({ ...base, replayed: [], random: { sequences: 5, steps: 0 } }, ROOT)).toEqual({
      ...base,
      verdict: 'holds-random',
      sequences: 5,
      steps: 0,
      vacuous: ['an operation applied'],
    });
    expect(combine({ ...base, replayed: [], random: { sequences: 5, steps: 1 } }, ROOT)).not.toHaveProperty('vacuous');
  });

  it('a saved counterexample that no longer reproduces is listed as fixed, not dropped', () => {
    const c = combine({ ...base, replayed: [{ file: join(ROOT, 'ce/old.json') }], random: { sequences: 5, steps: 50 } }, ROOT);
    expect(c).toEqual({ ...base, verdict: 'holds-random', sequences: 5, steps: 50, fixed: ['ce/old.json'] });
  });

  it('a bounded pass is told apart from a random one, and says how far its exploration went', () => {
    const bounded = { states: 7, transitions: 9, depth: 4, fixpoint: false, vacuous: ['x'] };
    const c = combine({ ...base, replayed: [], random: { sequences: 5, steps: 50 }, bounded }, ROOT);
    expect(c).toEqual({
      ...base,
      verdict: 'holds-bounded',
      sequences: 5,
      steps: 50,
      states: 7,
      transitions: 9,
      depth: 4,
      fixpoint: false,
      vacuous: ['x'],
    });
    const closed = combine({ ...base, replayed: [], bounded: { ...bounded, depth: 21, fixpoint: true } }, ROOT);
    expect(closed).toMatchObject({ verdict: 'holds-bounded', depth: 21, fixpoint: true });
    expect(closed).not.toHaveProperty('state_budget');
    const cut = combine({ ...base, replayed: [], bounded: { ...bounded, depth: 5, stateBudget: { states: 5000, inDepth: 6 } } }, ROOT);
    expect(cut).toMatchObject({ depth: 5, fixpoint: false, state_budget: { states: 5000, in_depth: 6 } });
  });

  it('an exploration with nothing to check of the property gives no bounded proof: the random runs that checked it decide (hostile-user finding, stop 49)', () => {
    const why = 'nothing checked, as the search stopped at depth 1 and no sequence of at most 1 step loads two patches';
    const bounded = { states: 9, transitions: 20, depth: 1, fixpoint: false, vacuous: [], vacuousInScope: why };
    const e: CellEvidence = { ...base, replayed: [], random: { sequences: 20, steps: 242 }, bounded };
    expect(combine(e, ROOT)).toEqual({ ...base, verdict: 'holds-random', sequences: 20, steps: 242, exhaustive_nothing: why });
    // Random runs that checked nothing either: the bounded cell, vacuous, as before.
    const both = { ...e, random: { sequences: 20, steps: 242, vacuousInScope: 'nothing to check, as ...' } };
    expect(combine(both, ROOT)).toMatchObject({ verdict: 'holds-bounded', vacuous_in_scope: why });
    expect(combine({ ...e, random: { sequences: 20, steps: 0 } }, ROOT)).toMatchObject({ verdict: 'holds-bounded' });
    expect(combine({ ...e, random: undefined }, ROOT)).toMatchObject({ verdict: 'holds-bounded' });
  });

  it('every invariant that does not apply somewhere says why', () => {
    for (const inv of INVARIANTS) {
      for (const sem of SEMANTICS) if (!inv.appliesTo(sem)) expect(inv.whyNotApplicable, `${inv.id} under ${sem.name}`).toMatch(/^has no /);
    }
    expect(notApplicableWhy(semanticsByName('upstream')!, 'shadow-lifetime')).toMatch(/^upstream has no is_shadow states/);
    expect(notApplicableWhy(semanticsByName('per-state')!, 'shadow-lifetime')).toBeUndefined();
  });

  it('n/a says why', () => {
    const c = combine(
      { semantics: 'upstream', property: 'shadow-lifetime', notApplicable: 'upstream has no is_shadow states', replayed: [] },
      ROOT,
    );
    expect(c).toEqual({
      semantics: 'upstream',
      property: 'shadow-lifetime',
      verdict: 'not-applicable',
      reason: 'upstream has no is_shadow states',
    });
  });
});

describe('the matrix replays the saved counterexamples first', () => {
  const upstream = semanticsByName('upstream')!;
  const opts = { semantics: [upstream], properties: ['conformance'], runs: 20, seed: 1, maxSteps: 30, root: ROOT };

  it('upstream conformance: the saved exhaustive counterexample makes the cell violated where 20 random runs find nothing', () => {
    const random = computeMatrix({ ...opts, corpus: tmp() });
    expect(random.cells[0]?.verdict).toBe('holds-random');
    const m = computeMatrix({ ...opts, corpus: CORPUS });
    const cell = m.cells[0]!;
    expect(cell.verdict).toBe('violated');
    expect(cell.verdict === 'violated' && quoted(cell)).toMatchObject({
      file: expect.stringMatching(/^counterexamples\/upstream\/conformance-[0-9a-f]{12}\.json$/),
      source: 'exhaustive',
    });
  });

  it('a saved counterexample still violated, but not as recorded, says how (replaySaved), and run says so instead of "still reproduces"', () => {
    // run called it "a saved counterexample that still reproduces" (stop 33's note, left alone then).
    const corpus = tmp();
    const [stored] = storedFor(CORPUS, 'upstream', 'conformance');
    const c = stored!.counterexample;
    const reworded = { ...c, violation: { ...c.violation, reason: 'NOT THE MODEL’S WORDS' } };
    const saved = saveCounterexample(corpus, reworded);
    const [replayed] = replaySaved(corpus, upstream, 'conformance');
    expect(replayed).toEqual({
      file: saved.file,
      finding: basename(saved.file),
      found: expect.objectContaining({
        reason: c.violation.reason,
        notAsRecorded: 'recorded with another reason: "NOT THE MODEL’S WORDS"',
      }),
    });
    expect(replaySaved(CORPUS, upstream, 'conformance').every((r) => r.found && !('notAsRecorded' in r.found))).toBe(true);
    // A file that checks nothing in its cell (here a property upstream has no states for) is neither a finding nor a fix.
    const [shadow] = storedFor(CORPUS, 'per-state', 'shadow-lifetime');
    const moved = saveCounterexample(corpus, { ...shadow!.counterexample, semantics: 'upstream' });
    expect(notApplicableWhy(upstream, 'shadow-lifetime')).toBeDefined();
    expect(storedFor(corpus, 'upstream', 'shadow-lifetime').map((x) => x.file)).toEqual([moved.file]);
    expect(replaySaved(corpus, upstream, 'shadow-lifetime')).toEqual([]);
    // One whose own universe gives its property nothing to check no longer applies as a finding: listed with the fixed
    // ones, as a record none of whose steps can run (it vanished from compare and run: helper-132, stop 72).
    const [downgrade] = storedFor(CORPUS, 'upstream', 'no-silent-downgrade');
    const { forbid_downgrade: _, ...universe } = downgrade!.counterexample.universe;
    const off = saveCounterexample(corpus, { ...downgrade!.counterexample, universe });
    expect(replaySaved(corpus, upstream, 'no-silent-downgrade')).toEqual([{ file: off.file, finding: basename(off.file) }]);
    const result = { semantics: 'upstream', property: 'conformance', verdict: 'holds', runs: 5, steps: 40 } as Parameters<
      typeof verdictLine
    >[0];
    expect(verdictLine(result, PLAIN, 12, [replayed!], replayed!.found)).toMatch(
      /^upstream +conformance +VIOLATED by a saved counterexample that still violates it, though not as recorded \(recorded with another reason: "NOT THE MODEL’S WORDS"\), in \d+ steps: /,
    );
    const [live] = replaySaved(CORPUS, upstream, 'conformance');
    expect(verdictLine(result, PLAIN, 12, [live!], live!.found)).toMatch(/VIOLATED by a saved counterexample that still reproduces, in /);
  });

  it('run says a pass whose sequences applied no operation is vacuous (hostile-user finding, stop 37)', () => {
    const holds = (steps: number) =>
      ({ semantics: 'stacking', property: 'conformance', verdict: 'holds', runs: 5, steps }) as Parameters<typeof verdictLine>[0];
    expect(verdictLine(holds(0), PLAIN, 12, [])).toBe(
      'stacking     conformance                      VACUOUS  (5 sequences, 0 steps; no random sequence applied an operation: nothing was checked)',
    );
    expect(verdictLine(holds(1), PLAIN, 12, [])).toBe('stacking     conformance                      holds  (5 sequences, 1 step)');
    // Sequences too short to break the property: vacuous too, with why (helper-76, stop 47).
    expect(verdictLine(holds(3), PLAIN, 12, [], undefined, 'nothing to check, as X')).toBe(
      'stacking     conformance                      VACUOUS  (5 sequences, 3 steps; nothing to check, as X)',
    );
  });

  it('run names a saved file that no longer reproduces beside a violated cell too, as compare lists it (helper-76, stop 47)', () => {
    const gone = { file: join(tmp(), 'upstream', 'conformance-000000000000.json') };
    const violated = {
      semantics: 'upstream',
      property: 'conformance',
      verdict: 'violated',
      runs: 5,
      steps: 40,
      counterexample: { steps: [{}, {}], violation: { step: 1, reason: 'THE RUNS’ ONE' } },
    } as unknown as Parameters<typeof verdictLine>[0];
    expect(verdictLine(violated, PLAIN, 12, [gone])).toMatch(
      /VIOLATED at step 2 of 2: THE RUNS’ ONE; fixed since saved: \S+conformance-000000000000\.json$/,
    );
    const [live] = replaySaved(CORPUS, upstream, 'conformance');
    // A longer one of the random runs: the saved one is quoted, and the fixed one still named.
    const longer = { ...violated, counterexample: { steps: Array.from({ length: 20 }, () => ({})), violation: { step: 19, reason: 'R' } } };
    expect(verdictLine(longer as unknown as typeof violated, PLAIN, 12, [gone, live!], live!.found)).toMatch(
      /VIOLATED by a saved counterexample that still reproduces, .*\(the random runs found one of 20 steps; fixed since saved: \S+conformance-000000000000\.json\)$/,
    );
  });

  it('run quotes, of two equally short counterexamples, the one compare lists first (byQuote: by file name)', () => {
    // run quoted the random runs' one whenever it was not longer, compare the first by name (stop 36's second helper).
    const [live] = replaySaved(CORPUS, upstream, 'conformance');
    const found = live!.found!;
    const steps = Array.from({ length: found.length }, () => ({}));
    const violated = (file: string) =>
      ({
        semantics: 'upstream',
        property: 'conformance',
        verdict: 'violated',
        runs: 5,
        steps: 40,
        counterexample: { steps, violation: { step: 0, reason: 'THE RUNS’ ONE' } },
        saved: { file, created: true },
      }) as unknown as Parameters<typeof verdictLine>[0];
    const dir = dirname(found.file!);
    const before = join(dir, 'conformance-000000000000.json');
    const after = join(dir, 'conformance-ffffffffffff.json');
    expect(verdictLine(violated(after), PLAIN, 12, [live!], found)).toMatch(/VIOLATED by a saved counterexample that still reproduces/);
    expect(verdictLine(violated(before), PLAIN, 12, [live!], found)).toMatch(/VIOLATED at step 1 of \d+: THE RUNS’ ONE -> /);
    // The same file found again is quoted once, as the runs' find.
    expect(verdictLine(violated(found.file!), PLAIN, 12, [live!], found)).toMatch(/VIOLATED at step 1 of /);
    const quotedByCompare = [found, { ...found, file: before }, { ...found, file: after }].sort(byQuote)[0]!;
    expect(quotedByCompare.file).toBe(before);
  });

  it('a saved counterexample none of whose steps can run today is listed as fixed, not dropped (stop 37)', () => {
    // replay calls it not checked; compare and run listed it nowhere (stop 37's second hostile user).
    const corpus = tmp();
    const [stored] = storedFor(CORPUS, 'upstream', 'conformance');
    const c = stored!.counterexample;
    const wake = { ...c.steps[0]!, op: { op: 'unblock_task', task: 'task0' } } as (typeof c.steps)[number];
    const saved = saveCounterexample(corpus, { ...c, steps: [wake], violation: { step: 0, reason: 'x' } });
    expect(replaySaved(corpus, upstream, 'conformance')).toEqual([{ file: saved.file, finding: basename(saved.file) }]);
  });

  it('a saved counterexample edited by hand is refused before any work (checkCorpus), only in the cells selected', () => {
    const corpus = tmp();
    const [stored] = storedFor(CORPUS, 'upstream', 'conformance');
    const saved = saveCounterexample(corpus, stored!.counterexample);
    expect(() => checkCorpus({ ...opts, corpus })).not.toThrow();
    writeFileSync(saved.file, readFileSync(saved.file, 'utf8').replace('"reason": "', '"reason": "edited: '));
    expect(() => checkCorpus({ ...opts, corpus })).toThrow(expect.objectContaining({ code: 'E_CONFLICT', file: saved.file }));
    // Another cell's files are not its input.
    expect(() => checkCorpus({ ...opts, properties: ['module-safety'], corpus })).not.toThrow();
  });

  it('a hand-edited file where the saves go is refused before any work, as one in the corpus, and kept', () => {
    // It was found only when a save met its name, after the runs: --out is replayed too now (stop 35).
    const corpus = tmp();
    const out = tmp();
    const cell = { ...opts, properties: ['no-function-shared-across-slots'], runs: 100, seed: 5, corpus };
    const first = computeMatrix({ ...cell, saveDir: out });
    expect(first.cells[0]!.verdict).toBe('violated');
    const file = join(out, 'upstream', readdirSync(join(out, 'upstream'))[0]!);
    const edited = readFileSync(file, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(file, edited);
    expect(() => checkCorpus({ ...cell, semantics: [upstream], saveDir: out })).toThrow(
      expect.objectContaining({ code: 'E_CONFLICT', file }),
    );
    expect(() => checkCorpus({ ...cell, semantics: [upstream] })).not.toThrow();
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('the --out folder is replayed as the corpus is: a counterexample saved there wins over runs that find none (hostile-user finding, stop 35)', () => {
    const [saved] = storedFor(CORPUS, 'upstream', 'conformance');
    const out = tmp();
    saveCounterexample(out, saved!.counterexample);
    const m = computeMatrix({ ...opts, corpus: tmp(), saveDir: out });
    expect(m.cells[0]?.verdict).toBe('violated');
    expect(m.also_replayed).toBe(relative(ROOT, out));
    // The same folder as the corpus is replayed once.
    const once = computeMatrix({ ...opts, corpus: out, saveDir: out });
    expect(once.cells[0]?.verdict === 'violated' && once.cells[0].counterexamples).toHaveLength(1);
    expect(once).not.toHaveProperty('also_replayed');
  });

  it('a saved counterexample that no longer reproduces is reported as fixed', () => {
    // per-state's shadow finding, replayed under upstream (no per-state callbacks), no longer violates conformance.
    const corpus = tmp();
    const [perState] = storedFor(CORPUS, 'per-state', 'conformance');
    const moved = { ...perState!.counterexample, semantics: 'upstream' };
    const saved = saveCounterexample(corpus, moved);
    expect(replayCounterexample(moved, upstream).verdict.kind).toBe('fixed');
    const m = computeMatrix({ ...opts, corpus });
    expect(m.cells[0]).toMatchObject({ verdict: 'holds-random', fixed: [relative(ROOT, saved.file)] });
  });
});

describe('the quick start compare against verdicts/expected.json and the corpus', () => {
  let expected: VerdictMatrix;
  let m: VerdictMatrix;
  beforeAll(() => {
    expected = validate<VerdictMatrix>('verdict-matrix', readJson('verdicts/expected.json'), 'verdicts/expected.json');
    // `npx klpcheck compare`: 500 sequences per cell, seed 1, up to 30 operations, the repository corpus first.
    m = computeMatrix({ semantics: SEMANTICS, runs: 500, seed: 1, maxSteps: 30, corpus: CORPUS, root: ROOT });
  }, 600_000);

  it('0 cells disagree with verdicts/expected.json', () => {
    expect(disagreements(m, expected)).toEqual([]);
  });

  it('every saved counterexample that reproduces is listed in its violated cell', () => {
    const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const c = readCounterexample(join(CORPUS, f));
      const cell = m.cells.find((x) => x.semantics === c.semantics && x.property === c.invariant);
      expect(cell?.verdict, f).toBe('violated');
      expect(cell?.verdict === 'violated' && cell.counterexamples.map((r) => r.file), f).toContain(join('counterexamples', f));
    }
  });
});
