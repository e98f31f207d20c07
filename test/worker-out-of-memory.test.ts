/**
 * A worker thread that runs out of memory (harness/explore/worker-failure.ts,
 * packed/parallel.ts): the packed engine replaces it and the search goes on
 * to the same result; one that runs out before it answers a chunk stops
 * explore, which reports the levels expanded in full and then the E_MEMORY
 * line (exit 2), never an internal error, a stack
 * trace or exit 1 (the stop-50 hostile review's p3 f3 s2 t2 depth 3 run
 * ended with all three). KLPCHECK_WORKER_HEAP_MIB (cli/worker-heap.ts)
 * limits the workers alone, so that the main thread, which holds the visited
 * set, is not the one to run out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../cli/io.ts';
import { main } from '../cli/main.ts';
import { workerHeapMiB, workerHeapWords } from '../cli/worker-heap.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { OOM_DEPTH_VARIABLE, outOfMemoryDepth, quietly, workerFailure } from '../harness/explore/worker-failure.ts';
import { packedSearchParallel } from '../harness/explore/packed/parallel.ts';
import { parseScope } from '../harness/explore/scope.ts';
import type { ExploreSummary } from '../harness/explore/summary.ts';
import { combine, exhaustiveEvidence, type VerdictMatrix } from '../harness/matrix.ts';
import { stoppedByMemory } from '../cli/commands/compare.ts';
import { budgetCheckedNothing, budgetLeftNothingToCheck } from '../cli/commands/explore.ts';
import { matrixText } from '../report/matrix/text.ts';

/**
 * explore of upstream at `scope` on one worker, the workers' heap `heap` MiB (unset: node's), with `more` options;
 * `env` adds to the environment (NODE_OPTIONS is otherwise empty).
 */
const explore = (scope: string, heap?: string, env: Readonly<Record<string, string>> = {}, ...more: string[]) =>
  spawnSync(
    process.execPath,
    ['bin/klpcheck.mjs', 'explore', '--semantics', 'upstream', '--scope', scope, '--no-save', '--workers', '1', ...more],
    {
      encoding: 'utf8',
      env: { ...process.env, KLPCHECK_WORKER_HEAP_MIB: heap ?? '', NODE_OPTIONS: '', ...env },
      timeout: 120_000,
    },
  );

/**
 * The workers are made to run out at depth `d` (worker-failure.ts OOM_DEPTH_VARIABLE), each semantics' given as
 * 'upstream:2': where a worker's heap runs out of itself moves from machine to machine, and these tests need a level.
 * Stop 53's CI run failed on a shard whose worker finished, there, the level it ran out in here.
 */
const outAt = (d: number | string) => ({ [OOM_DEPTH_VARIABLE]: String(d) });

const NO_STACK = /internal error|node:internal|\n\s+at |FATAL ERROR/;

