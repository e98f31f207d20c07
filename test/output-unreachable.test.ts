/**
 * An output path below a folder the user may not enter (mode 700, another
 * owner): one E_IO line naming that folder, exit 2, never an internal error.
 * Root enters every folder, so the commands run as user nobody (setpriv);
 * where that cannot be done (not root, no setpriv, a repository nobody may
 * not read) the test is skipped and says why.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asNobody, BIN, moduleAsNobody, nobodySkip } from './support/as-nobody.ts';

const skip = nobodySkip;

describe('a folder the user may not enter', () => {
  it.skipIf(skip !== null)(
    `as an output path is one E_IO line naming that folder, exit 2${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const top = mkdtempSync(join(tmpdir(), 'klpcheck-noexec-'));
      chmodSync(top, 0o755);
      const closed = join(top, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      const run = (...argv: string[]) => {
        const { status, stderr } = asNobody([BIN, ...argv]);
        return { status, stderr };
      };
      try {
        const promela = ['promela', '--scope', 'patches=1,functions=1,states=0,tasks=1', '--out'];
        // In it: the write fails; removing the temporary file it never made failed too, and was an internal error.
        expect(run(...promela, join(closed, 'x.pml'))).toEqual({
          status: 2,
          stderr: `klpcheck: ${join(closed, 'x.pml')}: --out: cannot write here (EACCES) [E_IO]\n`,
        });
        // Below it: the folder 'sub' may exist; it was said not to.
        expect(run(...promela, join(closed, 'sub', 'x.pml'))).toEqual({
          status: 2,
          stderr: `klpcheck: ${join(closed, 'sub', 'x.pml')}: --out: cannot look inside the folder ${closed} (EACCES) [E_IO]\n`,
        });
        expect(run('run', '--semantics', 'upstream', '--runs', '2', '--out', join(closed, 'sub', 'cx'))).toEqual({
          status: 2,
          stderr: `klpcheck: ${join(closed, 'sub', 'cx')}: --out: cannot look inside the folder ${closed} (EACCES) [E_IO]\n`,
        });
        expect(readdirSync(closed)).toEqual([]);
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    },
    60_000,
  );
  it.skipIf(skip !== null)(
    `as the folder of a semantics' saves is named, before the work and at a save${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const top = mkdtempSync(join(tmpdir(), 'klpcheck-noexec-'));
      chmodSync(top, 0o755);
      // --out is the user's (nobody's); its upstream/ is another user's, mode 700.
      const out = join(top, 'out');
      mkdirSync(out);
      chownSync(out, 65534, 65534);
      const closed = join(out, 'upstream');
      mkdirSync(closed, { mode: 0o700 });
      try {
        // Before the work: every save there would fail after it.
        const r = asNobody([BIN, 'run', '--semantics', 'upstream', '--runs', '2', '--out', out]);
        expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
          status: 2,
          stdout: '',
          stderr: `klpcheck: ${out}: --out: cannot look inside the folder ${closed} (EACCES) [E_IO]\n`,
        });
        // At a save (a store no check covered, or a folder closed during the run): the folder, not "cannot read the
        // existing file: permission denied" for a file that is not there.
        const cx = resolve('counterexamples/upstream/conformance-545eea7ed9c3.json');
        const saved = moduleAsNobody(
          `import { readCounterexample, saveCounterexample } from ${JSON.stringify(resolve('harness/counterexample.ts'))};
           try { saveCounterexample(${JSON.stringify(out)}, readCounterexample(${JSON.stringify(cx)})); console.log('saved'); }
           catch (e) { console.log(e.format()); }`,
        );
        expect(saved.stdout).toBe(
          `klpcheck: ${join(closed, 'conformance-545eea7ed9c3.json')}: cannot look inside the folder ${closed} (EACCES) [E_IO]\n`,
        );
        expect(readdirSync(closed)).toEqual([]);
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    },
    60_000,
  );
  it.skipIf(skip !== null)(
    `explore --out F --force over an F the user may not read replaces it, as cp -f does; an INCOMPLETE result keeps it${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const top = mkdtempSync(join(tmpdir(), 'klpcheck-noread-'));
      chmodSync(top, 0o755);
      // The folder is the user's (nobody's); F is another user's, mode 600.
      const dir = join(top, 'dir');
      mkdirSync(dir);
      chownSync(dir, 65534, 65534);
      const f = join(dir, 'f.json');
      const unreadable = () => {
        writeFileSync(f, 'secret', { mode: 0o600 });
        chownSync(f, 0, 0);
      };
      const explore = [BIN, 'explore', '--semantics', 'upstream', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2'];
      try {
        unreadable();
        // Without --force: refused before the search, as any existing F.
        const kept = asNobody([...explore, '--no-save', '--out', f]);
        expect({ status: kept.status, stderr: kept.stderr }).toEqual({
          status: 2,
          stderr: `klpcheck: ${f}: --out: exists; not overwritten (use --force to replace it) [E_CONFLICT]\n`,
        });
        // With --force: replaced after the search; it failed there with "cannot read the existing file".
        const r = asNobody([...explore, '--no-save', '--out', f, '--force']);
        expect(r.status, r.stderr).toBe(0);
        expect(readFileSync(f, 'utf8')).toContain('"klpcheck-explore-shard"');
        expect(statSync(f).mode & 0o777).toBe(0o600);
        // An INCOMPLETE result never replaces a complete one, even with --force: nor one it may not read, which may be.
        const complete = join(dir, 'complete.json');
        writeFileSync(complete, readFileSync(f));
        unreadable();
        const saved = moduleAsNobody(
          `import { readShard, saveResult } from ${JSON.stringify(resolve('cli/shard-file.ts'))};
           const s = readShard(${JSON.stringify(complete)});
           try { console.log(saveResult(${JSON.stringify(f)}, { ...s, complete: false }, true)); } catch (e) { console.log(e.format()); }`,
        );
        expect(saved.stdout).toBe('kept-unread\n');
        expect(readFileSync(f, 'utf8')).toBe('secret');
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    },
    60_000,
  );
  it.skipIf(skip !== null)(
    `holding saved counterexamples is E_IO, never "none saved" (a cell then said holds)${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const top = mkdtempSync(join(tmpdir(), 'klpcheck-noexec-'));
      chmodSync(top, 0o755);
      const closed = join(top, 'per-state');
      mkdirSync(closed, { mode: 0o700 });
      try {
        const stored = moduleAsNobody(
          `import { storedFor } from ${JSON.stringify(resolve('harness/counterexample.ts'))};
           try { storedFor(${JSON.stringify(top)}, 'per-state', 'shadow-lifetime'); console.log('listed'); } catch (e) { console.log(e.format()); }`,
        );
        expect(stored.stdout).toBe(`klpcheck: ${closed}: cannot list the saved counterexamples here (EACCES) [E_IO]\n`);
        // A folder of counterexamples to replay: named, not an internal error (exit 70).
        const r = asNobody([BIN, 'replay', closed]);
        expect({ status: r.status, stderr: r.stderr }).toEqual({
          status: 2,
          stderr: `klpcheck: ${closed}: cannot read (EACCES) [E_NO_FILE]\n`,
        });
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    },
    60_000,
  );
  it.skipIf(skip !== null)(
    `a semantics' folder in --out that can be entered but not written is refused before the work${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      // It passed the check, and every save there failed after the runs (stop 40's hostile user).
      const top = mkdtempSync(join(tmpdir(), 'klpcheck-nowrite-'));
      chmodSync(top, 0o777);
      mkdirSync(join(top, 'upstream'), { mode: 0o755 });
      try {
        const r = asNobody([BIN, 'run', '--semantics', 'upstream', '--runs', '2', '--out', top]);
        expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
          status: 2,
          stdout: '',
          stderr: `klpcheck: ${top}: --out: upstream/: cannot write here (EACCES) [E_IO]\n`,
        });
        // Another semantics' folder is not its business: that run goes ahead and saves (exit 1: stacking's findings).
        const other = asNobody([BIN, 'run', '--semantics', 'stacking', '--runs', '2', '--out', top]);
        expect(other.status, other.stderr).toBe(1);
        expect(readdirSync(join(top, 'stacking')).length).toBeGreaterThan(0);
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    },
    60_000,
  );
  // The checkout's own store, as nobody sees it: another user's folder, mode 755 (skipped where nobody may write it).
  const store = resolve('counterexamples');
  const storeSkip = skip ?? (statSync(store).mode & 0o002 ? 'the repository counterexamples/ is writable by everyone' : null);
  it.skipIf(storeSkip !== null)(
    `as the default counterexample store is refused before the work, with the way out${storeSkip ? ` (skipped: ${storeSkip})` : ''}`,
    () => {
      // Found only after the runs or the search, every counterexample found unsaved (stop 40's hostile user).
      const refused = (ways: string) => ({
        status: 2,
        stdout: '',
        stderr: `klpcheck: ${store}: the counterexample store: cannot write here (EACCES): give ${ways} [E_IO]\n`,
      });
      expect(asNobody([BIN, 'run', '--semantics', 'upstream', '--runs', '2'])).toEqual(refused('--out DIR or --no-save'));
      expect(asNobody([BIN, 'compare', '--semantics', 'upstream', '--runs', '2'])).toEqual(refused('--out DIR or --no-save'));
      const explore = ['explore', '--semantics', 'upstream', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=2'];
      expect(asNobody([BIN, ...explore])).toEqual(refused('--no-save'));
      // --no-save writes nothing there, and runs.
      const r = asNobody([BIN, ...explore, '--no-save']);
      expect(r.status, r.stderr).toBe(0);
    },
    60_000,
  );
});
