/**
 * The files `klpcheck vm` takes, each turned into a VM case once its modules are generated: a
 * selftest scenario (it lists steps), a thread scenario (it lists ops), or a saved counterexample
 * of the upstream semantics (it has a provenance), or a saved real-kernel finding (vm/finding.ts). Other semantics' counterexamples are refused:
 * the real kernel implements upstream only.
 */
import { basename } from 'node:path';
import type { Universe } from '../model/kernel/definitions.ts';
import { KlpcheckError, pointer } from '../harness/errors.ts';
import { readJson } from '../harness/json-file.ts';
import { opsOf, readCounterexample } from '../harness/counterexample.ts';
import type { Op } from '../harness/ops.ts';
import { isThreadScenario, loadScenario } from '../harness/scenario/load.ts';
import { loadThreadScenario } from '../harness/thread-outcomes.ts';
import type { FunctionProbe, GenerateModuleSources, KernelVersion } from './cgen/contract.ts';
import type { BuiltCase, CaseKind, VmCase } from './case.ts';
import { opsCase } from './cases/ops.ts';
import { isFinding, readFinding } from './finding.ts';
import { selftestCase } from './cases/selftest.ts';

/** A case before its modules exist: the universe, and how to make the case from the probes. */
export interface PendingCase {
  readonly id: string;
  readonly label: string;
  readonly universe: Universe;
  readonly make: (probes: readonly FunctionProbe[]) => VmCase;
}

/** A guest folder name: [a-z0-9-], unique by its number. */
export function caseId(n: number, name: string): string {
  return `c${n}-${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)}`;
}

/** A sequence of ops (a thread scenario, a counterexample, a generated sequence). */
export function opsPending(id: string, label: string, kind: CaseKind, universe: Universe, ops: readonly Op[]): PendingCase {
  return { id, label, universe, make: (probes) => opsCase(id, label, kind, universe, ops, probes) };
}

export function loadInput(file: string, n: number): PendingCase {
  const id = caseId(n, basename(file, '.json'));
  const data = readJson(file);
  if (isThreadScenario(data)) {
    const s = loadThreadScenario(file);
    return opsPending(id, file, 'thread', s.universe, s.ops);
  }
  if (isFinding(data)) {
    const f = readFinding(file);
    return opsPending(id, file, 'counterexample', f.universe, f.ops);
  }
  if (typeof data === 'object' && data !== null && 'provenance' in data) {
    const c = readCounterexample(file);
    if (c.semantics !== 'upstream') {
      throw new KlpcheckError(
        'E_USAGE',
        `a counterexample of '${c.semantics}': the real kernel implements upstream only`,
        file,
        pointer('semantics'),
      );
    }
    return opsPending(id, file, 'counterexample', c.universe, opsOf(c));
  }
  const s = loadScenario(file);
  return { id, label: file, universe: s.universe, make: (probes) => selftestCase(id, file, s, probes) };
}

/** Generates the modules of each case and makes it. Errors: the generator's, naming the file. */
export function generateCases(pending: readonly PendingCase[], generate: GenerateModuleSources, kernel: KernelVersion): BuiltCase[] {
  return pending.map((p) => {
    let modules;
    try {
      modules = generate(p.universe, kernel);
    } catch (e) {
      if (e instanceof KlpcheckError && !e.file)
        throw new KlpcheckError(e.code, e.message, p.label, e.where !== undefined ? `/universe${e.where}` : undefined);
      throw e;
    }
    return { vmCase: p.make(modules.probes), modules };
  });
}
