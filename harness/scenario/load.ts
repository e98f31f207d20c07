/**
 * Loading a scenario file: JSON, schema, then the references the schema
 * cannot check (a step naming a patch or module the universe lacks, an
 * unknown semantics), each reported with its JSON pointer.
 */
import type { Scenario, Step } from '../../schema/generated/scenario.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { taskNames } from '../../model/spec/universe-view.ts';
import { KlpcheckError, pointer } from '../errors.ts';
import { readJson, validate } from '../json-file.ts';

export type { Scenario, Step };

function checkReferences(s: Scenario, file: string): void {
  const patches = new Set(s.universe.patches.map((p) => p.name));
  const modules = new Set([...patches, ...s.universe.modules.map((m) => m.name)]);
  const tasks = new Set(taskNames(s.universe));
  for (const m of s.universe.modules) if (m.busy_work) tasks.add(`${m.name}:work`);
  const bad = (i: number, field: string, what: string, name: string) => {
    throw new KlpcheckError('E_REFERENCE', `${what} '${name}' is not in the universe`, file, pointer('steps', i, field));
  };
  if (s.semantics !== undefined && !semanticsByName(s.semantics)) {
    throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${s.semantics}'`, file, pointer('semantics'));
  }
  s.steps.forEach((step, i) => {
    if ('patch' in step && step.patch !== undefined && !patches.has(step.patch)) bad(i, 'patch', 'patch', step.patch);
    if ('module' in step && step.module !== undefined && !modules.has(step.module)) bad(i, 'module', 'module', step.module);
    if ('task' in step && step.task !== undefined && !tasks.has(step.task)) bad(i, 'task', 'task', step.task);
    // A fork names a new task, which later steps may name.
    if (step.op === 'fork') {
      if (step.child === undefined) throw new KlpcheckError('E_SCHEMA', 'fork needs a child', file, pointer('steps', i));
      if (tasks.has(step.child)) throw new KlpcheckError('E_REFERENCE', `task '${step.child}' already exists`, file, pointer('steps', i, 'child'));
      tasks.add(step.child);
    }
  });
}

/** A thread scenario (schema/thread-scenario.schema.json) lists ops for every semantics, not selftest steps. */
export function isThreadScenario(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'ops' in data && !('steps' in data);
}

export function loadScenario(file: string): Scenario {
  const data = readJson(file);
  if (isThreadScenario(data)) {
    throw new KlpcheckError('E_USAGE', "a thread scenario (it lists ops): run it with 'klpcheck scenario --all-semantics'", file);
  }
  const s = validate<Scenario>('scenario', data, file);
  checkReferences(s, file);
  return s;
}
