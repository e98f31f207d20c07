import { describe, expect, it } from 'vitest';
import { sideBySideOf } from '../cli/all-semantics.ts';
import { sideBySideText } from '../report/side-by-side.ts';

describe('scenario --all-semantics', () => {
  it("marks where Petr Mladek's lp1/lp2/lp3 example first diverges and shows hybrid mode's silent switch", () => {
    const text = sideBySideText(sideBySideOf('scenarios/threads/petr-lp1-lp2-lp3.json'));
    expect(text).toMatch(/^>> {2}2\. insmod lp2\.ko$/m);
    expect(text).toMatch(/breaks no-silent-version-switch\n {10}[^\n]*\bhybrid\b/);
    expect(text).toMatch(/The semantics first diverge at step 2/);
    // Each semantics' first violation, or none (mutation testing, stop 34).
    expect(text).toMatch(/^ {2}stacking +no-function-shared-across-slots at step$/m);
    expect(text.split('\n').every((l) => l.length <= 72)).toBe(true);
  });

  it('runs a selftest scenario under every semantics too', () => {
    const text = sideBySideText(sideBySideOf('scenarios/selftests/test-livepatch.basic-function-patching.json'));
    expect(text).toMatch(/^ {4}1\. % insmod test_modules\/test_klp_livepatch\.ko$/m);
    expect(text).toMatch(/\(every semantics\)/);
  });
});

describe('thread scenarios and the selftest commands', async () => {
  const { main } = await import('../cli/main.ts');
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      io: {
        stdout: (t: string) => out.push(t),
        stderr: (t: string) => err.push(t),
        stdoutIsTTY: false,
        stderrIsTTY: false,
        env: {},
        now: () => 0,
      },
      out: () => out.join(''),
      err: () => err.join(''),
    };
  };
  it('selftests runs the selftest folders only, all passing', async () => {
    const c = capture();
    expect(await main(['selftests'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^(\d+) scenarios: \1 pass, 0 fail, 0 pending$/m);
    expect(c.out()).not.toMatch(/threads/);
  });
  it('a thread scenario named on its own points at --all-semantics', async () => {
    const c = capture();
    expect(await main(['scenario', 'scenarios/threads/joe-weekly-cycle.json'], c.io)).toBe(2);
    expect(c.err()).toMatch(/run it with 'klpcheck scenario --all-semantics' \[E_USAGE\]/);
  });
});