describe('a worker out of memory', () => {
  it('is replaced, and the search ends with the report and exit code of a search no worker of which ran out', () => {
    // 96 MiB fills with the definitions and answers of a few chunks at this depth; a new worker takes the chunks.
    const scope = 'patches=3,functions=2,states=2,tasks=2,depth=3';
    const limited = explore(scope, '96');
    const free = explore(scope);
    expect(limited.stderr).toMatch(
      /^klpcheck explore: a worker thread ran out of memory at depth 3, \d+ states stored; a new one takes its chunks \(a larger heap saves its start-up: KLPCHECK_WORKER_HEAP_MIB=MiB, or NODE_OPTIONS=--max-old-space-size=MiB for every thread, not both\)$/m,
    );
    expect(free.stderr).not.toMatch(/ran out of memory/);
    expect(limited.stderr).not.toMatch(NO_STACK);
    expect(limited.stdout).toBe(free.stdout);
    expect(limited.status).toBe(free.status);
    expect(free.status).toBe(1);
  }, 150_000);

  it('that runs out again before it answers a chunk stops explore: the levels expanded in full are reported, then the E_MEMORY line, exit 2', () => {
    const r = explore('patches=3,functions=3,states=2,tasks=2,depth=3', '32');
    expect(r.status).toBe(2);
    // The report of depths 0 to 2, INCOMPLETE: the same counts and violations as the search bounded at depth 2. It
    // was no report at all, and the violations found at depth 2 were lost (stop 51's note).
    const bounded = explore('patches=3,functions=3,states=2,tasks=2,depth=2');
    expect(bounded.status).toBe(1);
    const lines = (out: string) => out.split('\n');
    const [, counts] = lines(r.stdout);
    expect(counts).toBe(
      `${lines(bounded.stdout)[1]!.replace(/ up to depth 2$/, '')} (INCOMPLETE: every sequence up to depth 2, not every longer one)`,
    );
    const violated = (out: string) => lines(out).filter((l) => /VIOLATED|^ {20,}\S/.test(l));
    expect(violated(r.stdout).length).toBeGreaterThan(0);
    expect(violated(r.stdout)).toEqual(violated(bounded.stdout));
    expect(r.stderr).toMatch(
      /^klpcheck explore: INCOMPLETE: a worker thread ran out of memory \(below\), and the level under way was given up; nothing holds yet$/m,
    );
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^klpcheck: a worker thread ran out of memory at depth \d+, \d+ states stored: bound the search \(a smaller depth in --scope, or --max-states\), or give the workers a larger heap \(KLPCHECK_WORKER_HEAP_MIB=MiB, .*, not both\) \[E_MEMORY\]$/,
    );
    // Nothing after it, and no stack: the other chunks the worker held were rejected too, and used to end node.
    expect(r.stderr).not.toMatch(NO_STACK);
  }, 150_000);

  it('on the object engine, which does not replace it, stops explore too: the report, then the E_MEMORY line, exit 2', () => {
    const r = explore('patches=3,functions=3,states=1,tasks=2,depth=3', '32', outAt(3), '--engine', 'object');
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[1]).toMatch(/ \(INCOMPLETE: every sequence up to depth 2, not every longer one\)$/);
    expect(r.stdout).toMatch(/^no-foreign-removal +VIOLATED: shortest counterexample has 2 steps/m);
    expect(r.stderr).toMatch(/^klpcheck explore: INCOMPLETE: a worker thread ran out of memory \(below\)/m);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^klpcheck: a worker thread ran out of memory at depth 3, \d+ states stored: .* \[E_MEMORY\]$/,
    );
    expect(r.stderr).not.toMatch(NO_STACK);
  }, 150_000);

  it('with nothing to check in the levels expanded in full, and nothing violated, ends with the E_MEMORY line alone, unless a result file is asked for', () => {
    // Depth 1 loads one patch, and no-foreign-overlap needs two: the report was one VACUOUS IN SCOPE line, which a
    // budget's stop refuses instead (helper-86).
    const search = (...more: string[]) =>
      spawnSync(
        process.execPath,
        [
          'bin/klpcheck.mjs',
          'explore',
          '--semantics',
          'replace-set',
          '--scope',
          'patches=5,functions=6,states=3,tasks=3,depth=2',
          '--invariant',
          'no-foreign-overlap',
          '--no-save',
          '--workers',
          '1',
          ...more,
        ],
        // The packed engine's worker, and a shard's (the object engine's).
        { encoding: 'utf8', env: { ...process.env, KLPCHECK_WORKER_HEAP_MIB: '32', ...outAt(2) }, timeout: 120_000 },
      );
    const lastLine = /^klpcheck: a worker thread ran out of memory at depth 2, .* \[E_MEMORY\]$/;
    const r = search();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(lastLine);
    // A shard's result file is written, INCOMPLETE, as after a Ctrl-C: a merge needs it (helper-87: none was written).
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-oom-'));
    try {
      const out = join(dir, 'r0.json');
      const shard = search('--shard', '0/2', '--out', out);
      expect(shard.status).toBe(2);
      expect(shard.stdout).toMatch(/INCOMPLETE/);
      expect(shard.stderr.trimEnd().split('\n').at(-1)).toMatch(lastLine);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ complete: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('names the level under way when the first chunk of a level fails, and a result file not written before its line (helper-86)', async () => {
    // A shard runs on the object engine, whose worker is made to fail on depth 3's first chunk (a worker thread takes
    // process.env, not io.env). The line said depth 2, the level the report claims, and a --out whose folder went
    // away hid it: its E_IO came last instead.
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-oom-'));
    const out = join(dir, 'shard.json');
    const err: string[] = [];
    let t = 0;
    const io: Io = {
      stdout: () => {},
      stderr: (text) => {
        err.push(text);
        // The first progress line: the search is under way, --out was checked, and its folder goes.
        if (text.includes(' depth ')) rmSync(dir, { recursive: true, force: true });
      },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: { KLPCHECK_WORKER_HEAP_MIB: '32' },
      now: () => (t += 60_000),
    };
    const scope = 'patches=3,functions=3,states=2,tasks=2,depth=3';
    const args = ['explore', '--semantics', 'upstream', '--scope', scope, '--shard', '0/2', '--out', out, '--no-save', '--workers', '1'];
    process.env[OOM_DEPTH_VARIABLE] = '3';
    try {
      expect(await main(args, io)).toBe(2);
    } finally {
      delete process.env[OOM_DEPTH_VARIABLE];
    }
    const lines = err.join('').trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(new RegExp(`^klpcheck: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*\\[E_IO\\]$`));
    expect(lines.at(-1)).toMatch(/^klpcheck: a worker thread ran out of memory at depth 3, \d+ states stored: .* \[E_MEMORY\]$/);
    expect(err.join('')).toMatch(/^klpcheck explore: INCOMPLETE: a worker thread ran out of memory \(below\)/m);
  }, 150_000);

  it("stops one semantics' search in compare --exhaustive: its cells claim the levels expanded in full and name the heap, the others are searched, then E_MEMORY for each, exit 2", () => {
    const compare = (scope: string, heap?: string, env: Readonly<Record<string, string>> = {}, ...more: string[]) =>
      spawnSync(
        process.execPath,
        [
          'bin/klpcheck.mjs',
          'compare',
          '--semantics',
          'upstream,stacking,per-state',
          '--exhaustive',
          '--scope',
          scope,
          '--runs',
          '5',
          '--no-save',
          ...more,
        ],
        { encoding: 'utf8', env: { ...process.env, KLPCHECK_WORKER_HEAP_MIB: heap ?? '', ...env }, timeout: 120_000 },
      );
    // Upstream's worker runs out in depth 2, after answering depth 1's chunks, and so does the new one, before it
    // answers one; per-state's runs out in depth 1, before it answers one; stacking's search ends. (--record, which then writes nothing, is not asked: a selection with other settings than
    // verdicts/expected.json's is refused before the work, and that file, the repository's, is the only one it writes.)
    const scope = 'patches=5,functions=6,states=3,tasks=3,depth=2';
    const r = compare(scope, '32', outAt('upstream:2,per-state:1'), '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(NO_STACK);
    // Each note that a worker was replaced names its semantics (helper-88).
    expect(r.stderr).toMatch(
      /^klpcheck compare: upstream: a worker thread ran out of memory at depth 2, \d+ states stored; a new one takes its chunks/m,
    );
    const err = r.stderr.trimEnd().split('\n');
    expect(err.at(-2)).toMatch(
      // Made to run out, it would fill any heap: the line says what did it, not to raise the heap (helper-92).
      /^klpcheck: upstream: a worker thread ran out of memory at depth 2, 123 states stored: KLPCHECK_TEST_WORKER_OOM_DEPTH="upstream:2,per-state:1" made it run out, whatever its heap: unset it \(it is for klpcheck's own tests\) \[E_MEMORY\]$/,
    );
    expect(err.at(-1)).toMatch(/^klpcheck: per-state: a worker thread ran out of memory at depth 1, 8 states stored: .* \[E_MEMORY\]$/);
    // Exit 2, not 1: the count line does not say "so exit 1".
    expect(err.at(-3)).toMatch(
      /^klpcheck compare: 42 cells in [\d.]+ s \(seed -?\d+\); \d+ violated; counterexamples: none written \(--no-save\)$/,
    );
    const matrix = JSON.parse(r.stdout) as VerdictMatrix;
    const heap = 'KLPCHECK_WORKER_HEAP_MIB=32';
    // How far each search went, whatever its cells' verdicts: per-state has no holds-bounded cell to say it (helper-88).
    expect(matrix.exhaustive?.searches).toEqual([
      { semantics: 'upstream', depth: 1, fixpoint: false, state_budget: { states: expect.any(Number), in_depth: 2, worker_heap: heap } },
      { semantics: 'stacking', depth: 2, fixpoint: false },
      { semantics: 'per-state', depth: 0, fixpoint: false, state_budget: { states: 8, in_depth: 1, worker_heap: heap } },
    ]);
    const cells = (sem: string) => matrix.cells.filter((c) => c.semantics === sem);
    const bounded = (sem: string) => cells(sem).flatMap((c) => (c.verdict === 'holds-bounded' ? [c] : []));
    expect(bounded('upstream').length).toBeGreaterThan(0);
    for (const c of bounded('upstream')) {
      expect(c).toMatchObject({ depth: 1, fixpoint: false });
      expect(c.state_budget).toEqual({ states: c.states, in_depth: 2, worker_heap: heap });
    }
    for (const c of bounded('stacking')) {
      expect(c).toMatchObject({ depth: 2, fixpoint: false });
      expect(c.state_budget).toBeUndefined();
    }
    // Nothing checked in depth 1: no cell of per-state holds on the search; those the random runs checked say why.
    expect(bounded('per-state')).toEqual([]);
    const nothing = `nothing checked, as a worker thread's heap, ${heap}, ran out in depth 1`;
    expect(cells('per-state').filter((c) => c.verdict === 'holds-random' && c.exhaustive_nothing === nothing).length).toBeGreaterThan(0);
    // Each semantics' verdicts are those of a search bounded where it stopped, or of one no worker of which ran out.
    // Their states count what the level given up had stored too, as explore's report counts them (README).
    const verdicts = (m: VerdictMatrix, sem: string) => m.cells.filter((c) => c.semantics === sem).map((c) => [c.property, c.verdict]);
    const atDepth1 = JSON.parse(compare(scope.replace('depth=2', 'depth=1'), undefined, {}, '--json').stdout) as VerdictMatrix;
    expect(verdicts(matrix, 'upstream')).toEqual(verdicts(atDepth1, 'upstream'));
    expect(verdicts(matrix, 'upstream').some(([, v]) => v === 'violated')).toBe(true);
    // The views say what stopped each, and how to go further.
    const text = matrixText(matrix);
    expect(text).toContain(`every sequence up to depth 1 (a worker thread's heap, ${heap}, ran out at `);
    expect(text).toContain(`no sequence (a worker thread's heap, ${heap}, ran out at 8 states in depth 1) for per-state`);
    expect(text).toContain(
      'A worker thread out of memory stopped an exploration: bound the search (a smaller depth in --scope, or --max-states), or give the workers a larger heap',
    );
  }, 150_000);

  it('past the state budget costs nothing: the report and exit code of the search without the limit, no E_MEMORY (helper-89)', () => {
    // The budget stops the search in depth 2; a worker then runs out on a chunk in flight, which the budget drops anyway.
    const search = (heap?: string) => explore('patches=5,functions=6,states=3,tasks=3,depth=2', heap, {}, '--max-states', '5000');
    const limited = search('32');
    const free = search();
    // Until stop 53 its worker was replaced past the budget (a note, and the run twice as long: helper-90), and then the
    // search ended INCOMPLETE with E_MEMORY, its budget's stop lost (helper-89).
    expect(limited.stderr).not.toMatch(/ran out of memory|E_MEMORY|INCOMPLETE/);
    expect(limited.stdout).toBe(free.stdout);
    expect(limited.stdout).toMatch(/up to depth 1 \(the state budget, 5000 states, ran out in depth 2, which is not claimed\)$/m);
    expect(limited.status).toBe(free.status);
  }, 150_000);

  it('a search stopped before it expanded a level in full claims nothing of a property it found nothing of: its cell holds on the random runs alone, and says why', () => {
    const summary = {
      semantics: 'per-state',
      properties: ['transition-sanity', 'conformance'],
      depthReached: 0,
      fixpoint: false,
      distinctStates: 8,
      transitions: 8,
      violations: [{ property: 'conformance', ops: [{ op: 'insmod', module: 'p1' }], reason: 'r' }],
      stateBudget: { states: 8, inDepth: 1, workerHeap: "node's default" },
      reached: [],
    } as unknown as ExploreSummary;
    const x = { summary, files: new Map<string, string>() };
    const why = "nothing checked, as a worker thread's heap, node's default, ran out in depth 1";
    expect(exhaustiveEvidence(x, 'transition-sanity')).toEqual({ exhaustiveNothing: why });
    const base = { semantics: 'per-state', property: 'transition-sanity', replayed: [], exhaustiveNothing: why };
    expect(combine({ ...base, random: { sequences: 5, steps: 40 } }, '/')).toEqual({
      semantics: 'per-state',
      property: 'transition-sanity',
      verdict: 'holds-random',
      sequences: 5,
      steps: 40,
      exhaustive_nothing: why,
    });
    // Random runs that applied no operation: no bounded pass of depth 0 either (helper-89 met one).
    expect(combine({ ...base, random: { sequences: 1, steps: 0 } }, '/')).toMatchObject({
      verdict: 'holds-random',
      exhaustive_nothing: why,
    });
    // What it found in the level it gave up is found: a violation is a violation at any depth.
    expect(exhaustiveEvidence(x, 'conformance').bounded?.found).toMatchObject({ length: 1, source: 'exhaustive' });
  });

  it("names the workers' heap as the user set it, and no budget refuses a search a worker's heap stopped", () => {
    const s = { depthReached: 2, distinctStates: 9, violations: [] } as unknown as ExploreSummary;
    expect(stoppedByMemory(s, 'KLPCHECK_WORKER_HEAP_MIB=64').stateBudget).toEqual({
      states: 9,
      inDepth: 3,
      workerHeap: 'KLPCHECK_WORKER_HEAP_MIB=64',
    });
    expect(workerHeapWords(64, {})).toBe('KLPCHECK_WORKER_HEAP_MIB=64');
    expect(workerHeapWords(undefined, {})).toBe("node's default");
    // node's flag is every thread's limit, the workers' too: it was called node's default (helper-88).
    expect(workerHeapWords(undefined, { NODE_OPTIONS: '--trace-warnings --max-old-space-size=56' })).toBe('--max-old-space-size=56');
    expect(workerHeapWords(undefined, {}, ['--max_heap_size=80'])).toBe('--max_heap_size=80');
    // The one in effect: node's command line after NODE_OPTIONS, the last of a flag given twice (helper-89).
    expect(workerHeapWords(undefined, { NODE_OPTIONS: '--max-old-space-size=4096' }, ['--max-old-space-size=56'])).toBe(
      '--max-old-space-size=56',
    );
    expect(workerHeapWords(undefined, { NODE_OPTIONS: '--max-old-space-size=4096 --max-old-space-size=56' })).toBe(
      '--max-old-space-size=56',
    );
    // Stopped in depth 1 with a violation found: a budget's refusal ("--max-states 9 ... raise it") hid the matrix.
    const stopped = { ...stoppedByMemory({ ...s, depthReached: 0 }, "node's default"), violations: [{}] } as unknown as ExploreSummary;
    expect(budgetCheckedNothing(stopped)).toBeUndefined();
    expect(budgetLeftNothingToCheck({ ...stopped, properties: [] } as ExploreSummary)).toBeUndefined();
  });

  it('stops the packed search and is handed to onOutOfMemory when it is given, and is thrown when it is not', async () => {
    const o = {
      scope: parseScope('patches=3,functions=3,states=2,tasks=2,depth=3'),
      model: 'lockstep' as const,
      workers: 1,
      workerHeapMiB: 32,
      onWorkerRestart: () => undefined,
    };
    const failures: KlpcheckError[] = [];
    const r = await packedSearchParallel({ ...o, onOutOfMemory: (e) => failures.push(e) });
    expect(failures.map((e) => e.code)).toEqual(['E_MEMORY']);
    expect(r.complete).toBe(false);
    expect(r.fixpoint).toBe(false);
    expect(r.depthReached).toBe(2);
    expect(r.statesPerDepth.length).toBe(3);
    await expect(packedSearchParallel(o)).rejects.toMatchObject({ code: 'E_MEMORY' });
  }, 150_000);

  it('after a Ctrl-C, a worker out of memory costs only the level under way: the report says what was covered (INCOMPLETE)', async () => {
    // Ctrl-C as the first worker is replaced; the new one, at 32 MiB, runs out before it answers a chunk. That was
    // E_MEMORY and no report: the violations of the levels expanded in full were lost (helper-83).
    const out: string[] = [];
    const err: string[] = [];
    let pressed = false;
    const io: Io = {
      stdout: (t) => out.push(t),
      stderr: (t) => {
        err.push(t);
        if (!pressed && t.includes('a new one takes its chunks')) {
          pressed = true;
          process.emit('SIGINT');
        }
      },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: { KLPCHECK_WORKER_HEAP_MIB: '32' },
      now: () => 0,
    };
    const code = await main(
      ['explore', '--semantics', 'upstream', '--scope', 'patches=3,functions=3,states=2,tasks=2,depth=3', '--no-save', '--workers', '1'],
      io,
    );
    expect(pressed).toBe(true);
    expect(err.join('')).not.toMatch(/E_MEMORY/);
    expect(out.join('')).toMatch(/INCOMPLETE: every sequence up to depth 2, not every longer one/);
    // Upstream violates properties within two steps at this scope: what was found is kept, and exits 1.
    expect(code).toBe(1);
  }, 150_000);

  it('KLPCHECK_WORKER_HEAP_MIB takes a whole number of MiB from 32; anything else is E_USAGE naming it', () => {
    expect(workerHeapMiB({})).toBeUndefined();
    expect(workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '' })).toBeUndefined();
    expect(workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '32' })).toBe(32);
    // Spaces around a number are left out, as everywhere (README, input rules).
    expect(workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: ' 64 ' })).toBe(64);
    expect(workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '1048576' })).toBe(1048576);
    for (const bad of ['31', '0', '064', '1e3', '\t64', '64\n', '-64', '1048577', '99999999', 'lots'])
      expect(() => workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: bad }), bad).toThrow(
        new KlpcheckError(
          'E_USAGE',
          `KLPCHECK_WORKER_HEAP_MIB=${JSON.stringify(bad)}: a whole number of MiB from 32 to 1048576 (unset: node's own limit)`,
        ),
      );
    const r = explore('patches=2,functions=1,states=0,tasks=1,depth=2', '8');
    expect(r.status).toBe(2);
    // The one line, also where the object engine runs, whose note came first (helper-87).
    const object = explore('patches=2,functions=1,states=0,tasks=1,depth=2,taskModel=1', '8');
    expect(object.status).toBe(2);
    expect(object.stderr).toBe(r.stderr);
    expect(r.stderr).toBe(
      `klpcheck: KLPCHECK_WORKER_HEAP_MIB="8": a whole number of MiB from 32 to 1048576 (unset: node's own limit) [E_USAGE]\n`,
    );
  });

  it("is refused beside node's --max-old-space-size, which V8 gives every thread over a worker's own limit", () => {
    // A worker asked for 32 MiB ran with 4 GiB under NODE_OPTIONS=--max-old-space-size=4096, silently (helper-83).
    const r = explore('patches=2,functions=1,states=0,tasks=1,depth=2', '64', { NODE_OPTIONS: '--max-old-space-size=4096' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "klpcheck: KLPCHECK_WORKER_HEAP_MIB has no effect beside node's --max-old-space-size or --max-heap-size (NODE_OPTIONS or node's options), which V8 gives every thread: set one of the two [E_USAGE]\n",
    );
    // node takes these on its command line too, one dash or two (helper-84).
    for (const flag of ['--max_old_space_size=100', '-max-old-space-size=4096', '--max-heap-size=4096', '-max_heap_size=64'])
      expect(() => workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '64' }, [flag]), flag).toThrow(/has no effect beside/);
    expect(() => workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '64', NODE_OPTIONS: '--no-warnings --max-heap-size=64' })).toThrow(
      /has no effect beside/,
    );
    expect(() => workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '64', NODE_OPTIONS: '--max-old-space-size=64' })).toThrow(
      /has no effect beside/,
    );
    // Either alone is taken.
    expect(workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '64', NODE_OPTIONS: '--enable-source-maps' }, ['--import', 'tsx'])).toBe(64);
    expect(workerHeapMiB({ NODE_OPTIONS: '--max-old-space-size=64' })).toBeUndefined();
  });

  it('turns only ERR_WORKER_OUT_OF_MEMORY into E_MEMORY; any other error is kept as it is', () => {
    const oom = Object.assign(new Error('Worker terminated due to reaching memory limit'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
    const mapped = workerFailure(oom, { depth: 7, states: 1234567 });
    expect(mapped).toBeInstanceOf(KlpcheckError);
    expect((mapped as KlpcheckError).format()).toMatch(
      /^klpcheck: a worker thread ran out of memory at depth 7, 1234567 states stored: .* \[E_MEMORY\]$/,
    );
    const other = Object.assign(new Error('boom'), { code: 'ERR_OTHER' });
    expect(workerFailure(other, { depth: 1, states: 1 })).toBe(other);
  });

  it('is made to run out, for these tests, at the depth given for its semantics or for any', () => {
    expect(outOfMemoryDepth('2', 'stacking')).toBe(2);
    expect(outOfMemoryDepth('upstream:2,per-state:1', 'per-state')).toBe(1);
    expect(outOfMemoryDepth('upstream:2, per-state:1', 'upstream')).toBe(2);
    expect(outOfMemoryDepth('upstream:2,per-state:1', 'stacking')).toBe(Infinity);
    expect(outOfMemoryDepth('per-state:1,3', 'stacking')).toBe(3);
    // A semantics' own item wins over the bare D, in either order (helper-92).
    expect(outOfMemoryDepth('3,upstream:1', 'upstream')).toBe(1);
    expect(outOfMemoryDepth('upstream:1,3', 'upstream')).toBe(1);
    for (const none of [undefined, '', 'abc', '-1', '2.5', 'upstream:', ':2']) expect(outOfMemoryDepth(none, 'upstream')).toBe(Infinity);
  });

  it('is refused malformed, for a semantics klpcheck does not have, or without KLPCHECK_WORKER_HEAP_MIB (helper-91)', () => {
    const heap = { KLPCHECK_WORKER_HEAP_MIB: '32' };
    expect(workerHeapMiB({ ...heap, ...outAt('upstream:2, per-state:1') })).toBe(32);
    expect(workerHeapMiB({ ...heap, ...outAt('') })).toBe(32);
    expect(workerHeapMiB({ ...heap, ...outAt(' 0 , stacking:1 ') })).toBe(32);
    // Spaces alone are left out around an item, as around every number, and a depth has no leading zero (helper-92).
    for (const bad of ['-1', '2.5', 'abc', 'upstream:', ':2', '2,', '1234567', '01', '\t1', '1\n', '\u00a01'])
      expect(() => workerHeapMiB({ ...heap, ...outAt(bad) }), bad).toThrow(
        `KLPCHECK_TEST_WORKER_OOM_DEPTH=${JSON.stringify(bad)}: items of D or SEMANTICS:D joined by commas, D a whole number below 1000000`,
      );
    expect(() => workerHeapMiB({ ...heap, ...outAt('upstrem:2') })).toThrow(`="upstrem:2": no semantics 'upstrem'`);
    expect(() => workerHeapMiB({ ...heap, ...outAt('UPSTREAM:2') })).toThrow(`="UPSTREAM:2": no semantics 'UPSTREAM'`);
    expect(() => workerHeapMiB({ ...heap, ...outAt('upstream:1,upstream:3') })).toThrow(`: two items for upstream`);
    expect(() => workerHeapMiB({ ...heap, ...outAt('1,3') })).toThrow(`: two items for every semantics`);
    // The worker made to run out fills its heap: node's default is some GiB, and 1 TiB is allowed (helper-91, helper-92).
    const needs = ': needs KLPCHECK_WORKER_HEAP_MIB of at most 256 beside it';
    expect(() => workerHeapMiB(outAt(2))).toThrow(`KLPCHECK_TEST_WORKER_OOM_DEPTH="2"${needs}`);
    expect(() => workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '257', ...outAt(2) })).toThrow(needs);
    expect(workerHeapMiB({ KLPCHECK_WORKER_HEAP_MIB: '256', ...outAt(2) })).toBe(256);
    const r = explore('patches=2,functions=1,states=0,tasks=1,depth=2', undefined, outAt(2));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^klpcheck: KLPCHECK_TEST_WORKER_OOM_DEPTH="2": needs .* \[E_USAGE\]\n$/);
  });

  it('quietly keeps a rejection for whoever awaits it, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listen = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', listen);
    try {
      const awaited = quietly(Promise.reject(new Error('awaited')));
      quietly(Promise.reject(new Error('never awaited')));
      await expect(awaited).rejects.toThrow('awaited');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
