/**
 * A file met twice only by walking the folders given (a link or a hard link
 * beside its target, folders given one inside the other) is no mistake of the
 * command line: it runs once, under its first name, with one line on stderr
 * for each name left out. It was refused as "given twice on the command line"
 * though one folder was given, so that folder could not be run at all.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicScenario, run, TempDir } from './support/cli-run.ts';

/** A folder s/ holding a.json and b.json, link.json (a symbolic link to a.json), hard.json (a hard link to b.json), sub/c.json. */
function folder(): string {
  const dir = new TempDir().path;
  const s = join(dir, 's');
  mkdirSync(join(s, 'sub'), { recursive: true });
  for (const name of ['a.json', 'b.json', 'sub/c.json']) writeFileSync(join(s, name), JSON.stringify(basicScenario()));
  symlinkSync('a.json', join(s, 'link.json'));
  linkSync(join(s, 'b.json'), join(s, 'hard.json'));
  return s;
}

describe('a file met twice only below the folders given', () => {
  it('scenario DIR runs it once under its first name and says so on stderr; the count line counts what ran', async () => {
    const s = folder();
    const r = await run(['scenario', s]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `klpcheck scenario: ${join(s, 'hard.json')} is ${join(s, 'b.json')} again: run once\n` +
        `klpcheck scenario: ${join(s, 'link.json')} is ${join(s, 'a.json')} again: run once\n`,
    );
    expect(r.stdout).toMatch(/\n3 scenarios: 3 pass, 0 fail, 0 pending\n$/);
    expect(r.stdout).not.toContain('link.json');
    expect(r.stdout).not.toContain('hard.json');
    const quiet = await run(['scenario', '--quiet', s]);
    expect(
      quiet.stdout
        .split('\n')
        .filter((l) => l.startsWith('PASS'))
        .map((l) => l.replace(/^PASS +/, '')),
    ).toEqual([join(s, 'a.json'), join(s, 'b.json'), join(s, 'sub', 'c.json')]);
  });

  it('folders given one inside the other: each file below both runs once, said once', async () => {
    const s = folder();
    const r = await run(['scenario', '--quiet', s, join(s, 'sub')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`\nklpcheck scenario: ${join(s, 'sub', 'c.json')} is below both ${s} and ${join(s, 'sub')}: run once\n$`),
    );
    expect(r.stdout.match(/c\.json/g)).toHaveLength(1);
  });

  it('replay DIR the same', async () => {
    const dir = join(new TempDir().path, 'cx');
    mkdirSync(dir);
    const name = readdirSync(resolve('counterexamples/upstream')).find((f) => f.endsWith('.json'))!;
    copyFileSync(resolve('counterexamples/upstream', name), join(dir, name));
    symlinkSync(name, join(dir, `z-${name}`));
    const r = await run(['replay', dir]);
    expect(r.stderr).toBe(`klpcheck replay: ${join(dir, `z-${name}`)} is ${join(dir, name)} again: run once\n`);
    expect(r.stdout.split('\n').filter((l) => l.includes(name))).toHaveLength(1);
    expect(r.stdout).toMatch(/\n1 still violated, 0 fixed\n$/);
  });

  it('a name of it given on the command line as well is refused (E_USAGE), naming both names', async () => {
    const s = folder();
    const r = await run(['scenario', s, join(s, 'link.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `klpcheck: ${join(s, 'link.json')}: given twice on the command line (as ${join(s, 'a.json')} below ${s} and as ${join(s, 'link.json')}): name each file once [E_USAGE]\n`,
    );
  });
});
