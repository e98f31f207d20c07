import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';
import { LOG_INTERVAL_MS } from '../cli/progress.ts';
import { saveViolations, searchRate, shownSeconds } from '../cli/commands/explore.ts';
import { savedSummary } from '../cli/late-errors.ts';
import { explore } from '../harness/explore/explorer.ts';
import { parseScope } from '../harness/explore/scope.ts';
import { summarize } from '../harness/explore/summary.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { exploreText } from '../report/explore/text.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** `text` as a regular expression that matches it literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SCOPE = ['--scope', 'patches=2,functions=1,states=1,tasks=1,depth=3'];

/** An interrupted search's verdict for module-safety: what it checked, never "holds". */
const INCOMPLETE_VERDICT =
  /^module-safety +not violated by any sequence checked \(INCOMPLETE: every sequence up to depth \d+, not every longer one\) in scope /m;

/**
 * explore on a scope far too big to finish, with Ctrl-C at its first progress
 * line: the clock jumps a log interval per reading, so progress is printed at
 * once, and process.emit reaches the SIGINT handler the CLI installs as the
 * signal would. module-safety is not violated that early, so the code is 130.
 * `presses` Ctrl-Cs there in a row; `duringReport` one more as the report is printed.
 * `stderrIsTTY`: stderr a terminal, where the progress line is redrawn in place.
 */
