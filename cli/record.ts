/**
 * `compare --record`: the cells just computed go into verdicts/expected.json
 * beside the cells recorded before, so that recording a selection
 * (`--semantics upstream --invariants conformance`) refreshes those cells and
 * keeps the rest, instead of replacing the whole matrix with the selection.
 */
import { existsSync } from 'node:fs';
import type { Cell, VerdictMatrix } from '../harness/matrix.ts';
import { canonicalJson } from '../harness/canonical-json.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { SETTLE_STEPS } from '../harness/generators.ts';
import { readJson, validate } from '../harness/json-file.ts';
import { ALL_PROPERTIES } from '../harness/suite.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';

/** The recorded matrix, or undefined when there is none yet; read before the work, so a damaged file stops it early. */
export function readRecorded(file: string): VerdictMatrix | undefined {
  return existsSync(file) ? validate<VerdictMatrix>('verdict-matrix', readJson(file), file) : undefined;
}

/** A matrix's exhaustive explorations as they were asked (scope, depth, budget): without how far each went. */
function bounds(x: NonNullable<VerdictMatrix['exhaustive']>): Omit<NonNullable<VerdictMatrix['exhaustive']>, 'searches'> {
  const { searches: _reach, ...given } = x;
  return given;
}

/**
 * Everything but the cells and their axes: how the matrix was made (seed,
 * runs, ...), in canonical JSON. A matrix recorded before settle_steps was
 * written settled with SETTLE_STEPS, as the schema says of a missing one: the
 * same setting, though the files differ (stop 42's hostile user: every
 * partial --record was refused).
 */
function header(m: VerdictMatrix): string {
  const { semantics: _s, properties: _p, cells: _c, promised: _pr, ...rest } = m;
  // How far each semantics' search went is of its cells, not a setting: a selection of semantics has fewer (helper-89).
  const exhaustive = rest.exhaustive && bounds(rest.exhaustive);
  return canonicalJson({ ...rest, ...(exhaustive ? { exhaustive } : {}), settle_steps: rest.settle_steps ?? SETTLE_STEPS });
}

/**
 * `fresh` laid over `old`: fresh cells win, old cells outside the selection
 * stay, in the registry's order of semantics and properties. A selection made
 * with other settings (seed, runs, steps) than the recorded matrix would give
 * one file two meanings: E_CONFLICT, unless `fresh` covers every old cell.
 */
export function mergeRecorded(old: VerdictMatrix | undefined, fresh: VerdictMatrix, file: string): VerdictMatrix {
  if (!old) return fresh;
  const key = (c: Cell) => `${c.semantics}\u0000${c.property}`;
  const cells = new Map<string, Cell>(old.cells.map((c) => [key(c), c]));
  const kept = old.cells.filter((c) => !fresh.cells.some((f) => key(f) === key(c)));
  if (kept.length === 0) return fresh;
  if (header(old) !== header(fresh)) {
    throw new KlpcheckError(
      'E_CONFLICT',
      `recorded with other settings (${header(old)}) than this selection (${header(fresh)}); record the whole matrix, or the selection with the recorded settings`,
      file,
    );
  }
  for (const c of fresh.cells) cells.set(key(c), c);
  const order = <T extends string>(known: readonly T[], names: Iterable<string>) => {
    const set = new Set(names);
    return [...known.filter((n) => set.has(n)), ...[...set].filter((n) => !known.includes(n as T)).sort()];
  };
  const semantics = order(
    SEMANTICS.map((s) => s.name),
    [...old.semantics, ...fresh.semantics],
  );
  const properties = order(ALL_PROPERTIES, [...old.properties, ...fresh.properties]);
  const ordered = semantics.flatMap((s) => properties.flatMap((p) => cells.get(`${s}\u0000${p}`) ?? []));
  // Each semantics' search, as its cells were made: the fresh one where no old cell of that semantics is kept, the old
  // one where no fresh cell is; where both made kept cells and went as far, that reach. Where they went apart (a
  // budget stops a search of fewer properties elsewhere), none: the cells say each their own, and the views read
  // them (report/matrix/cells.ts searches). The fresh one had claimed the old cells' depth too (helper-90).
  const searchOf = (m: VerdictMatrix, name: string) => m.exhaustive?.searches?.find((x) => x.semantics === name);
  const searches = semantics.flatMap((name) => {
    const f = searchOf(fresh, name);
    const o = searchOf(old, name);
    const keepsOld = kept.some((c) => c.semantics === name);
    if (!f || !keepsOld) return f ? [f] : keepsOld && o ? [o] : [];
    return o && canonicalJson(o) === canonicalJson(f) ? [f] : [];
  });
  const exhaustive = fresh.exhaustive && { ...bounds(fresh.exhaustive), ...(searches.length ? { searches } : {}) };
  return {
    ...fresh,
    ...(exhaustive ? { exhaustive } : {}),
    semantics,
    properties,
    cells: ordered,
    promised: { ...old.promised, ...fresh.promised },
  };
}
