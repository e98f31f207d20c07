/**
 * Downgrades (issue 12, §3): no-silent-downgrade is opt-in, sees a stacked
 * older release as well as a replacing one, and the per-semantics table of
 * what stops Petr Mladek's klp-3a after klp-5a.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { downgradeRow } from '../harness/downgrades.ts';
import { runSequence } from '../harness/run-sequence.ts';
import type { Universe } from '../model/kernel/definitions.ts';
import { semanticsByName, SEMANTICS } from '../model/semantics/registry.ts';
import { stacking } from '../model/semantics/stacking.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { invariantById } from '../properties/catalog.ts';
import { downgradesText } from '../report/downgrades.ts';
import { BIN } from './support/as-nobody.ts';
import { lp, ops, universe } from './support/universe.ts';

const u = (forbid: boolean, replace: boolean): Universe => ({
  ...universe({ ...lp('p1', ['f1'], { replace }), release: 1 }, { ...lp('p2', ['f1'], { replace }), release: 2 }),
  ...(forbid ? { forbid_downgrade: true } : {}),
});
const check = (sem = upstream, universe: Universe) =>
  runSequence(universe, sem, ops('insmod p2', 'insmod p1'), { invariants: [invariantById('no-silent-downgrade')!], conformance: false })
    .violation;

describe('no silent downgrade', () => {
  it('is opt-in: the same downgrade passes when the universe allows it', () => {
    expect(check(upstream, u(true, true))?.reason).toMatch(/^p1 \(release 1\) replaced and freed p2 \(release 2\)/);
    expect(check(upstream, u(false, true))).toBeNull();
  });

  it('sees an older release stacked over a newer one (stacking: the newest load wins the function)', () => {
    expect(check(stacking, u(true, false))?.reason).toBe(
      "task0 runs p1's vmlinux:f1,0 (release 1) in place of p2's (release 2): an older release took back a newer one's fix",
    );
  });

  it('a newer release replacing an older one, or another owner, is no downgrade', () => {
    const seq = ops('insmod p1', 'insmod p2');
    expect(
      runSequence(u(true, true), upstream, seq, { invariants: [invariantById('no-silent-downgrade')!], conformance: false }).violation,
    ).toBeNull();
    const mixed: Universe = {
      ...u(true, true),
      patches: u(true, true).patches.map((p) => (p.name === 'p1' ? { ...p, owners: ['user'] } : p)),
    };
    expect(check(upstream, mixed)).toBeNull();
  });
});

describe('what stops klp-3a after klp-5a (scenarios/threads/petr-downgrade-5a-3a*)', () => {
  const stoppers = (name: string) => downgradeRow(semanticsByName(name)!).stoppers;
  it('per proposal', () => {
    expect(stoppers('stacking')).toEqual([]);
    expect(stoppers('upstream')).toEqual(['state versions', 'a state klp-3a lacks']);
    expect(stoppers('per-state')).toEqual(['block_disable']);
    expect(stoppers('hybrid-listed-shared')).toEqual(['the replace rule']);
    for (const s of ['replace-set', 'replace-sets-set', 'slots', 'provides-obsoletes'])
      expect(stoppers(s)).toEqual(['state versions', 'a state klp-3a lacks']);
  });
  it('renders one row per semantics', () => {
    const text = downgradesText(SEMANTICS.map((s) => downgradeRow(s)));
    expect(text).toMatch(/^per-state\s+DOWNGRADED\s+DOWNGRADED\s+DOWNGRADED\s+refused EINVAL\s+block_disable$/m);
    expect(text.split('\n').filter((l) => /nothing$/.test(l))).toEqual([expect.stringMatching(/^stacking /)]);
  });
});

describe('klpcheck downgrades from another working folder', () => {
  it('finds the thread scenarios beside klpcheck, not in the working folder', () => {
    // Before, it read scenarios/threads relative to the working folder: E_NO_FILE anywhere but the repository's root.
    const r = spawnSync(process.execPath, [BIN, 'downgrades'], { cwd: tmpdir(), encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toMatch(/E_NO_FILE/);
    expect(r.stdout).toMatch(/^upstream +DOWNGRADED +refused EINVAL/m);
    expect(r.status).toBe(1);
  });
});
