/**
 * Release cycles and deployment protocols (issue 12, §2): the shortest
 * failing cycle per semantics and protocol for the thread's cases, and each
 * protocol property rejecting a deliberately broken protocol.
 */
import { describe, expect, it } from 'vitest';
import { run } from './support/cli-run.ts';
import { petrSets, protocolByName, staticSets, yafangAtBuild, yafangDynamic } from '../harness/protocols/catalog.ts';
import { cycleCounterexample } from '../harness/protocols/counterexample.ts';
import { releasesOf, runCycle } from '../harness/protocols/cycle.ts';
import type { Protocol } from '../harness/protocols/protocol.ts';
import { cyclesOfLength, protocolVerdict } from '../harness/protocols/search.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { renderText } from '../report/text.ts';
import { contextFor } from '../report/context.ts';
import { cycleLetters, cycleTimeline } from '../report/protocols.ts';

const sem = (n: string) => semanticsByName(n)!;
const shortest = (p: Protocol, s: string, max = 4) => {
  const v = protocolVerdict(p, sem(s), max);
  return v.counterexample ? `${cycleLetters(v.counterexample)} ${v.counterexample.failure!.property}` : `holds ${v.cycles}`;
};

describe('release cycles', () => {
  it('name releases per kind and enumerate cycles shortest first', () => {
    expect(releasesOf(['cumulative', 'hotfix', 'hotfix', 'user', 'cumulative']).map((r) => `${r.name}:${r.fix}`)).toEqual([
      'klp-c1:cve_1',
      'klp-h1:hot_1',
      'klp-h2:hot_2',
      'usr-1:usr_1',
      'klp-c2:cve_2',
    ]);
    expect([...cyclesOfLength(2)].map((k) => k.map((x) => x[0]).join(''))).toEqual(['cc', 'ch', 'cu', 'hc', 'hh', 'hu', 'uc', 'uh', 'uu']);
  });

  it("Petr's reading 3: the vendor's second hotfix takes set 3, where the user's patch goes (slots, replace_sets)", () => {
    expect(shortest(petrSets, 'slots')).toBe('HHU no-foreign-removal');
    expect(shortest(petrSets, 'replace-sets-set')).toBe('HHU no-foreign-removal');
  });

  it("Joe's static sets: flat lets the hotfix replace the cumulative, set refuses it, slots hold", () => {
    expect(shortest(staticSets, 'replace-sets-flat')).toBe('CH fixes');
    expect(shortest(staticSets, 'replace-sets-set')).toBe('CH loads');
    expect(shortest(staticSets, 'slots')).toBe('holds 120');
    expect(shortest(staticSets, 'upstream')).toBe('UC fixes');
  });

  it("Yafang's script holds where the sets are read at deploy time, and fails knowledge when read at build time", () => {
    expect(shortest(yafangDynamic, 'slots')).toBe('holds 120');
    expect(shortest(yafangDynamic, 'replace-sets-set')).toBe('holds 120');
    expect(shortest(yafangAtBuild, 'slots')).toBe('UH knowledge');
  });

  it('fixes rejects a protocol whose cumulative forgets the earlier fixes, and accepts the one that carries them', () => {
    const forgetful: Protocol = { ...staticSets, name: 'broken-forgetful', build: (r, e) => ({ ...staticSets.build(r, e), carries: [] }) };
    expect(runCycle(forgetful, sem('slots'), ['cumulative', 'cumulative']).failure).toMatchObject({ day: 1, property: 'fixes' });
    expect(runCycle(staticSets, sem('slots'), ['cumulative', 'cumulative']).failure).toBeNull();
  });

  it('loads: a refusal by the script is no failure, a refusal by the kernel is', () => {
    const refusing: Protocol = {
      ...staticSets,
      name: 'broken-refusing',
      deploy: (r) => (r.kind === 'hotfix' ? { refuse: 'no set left' } : null),
    };
    const run = runCycle(refusing, sem('replace-sets-set'), ['cumulative', 'hotfix']);
    expect(run.failure).toBeNull();
    expect(run.days[1]!.outcome).toBe('refused by the script');
    expect(runCycle(staticSets, sem('replace-sets-set'), ['cumulative', 'hotfix']).failure?.property).toBe('loads');
  });

  it('renders a failing cycle as a weekly timeline and as a counterexample', () => {
    const v = protocolVerdict(petrSets, sem('slots'), 3);
    const text = cycleTimeline(v);
    expect(text).toContain('petr-set under slots: the shortest failing cycle is HHU (3 releases).');
    expect(text).toMatch(/^ {2}Wed {2}usr-1 +user +built: sets \{3\} +ok +enabled: klp-h1 usr-1$/m);
    expect(text).toContain('=> Wed week 1, no-foreign-removal (broken promise): usr-1 (user) replaced and freed klp-h2 (vendor)');
    const c = cycleCounterexample(v.counterexample!, sem('slots'), protocolByName('petr-set')!, 3)!;
    expect(c.violation.step).toBe(2);
    expect(renderText(c, contextFor(c))).toContain('no-foreign-removal violated here');
  });
});

describe('protocols on a terminal', () => {
  it('names the protocol, the semantics and how far along each cell is on its progress line', async () => {
    let t = 0;
    const r = await run(['protocols', '--semantics', 'upstream,stacking', '--protocols', 'static-sets,petr-set', '--releases', '2'], {
      stderrIsTTY: true,
      now: () => (t += 1000),
    });
    const shown = r.stderr.split('\r\x1b[K').filter((l) => l.startsWith('klpcheck protocols: running'));
    expect(shown).toEqual([
      'klpcheck protocols: running static-sets under upstream (1 of 4)',
      'klpcheck protocols: running petr-set under upstream (2 of 4)',
      'klpcheck protocols: running static-sets under stacking (3 of 4)',
      'klpcheck protocols: running petr-set under stacking (4 of 4)',
    ]);
  });
});
