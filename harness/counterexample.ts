/**
 * Counterexample records (schema/counterexample.schema.json): building one
 * from a failing run, saving it under counterexamples/<semantics>/ with a
 * name derived from its content, loading and replaying it.
 *
 * The name hashes the finding: the file's bytes as written but for its
 * `provenance` (seed, fast-check path, depth bound, versions), which says who
 * found it, not what was found. The same counterexample found another way (a
 * search of another depth bound, another seed) has the same name, and the
 * first finder's file is kept ('exists'): a file for each depth explored made
 * compare list five files for one 2-step finding (hostile-user finding, stop
 * 44). Saving a file that already holds this finding is a no-op, whatever its
 * whitespace or provenance (an editor may reformat it); a file of that name
 * with another finding, its keys in another order included, or with content
 * no read would accept, was edited or corrupted, and is refused
 * (E_CONFLICT), never overwritten or taken as "already saved".
 * Writes go to a temporary file that is renamed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { cannotWrite, readExisting, writeFileAtomically } from './atomic-write.ts';
import { pathKind } from './folders.ts';
import { basename, dirname, join } from 'node:path';
import type { DeepReadonly, Universe } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type * as G from '../schema/generated/counterexample.ts';
import { KlpcheckError, pointer } from './errors.ts';
import { readJsonFile } from './json-file.ts';
import { checkCounterexample, isKnownProperty } from './counterexample-check.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { isProtocolProperty } from './protocols/cycle.ts';
import { notAProtocolRecord } from './protocols/record-scope.ts';
import type { Op } from './ops.ts';
import type { RunResult } from './run-sequence.ts';

export type Counterexample = DeepReadonly<G.Counterexample>;
export type Provenance = Counterexample['provenance'];

export const FORMAT = 1;

export function buildCounterexample(semantics: Semantics, universe: Universe, result: RunResult, provenance: Provenance): Counterexample {
  const v = result.violation;
  if (!v) throw new Error('buildCounterexample: the run has no violation');
  return {
    format: FORMAT,
    semantics: semantics.name,
    invariant: v.invariant,
    universe,
    initial: result.initial,
    steps: result.steps.map((s) => ({ op: s.op, outcome: s.outcome, state: s.state })),
    violation: { step: v.step, reason: v.reason },
    provenance,
  };
}

/** The file text: two-space JSON, one trailing newline; key order is fixed by construction. */
export function serialize(c: Counterexample): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/**
 * The finding's text: the file text without `provenance` (the last key, so
 * the rest keeps its order and layout), which names the file.
 */
function findingText(c: Counterexample): string {
  const { provenance: _who, ...finding } = c;
  return serialize(finding as Counterexample);
}

/** `<semantics>/<property>-<12 hex digits of sha256(text)>.json`. */
function nameOf(c: Counterexample, text: string): string {
  return join(c.semantics, `${c.invariant}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.json`);
}

/** `<semantics>/<property>-<12 hex digits of sha256(finding text)>.json`, relative to a store folder: where a save puts `c`. */
export function fileNameFor(c: Counterexample): string {
  return nameOf(c, findingText(c));
}

/**
 * Every name the store reads `c` under: today's (fileNameFor), and the one
 * klpcheck gave before 2026-12-05 (stop 45), the hash of the whole file
 * text, provenance included, so that a store saved then is read as it is
 * (helper-71: every one was refused as "edited, corrupted"). A save never
 * gives the old name.
 */
export function storeNamesFor(c: Counterexample): readonly string[] {
  return [fileNameFor(c), nameOf(c, serialize(c))];
}

export type SaveResult = { readonly file: string; readonly status: 'written' | 'exists' };

/**
 * Saves atomically under `dir`: `written` for a new file, `exists` when a
 * file that reads as this finding is there (its provenance, who found it
 * first, is kept). Throws E_CONFLICT when the name is taken by another
 * finding or by content a read refuses (the file is left alone), E_IO when it cannot be written
 * or what is at the name cannot be read (a directory, no read permission; left alone).
 */
export function saveCounterexample(dir: string, c: Counterexample): SaveResult {
  const file = join(dir, fileNameFor(c));
  const text = serialize(c);
  // A directory or an unreadable file at the name is E_IO from readExisting, left as it is; one too large to read
  // (null) is there, and otherFinding's read says why it is not this finding.
  const old = readExisting(file);
  if (old !== undefined) {
    const other = old === text ? undefined : otherFinding(file, c);
    if (other !== undefined) {
      throw new KlpcheckError('E_CONFLICT', `a file of this name has other content (edited or corrupted?${other}); not overwritten`, file);
    }
    return { file, status: 'exists' };
  }
  const earlier = heldUnderOldName(dir, c);
  if (earlier !== undefined) return { file: earlier, status: 'exists' };
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomically(file, text);
  } catch (e) {
    // The folder was checked before the run; one removed or made read-only since is the user's, not a bug.
    throw cannotWrite(file, e);
  }
  return { file, status: 'written' };
}

