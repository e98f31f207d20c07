/**
 * A word an option takes (a render format, an explore engine, a seed's
 * 'random') is trimmed of ASCII spaces as a name and a number are
 * (harness/unspaced.ts), and of nothing else: ' svg ' was an unknown format,
 * ' packed ' an unknown engine and ' random ' no seed (helper-103).
 */
import { describe, expect, it } from 'vitest';
import { run } from './support/cli-run.ts';

describe('words around which a command line has ASCII spaces', () => {
  it('render --format', async () => {
    const r = await run(['render', '--format', ' svg ', 'counterexamples/upstream/conformance-545eea7ed9c3.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('<?xml')).toBe(true);
  });

  it('explore --engine', async () => {
    const r = await run([
      'explore',
      '--no-save',
      '--semantics',
      'stacking',
      '--engine',
      ' object ',
      '--scope',
      'patches=1,functions=1,states=0,tasks=1,depth=1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('object engine');
  });

  it("run --seed 'random', which draws a seed and prints it", async () => {
    const r = await run([
      'run',
      '--no-save',
      '--semantics',
      'stacking',
      '--invariant',
      'callback-pairing',
      '--runs',
      '2',
      '--seed',
      ' random ',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/seed -?\d+/);
  });

  it('but not of a no-break space, which the error line shows escaped', async () => {
    const r = await run(['explore', '--no-save', '--semantics', 'stacking', '--engine', '\u00a0packed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("klpcheck: unknown engine '\\u00a0packed' (known: auto, object, packed) [E_USAGE]\n");
  });
});
