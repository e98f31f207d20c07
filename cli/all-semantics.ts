/**
 * `klpcheck scenario FILE --all-semantics`: a thread scenario (ops) through
 * harness/thread-outcomes.ts, or a selftest scenario (steps) through the
 * scenario runner, under every semantics, shown side by side.
 */
import { readJson } from '../harness/json-file.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { runScenario } from '../harness/scenario/run.ts';
import { loadThreadScenario, threadOutcomes } from '../harness/thread-outcomes.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import type { SideBySide } from '../report/side-by-side.ts';

export function sideBySideOf(file: string): SideBySide {
  const raw = readJson(file) as { ops?: unknown };
  const names = SEMANTICS.map((s) => s.name);
  if (raw && typeof raw === 'object' && 'ops' in raw) {
    const s = loadThreadScenario(file);
    const o = threadOutcomes(s);
    const steps = s.ops.map((_, i) => {
      const outcome: Record<string, string> = {};
      let op = '';
      for (const n of names) {
        const row = o.semantics[n]!.steps[i]!;
        op = row.op;
        const violated = row.violated.length ? `; breaks ${row.violated.map((x) => x.property).join(', ')}` : '';
        outcome[n] = `${row.outcome}; enabled: ${row.enabled.join(' ') || '-'}${row.transition ? `; ${row.transition}` : ''}${violated}`;
      }
      return { op, outcome };
    });
    const verdicts = Object.fromEntries(
      names.map((n) => {
        const f = o.semantics[n]!.first_violation;
        return [n, f ? `${f.property} at step ${(f.step ?? 0) + 1}: ${f.reason}` : null];
      }),
    );
    const src = s.source;
    const source = `${src.ref}, ${src.author}, ${src.date}${src.messageId ? ` (${src.messageId})` : ''}`;
    return { title: `${file}: ${s.name}`, source, semantics: names, steps, verdicts };
  }
  const s = loadScenario(file);
  const runs = SEMANTICS.map((sem) => runScenario({ ...s, semantics: sem.name }, file));
  const steps = s.steps.map((_, i) => ({
    op: runs[0]!.steps[i]!.command,
    outcome: Object.fromEntries(
      runs.map((r) => [r.semantics, [r.steps[i]!.result, ...r.steps[i]!.log.filter((l) => !l.startsWith('% '))].join(' | ')]),
    ),
  }));
  const verdicts = Object.fromEntries(
    runs.map((r) => [r.semantics, r.failures[0] ? `${r.failures[0].pointer}: ${r.failures[0].message}` : null]),
  );
  return { title: `${file}: ${s.name}`, source: s.source, semantics: names, steps, verdicts };
}