/**
 * The file of `dir` that holds `c`'s finding under the name klpcheck gave
 * before stop 45 (storeNamesFor: the hash of the whole file, which its
 * provenance is part of), or undefined. Such a store is read as it is, and
 * each of its findings saved again got a second file beside it, listed
 * twice by compare (helper-72, stop 45). Files that cannot be read are left
 * to the store's own checks.
 */
function heldUnderOldName(dir: string, c: Counterexample): string | undefined {
  const folder = join(dir, c.semantics);
  const named = new RegExp(`^${c.invariant}-[0-9a-f]{12}\\.json$`);
  let names: string[];
  try {
    names = readdirSync(folder)
      .filter((n) => named.test(n))
      .sort();
  } catch {
    return undefined;
  }
  const finding = findingText(c);
  for (const n of names) {
    try {
      const held = readStored(dir, join(c.semantics, n));
      if (findingText(held.counterexample) === finding) return held.file;
    } catch {
      // Not this finding's file.
    }
  }
  return undefined;
}

/**
 * Undefined when the file at `c`'s name reads as `c`'s finding: as every
 * read takes it (readCounterexample: a byte order mark dropped, a key given
 * twice or a schema error refused), with the same finding text, whitespace
 * and provenance aside. Else what a read says of it, for the E_CONFLICT line
 * (`: reading it: /provenance: must be object [E_SCHEMA]`, or that its
 * content does not match the name, with the name its finding has), which
 * the save's line had not said (helper-71, helper-73, stop 45). Keys in
 * another order (jq -S) are another file: the name hashes the finding as
 * klpcheck writes it, so reading refuses such a file (readStored), and a
 * save that took it for "already saved" left a store that every later run
 * refused (hostile-user finding, stop 35).
 */
function otherFinding(file: string, c: Counterexample): string | undefined {
  let saved: Counterexample;
  try {
    saved = readCounterexample(file, true);
  } catch (e) {
    if (!(e instanceof KlpcheckError)) return '';
    // Its code in parentheses: the line's one bracketed code is the E_CONFLICT it ends with, which a script reads (helper-122).
    return `: reading it: ${e.where ? `${e.where}: ` : ''}${e.message} (${e.code})`;
  }
  if (findingText(saved) === findingText(c)) return undefined;
  // As a read of the store says it (readStored): a hand edit or `jq -S` was a bare "other content" (helper-73).
  return `: reading it: the content does not match the file name (${basename(fileNameFor(saved))})`;
}

/**
 * Reads and checks a counterexample file (schema, steps, references, and a
 * store name against its content); `named` is the file's own name taken as
 * given (the save's own check, otherFinding, compares the finding itself).
 */
export function readCounterexample(file: string, named = false): Counterexample {
  const c = readJsonFile<Counterexample>(file, 'counterexample');
  if (c.violation.step >= c.steps.length) {
    throw new KlpcheckError('E_SCHEMA', `violation step ${c.violation.step} is past the last step`, file, pointer('violation', 'step'));
  }
  // A counterexample ends at the step that violates it, as every one klpcheck saves does: the steps after it were
  // never checked, and a rendering showed them as fact with no caution (helper-131, stop 72).
  if (c.violation.step < c.steps.length - 1) {
    const after = c.violation.step + 1;
    throw new KlpcheckError(
      'E_SCHEMA',
      `step ${after + 1} comes after the violation (step ${after}): a counterexample ends at the step that violates it`,
      file,
      pointer('steps', after),
    );
  }
  // A release cycle's property is found by klpcheck protocols alone, and replay cannot check one: its record must be
  // one protocols writes (record-scope.ts).
  const notProtocols = isProtocolProperty(c.invariant) ? notAProtocolRecord(c.provenance) : undefined;
  if (notProtocols !== undefined)
    throw new KlpcheckError(
      'E_SCHEMA',
      `${c.invariant} is a release cycle's property, which klpcheck protocols alone finds, and ${notProtocols.why}`,
      file,
      pointer('provenance', notProtocols.at),
    );
  checkCounterexample(c, file, named ? [file] : storeNamesFor(c));
  return c;
}

export function opsOf(c: Counterexample): readonly Op[] {
  return c.steps.map((s) => s.op);
}

/** The raw text, to compare byte for byte. */
export function fileText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** A counterexample read from a store, with its path. */
export interface StoredCounterexample {
  readonly file: string;
  readonly counterexample: Counterexample;
}

/**
 * Reads a file of a store folder, `rel` its path there
 * (`<semantics>/<property>-<12 hex digits>.json`): readCounterexample holds
 * a name of that form to its content (storeNamesFor) and its folder to its
 * semantics, so a file whose content no longer matches its name, edited or
 * corrupted, is refused with E_CONFLICT.
 */
export function readStored(dir: string, rel: string): StoredCounterexample {
  const file = join(dir, rel);
  return { file, counterexample: readCounterexample(file) };
}

/**
 * What `list()` lists of the store's folder `dir`: nothing when the folder is
 * not there; E_IO when it is and cannot be read (one klpcheck may not enter
 * could hold a counterexample that still reproduces, and its cell said
 * "holds", exit 0: hostile-user finding, as a user who may not enter it).
 */
