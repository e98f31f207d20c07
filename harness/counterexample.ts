/**
 * Counterexample records (schema/counterexample.schema.json): building one
 * from a failing run, saving it under counterexamples/<semantics>/ with a
 * name derived from its content, loading and replaying it.
 *
 * The name hashes what makes the counterexample (semantics, property,
 * universe, operations), not where it came from, so finding it again with
 * another seed names the same file. An existing file is never overwritten:
 * the same counterexample is left as it is, and a different one under the
 * same name is an error. Writes go to a temporary file that is renamed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DeepReadonly, Universe } from '../model/kernel/definitions.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import type * as G from '../schema/generated/counterexample.ts';
import { KlpcheckError, pointer } from './errors.ts';
import { readJson, validate } from './json-file.ts';
import type { Op } from './ops.ts';
import type { RunResult } from './run-sequence.ts';

export type Counterexample = DeepReadonly<G.Counterexample>;
export type Provenance = Counterexample['provenance'];

export const FORMAT = 1;

export function buildCounterexample(
  semantics: Semantics,
  universe: Universe,
  result: RunResult,
  provenance: Provenance,
): Counterexample {
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

/** Key order is fixed by construction; this stringifies with sorted keys anyway, for hashing. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What makes a counterexample what it is: semantics, property, universe, operations. */
export function identity(c: Counterexample): string {
  return stable({ semantics: c.semantics, invariant: c.invariant, universe: c.universe, ops: c.steps.map((s) => s.op) });
}

export function fileNameFor(c: Counterexample): string {
  const hash = createHash('sha256').update(identity(c)).digest('hex').slice(0, 12);
  return join(c.semantics, `${c.invariant}-${hash}.json`);
}

export function serialize(c: Counterexample): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

export type SaveResult = { readonly file: string; readonly status: 'written' | 'exists' };

/** Saves atomically under `dir`; never overwrites a file with different content. */
export function saveCounterexample(dir: string, c: Counterexample): SaveResult {
  const file = join(dir, fileNameFor(c));
  if (existsSync(file)) {
    const old = readCounterexample(file);
    if (identity(old) !== identity(c)) {
      throw new KlpcheckError('E_CONFLICT', 'a different counterexample already has this name; not overwritten', file);
    }
    return { file, status: 'exists' };
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serialize(c));
  renameSync(tmp, file);
  return { file, status: 'written' };
}

export function readCounterexample(file: string): Counterexample {
  const c = validate<Counterexample>('counterexample', readJson(file), file);
  if (c.violation.step >= c.steps.length) {
    throw new KlpcheckError('E_SCHEMA', `violation step ${c.violation.step} is past the last step`, file, pointer('violation', 'step'));
  }
  return c;
}

export function opsOf(c: Counterexample): readonly Op[] {
  return c.steps.map((s) => s.op);
}

/** The raw text, to compare byte for byte. */
export function fileText(file: string): string {
  return readFileSync(file, 'utf8');
}
