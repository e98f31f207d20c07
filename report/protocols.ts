/**
 * Release cycles (harness/protocols/) for a mail: the matrix of semantics
 * against protocols (holds up to the bound, or the shortest failing cycle),
 * and a failing cycle as a weekly timeline, one release a working day.
 */
import type { CycleRun } from '../harness/protocols/cycle.ts';
import type { SetChoice } from '../harness/protocols/protocol.ts';
import type { ProtocolVerdict } from '../harness/protocols/search.ts';
import { classify } from '../model/semantics/promises.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { plural } from '../harness/plural.ts';

const LETTER = { cumulative: 'C', hotfix: 'H', user: 'U' } as const;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

/** `HHU`: the cycle in letters (C cumulative, H hotfix, U user patch). */
export const cycleLetters = (run: CycleRun): string => run.kinds.map((k) => LETTER[k]).join('');

const sets = (c: SetChoice) => `{${[c.own, ...c.absorbs].join(',')}}`;

function verdictCell(v: ProtocolVerdict): string {
  const c = v.counterexample;
  return c ? `${cycleLetters(c)} ${c.failure!.property}` : 'holds';
}

function propertyKind(property: string, semantics: string): string {
  if (['loads', 'fixes', 'knowledge'].includes(property)) return 'protocol property';
  return classify(semanticsByName(semantics), property, true) === 'broken-promise' ? 'broken promise' : 'design choice';
}

const bound = (vs: readonly ProtocolVerdict[]) => vs[0]?.maxReleases ?? 0;

export function protocolMatrixText(verdicts: readonly ProtocolVerdict[]): string {
  const semantics = [...new Set(verdicts.map((v) => v.semantics))];
  const protocols = [...new Set(verdicts.map((v) => v.protocol))];
  const at = (s: string, p: string) => verdicts.find((v) => v.semantics === s && v.protocol === p)!;
  const widths = [
    Math.max(9, ...semantics.map((s) => s.length)),
    ...protocols.map((p) => Math.max(p.length, ...semantics.map((s) => verdictCell(at(s, p)).length))),
  ];
  const line = (cols: readonly string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `Release cycles: every cycle of up to ${plural(bound(verdicts), 'release')} (C cumulative, H hotfix, U user patch),`,
    'per semantics and protocol: holds, or the shortest failing cycle and what failed first',
    '(loads, fixes, knowledge, or an invariant the semantics promises).',
    '',
    line(['semantics', ...protocols]),
    ...semantics.map((s) => line([s, ...protocols.map((p) => verdictCell(at(s, p)))])),
    '',
    ...oneReleaseNote(verdicts),
  ].join('\n');
}

/**
 * Under the table when every cycle has one release: nothing lands after
 * another release, so a "holds" says only that each release loads and keeps
 * the semantics' own invariants; fixes, knowledge and no-foreign-removal
 * have nothing to check (hostile-user nit, stop 37: every cell said holds).
 */
function oneReleaseNote(verdicts: readonly ProtocolVerdict[]): string[] {
  if (bound(verdicts) > 1) return [];
  return [
    'VACUOUS: with one release a cycle, no release lands after another: fixes, knowledge and',
    'no-foreign-removal have nothing to check, and a holds says only that each release loads.',
    '--releases 2 or more checks them.',
    '',
  ];
}

export function protocolMatrixMarkdown(verdicts: readonly ProtocolVerdict[]): string {
  const semantics = [...new Set(verdicts.map((v) => v.semantics))];
  const protocols = [...new Set(verdicts.map((v) => v.protocol))];
  const at = (s: string, p: string) => verdicts.find((v) => v.semantics === s && v.protocol === p)!;
  return [
    `Every release cycle of up to ${plural(bound(verdicts), 'release')} (C cumulative, H hotfix, U user patch): holds, or the shortest failing cycle.`,
    '',
    `| semantics | ${protocols.join(' | ')} |`,
    `|---|${protocols.map(() => '---').join('|')}|`,
    ...semantics.map(
      (s) => `| ${s} | ${protocols.map((p) => (at(s, p).counterexample ? `\`${verdictCell(at(s, p))}\`` : 'holds')).join(' | ')} |`,
    ),
    '',
    ...(oneReleaseNote(verdicts).length ? [oneReleaseNote(verdicts).join(' ').trim(), ''] : []),
  ].join('\n');
}

/** A cycle as the weeks a reply to the list would quote. */
export function cycleTimeline(v: ProtocolVerdict): string {
  const run = v.counterexample;
  if (!run)
    return `${v.protocol} under ${v.semantics}: holds for every cycle of up to ${plural(v.maxReleases, 'release')} (${plural(v.cycles, 'cycle')}).\n`;
  const f = run.failure!;
  const out = [
    `${v.protocol} under ${v.semantics}: the shortest failing cycle is ${cycleLetters(run)} (${plural(run.kinds.length, 'release')}).`,
  ];
  for (const d of run.days) {
    if (d.release.day % DAYS.length === 0) out.push(`week ${d.release.day / DAYS.length + 1}`);
    const who = d.release.kind === 'user' ? 'user' : `vendor ${d.release.kind}`;
    const chosen =
      d.deploy && 'params' in d.deploy
        ? `script: sets ${sets(d.deploy.params)}`
        : d.deploy
          ? `script refuses: ${d.deploy.refuse}`
          : `built: sets ${sets(d.build)}`;
    out.push(
      `  ${DAYS[d.release.day % DAYS.length]}  ${d.release.name.padEnd(7)} ${who.padEnd(17)} ${chosen.padEnd(22)} ${d.outcome.padEnd(6)} enabled: ${d.enabled.join(' ') || '-'}`,
    );
    out.push(`       fixes ${d.funcs.join(' ')}`);
  }
  out.push(
    `=> ${DAYS[f.day % DAYS.length]} week ${Math.floor(f.day / DAYS.length) + 1}, ${f.property} (${propertyKind(f.property, v.semantics)}): ${f.reason}`,
  );
  for (const n of run.notes) out.push(`   also (design choice of ${v.semantics}): ${n.property}: ${n.reason}`);
  return `${out.join('\n')}\n`;
}
