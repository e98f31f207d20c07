/**
 * `klpcheck simulate` (harness/explore/packed/simulate.ts, cli/commands/simulate.ts):
 * random walks on the packed lockstep. Each counterexample is the shortest
 * walk prefix that violates its property, as the walks themselves say, and
 * violates it on the object implementation; the same seed gives the same
 * report and the same file; the known flaws are found; a saved counterexample
 * that still reproduces wins where the walks find none.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { saveMinimalViolations } from '../cli/save-minimal.ts';
import { PackedLockstep } from '../harness/explore/packed/lockstep.ts';
import { simulate, simulateUntil } from '../harness/explore/packed/simulate.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { replayViolation } from '../harness/explore/summary.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { provenanceLine } from '../report/phrases.ts';
import { simulateText } from '../report/simulate/text.ts';
import type { Counterexample } from '../harness/counterexample.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('simulate: random walks on the packed lockstep', () => {
  it("keeps, for each property, the shortest prefix of any walk that violates it, the first walk's on a tie", () => {
    const scope = parseScope('patches=2,functions=2,states=1,tasks=2');
    const s = simulate({ semantics: 'upstream', scope, walks: 200, length: 40, seed: 3 });
    // The same walks again, by hand: each property's first violation in each walk.
    const model = new PackedLockstep(scope, { semantics: semanticsByName('upstream')! });
    const rng = xoroshiro128plus(3);
    const roots = model.roots().length;
    const best = new Map<string, { steps: number; walk: number }>();
    const ends = new Set<unknown>();
    for (let i = 0; i < 200; i++) {
      const w = model.walk(40, (n) => uniformInt(rng, 0, n - 1), i % roots);
      ends.add(w.end);
      model.properties.forEach((p, bit) => {
        const at = w.stepViolations.findIndex((b) => b & (1 << bit));
        if (at >= 0 && (best.get(p)?.steps ?? Infinity) > at + 1) best.set(p, { steps: at + 1, walk: i + 1 });
      });
    }
    const expected = model.properties.flatMap((p) => (best.has(p) ? [[p, best.get(p)!.steps, best.get(p)!.walk]] : []));
    expect(s.violations.map((v) => [v.property, v.ops.length, v.walk])).toEqual(expected);
    expect(s.violations.length).toBeGreaterThan(1);
    expect(s.steps).toBe(200 * 40);
    // The universes the walks ended in, as the same walks by hand count them: more than one, fewer than the walks.
    expect(s.universes).toBe(ends.size);
    expect(s.universes).toBeGreaterThan(1);
    expect(s.universes).toBeLessThan(200);
  });

  it('gives counterexamples the object implementation finds violated at their last step', () => {
    const sem = semanticsByName('per-state')!;
    const scope = parseScope('patches=2,functions=2,states=2,tasks=2');
    const s = simulate({ semantics: sem.name, scope, walks: 300, length: 60, seed: 1 });
    expect(s.violations.length).toBeGreaterThan(0);
    for (const v of s.violations) {
      const r = replayViolation(v, sem, scope);
      expect([v.property, r.violation?.invariant, r.steps.length]).toEqual([v.property, v.property, v.ops.length]);
    }
  });

  it("finds hybrid mode's silent version switch (the property Petr Mladek's lp1/lp2/lp3 breaks) and replace-set's unfiltered nops", () => {
    const hybrid = simulate({
      semantics: 'hybrid',
      scope: parseScope('patches=3,functions=1,states=0,tasks=1'),
      walks: 2000,
      length: 30,
      seed: 1,
    });
    const silent = hybrid.violations.find((v) => v.property === 'no-silent-version-switch');
    // Another shape than Petr's three patches (hostile-user finding: the walks' first is not his), but his property.
    expect(silent?.reason).toMatch(/^task0 switched \S+ from \S+ to \S+ without switching in a transition that covers it$/);
    const nops = simulate({
      semantics: 'replace-set-unfiltered-nops',
      scope: parseScope('patches=2,functions=2,states=0,tasks=1'),
      walks: 2000,
      length: 30,
      seed: 1,
    });
    const fixed = simulate({
      semantics: 'replace-set',
      scope: parseScope('patches=2,functions=2,states=0,tasks=1'),
      walks: 2000,
      length: 30,
      seed: 1,
    });
    // The flaw is the nops': what the unfiltered variant breaks and the filtered one does not.
    const broken = nops.violations.map((v) => v.property).filter((p) => !fixed.violations.some((v) => v.property === p));
    expect(broken).toEqual(expect.arrayContaining(['no-silent-version-switch', 'no-lost-fix']));
  });

  it("counts in its coverage the walks' steps, not the replays that decode its counterexamples", () => {
    const s = simulate({
      semantics: 'upstream',
      scope: parseScope('patches=2,functions=2,states=1,tasks=2'),
      walks: 30,
      length: 40,
      seed: 2,
    });
    expect(s.violations.length).toBeGreaterThan(0);
    const counted = Object.values(s.outcomes).reduce((n, m) => n + Object.values(m).reduce((a, b) => a + b, 0), 0);
    expect(counted).toBe(s.steps);
  });

  it('tells its progress after every 256th walk and the last, and refuses a semantics it does not know', () => {
    const calls: [number, number, number][] = [];
    const s = simulate({
      semantics: 'stacking',
      scope: parseScope('patches=2,functions=2,states=1,tasks=2'),
      walks: 600,
      length: 3,
      seed: 1,
      onProgress: (...a) => calls.push(a),
    });
    expect(calls.map(([w, steps]) => [w, steps])).toEqual([
      [256, 768],
      [512, 1536],
      [600, 1800],
    ]);
    expect(calls.at(-1)![2]).toBe(s.violations.length);
    expect(() => simulate({ semantics: 'nosuch', scope: parseScope('patches=1'), walks: 1, length: 1, seed: 1 })).toThrow(
      'simulate: no semantics nosuch',
    );
  });

  it('stops before the walk at which it is asked to (Ctrl-C), with the summary of the walks taken, as that many walks give it', async () => {
    const o = { semantics: 'upstream', scope: parseScope('patches=2,functions=2,states=1,tasks=2'), length: 20, seed: 2 };
    for (const taken of [1, 255, 256, 300]) {
      let asked = 0;
      // Asked before each walk: stop before walk taken + 1.
      const stopped = await simulateUntil({ ...o, walks: 1000 }, () => ++asked === taken + 1);
      expect(asked).toBe(taken + 1);
      const { stopped: why, ...summary } = stopped;
      expect(why).toEqual({ asked: 1000 });
      expect(JSON.stringify(summary)).toBe(JSON.stringify(simulate({ ...o, walks: taken })));
    }
    const stopped = await simulateUntil(
      { ...o, walks: 1000 },
      (() => {
        let n = 0;
        return () => ++n === 513;
      })(),
    );
    expect(simulateText(stopped)).toMatch(
      /^INCOMPLETE: stopped \(a Ctrl-C or another signal\) after 512 of the 1000 walks asked for; each line is about the walks taken$/m,
    );
    // Never asked to stop, it is simulate() itself; asked at once, it takes no walk and claims nothing.
    expect(JSON.stringify(await simulateUntil({ ...o, walks: 300 }, () => false))).toBe(JSON.stringify(simulate({ ...o, walks: 300 })));
    const none = await simulateUntil({ ...o, walks: 300 }, () => true);
    expect([none.walks, none.steps, none.violations.length, none.stopped]).toEqual([0, 0, 0, { asked: 300 }]);
    expect(simulateText(none)).toMatch(/^conformance +not checked: stopped before the first walk$/m);
    expect(simulateText(none)).not.toMatch(/^conformance +not violated/m);
  });

  it('is deterministic: the same seed gives the same summary and report, another seed other walks', () => {
    const o = { semantics: 'hybrid', scope: parseScope('patches=2,functions=2,states=1,tasks=2'), walks: 100, length: 50 };
    const a = simulate({ ...o, seed: 5 });
    const b = simulate({ ...o, seed: 5 });
    expect(simulateText(b)).toBe(simulateText(a));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(simulate({ ...o, seed: 6 }).outcomes)).not.toBe(JSON.stringify(a.outcomes));
  });

  it('checks only the property asked for, and never says a property holds', () => {
    const s = simulate({
      semantics: 'upstream',
      scope: parseScope('patches=2,functions=2,states=1,tasks=2'),
      walks: 50,
      length: 20,
      seed: 1,
      properties: ['module-safety'],
    });
    expect(s.properties).toEqual(['module-safety']);
    const text = simulateText(s);
    expect(text).toMatch(
      /^module-safety +not violated on 50 random walks of up to 20 steps \(seed 1\) in scope patches=2,functions=2,states=1,tasks=2$/m,
    );
    expect(text).not.toMatch(/holds/);
  });

  it('saves each counterexample shrunk, with the walk that found it, and says so in the provenance line', () => {
    const sem = semanticsByName('upstream')!;
    const s = simulate({
      semantics: sem.name,
      scope: parseScope('patches=2,functions=2,states=1,tasks=2'),
      walks: 300,
      length: 100,
      seed: 1,
      properties: ['conformance'],
    });
    const [v] = s.violations;
    expect(v).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-simulate-'));
    const [note] = saveMinimalViolations(s.violations, sem, dir, (x, saved) => ({
      source: 'walk',
      seed: 1,
      runs: v!.walk,
      max_steps: 100,
      depth: x.depth,
      ...(saved < x.ops.length ? { shrunk_from: x.ops.length } : {}),
      fast_check: 'x',
      klpcheck: 'y',
      pure_rand: 'z',
      scope: 'patches=2,functions=2,states=1,tasks=2',
    }));
    expect(note?.status).toBe('written');
    const [file] = readdirSync(join(dir, 'upstream'));
    const c = JSON.parse(readFileSync(join(dir, 'upstream', file!), 'utf8')) as Counterexample;
    expect(c.steps.length).toBeLessThanOrEqual(v!.ops.length);
    expect(provenanceLine(c)).toMatch(
      new RegExp(`^random walk ${v!.walk} of up to 100 steps, scope patches=2,functions=2,states=1,tasks=2, seed 1`),
    );
    expect(provenanceLine(c)).toMatch(/ \(pure-rand z, klpcheck y\)$/);
  });
});

describe('klpcheck simulate', () => {
  it('reports the same bytes on every run, exits 1 on a violation, and writes nothing with --no-save', async () => {
    const args = ['simulate', '--semantics', 'stacking', '--walks', '40', '--length', '30', '--no-save'];
    const a = capture();
    const b = capture();
    expect(await main(args, a.io)).toBe(1);
    expect(await main(args, b.io)).toBe(1);
    expect(b.out()).toBe(a.out());
    expect(a.out()).toMatch(/^40 random walks of up to 30 steps \(seed 1\): 1200 steps checked/m);
    expect(a.err()).toMatch(/none written \(--no-save\)/);
  });

  it('stops on Ctrl-C, SIGTERM or SIGHUP with the INCOMPLETE report of the walks taken, their counterexamples to be saved (helper-124: it ended at once and lost them)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const listeners = process.listenerCount(signal);
      let sent = false;
      const c = capture();
      let now = 0;
      const io: Io = {
        ...c.io,
        // A progress line at every report: off a terminal one is written only when 5 s went by (progress.ts).
        now: () => (now += 10_000),
        stderr: (t) => {
          c.io.stderr(t);
          // The first progress line, after walk 256: the walks stop at the next chance, before walk 257.
          if (!sent && /^klpcheck simulate: upstream, 256 of /.test(t)) {
            sent = true;
            process.emit(signal);
          }
        },
      };
      // --no-save: the store is the repository's own; the save is the same step as after walks that ended.
      const args = [
        'simulate',
        '--semantics',
        'upstream',
        '--invariant',
        'conformance',
        '--walks',
        '100000',
        '--length',
        '20',
        '--no-save',
      ];
      expect(await main(args, io), c.err()).toBe(1);
      expect(c.out()).toMatch(/^256 random walks of up to 20 steps \(seed 1\): /m);
      expect(c.out()).toMatch(/^INCOMPLETE: stopped \(a Ctrl-C or another signal\) after 256 of the 100000 walks asked for; /m);
      expect(c.out()).toMatch(/^conformance +VIOLATED: a counterexample of \d+ steps \(walk \d+;/m);
      expect(c.err()).toMatch(
        /^klpcheck simulate: stopping; [^\n]*\n(.*\n)?klpcheck simulate: \d+ steps in [^\n]*; counterexamples: none written \(--no-save\)\n/m,
      );
      expect(c.err()).toMatch(/^klpcheck simulate: INCOMPLETE: stopped after 256 of 100000 walks$/m);
      expect(process.listenerCount(signal)).toBe(listeners);
    }
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'])(
    'stops on a real %s sent while fewer than 256 walks run, through bin/klpcheck.mjs (helper-126: one after the last 256th walk was lost)',
    (signal) => {
      // 255 walks of 10,000 steps: seconds of walks, with no 256th walk to stop before.
      const args = [
        'simulate',
        '--semantics',
        'upstream',
        '--invariant',
        'one-active-patch-per-slot',
        '--walks',
        '255',
        '--length',
        '10000',
        '--no-save',
      ];
      const r = spawnSync(process.execPath, ['--import', './test/support/signal-during-run.mjs', 'bin/klpcheck.mjs', ...args], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, KLPCHECK_TEST_SIGNAL: signal },
      });
      expect(r.status, r.stderr).toBe(130);
      expect(r.stdout).toMatch(/^INCOMPLETE: stopped \(a Ctrl-C or another signal\) after \d+ of the 255 walks asked for; /m);
      expect(r.stderr).toMatch(/^klpcheck simulate: stopping; /m);
      expect(r.stderr).toMatch(/^klpcheck simulate: INCOMPLETE: stopped after \d+ of 255 walks$/m);
    },
  );

  it('exits 130 when stopped with nothing violated, and 0 when the walks violate nothing, each line saying how far they went', async () => {
    const stopped = capture();
    let now = 0;
    const io: Io = {
      ...stopped.io,
      now: () => (now += 10_000),
      stderr: (t) => (stopped.io.stderr(t), /, 256 of /.test(t) && process.emit('SIGINT')),
    };
    const args = ['simulate', '--semantics', 'stacking', '--invariant', 'module-safety', '--length', '5', '--no-save'];
    expect(await main([...args, '--walks', '5000'], io)).toBe(130);
    expect(stopped.out()).toMatch(/^module-safety +not violated on 256 random walks of up to 5 steps \(seed 1\) in scope /m);
  });

  it('exits 0 when the walks violate nothing, each line saying how far they went', async () => {
    const c = capture();
    const code = await main(['simulate', '--semantics', 'stacking', '--invariant', 'module-safety', '--walks', '20', '--no-save'], c.io);
    expect(code).toBe(0);
    expect(c.out()).toMatch(/^module-safety +not violated on 20 random walks of up to 100 steps \(seed 1\) in scope /m);
  });

  it('says, without conformance, that the spec model is not followed', async () => {
    const c = capture();
    expect(
      await main(
        ['simulate', '--semantics', 'upstream', '--invariant', 'one-active-patch-per-slot', '--walks', '2', '--length', '2', '--no-save'],
        c.io,
      ),
    ).toBe(0);
    expect(c.out()).toMatch(
      /^2 random walks of up to 2 steps \(seed 1\): 4 steps checked in \d+ universes?, the reference implementation alone \(the spec model not followed: conformance is not checked\)$/m,
    );
  });

  it("replays no saved counterexample: its lines and its exit are about its walks alone, as explore's are", async () => {
    // The corpus holds replace-tag conformance-e89db3dcc1ae.json, of 10 steps; one walk of one step breaks nothing.
    const c = capture();
    expect(
      await main(
        ['simulate', '--semantics', 'replace-tag', '--invariant', 'conformance', '--walks', '1', '--length', '1', '--no-save'],
        c.io,
      ),
    ).toBe(0);
    expect(c.out()).toMatch(/^conformance +not violated on 1 random walk of up to 1 step \(seed 1\) in scope .*VACUOUS: never reached/m);
  });

  it.each([
    [['--scope', 'depth=5'], /a walk's length is --length N, not a depth in the scope/],
    [['--scope', 'taskModel=1'], /simulate runs on the packed engine, which has no task model \(taskModel\) yet/],
    [['--length', '0'], /--length takes a whole number from 1 to 10000/],
    [
      ['--invariant', 'no-silent-downgrade'],
      /nothing to check, as no universe of the scope has two releases of one owner \(patches=3 would\); nothing to walk/,
    ],
  ])('refuses %j with one line and exit 2', async (extra, message) => {
    const c = capture();
    expect(await main(['simulate', '--semantics', 'upstream', '--no-save', ...extra], c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.out()).toBe('');
  });
});