function listed<T>(dir: string, list: () => T[]): T[] {
  try {
    return list();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new KlpcheckError('E_IO', `cannot list the saved counterexamples here (${code ?? (e as Error).message})`, dir);
  }
}

/**
 * E_CONFLICT for a JSON file of the store `dir` that nothing would replay,
 * since run and compare read just `<dir>/<semantics>/*.json` for each
 * semantics they run: one in a folder that names no semantics klpcheck knows
 * (`counterexamples/upstrem/` was skipped without a word: hostile-user test,
 * 2026-12-03), one at the top of the store, or one in a subfolder of a
 * semantics' folder (`hybrid/archive/`: its cell said "holds" while replay
 * said "still violated": hostile-user test, stop 35). Folders whose name
 * starts with '.' are not the store's, and a linked folder is walked as the
 * folder it links to (once). A store that is not there holds none.
 */
export function checkStoreFolders(dir: string): void {
  for (const e of listed(dir, () => readdirSync(dir, { withFileTypes: true }))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (pathKind(path) !== 'directory') {
      if (e.name.endsWith('.json'))
        throw new KlpcheckError(
          'E_CONFLICT',
          'a JSON file at the top of the store, where nothing replays it: a counterexample goes in its semantics’ folder (<semantics>/<property>-<12 hex digits>.json); move it there or out of the store',
          path,
        );
      continue;
    }
    if (!semanticsByName(e.name)) {
      if (jsonBelow(path, 0, new Set()) !== undefined)
        throw new KlpcheckError(
          'E_CONFLICT',
          'a folder of no semantics klpcheck knows, so its counterexamples would never be replayed: rename it as its semantics is named, or move it out',
          path,
        );
      continue;
    }
    const nested = jsonBelow(path, 1, new Set());
    if (nested !== undefined)
      throw new KlpcheckError(
        'E_CONFLICT',
        `in a subfolder of ${e.name}/, where nothing replays it: move it up into ${e.name}/ or out of the store`,
        nested,
      );
  }
}

/**
 * The first JSON file (by name) at least `minDepth` folders below `folder`
 * (0: in it), skipping files and folders whose name starts with '.'; each folder once,
 * however many links lead to it (`seen`: real paths).
 */
function jsonBelow(folder: string, minDepth: number, seen: Set<string>): string | undefined {
  // A folder that cannot be resolved or listed is E_IO (listed): it could hold evidence.
  const [real] = listed(folder, () => [realpathSync(folder)]);
  if (real === undefined || seen.has(real)) return undefined;
  seen.add(real);
  const names = listed(folder, () => readdirSync(folder)).sort();
  if (minDepth <= 0) {
    const file = names.find((n) => n.endsWith('.json') && !n.startsWith('.') && pathKind(join(folder, n)) !== 'directory');
    if (file !== undefined) return join(folder, file);
  }
  for (const n of names) {
    if (n.startsWith('.') || pathKind(join(folder, n)) !== 'directory') continue;
    const found = jsonBelow(join(folder, n), minDepth - 1, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Every counterexample saved for one semantics and property
 * (`<dir>/<semantics>/<property>-*.json`), sorted by path; none when the
 * folder does not exist, E_IO when it cannot be listed (EACCES, a file
 * there). Each is checked by readStored.
 */
export function storedFor(dir: string, semantics: string, property: string): StoredCounterexample[] {
  const folder = join(dir, semantics);
  // Dot-files are not the store's, as in its walk (checkStoreFolders): an editor's lock file `.#x.json` was a stray.
  const files = listed(folder, () => readdirSync(folder)).filter((f) => !f.startsWith('.'));
  // A counterexample under a name the store does not give would be evidence nobody replays:
  // a cell could then say "holds" while it reproduces. Refuse it instead.
  const stray = files.find((f) => f.endsWith('.json') && !/^[a-z0-9-]+-[0-9a-f]{12}\.json$/.test(f));
  if (stray !== undefined) {
    throw new KlpcheckError(
      'E_CONFLICT',
      'not a name the store gives (<property>-<12 hex digits>.json), so it would never be replayed: rename it as klpcheck names it (the first 12 hex digits of the sha256 of its text as klpcheck writes it, all but its provenance) or move it out',
      join(folder, stray),
    );
  }
  // Every JSON file is now `<property>-<12 hex digits>.json`.
  const named = files.filter((f) => f.endsWith('.json')).map((f) => ({ f, property: f.slice(0, -'-0123456789ab.json'.length) }));
  // A store name of a property klpcheck does not know (`conformanc-<hash>.json`) was never replayed either, and said
  // nothing (hostile-user test, 2026-12-03). A release cycle's file (protocols --out) is known, and not a cell's.
  const unknown = named.find((n) => !isKnownProperty(n.property));
  if (unknown !== undefined) {
    throw new KlpcheckError(
      'E_CONFLICT',
      `names no property klpcheck knows ('${unknown.property}'), so it would never be replayed: rename it or move it out`,
      join(folder, unknown.f),
    );
  }
  return named
    .filter((n) => n.property === property)
    .map((n) => n.f)
    .sort()
    .map((f) => readStored(dir, join(semantics, f)));
}
