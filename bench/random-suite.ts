/**
 * The random runs of a semantics' every property as `klpcheck compare` makes
 * them (suite.ts runSuite: one screen, then a run of its own for each
 * property found violated, random-screen.ts) against each property run on
 * its own, as they were before stop 49: cpu seconds, the same results.
 */
import { cpuUsage } from 'node:process';
import { isDeepStrictEqual } from 'node:util';
import { ALL_PROPERTIES, runProperty, runSuite, type PropertyResult, type SuiteOptions } from '../harness/suite.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

export interface RandomSuiteRow {
  readonly semantics: string;
  /** Sequences per property (compare's default), seed 1. */
  readonly runs: number;
  /** Properties that apply, and those of them found violated (each run again on its own, with its shrinking). */
  readonly properties: number;
  readonly violated: number;
  /** The fastest of ROUNDS, each side. */
  readonly screened_cpu_seconds: number;
  readonly one_by_one_cpu_seconds: number;
  readonly speed_up: number;
}

const RUNS = 500;
const ROUNDS = 2;

function cpuSeconds(f: () => PropertyResult[]): { readonly seconds: number; readonly results: PropertyResult[] } {
  const t = cpuUsage();
  const results = f();
  const c = cpuUsage(t);
  return { seconds: (c.user + c.system) / 1e6, results };
}

/** One semantics' row; throws when the two ways give different results (the bench reports only like for like). */
export function measureRandomSuite(sem: Semantics): RandomSuiteRow {
  const o: SuiteOptions = { semantics: sem, runs: RUNS, seed: 1 };
  let screened = Infinity;
  let oneByOne = Infinity;
  let results: PropertyResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = cpuSeconds(() => runSuite(o));
    const b = cpuSeconds(() => ALL_PROPERTIES.map((p) => runProperty(o, p)));
    if (!isDeepStrictEqual(a.results, b.results)) throw new Error(`random suite of ${sem.name}: the screen and the runs one by one differ`);
    [screened, oneByOne, results] = [Math.min(screened, a.seconds), Math.min(oneByOne, b.seconds), a.results];
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    semantics: sem.name,
    runs: RUNS,
    properties: results.filter((r) => r.verdict !== 'not-applicable').length,
    violated: results.filter((r) => r.verdict === 'violated').length,
    screened_cpu_seconds: round(screened),
    one_by_one_cpu_seconds: round(oneByOne),
    speed_up: Math.round((oneByOne / screened) * 100) / 100,
  };
}
