/**
 * What a counterexample file must be beyond its schema, checked on every
 * read (replay, render, compare --html, the store itself): a hand-edited
 * record must be refused, never replayed into "fixed".
 * - its operations name patches, modules, tasks and functions of its own
 *   universe, whose patch and module names are unique (harness/references.ts);
 * - its semantics and its property are ones klpcheck knows;
 * - a file named as the store names it (`<invariant>-<hash>.json` under
 *   `<semantics>/`) still has the content that name was derived from: the
 *   expected names come from the store's own storeNamesFor, so whatever the
 *   store's hash covers, this check covers too.
 */
import { basename, dirname } from 'node:path';
import { semanticsByName } from '../model/semantics/registry.ts';
import { CONFORMANCE, invariantById } from '../properties/catalog.ts';
import type { Counterexample } from './counterexample.ts';
import { KlpcheckError, pointer } from './errors.ts';
import { isProtocolProperty } from './protocols/cycle.ts';
import { checkOps, notInUniverse, universeNames, type UniverseNames } from './references.ts';

/** The store's names end in a 12-digit hex hash; other names (a copy, a fixture) carry none to check. */
const HASHED = /-[0-9a-f]{12}\.json$/;

/**
 * The functions the record itself observed: those it shows running, and those
 * its tasks sleep in (`<func>@<version>`). A generated sequence may block a
 * task in a function no patch touches; the recorded trace then names it, so
 * an op naming a function the trace never saw was edited.
 */
function observedFuncs(c: Counterexample): string[] {
  const states = [c.initial, ...c.steps.map((s) => s.state)];
  return states.flatMap((st) => [...Object.keys(st.running), ...st.tasks.flatMap((t) => (t.blocked ? [t.blocked.split('@')[0]!] : []))]);
}

/**
 * Every recorded state (`initial`, each step's `state`) names only what the
 * universe declares: its patches, its modules, and its tasks (the boot tasks,
 * and those an earlier step forked). The kernel's abstract state
 * (model/spec/observe.ts) names nothing else, so another name was edited in:
 * E_REFERENCE at its pointer. Until 2026-12-07 such a file was replayed as
 * "not as recorded" and rendered with a CAUTION line.
 */
function checkRecordedStates(c: Counterexample, names: UniverseNames, file: string): void {
  const tasks = new Set(names.tasks);
  const check = (st: Counterexample['initial'], at: readonly (string | number)[]) => {
    const refuse = (what: string, name: string, where: readonly (string | number)[]): never => {
      throw new KlpcheckError('E_REFERENCE', `a recorded state: ${notInUniverse(what, name, names)}`, file, pointer(...at, ...where));
    };
    st.patches.forEach((p, j) => names.patches.has(p.name) || refuse('patch', p.name, ['patches', j, 'name']));
    st.modules.forEach((m, j) => names.modules.has(m) || refuse('module', m, ['modules', j]));
    st.tasks.forEach((t, j) => {
      if (tasks.has(t.name)) return;
      // A task a later step forks is declared, but not yet here (helper-111: "not in the universe" misled).
      const fork = c.steps.findIndex((s) => s.op.op === 'fork' && s.op.child === t.name);
      if (fork < 0) refuse('task', t.name, ['tasks', j, 'name']);
      throw new KlpcheckError(
        'E_REFERENCE',
        `a recorded state: task '${t.name}' before step ${fork} forks it`,
        file,
        pointer(...at, 'tasks', j, 'name'),
      );
    });
  };
  check(c.initial, ['initial']);
  c.steps.forEach((s, i) => {
    if (s.op.op === 'fork') tasks.add(s.op.child);
    check(s.state, ['steps', i, 'state']);
  });
}

/**
 * Whether a counterexample may name property `id`: conformance, an invariant
 * of the catalog, or a release cycle's property (klpcheck protocols --out),
 * which render shows and replay says it cannot check.
 */
export function isKnownProperty(id: string): boolean {
  return id === CONFORMANCE || invariantById(id) !== undefined || isProtocolProperty(id);
}

/**
 * Throws E_SEMANTICS, E_REFERENCE or E_CONFLICT; `storeNames` are the names
 * the store gives `c` (counterexample.ts storeNamesFor:
 * `<semantics>/<invariant>-<hash>.json`, today's first).
 */
export function checkCounterexample(c: Counterexample, file: string, storeNames: readonly string[]): void {
  if (!semanticsByName(c.semantics))
    throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${c.semantics}'`, file, pointer('semantics'));
  if (!isKnownProperty(c.invariant)) {
    throw new KlpcheckError('E_REFERENCE', `unknown invariant '${c.invariant}'`, file, pointer('invariant'));
  }
  const names = universeNames(c.universe, file, ['universe']);
  checkOps(
    c.steps.map((s) => s.op),
    names,
    file,
    (i) => ['steps', i, 'op'],
    observedFuncs(c),
  );
  checkRecordedStates(c, names, file);
  const name = basename(file);
  if (HASHED.test(name) && !storeNames.some((n) => basename(n) === name)) {
    throw new KlpcheckError(
      'E_CONFLICT',
      `the content does not match the file name, the hash of its finding as klpcheck writes it, all but its provenance (${basename(storeNames[0]!)}): edited, corrupted, or its keys reordered? Restore it as written, or move it out of the store`,
      file,
    );
  }
  const folder = basename(dirname(file));
  if (HASHED.test(name) && semanticsByName(folder) && folder !== c.semantics) {
    throw new KlpcheckError('E_CONFLICT', `semantics '${c.semantics}' in a folder of semantics '${folder}'`, file, pointer('semantics'));
  }
}
