/**
 * Saving a search's violations (explore's breadth-first ones, simulate's
 * walks'): each over the smallest universe that still breaks its property
 * (harness/explore/minimal-violation.ts), and a note on where it went.
 */
import { attempt, type KlpcheckError } from '../harness/errors.ts';
import { buildCounterexample, saveCounterexample, type Provenance } from '../harness/counterexample.ts';
import { minimalViolation } from '../harness/explore/minimal-violation.ts';
import type { ViolationSummary } from '../harness/explore/summary.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type { SavedNote } from '../report/explore/text.ts';
import { notSaved, savedSummary, shownPath, type SavedCounts } from './late-errors.ts';

/** A report's note on one counterexample, with the error that kept it from being saved, raised after the report. */
export interface SaveNote extends SavedNote {
  /** Whether the file is new or was already saved with these bytes, for the summary on stderr. */
  readonly status?: 'written' | 'exists';
  readonly error?: KlpcheckError;
}

/**
 * Saves each violation in `dir` with the provenance `provenance(v, savedLength)`
 * gives, and says where; only notes when `dir` is undefined (--no-save). A save
 * refused for the user's reasons (a hand-edited file of the same name, kept as
 * it is; an unwritable folder) is a note with its error, not a throw: the caller
 * prints the report first and raises it after (cli/late-errors.ts).
 * `note` gives each note's other fields (explore's random length).
 */
export function saveMinimalViolations<V extends ViolationSummary>(
  violations: readonly V[],
  sem: Semantics,
  dir: string | undefined,
  provenance: (v: V, savedLength: number) => Provenance,
  note: (v: V) => SavedNote = (v) => ({ property: v.property }),
): SaveNote[] {
  return violations.map((v) => {
    const base = note(v);
    if (!dir) return base;
    const { universe, result } = minimalViolation(v, sem);
    const c = buildCounterexample(sem, universe, result, provenance(v, result.steps.length));
    const { value: saved, error } = attempt(() => saveCounterexample(dir, c));
    const shorter = result.steps.length < v.ops.length ? { savedLength: result.steps.length } : {};
    return saved
      ? { ...base, file: shownPath(saved.file), status: saved.status, ...shorter }
      : { ...base, notSaved: notSaved(error), error };
  });
}

/**
 * The notes' line for stderr (late-errors.ts savedSummary): how many of the
 * `found` counterexamples were written, were already saved, or were not
 * saved; `noSave` when --no-save kept every one from being saved.
 */
export function savedNotesSummary(notes: readonly SaveNote[], found: number, noSave = false): string {
  const counts: SavedCounts = { written: 0, exists: 0 };
  for (const n of notes) if (n.status) counts[n.status]++;
  return savedSummary(counts, notes.filter((n) => n.error).length, found, noSave);
}
