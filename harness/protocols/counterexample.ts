/**
 * A failing release cycle as a counterexample record
 * (schema/counterexample.schema.json), so that it renders like any other
 * (klpcheck render's text, markdown, SVG). Its property may be a protocol
 * property (loads, fixes, knowledge), which the renderers show by its id;
 * such a record is for reading, not for the replayed corpus.
 */
import { buildCounterexample, type Counterexample } from '../counterexample.ts';
import { FAST_CHECK_VERSION, KLPCHECK_VERSION } from '../versions.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import type { CycleRun } from './cycle.ts';
import type { Protocol } from './protocol.ts';
import { protocolScope } from './record-scope.ts';

/** Null when the cycle holds or failed before its first load. */
export function cycleCounterexample(run: CycleRun, sem: Semantics, protocol: Protocol, maxReleases: number): Counterexample | null {
  const f = run.failure;
  if (!f || !run.trace.steps.length) return null;
  const step = run.opOfDay.slice(0, f.day + 1).reduce<number>((last, i) => (i === null ? last : i), 0);
  return buildCounterexample(
    sem,
    run.universe,
    { initial: run.trace.initial, steps: run.trace.steps, violation: { step, invariant: f.property, reason: f.reason } },
    {
      source: 'exhaustive',
      depth: run.ops.length,
      scope: protocolScope(protocol, maxReleases),
      fast_check: FAST_CHECK_VERSION,
      klpcheck: KLPCHECK_VERSION,
    },
  );
}
