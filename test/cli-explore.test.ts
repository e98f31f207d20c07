import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import type { Io } from '../cli/io.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTTY: false, stderrIsTTY: false, env: {}, now: () => 0 };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const SCOPE = ['--scope', 'patches=2,functions=1,states=1,tasks=1,depth=3'];

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
    }
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
    const refusals: [string[], RegExp][] = [
      [[join(dir, '0.json')], /shard 1\/2 missing/],
      [[join(dir, '0.json'), join(dir, '0.json'), join(dir, '1.json')], /shard 0\/2 given twice/],
      [[join(dir, '0.json'), other], /a shard of stacking, not upstream/],
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
