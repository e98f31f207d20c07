/**
 * Writes test/golden/fixture.json, the counterexample the render goldens
 * are made from: `npx tsx test/golden/make-fixture.ts > test/golden/fixture.json`.
 *
 * The saved corpus holds only short load-only sequences, so this one is run
 * by hand through the reference implementation to show everything a
 * rendering must handle: a refused load, a task asleep in a patched
 * function, a stalled transition and its retries, a replace, and the
 * violation at the end. The goldens read the JSON, not this script, so that
 * a change of the model does not silently change them.
 */
import { buildCounterexample, serialize } from '../../harness/counterexample.ts';
import type { Op } from '../../harness/ops.ts';
import { runSequence } from '../../harness/run-sequence.ts';
import { FAST_CHECK_VERSION, KLPCHECK_VERSION } from '../../harness/versions.ts';
import type { Universe } from '../../model/kernel/definitions.ts';
import { upstream } from '../../model/semantics/upstream.ts';
import { INVARIANTS } from '../../properties/catalog.ts';
import { lp } from '../support/universe.ts';

const universe: Universe = {
  patches: [
    lp('p1', ['f1'], { replace: false }, [{ id: 1, version: 2 }]),
    lp('p2', ['f1', 'f2'], { replace: true }, [{ id: 1, version: 1 }]),
    lp('p3', ['f2'], { replace: true }, [{ id: 1, version: 2 }]),
    lp('p4', ['f2'], { replace: false }),
  ],
  modules: [{ name: 'mod' }],
  kernel: { tasks: 2 },
};

const ops: readonly Op[] = [
  { op: 'insmod', module: 'p1' },
  { op: 'block_task', task: 'task0', func: 'vmlinux:f1,0' },
  { op: 'insmod', module: 'p2' },
  { op: 'insmod', module: 'p3' },
  { op: 'transition_step' },
  { op: 'unblock_task', task: 'task0' },
  { op: 'transition_step' },
  { op: 'insmod', module: 'p4' },
];

const result = runSequence(universe, upstream, ops, { invariants: INVARIANTS, conformance: true });
const c = buildCounterexample(upstream, universe, result, { source: 'scenario', fast_check: FAST_CHECK_VERSION, klpcheck: KLPCHECK_VERSION });
process.stdout.write(serialize(c));