async function interrupted(
  args: string[],
  beforeSignal?: () => void,
  presses = 1,
  duringReport = false,
  stderrIsTTY = false,
  signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' = 'SIGINT',
) {
  let t = 0;
  let sent = false;
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (text) => {
      out.push(text);
      if (duringReport) process.emit('SIGINT');
    },
    stderr: (text) => {
      err.push(text);
      if (!sent && /^(\r\x1b\[K)?klpcheck explore: upstream depth \d+, \d+ states/.test(text)) {
        sent = true;
        beforeSignal?.();
        for (let i = 0; i < presses; i++) process.emit(signal);
      }
    },
    stdoutIsTTY: false,
    stderrIsTTY,
    env: {},
    now: () => (t += LOG_INTERVAL_MS),
  };
  const argv = ['explore', '--semantics', 'upstream', '--scope', 'patches=2,functions=2,states=1,tasks=2,depth=any', '--max-states', 'any'];
  const code = await main([...argv, '--invariant', 'module-safety', '--workers', '1', '--no-save', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
}

const resultFile = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { complete: boolean; distinctStates: number };

describe('klpcheck explore', () => {
  it('words passes as bounded, gives shortest counterexamples and exits 1 on a violation', async () => {
    const c = capture();
    expect(await main(['explore', '--semantics', 'upstream', ...SCOPE, '--no-save'], c.io)).toBe(1);
    expect(c.out()).toMatch(/^\d+ distinct states \(\d+ at the spec level\), \d+ transitions checked up to depth 3$/m);
    expect(c.out()).not.toMatch(/ s\b|states\/s/);
    expect(c.out()).toMatch(
      /^conformance +holds for every sequence up to depth 3 in scope patches=2,functions=1,states=1,tasks=1,depth=3/m,
    );
    expect(c.out()).toMatch(/^no-function-shared-across-slots +VIOLATED: shortest counterexample has 2 steps/m);
    expect(c.out()).toMatch(/^Coverage \(operation: outcomes\):$/m);
  });

  it('names the one invariant checked on the kernel alone, and says every invariant when all are', async () => {
    const small = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2', '--no-save'];
    const one = capture();
    await main(['explore', '--semantics', 'upstream', ...small, '--invariant', 'no-lost-fix'], one.io);
    expect(one.out()).toContain("ops are those the kernel allows, and no-lost-fix is checked on the kernel's transitions.\n");
    const all = capture();
    await main(['explore', '--semantics', 'upstream', '--scope', 'patches=2,functions=1,states=0,tasks=1,depth=6', '--no-save'], all.io);
    expect(all.out()).toContain("ops are those the kernel allows, and every invariant is checked on the kernel's transitions.\n");
    // Conformance alone: past its break nothing is checked, and the line says so (it said every invariant).
    const none = capture();
    const upTo6 = ['--scope', 'patches=2,functions=1,states=0,tasks=1,depth=6', '--no-save', '--invariant', 'conformance'];
    await main(['explore', '--semantics', 'upstream', ...upTo6], none.io);
    expect(none.out()).toContain("ops are those the kernel allows, and no invariant is checked on the kernel's transitions.\n");
  });

  it('says on stderr that more workers than cores only slow the search, and still searches', async () => {
    const c = capture();
    const n = availableParallelism() + 1;
    const scope = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=1'];
    expect(await main(['explore', '--semantics', 'upstream', ...scope, '--no-save', '--workers', String(n)], c.io)).toBe(0);
    expect(c.err()).toContain(`klpcheck explore: ${n} workers on ${n - 1} cores: more workers than cores only slows the search\n`);
    const one = capture();
    expect(await main(['explore', '--semantics', 'upstream', ...scope, '--no-save', '--workers', '1'], one.io)).toBe(0);
    expect(one.err()).not.toContain('more workers than cores');
    expect(c.out()).toBe(one.out());
  });

  it('two shards written with --out and merged report the whole exploration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const whole = capture();
    await main(['explore', '--semantics', 'upstream', ...SCOPE, '--no-save'], whole.io);
    const shardOut: string[] = [];
    for (const i of [0, 1]) {
      const c = capture();
      await main(['explore', '--semantics', 'upstream', ...SCOPE, '--shard', `${i}/2`, '--out', join(dir, `${i}.json`), '--no-save'], c.io);
      shardOut.push(c.out());
      // The packed engine does not share a search: the fall-back is said, with why its counts may be higher.
      expect(c.err()).toContain(
        'klpcheck explore: the object engine runs (the packed engine: it writes no result file (--out, --shard) yet); it stores the states the packed engine covers, so its counts may be higher\n',
      );
    }
    expect(whole.err()).not.toContain('the object engine runs');
    // One shard covers only its share: it never says a property holds for every sequence.
    for (const t of shardOut) {
      expect(t).toMatch(/not violated in this shard's share/);
      expect(t).not.toMatch(/ holds for every sequence/);
    }
    const merged = capture();
    await main(['explore', '--merge', join(dir, '0.json'), join(dir, '1.json'), '--no-save'], merged.io);
    const states = (t: string) => /^(\d+) distinct states/m.exec(t)?.[1];
    expect(states(merged.out())).toBe(states(whole.out()));
    // Each transition once, though both shards explore the levels above the split (worker threads, as the CLI runs).
    const transitions = (t: string) => /^\d+ distinct states \(.*\), (\d+) transitions checked up to depth 3$/m.exec(t)?.[1];
    expect(transitions(merged.out())).toBe(transitions(whole.out()));
    const coverage = (t: string) => t.slice(t.indexOf('Coverage (operation: outcomes):'));
    expect(coverage(merged.out())).toBe(coverage(whole.out()));
    // A merge of fewer than all shards, a shard twice, or shards of other explorations never reads as a pass.
    const other = join(dir, 'other.json');
    await main(['explore', '--semantics', 'stacking', ...SCOPE, '--shard', '1/2', '--out', other, '--no-save'], capture().io);
    const deeper = join(dir, 'deeper.json');
    const deeperScope = SCOPE[1]!.replace('depth=3', 'depth=4');
    await main(
      ['explore', '--semantics', 'upstream', '--scope', deeperScope, '--shard', '1/2', '--out', deeper, '--no-save'],
      capture().io,
    );
    // A file's content is E_SCHEMA with its JSON pointer; E_USAGE only for the command line (a file left off, or named twice).
    writeFileSync(join(dir, 'copy.json'), readFileSync(join(dir, '0.json')));
    symlinkSync(join(dir, '0.json'), join(dir, 'link.json'));
    const refusals: [string[], RegExp][] = [
      [[join(dir, '0.json')], /^klpcheck: merge: shard 1\/2 missing; .*\[E_USAGE\]\n$/],
      [
        [join(dir, '0.json'), join(dir, '0.json'), join(dir, '1.json')],
        /^klpcheck: .*0\.json: given twice on the command line: .*\[E_USAGE\]\n$/,
      ],
      // Another spelling of one path, and a link to the file: the command line's mistake too, said with both names.
      [
        [join(dir, '0.json'), `${dir}/./0.json`, join(dir, '1.json')],
        new RegExp(
          `^klpcheck: ${literal(`${dir}/./0.json: given twice on the command line (the file ${join(dir, '0.json')} under another name): name each shard file once [E_USAGE]`)}\\n$`,
        ),
      ],
      [
        [join(dir, '0.json'), join(dir, 'link.json'), join(dir, '1.json')],
        new RegExp(
          `^klpcheck: ${literal(`${join(dir, 'link.json')}: given twice on the command line (the file ${join(dir, '0.json')} under another name): name each shard file once [E_USAGE]`)}\n$`,
        ),
      ],
      [
        [join(dir, '0.json'), join(dir, 'copy.json'), join(dir, '1.json')],
        new RegExp(
          `^klpcheck: ${literal(`shard files of one shard: ${join(dir, '0.json')}:/shards/0/index and ${join(dir, 'copy.json')}:/shards/0/index are both shard 0/2 [E_SCHEMA]`)}\n$`,
        ),
      ],
      [
        [join(dir, '0.json'), other],
        /^klpcheck: shard files of different semantics: .*0\.json:\/semantics is upstream, .*other\.json:\/semantics is stacking \[E_SCHEMA\]\n$/,
      ],
      // Shards of two scopes: neither file is blamed alone; both are named with their scopes, on one line.
      [
        [deeper, join(dir, '0.json')],
        new RegExp(
          `^klpcheck: ${literal(`shard files of different scopes: ${join(dir, '0.json')}:/scope is ${SCOPE[1]}, ${deeper}:/scope is ${deeperScope} [E_SCHEMA]`)}\n$`,
        ),
      ],
      [[join(dir, 'none.json')], /no such file/],
      [[dir], /is a directory/],
    ];
    for (const [files, why] of refusals) {
      const c = capture();
      expect(await main(['explore', '--merge', ...files, '--no-save'], c.io), files.join(' ')).toBe(2);
      expect(c.err()).toMatch(why);
      expect(c.out()).toBe('');
    }
    const c = capture();
    expect(await main(['explore', '--merge', join(dir, '0.json'), join(dir, '1.json'), '--semantics', 'upstream'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--merge and --semantics cannot be used together/);
  });

  it('refuses a shard file whose violation does not replay, with or without --no-save: one line at its /violations/N, never a verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const scope = ['--scope', 'patches=2,functions=1,states=0,tasks=1,depth=2', '--invariant', 'no-function-shared-across-slots'];
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    for (const [i, f] of [a, b].entries())
      expect(await main(['explore', '--semantics', 'upstream', ...scope, '--shard', `${i}/2`, '--out', f, '--no-save'], capture().io)).toBe(
        1,
      );
    type File = { violations: { depth: number; ops: { op: string; module?: string }[] }[] };
    const data = JSON.parse(readFileSync(a, 'utf8')) as File;
    const ops = data.violations[0]!.ops;
    expect(ops.length).toBe(2);
    const edits: [string, (d: File) => void, RegExp][] = [
      // Its first op alone: well formed, names its own universe, and violates nothing ("VIOLATED: ... 1 steps", or exit 70 when saving).
      [
        'cut.json',
        (d) => void (d.violations[0] = { ...d.violations[0]!, depth: 1, ops: ops.slice(0, 1) }),
        /^klpcheck: \S*cut\.json:\/violations\/0: does not replay: no-function-shared-across-slots is not violated by its 1 op under upstream \[E_SCHEMA\]\n$/,
      ],
      // An op after the one that violates: the run stops at the violation, one op short of the entry.
      [
        'longer.json',
        (d) => void (d.violations[0] = { ...d.violations[0]!, depth: 3, ops: [...ops, { op: 'insmod', module: 'mod' }] }),
        /^klpcheck: \S*longer\.json:\/violations\/0: does not replay as recorded: under upstream no-function-shared-across-slots is violated after 2 ops applied, not after its 3 \[E_SCHEMA\]\n$/,
      ],
      [
        'frob.json',
        (d) => void (d.violations[0] = { ...d.violations[0]!, depth: 1, ops: [{ op: 'frobnicate', module: 'p9' }] as never }),
        /^klpcheck: \S*frob\.json:\/violations\/0\/ops\/0: unknown op 'frobnicate' \[E_SCHEMA\]\n$/,
      ],
    ];
    for (const [name, edit, why] of edits) {
      const f = join(dir, name);
      const copy = structuredClone(data);
      edit(copy);
      writeFileSync(f, JSON.stringify(copy));
      for (const save of [['--no-save'], []]) {
        const c = capture();
        expect(await main(['explore', '--merge', f, b, ...save], c.io), `${name} ${save.join(' ')}: ${c.err()}`).toBe(2);
        expect(c.err()).toMatch(why);
        expect(c.out()).toBe('');
      }
    }
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json', 'cut.json', 'frob.json', 'longer.json']);
  });

  it('an interrupted run never replaces a complete result, even with --force, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const f = join(dir, 'f.json');
    const small = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2', '--invariant', 'module-safety', '--no-save'];
    expect(await main(['explore', '--semantics', 'upstream', ...small, '--out', f], capture().io)).toBe(0);
    const complete = readFileSync(f, 'utf8');
    const r = await interrupted(['--out', f, '--force']);
    expect(r.code, r.err).toBe(130);
    expect(readFileSync(f, 'utf8')).toBe(complete);
    expect(r.err).toContain(
      `klpcheck explore: kept ${f}: it holds a complete result, and an INCOMPLETE one never replaces it, even with --force\n`,
    );
    expect(r.err).toMatch(/^klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n$/m);
    // The report of what was covered is still printed.
    expect(r.out).toMatch(INCOMPLETE_VERDICT);
    expect(readdirSync(dir)).toEqual(['f.json']);
    // Nor one that begins with a byte order mark, which --merge reads (helper-106: it was replaced).
    writeFileSync(f, `\uFEFF${complete}`);
    const again = await interrupted(['--out', f, '--force']);
    expect(again.code, again.err).toBe(130);
    expect(readFileSync(f, 'utf8')).toBe(`\uFEFF${complete}`);
    expect(again.err).toContain(`klpcheck explore: kept ${f}: it holds a complete result`);
  });

  it('a second Ctrl-C while stopping, and another during the report, are ignored with a note: the report and the file still come', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const g = join(dir, 'g.json');
    const listeners = process.listenerCount('SIGINT');
    const r = await interrupted(['--out', g], undefined, 2, true);
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(
      /^klpcheck explore: stopping; reporting what was covered \(another Ctrl-C or SIGTERM is ignored until the report is written\)\nklpcheck explore: already stopping: Ctrl-C and SIGTERM are ignored until the report and the counterexamples found are written\n/m,
    );
    expect(r.err.match(/already stopping/g)).toHaveLength(2);
    expect(r.err).toMatch(/^klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n$/m);
    expect(r.out).toMatch(INCOMPLETE_VERDICT);
    expect(resultFile(g).complete).toBe(false);
    expect(readdirSync(dir)).toEqual(['g.json']);
    // Ctrl-C is given back once everything is written: Node's default ends the next command at once.
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  // SIGTERM ended the search with neither report nor result file (hostile-user finding, stop 35); SIGHUP, a closed
  // terminal or a dropped ssh session, with no counterexample saved either (helper-124).
  it.each(['SIGTERM', 'SIGHUP'] as const)('%s stops as Ctrl-C does: the INCOMPLETE report and the result file', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const g = join(dir, 'g.json');
    const listeners = process.listenerCount(signal);
    const r = await interrupted(['--out', g], undefined, 1, false, false, signal);
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(/^klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n$/m);
    expect(r.out).toMatch(INCOMPLETE_VERDICT);
    expect(resultFile(g).complete).toBe(false);
    expect(process.listenerCount(signal)).toBe(listeners);
  });

  it('a Ctrl-C note ends the progress line first on a terminal; piped, where no line is open, it adds no blank line', async () => {
    const tty = await interrupted([], undefined, 2, false, true);
    expect(tty.code, tty.err).toBe(130);
    expect(tty.err).toMatch(/\r\x1b\[Kklpcheck explore: upstream depth \d+, \d+ states[^\n]*\nklpcheck explore: stopping; /);
    expect(tty.err).toMatch(/\nklpcheck explore: already stopping: /);
    const piped = await interrupted([], undefined, 2);
    expect(piped.code, piped.err).toBe(130);
    expect(piped.err).toMatch(/^klpcheck explore: upstream depth \d+, \d+ states[^\n]*\nklpcheck explore: stopping; /);
    expect(piped.err).not.toMatch(/(^|\n)\n/);
  });

  it('a Ctrl-C before the search started (while the modules loaded) stops it at once with the INCOMPLETE report, exit 130', async () => {
    const c = capture();
    const scope = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=3', '--invariant', 'module-safety', '--workers', '1'];
    expect(await main(['explore', '--semantics', 'upstream', ...scope, '--no-save'], c.io, 1)).toBe(130);
    expect(c.err()).toMatch(/^klpcheck explore: stopping; reporting what was covered/);
    expect(c.err()).toMatch(/^klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n$/m);
    expect(c.out()).toMatch(
      /^1 distinct state \(.*\), 0 transitions checked \(INCOMPLETE: every sequence up to depth 0, not every longer one\)$/m,
    );
    expect(c.out()).toMatch(INCOMPLETE_VERDICT);
  });

  it('prints no rate for a search stopped as it started (too short, or too few states, to measure one); a rate where one is measured', async () => {
    const scope = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=3', '--invariant', 'module-safety', '--workers', '1'];
    // A clock of 10 ms a reading: a few milliseconds in all (it printed "(100 states/s)"); of 5 s a reading: one state in seconds.
    for (const tick of [10, LOG_INTERVAL_MS]) {
      let t = 0;
      const c = capture();
      const io: Io = { ...c.io, now: () => (t += tick) };
      expect(await main(['explore', '--semantics', 'upstream', ...scope, '--no-save'], io, 1)).toBe(130);
      // Too short at 10 ms a reading; at 5 s, a search of seconds, but of one state (helper-86).
      const why = tick === 10 ? 'too short a search' : 'too few states';
      expect(c.err()).toMatch(
        // Below a second, two decimals: 0.46 s read "0.5 s (too short a search)" under a limit of 0.5 s (helper-87).
        new RegExp(
          `^klpcheck explore: 1 state in ${tick === 10 ? '0\\.\\d\\d' : '\\d+\\.\\d'} s \\(rate not measured: ${why}; packed engine\\)$`,
          'm',
        ),
      );
      expect(c.err()).not.toMatch(/states\/s/);
    }
    expect(searchRate(5000, 2)).toBe('2500 states/s');
    // Under a second, cut to hundredths of whole milliseconds, never rounded up to the rate's limit (helper-87, -88, -89).
    for (let ms = 0; ms < 1000; ms++) expect(shownSeconds(ms / 1000)).toBe(`0.${String(Math.floor(ms / 10)).padStart(2, '0')}`);
    expect(shownSeconds(0.4996)).toBe('0.49');
    expect(shownSeconds(1.26)).toBe('1.3');
    // Nothing found, nothing to save: not "0 new, 0 already saved", a count of files looked for (helper-87).
    expect(savedSummary({ written: 0, exists: 0 }, 0, 0)).toBe('counterexamples: none found');
    expect(savedSummary({ written: 0, exists: 0 }, 1, 1)).toBe('counterexamples: 0 new, 0 already saved, 1 not saved');
    expect(savedSummary({ written: 0, exists: 2 }, 0, 2)).toBe('counterexamples: 0 new, 2 already saved');
    // Violated by saved counterexamples replayed alone (run, compare), which no count holds: not "none found" (helper-88).
    expect(savedSummary({ written: 0, exists: 0 }, 0, 6)).toBe('counterexamples: 0 new, 0 already saved');
    expect(searchRate(5000, 0.49)).toBeUndefined();
    expect(searchRate(999, 10)).toBeUndefined();
  });

  /** bin/klpcheck.mjs with `preload` (a test/support file that presses Ctrl-C at some moment) loaded first. */
  const throughBin = (preload: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', `./test/support/${preload}`, 'bin/klpcheck.mjs', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
  const smallExplore = ['explore', '--semantics', 'upstream', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=3'];
  const exploreArgs = [...smallExplore, '--invariant', 'module-safety', '--workers', '1', '--no-save'];

  it('through bin/klpcheck.mjs, a Ctrl-C while the modules load is not lost: explore reports INCOMPLETE, another command ends as ever', () => {
    const klpcheck = (args: string[]) => throughBin('ctrl-c-while-loading.mjs', args);
    const e = klpcheck(exploreArgs);
    expect(e.status, e.stderr).toBe(130);
    // Piped: no progress line to end, so no blank line first.
    expect(e.stderr).toMatch(/^klpcheck explore: stopping; reporting what was covered/);
    expect(e.stderr).toMatch(/^klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n$/m);
    expect(e.stdout).toMatch(INCOMPLETE_VERDICT);
    // A command that does not stop cleanly ends by the signal, as it always did, only after the modules loaded.
    const r = klpcheck(['run', '--semantics', 'upstream', '--invariant', 'module-safety', '--runs', '5', '--no-save']);
    expect(r.signal).toBe('SIGINT');
    expect(r.stdout).toBe('');
  });

  it('through bin/klpcheck.mjs, a SIGTERM while the modules load ends another command by SIGTERM, not SIGINT (helper-130, stop 72)', () => {
    // It was re-raised as a SIGINT: exit 130, which explore --merge also gives a stopped shard's merge.
    const env = { ...process.env, KLPCHECK_TEST_EARLY_SIGNAL: 'SIGTERM' };
    const bin = (args: string[]) =>
      spawnSync(process.execPath, ['--import', './test/support/ctrl-c-while-loading.mjs', 'bin/klpcheck.mjs', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env,
      });
    const r = bin(['run', '--semantics', 'upstream', '--invariant', 'module-safety', '--runs', '5', '--no-save']);
    expect(r.signal).toBe('SIGTERM');
    expect(r.stdout).toBe('');
    // explore takes it as a Ctrl-C, as ever.
    const e = bin(exploreArgs);
    expect(e.status, e.stderr).toBe(130);
    expect(e.stdout).toMatch(INCOMPLETE_VERDICT);
  });

  it('through bin/klpcheck.mjs, a Ctrl-C as the early counting stops is not lost either (hostile-user finding, 2026-12-03)', () => {
    const e = throughBin('ctrl-c-as-counting-stops.mjs', exploreArgs);
    expect(e.status, e.stderr).toBe(130);
    expect(e.stderr).toMatch(/^klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n$/m);
    expect(e.stdout).toMatch(INCOMPLETE_VERDICT);
  });

  it('an interrupted run writes a new file, and replaces an incomplete one with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const g = join(dir, 'g.json');
    const first = await interrupted(['--out', g]);
    expect(first.code, first.err).toBe(130);
    expect(resultFile(g).complete).toBe(false);
    expect(first.err).not.toContain('kept');
    // An older interrupted result (marked by a count no run gives) is replaced.
    writeFileSync(g, JSON.stringify({ ...resultFile(g), distinctStates: 1 }));
    const second = await interrupted(['--out', g, '--force']);
    expect(second.code, second.err).toBe(130);
    expect(second.err).not.toContain('kept');
    expect(resultFile(g).complete).toBe(false);
    expect(resultFile(g).distinctStates).toBeGreaterThan(1);
  });

  it('a result file another process made during the search is kept, and the report is still printed before the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const h = join(dir, 'h.json');
    // Another process makes the file during the search (two shards given one --out).
    const r = await interrupted(['--out', h], () => writeFileSync(h, '{"mine":true}\n'));
    expect(r.code, r.err).toBe(2);
    expect(readFileSync(h, 'utf8')).toBe('{"mine":true}\n');
    expect(r.out).toMatch(INCOMPLETE_VERDICT);
    // The error is the last line on stderr, after the INCOMPLETE one.
    expect(r.err).toMatch(/INCOMPLETE[^\n]*\nklpcheck: [^\n]*h\.json[^\n]*\[E_CONFLICT\]\n$/);
    expect(readdirSync(dir)).toEqual(['h.json']);
  });

  it('a counterexample whose name a hand-edited file takes is not saved: the file is kept and the report names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const scope = parseScope('patches=2,functions=1,states=0,tasks=1,depth=2');
    const s = summarize(explore({ semantics: upstream, scope, properties: ['no-function-shared-across-slots'] }), 0);
    const [first] = saveViolations(s, upstream, dir);
    // A folder outside the current one is named as it is (absolute), as stderr names it (late-errors.ts shownPath).
    const file = first!.file!;
    expect(file.startsWith(dir)).toBe(true);
    const edited = readFileSync(file, 'utf8').replace('"reason": "', '"reason": "edited: ');
    writeFileSync(file, edited);
    // Not thrown before the report: returned, and raised by the command after it.
    const [again] = saveViolations(s, upstream, dir);
    expect(again!.error).toMatchObject({ code: 'E_CONFLICT', file });
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(exploreText(s, [again!])).toMatch(
      new RegExp(
        `^no-function-shared-across-slots +VIOLATED: shortest counterexample has 2 steps.* -> NOT SAVED: ${literal(file)}: a file of this name has other content .*\\[E_CONFLICT\\]$`,
        'm',
      ),
    );
  });

  it('a merge of an interrupted shard is INCOMPLETE, names the shard file, and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const scope = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=3', '--invariant', 'module-safety', '--no-save'];
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    for (const [i, f] of [a, b].entries())
      expect(await main(['explore', '--semantics', 'upstream', ...scope, '--shard', `${i}/2`, '--out', f], capture().io)).toBe(0);
    // As Ctrl-C leaves a shard file: /complete false (the merge reads nothing else of it).
    writeFileSync(b, JSON.stringify({ ...resultFile(b), complete: false }));
    const m = join(dir, 'm.json');
    const c = capture();
    expect(await main(['explore', '--merge', a, b, '--out', m, '--no-save'], c.io)).toBe(130);
    expect(c.err()).toBe(
      `klpcheck explore: INCOMPLETE: stopped shard file ${b} (/complete is false: interrupted, or a worker ran out of memory): the merge covers only what was explored; nothing holds yet\n`,
    );
    expect(c.out()).toMatch(INCOMPLETE_VERDICT);
    expect(c.out()).not.toMatch(/ holds for every sequence/);
    expect(resultFile(m).complete).toBe(false);
  });

  it('says a merged result does not know its spec-level count, in the report and the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klpcheck-explore-'));
    const scope = ['--scope', 'patches=1,functions=1,states=0,tasks=1,depth=3', '--no-save'];
    const [a, b, m, n] = ['a', 'b', 'm', 'n'].map((x) => join(dir, `${x}.json`));
    for (const [i, f] of [a!, b!].entries())
      await main(['explore', '--semantics', 'upstream', ...scope, '--shard', `${i}/2`, '--out', f], capture().io);
    const c = capture();
    expect(await main(['explore', '--merge', a!, b!, '--out', m!, '--no-save'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^\d+ distinct states \(merged: the spec-level count is not kept per shard\), \d+ transitions/m);
    expect(readFileSync(m!, 'utf8')).toMatch(/^ "specStates": null,$/m);
    // The shard files in the other order: the same bytes.
    await main(['explore', '--merge', b!, a!, '--out', n!, '--no-save'], capture().io);
    expect(readFileSync(n!, 'utf8')).toBe(readFileSync(m!, 'utf8'));
  });

  it('refuses an invariant that does not apply instead of passing with nothing checked', async () => {
    const c = capture();
    expect(await main(['explore', '--semantics', 'upstream', ...SCOPE, '--invariant', 'shadow-lifetime', '--no-save'], c.io)).toBe(2);
    expect(c.err()).toMatch(/'shadow-lifetime' does not apply to semantics 'upstream/);
  });

  it('needs --semantics, and rejects a bad scope or shard with exit 2', async () => {
    for (const args of [
      [],
      ['--semantics', 'upstream', '--scope', 'depth=99'],
      ['--semantics', 'upstream', '--shard', '2/2'],
      ['--semantics', 'upstream', '--shard', '0/2'],
    ]) {
      const c = capture();
      expect(await main(['explore', ...args], c.io)).toBe(2);
      expect(c.err()).toMatch(/\[E_USAGE\]\n$/);
    }
  });
});
