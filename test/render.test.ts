/**
 * The renderers: golden files for one fixed counterexample in every format
 * (UPDATE_GOLDEN=1 rewrites them), the promises each format makes (72
 * ASCII columns, nothing from the network, same bytes twice, a selftest
 * bash accepts), every saved counterexample and generated traces rendered
 * in every format, and `klpcheck render` at the command line.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from './support/golden.ts';
import { readCounterexample, type Counterexample } from '../harness/counterexample.ts';
import { commandsArb, DEFAULT_SCOPE, universeArb } from '../harness/generators.ts';
import { Lockstep } from '../harness/run-sequence.ts';
import { SEMANTICS } from '../model/semantics/registry.ts';
import { contextFor } from '../report/context.ts';
import { FORMATS, RENDERERS, type Format } from '../report/index.ts';
import { markdownCell, markdownText } from '../report/markdown-text.ts';
import { run, TempDir } from './support/cli-run.ts';
import { fileMentions, writeAtomically } from '../cli/output-files.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const FIXTURE = join(GOLDEN, 'fixture.json');
const EXT: Readonly<Record<Format, string>> = { text: 'txt', markdown: 'md', html: 'html', svg: 'svg', selftest: 'sh' };
const fixture = readCounterexample(FIXTURE);
const render = (c: Counterexample, f: Format) => RENDERERS[f](c, contextFor(c));

function corpus(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? corpus(p) : p.endsWith('.json') ? [p] : [];
  });
}
const CORPUS = corpus(join(import.meta.dirname, '..', 'counterexamples')).sort();

/** Every http(s) URL but the SVG namespace. */
const urlsIn = (html: string) => (html.match(/https?:\/\/[^\s"'<>)]*/g) ?? []).filter((u) => u !== 'http://www.w3.org/2000/svg');

const bashSyntaxError = (script: string): string => {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
};

/**
 * The text format's promise, line by line: ASCII, and at most 72 columns but
 * for the kernel log's lines (report/text.ts kernelLogSection), which are
 * dmesg's, whole; those are indented under their step. Returns the lines
 * that break it.
 */
function beyondTextPromise(text: string): string[] {
  const at = text.indexOf('\nKernel log (');
  const prose = at < 0 ? text : text.slice(0, at + 1);
  const log = at < 0 ? [] : text.slice(at + 1).split('\n');
  const bad = prose.split('\n').filter((l) => l.length > 72 || !/^[\x20-\x7e]*$/.test(l));
  // After the header: steps, wrapped within 72 columns, and the lines each logged, indented under it, whole.
  const logBad = log.filter((l) => !/^[\x20-\x7e]*$/.test(l) || (l.length > 72 && !/^ {7,}\S/.test(l)));
  return [...bad, ...logBad];
}

describe('golden files (test/golden/fixture.json)', () => {
  it.each(FORMATS)('%s matches its golden file', (format) => {
    const file = join(GOLDEN, `fixture.${EXT[format]}`);
    expectGolden(file, render(fixture, format), 'test/render.test.ts');
  });
});

describe('text', () => {
  const text = render(fixture, 'text');

  it('shows the kernel log of each step that logged, as today’s replay logs it; none for a record replay does not give', () => {
    const log = text.slice(text.indexOf('\nKernel log ('));
    // Steps 1, 3, 4, 7 and 8 logged; a task's sleep (2) and wake-up logged nothing.
    expect(log.match(/^ {2}\d\. .*$/gm)).toEqual([
      '  1. insmod p1.ko',
      '  3. insmod p2.ko',
      '  4. insmod p3.ko',
      '  7. transition work runs (klp_try_complete_transition)',
      '  8. insmod p4.ko',
    ]);
    expect(log).toContain("\n  1. insmod p1.ko\n       p1: tainting kernel with TAINT_LIVEPATCH\n       livepatch: enabling patch 'p1'\n");
    // A step after the violation is not the counterexample's, which replay checks: no log of it (helper-72, stop 45).
    const past = { ...fixture, steps: [...fixture.steps, { ...fixture.steps[0]!, op: { op: 'rmmod', module: 'p3' }, outcome: 'ok' }] };
    expect(
      render(past as Counterexample, 'text')
        .match(/^ {2}\d\. .*$/gm)
        ?.at(-1),
    ).toBe('  8. insmod p4.ko');
    // A module name's '-' is the kernel's '_' in its log, and the command is whole however long.
    const dashed = JSON.parse(JSON.stringify(fixture).replaceAll('"p1"', '"p-1"')) as Counterexample;
    const dashedLog = render(dashed, 'text');
    expect(dashedLog).toContain(
      "\n  1. insmod p-1.ko\n       p_1: tainting kernel with TAINT_LIVEPATCH\n       livepatch: enabling patch 'p_1'\n",
    );
    // A dashed name that begins another is no part of it (lp-1 turned lp-1-x into lp_1-x: helper-73), and a sysfs
    // path is the kernel's name: /sys/kernel/livepatch/lp-1 is no folder a kernel makes.
    const prefixed = JSON.parse(JSON.stringify(fixture).replaceAll('"p1"', '"lp-1"').replaceAll('"p2"', '"lp-1-x"')) as Counterexample;
    expect(render(prefixed, 'text')).toContain('\n  3. insmod lp-1-x.ko\n       livepatch: Livepatch patch (lp_1_x) is not compatible');
    const forced = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'upstream', 'conformance-545eea7ed9c3.json'));
    const sysfs = render(JSON.parse(JSON.stringify(forced).replaceAll('"p1"', '"lp-1"')) as Counterexample, 'text');
    expect(sysfs).toContain(
      "\n  4. echo 0 > /sys/kernel/livepatch/lp_1/enabled\n       livepatch: 'lp_1': initializing unpatching transition\n",
    );
    expect(sysfs).toContain('\n  1. insmod lp-1.ko\n');
    // The Steps section's command too, and every other place an op is written out (ops.ts describeOp): it
    // named /sys/kernel/livepatch/lp-1 until stop 46, and a thread's outcomes file klp-2's.
    const steps = sysfs.slice(0, sysfs.indexOf('Kernel log'));
    expect(steps).toContain('echo 0 > /sys/kernel/livepatch/lp_1/enabled');
    expect(steps).not.toContain('/sys/kernel/livepatch/lp-1');
    // Both names in one line, the one a prefix of the other (helper-73's case), as the demo callbacks print them (the
    // corpus's file has none since stop 46: they play no part in its finding).
    const both = JSON.parse(
      JSON.stringify(readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'replace-tag', 'conformance-e89db3dcc1ae.json')))
        .replaceAll('"p1"', '"lp-1"')
        .replaceAll('"mod"', '"lp-1-mod"')
        .replaceAll('"mod:', '"lp-1-mod:')
        .replaceAll('"name":"lp-1-mod","funcs"', '"name":"lp-1-mod","callbacks":"demo","funcs"'),
    ) as Counterexample;
    expect(render(both, 'text')).toContain('\n        lp_1: pre_patch_callback: lp_1_mod -> [MODULE_STATE_LIVE] Normal state\n');
    const long = { ...fixture, steps: fixture.steps.map((st, i) => (i ? st : { ...st, op: { ...st.op, params: { x: 'y'.repeat(80) } } })) };
    expect(render(long as Counterexample, 'text')).toContain(`\n  1. insmod p1.ko x=${'y'.repeat(80)}\n`);
    // A target module's init_log of 130,000 lines, in every format (the selftest's spread into push overflowed the stack).
    const withMod = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'replace-tag', 'conformance-e89db3dcc1ae.json'));
    const loud = {
      ...withMod,
      universe: { ...withMod.universe, modules: withMod.universe.modules.map((m) => ({ ...m, init_log: Array(130_000).fill('hello') })) },
    };
    for (const format of FORMATS) expect(render(loud as Counterexample, format).length).toBeGreaterThan(0);
    // Backtick runs past what a spread into Math.max takes (it overflowed the stack: helper-72, stop 45).
    const ticks = {
      ...fixture,
      steps: fixture.steps.map((st, i) => (i ? st : { ...st, op: { ...st.op, params: { x: '`x'.repeat(130_000) } } })),
    };
    expect(render(ticks as Counterexample, 'markdown')).toContain('\n```\n1. insmod p1.ko x=`x`x');
    const stale = 'no longer reproduces (replayed, every step holds) under upstream';
    for (const format of ['text', 'markdown'] as const) {
      expect(RENDERERS[format](fixture, contextFor(fixture))).toMatch(/Kernel log/);
      expect(RENDERERS[format](fixture, { ...contextFor(fixture), stale })).not.toMatch(/Kernel log/);
      // Nothing at all in its place: the rendering ends as it would with no log.
      const live = RENDERERS[format](fixture, contextFor(fixture));
      const before = live.slice(0, live.search(/\n(Kernel log \(|## Kernel log)/)).trimEnd();
      expect(
        RENDERERS[format](fixture, { ...contextFor(fixture), stale })
          .trimEnd()
          .endsWith(before.slice(-200)),
      ).toBe(true);
      // A step whose outcome today is not the recorded one: the log would not be the record's.
      const other = { ...fixture, steps: fixture.steps.map((s, i) => (i === 2 ? { ...s, outcome: 'ok' } : s)) };
      expect(RENDERERS[format](other as Counterexample, contextFor(fixture))).not.toMatch(/Kernel log/);
      // A step that cannot run today (p9 is no module of the universe).
      const gone = { ...fixture, steps: fixture.steps.map((s, i) => (i === 4 ? { ...s, op: { op: 'rmmod', module: 'p9' } } : s)) };
      expect(RENDERERS[format](gone as Counterexample, contextFor(fixture))).not.toMatch(/Kernel log/);
    }
  });

  it('is ASCII and at most 72 columns, but for the kernel log, whose lines are whole', () => {
    expect(beyondTextPromise(text)).toEqual([]);
    // The fixture's kernel log has a line past 72 columns, shown whole (a wrapped dmesg line is no longer one to grep for).
    expect(text).toContain('\n       livepatch: Livepatch patch (p2) is not compatible with the already installed livepatches.\n');
    expect(text.split('\n').filter((l) => l.length > 72)).toHaveLength(1);
  });

  it('writes the steps as the maintainers do: role, attributes, what it replaced, refusals', () => {
    expect(text).toContain('  3. insmod p2.ko: cumulative (replace=true) -> -EINVAL\n');
    expect(text).toContain('  2. task0 sleeps in vmlinux:f1 (running p1)\n');
    expect(text).toContain('  7. transition work runs: p3 patching complete <- replaces p1\n');
    expect(text).toContain('  8. insmod p4.ko: no-replace (replace=false) <- stacks on p3\n');
  });

  it('writes replace as the semantics reads it, whichever way the file writes it (0/1 or false/true)', () => {
    // protocols write replace 0 and 1 for every semantics; upstream's bool showed as replace=1 (stop 36's nit).
    const numeric = {
      ...fixture,
      universe: {
        ...fixture.universe,
        patches: fixture.universe.patches.map((p) => ({ ...p, attrs: { ...p.attrs, replace: p.attrs?.replace ? 1 : 0 } })),
      },
    } as Counterexample;
    expect(render(numeric, 'text')).toBe(text);
    const tagged = { ...fixture, semantics: 'replace-tag' } as Counterexample;
    const tags = render(tagged, 'text');
    expect(tags).toContain('  3. insmod p2.ko: slot tag:1 (replace=1) -> -EINVAL\n');
    expect(tags).toContain('  8. insmod p4.ko: no-replace (replace=0) <- stacks on p3\n');
  });

  it("shows the patches' owners and releases for an invariant that reads them, in every format with a patch list", () => {
    // Explore's p1 may be the vendor's release 3 (load-order-labels.ts): only the reason said so (stop 36's second helper).
    const downgrade = readCounterexample(join(import.meta.dirname, '..', 'counterexamples/stacking/no-silent-downgrade-827de8d99427.json'));
    expect(render(downgrade, 'text')).toMatch(/\n {2}p1: stacked, in a slot of its own\n {6}owner: vendor, release 1\n/);
    expect(render(downgrade, 'text')).toMatch(/\n {2}p3: stacked, in a slot of its own\n {6}owner: vendor, release 3\n/);
    expect(render(downgrade, 'markdown')).toContain('| Patch | Role | Attributes | Slot | Owner | Functions | States |\n');
    expect(render(downgrade, 'markdown')).toMatch(/\n\| `p3` \| stacked \| +\| `patch:p3` \| `vendor`, release 3 \| /);
    expect(render(downgrade, 'selftest')).toContain('# test_klp_p3: livepatch, stacked\n#   owner: vendor, release 3\n');
    expect(render(downgrade, 'html')).toContain('owner: vendor, release 3');
    // Not for one that does not read them.
    for (const f of ['text', 'markdown', 'selftest'] as const) expect(render(fixture, f)).not.toMatch(/owner/i);
  });

  it('shows what runs per task while the tasks differ, and once when they agree', () => {
    expect(text).toContain('       vmlinux:f1  task0: p1, task1: original\n');
    expect(text).toMatch(/ 7\. .*\n {7}vmlinux:f1 {2}original\n {7}vmlinux:f2 {2}p3\n/);
  });

  it('closes with the reason, the invariant meaning, and the named patches and functions', () => {
    const why = text.slice(text.indexOf('Why it breaks:')).replace(/\s+/g, ' ');
    expect(why).toContain('breaks after step 8 of 8, insmod p4.ko');
    expect(why).toContain(fixture.violation.reason);
    expect(why).toContain('It requires: Enabled patches of different slots never patch the same function');
    expect(why).toContain('p3 (replace=true) is in slot cumulative and patches vmlinux:f2');
    expect(why).toContain('vmlinux:f2 runs p4 in every task');
  });

  it('leaves out patches no step touches, and says so', () => {
    // The corpus's files have none since stop 46 (harness/unused-parts.ts): a hand-made one adds a patch no step loads.
    const saved = readCounterexample(CORPUS.find((f) => f.includes('upstream/no-state-shared'))!);
    const spare = { ...saved.universe.patches[0]!, name: 'p9' };
    const c = { ...saved, universe: { ...saved.universe, patches: [...saved.universe.patches, spare] } };
    const t = render(c, 'text');
    // The patches of the universe that no step loads, removes or writes to.
    const touched = new Set(c.steps.flatMap((s) => ('module' in s.op ? [s.op.module] : 'patch' in s.op ? [s.op.patch] : [])));
    const idle = c.universe.patches.map((p) => p.name).filter((n) => !touched.has(n));
    expect(idle.length).toBeGreaterThan(0);
    expect(t).toContain(`Defined but never loaded: ${idle.join(', ')}`);
    for (const n of idle) expect(t).not.toMatch(new RegExp(`^ {2}${n}: `, 'm'));
  });
});

describe('selftest: the kernel to run it on', () => {
  it("is today's for upstream, and one with the proposal applied for any other semantics (helper-125: upstream's draft said the proposal's)", () => {
    const flat = (c: Counterexample) => render(c, 'selftest').replace(/\n# /g, ' ');
    expect(flat(fixture)).toContain("prints; on today's kernel, which implements upstream's atomic replace, a difference means");
    const slots = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'slots', 'conformance-c2aaede076a4.json'));
    expect(flat(slots)).toContain(
      "prints; this draft needs a kernel with the slots proposal applied (today's implements upstream only); on one, a difference means",
    );
    // Stacking is no proposal: the rule atomic replace removed (helper-126).
    const stacking = readCounterexample(
      join(import.meta.dirname, '..', 'counterexamples', 'stacking', 'no-foreign-overlap-6472230d4407.json'),
    );
    expect(flat(stacking)).toContain(
      'prints; this draft needs a kernel from before atomic replace, whose livepatch core still enforced stacking',
    );
  });
});

describe('module parameters', () => {
  it('are written in the order the op gives them, which replay applies them in, in every format (helper-125: sorted, two files that replay differently rendered alike)', () => {
    // The kernel parses a module's arguments left to right and keeps the last of a name given twice, `-` and `_` alike
    // (kernel/params.c parse_args, parameq): add_merge_slots=1 after add-merge-slots=0 is 1, before it 0.
    const slots = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'slots', 'conformance-c2aaede076a4.json'));
    const given = (params: Record<string, string>) =>
      ({ ...slots, steps: slots.steps.map((s, i) => (i ? s : { ...s, op: { ...s.op, params } })) }) as Counterexample;
    const oneThenZero = given({ 'add-merge-slots': '0', add_merge_slots: '1' });
    const zeroThenOne = given({ add_merge_slots: '1', 'add-merge-slots': '0' });
    for (const format of ['text', 'markdown', 'selftest'] as const) {
      expect(render(oneThenZero, format), format).toContain('add-merge-slots=0 add_merge_slots=1');
      expect(render(zeroThenOne, format), format).toContain('add_merge_slots=1 add-merge-slots=0');
    }
    expect(render(given({ zeta: '1', alpha: '2' }), 'selftest')).toMatch(/^load_lp \$MOD_P1 zeta=1 alpha=2$/m);
  });
});

describe('text: function names as the heads of wrapped lines', () => {
  it('a newline in one stays on its line, and one of 56 characters or more is cut, not an endless wrap (hostile-user finding, stop 34)', () => {
    const rename = (name: string) =>
      JSON.parse(
        JSON.stringify(fixture)
          .replaceAll('vmlinux:f1', `vmlinux:${JSON.stringify(name).slice(1, -1)}`)
          .replaceAll('"f1"', JSON.stringify(name)),
      ) as Counterexample;
    const forged = render(rename('f\n<img src=x>'), 'text').split('\n');
    expect(forged.filter((l) => l.startsWith('<img'))).toEqual([]);
    for (const n of [55, 56, 80]) {
      const long = render(rename('f'.repeat(n)), 'text');
      expect(beyondTextPromise(long)).toEqual([]);
      // Whole on a line where it fits (vmlinux: and 56 characters, indented, are 71 columns); else cut over lines.
      expect(n > 56 ? long.replace(/\s+/g, '') : long, String(n)).toContain(`vmlinux:${'f'.repeat(n)}`);
      expect(render(rename('f'.repeat(n)), 'html'), String(n)).toContain('f'.repeat(n));
    }
  });
});

describe('markdown', () => {
  const md = render(fixture, 'markdown');

  it('shows the file’s own text as text, never as markup: the reason and the versions', () => {
    // An edited reason `<img src=x onerror=...>` was raw HTML on the page (hostile-user test, 2026-12-03).
    const edited = {
      ...fixture,
      violation: { ...fixture.violation, reason: '<img src=x onerror=alert(1)> & more' },
      provenance: { ...fixture.provenance, klpcheck: '<b>0.1</b>' },
    };
    const out = render(edited, 'markdown');
    expect(out).toContain(': &lt;img src=x onerror=alert(1)&gt; &amp; more\n');
    expect(out).toContain('klpcheck &lt;b&gt;0.1&lt;/b&gt;)');
    expect(out).toContain('VIOLATED no-function-shared-across-slots: #60;img src=x onerror=alert(1)> & more');
    expect(out).not.toMatch(/<img|<b>/);
    // An op's parameter reaches the steps table and the diagram's messages (hostile-user finding, stop 34).
    const param = {
      ...fixture,
      steps: fixture.steps.map((s, i) => (i ? s : { ...s, op: { ...s.op, params: { x: '<script>y</script>' } } })),
    };
    const withParam = render(param as Counterexample, 'markdown');
    expect(withParam).toContain('| insmod p1.ko x=&lt;script&gt;y&lt;/script&gt; |');
    expect(withParam).toContain('1. insmod p1.ko x=#60;script>y#60;/script>');
    // The kernel log is a code block, whose text is never markup: the command as given, there alone.
    const log = withParam.slice(withParam.indexOf('## Kernel log'));
    expect(log).toMatch(/^```\n1\. insmod p1\.ko x=<script>y<\/script>\n/m);
    expect(withParam.slice(0, withParam.indexOf('## Kernel log'))).not.toMatch(/<script/);
  });

  it('shows a link or an image in the file’s text as text: no live image in a function name, no link in a reason (left open by stop 34)', () => {
    const image = '![t](http://example.invalid/x.png)';
    const named = JSON.parse(
      JSON.stringify(fixture).replaceAll('vmlinux:f1', `vmlinux:${image}`).replaceAll('"f1"', JSON.stringify(image)),
    ) as Counterexample;
    const edited = { ...named, violation: { ...named.violation, reason: 'see [here](javascript:alert(1)) and [ref][1], ["p1"]' } };
    const out = render(edited, 'markdown');
    expect(out).toContain('vmlinux: ![t&#93;(http\\://example.invalid/x.png)');
    expect(out).toContain('see [here&#93;(javascript:alert(1)) and [ref&#93;[1], ["p1"]');
    // A backslash and a pipe in a cell end no cell (stop 35's second hostile user: '\\|' moved the cells after it).
    const piped = JSON.parse(JSON.stringify(fixture).replaceAll('"f1"', JSON.stringify('a\\|b'))) as Counterexample;
    const md = render(piped, 'markdown');
    expect(md).toContain('a&#92;&#124;b');
    // Each table (rows one after another) has as many cells in every row as in its header.
    const cells = (row: string) => row.replace(/`[^`]*`/g, '').split('|').length;
    for (const table of md.split(/\n(?!\| )/).filter((b) => b.startsWith('| '))) {
      const rows = table.split('\n');
      for (const r of rows) expect(cells(r), r).toBe(cells(rows[0]!));
    }
    // Outside code spans, no ']' is followed by '(' or '[' unescaped.
    const prose = out.replace(/```mermaid\n[^]*?\n```\n/, '').replace(/`[^`\n]*`/g, '');
    expect(prose).toContain('## ');
    expect(prose).not.toMatch(/\]\(|\]\[/);
  });

  it('keeps a newline in the file’s text on its line: no heading, fence end or diagram statement of its own (hostile-user finding, stop 34)', () => {
    const f1 = JSON.stringify('f\n<img src=x>\n```\n# forged').slice(1, -1);
    const named = JSON.parse(
      JSON.stringify(fixture).replaceAll('vmlinux:f1', `vmlinux:${f1}`).replaceAll('"f1"', `"${f1}"`),
    ) as Counterexample;
    const edited = { ...named, violation: { ...named.violation, reason: 'r\n```\n\n# forged\nVERDICT: fixed' } };
    const out = render(edited, 'markdown').split('\n');
    // The diagram's fences, and the kernel log's.
    expect(out.filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```', '```', '```']);
    // The kernel log's fence is longer than any run of backticks in its lines: an insmod parameter's cannot end it.
    const ticked = { ...fixture, steps: fixture.steps.map((s, i) => (i ? s : { ...s, op: { ...s.op, params: { x: 'a```b````' } } })) };
    const fences = render(ticked as Counterexample, 'markdown')
      .split('\n')
      .filter((l) => l.startsWith('```'));
    expect(fences).toEqual(['```mermaid', '```', '`````', '`````']);
    expect(out.filter((l) => /^(# forged|VERDICT|<img|#60;img)/.test(l))).toEqual([]);
    expect(out.join('\n')).toContain('r\\n\\`\\`\\`\\n\\n# forged\\nVERDICT: fixed');
    // A backtick in a name cannot end its code span.
    const tick = JSON.parse(JSON.stringify(fixture).replaceAll('"f1"', '"f`1"').replaceAll('vmlinux:f1', 'vmlinux:f`1')) as Counterexample;
    expect(render(tick, 'markdown')).toContain("`vmlinux:f'1`");
  });

  it("shows a value with markdown's own characters as text: no code span, emphasis or escape of its own (stop 42's hostile user)", () => {
    // A parameter value: '`y`' was code and '*z*' and '_w_' italics on the page; an '_' inside a word stays as it is.
    expect(markdownCell('a|b<i>x</i>`y`*z*_w_ cmdline_proc_show \\*')).toBe(
      'a&#124;b&lt;i&gt;x&lt;/i&gt;\\`y\\`\\*z\\*\\_w\\_ cmdline_proc_show &#92;\\*',
    );
    // Outside a table a backslash before punctuation is doubled, so that it escapes nothing.
    expect(markdownText('`y` *z* _w_ a_b \\* \\n')).toBe('\\`y\\` \\*z\\* \\_w\\_ a_b \\\\\\* \\n');
    // Strikethrough and GFM's autolinks, and a paragraph that would start a list (a patch named '-').
    expect(markdownText('~~s~~ https://e.x/y www.e.com a@b.co')).toBe('\\~\\~s\\~\\~ https\\://e.x/y www\\.e.com a\\@b.co');
    expect(markdownText('- (slot=2) is in slot 2')).toBe('\\- (slot=2) is in slot 2');
    expect(markdownText('12. x')).toBe('12\\. x');
    expect(markdownText('-x and 12.5')).toBe('-x and 12.5');
    const valued = JSON.parse(JSON.stringify(fixture)) as { steps: { op: { params?: Record<string, string> } }[] };
    valued.steps[0]!.op.params = { x: 'a`y`*z*_w_' };
    expect(render(valued as unknown as Counterexample, 'markdown')).toContain('| 1 | insmod p1.ko x=a\\`y\\`\\*z\\*\\_w\\_ |');
  });

  it('has a patches table, a steps table with the violation marked, and a mermaid diagram', () => {
    expect(md).toContain('| Patch | Role | Attributes | Slot | Functions | States |');
    expect(md).toContain('| `p3` | cumulative | `replace=true` | `cumulative` | vmlinux: f2 (+callbacks) | 1 (version 2) |');
    expect(md).toMatch(/^\| 8 \| insmod p4\.ko \| .*\*\*violated: no-function-shared-across-slots\*\* \| ok \|/m);
    expect(md).toContain('```mermaid\nsequenceDiagram\n');
    expect(md).toContain('  Note over P0,P5: VIOLATED no-function-shared-across-slots:');
  });

  it('names a numbered slot’s lane once: slot 1, not slot slot 1', () => {
    const slots = render(readCounterexample('counterexamples/slots/no-foreign-removal-f35109402061.json'), 'markdown');
    expect(slots).toContain('  participant P1 as slot 1\n');
    expect(slots).not.toContain('slot slot');
    // The text's Patches list says the slot once: its label already names it (hostile-user finding).
    const text = render(readCounterexample('counterexamples/slots/no-foreign-removal-f35109402061.json'), 'text');
    expect(text).toContain('  p1: slot 1 (slot=1)\n');
    expect(md).toMatch(/participant P\d as slot cumulative\n/);
  });

  it('keeps mermaid away from the characters its grammar reserves', () => {
    const diagram = md.slice(md.indexOf('```mermaid'), md.indexOf('\n```\n', md.indexOf('```mermaid')));
    // Only as entity codes, which mermaid shows as the characters themselves.
    for (const line of diagram.split('\n').slice(2)) expect(line.replace(/#(?:59|35|60|37);/g, '')).not.toMatch(/[;#%]|<[A-Za-z/!?]/);
    const marked = JSON.parse(JSON.stringify(fixture)) as Counterexample;
    (marked.violation as { reason: string }).reason = 'a; b #1 <- c <b> %%{init: {"theme":"forest"}}%% 5%';
    const shown = render(marked, 'markdown');
    expect(shown).toContain('a#59; b #35;1 <- c #60;b> #37;#37;{init: {"theme":"forest"}}#37;#37; 5#37;');
    // No directive anywhere in the diagram: mermaid reads one wherever it stands (helper-128).
    expect(shown.slice(shown.indexOf('```mermaid'), shown.indexOf('\n```\n', shown.indexOf('```mermaid')))).not.toContain('%%');
    expect(shown).not.toContain('a, b');
  });
});

describe('html and svg', () => {
  const html = render(fixture, 'html');
  const svg = render(fixture, 'svg');

  it('the page loads nothing: no URL but the SVG namespace, no script, no external style or font', () => {
    expect(urlsIn(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)/i);
  });

  it('the page shows the picture and the text rendering below it', () => {
    expect(html.indexOf('<svg')).toBeGreaterThan(0);
    expect(html.indexOf('<pre>')).toBeGreaterThan(html.indexOf('</svg>'));
    expect(html).toContain('  7. transition work runs: p3 patching complete &lt;- replaces p1');
  });

  it('has one named lane per slot and per sleeping task, and highlights the violating step', () => {
    for (const lane of ["p1's own slot", 'slot cumulative', "p4's own slot", 'task0'])
      expect(svg).toContain(`>${lane.replace(/'/g, "'")}</text>`);
    expect(svg).toContain('>violated</text>');
    expect(svg).toContain('fill="url(#klp-patching)"');
    expect(svg).toContain('>p2 -EINVAL</text>');
  });

  it('is well-formed enough: every attribute once per element, integer coordinates', () => {
    for (const tag of svg.match(/<[a-z][^>]*>/g) ?? []) {
      const names = [...tag.matchAll(/\s([a-z:-]+)="/g)].map((m) => m[1]);
      expect(new Set(names).size, tag).toBe(names.length);
      expect(tag).not.toMatch(/\s(x|y|x1|x2|y1|y2|width|height)="-?\d+\.\d/);
    }
  });
});

describe('selftest', () => {
  const tmp = new TempDir();
  afterAll(() => rmSync(tmp.path, { recursive: true, force: true }));
  // Made in beforeAll, not while the file is read: a renderer that throws fails these tests, where a file that failed to
  // load was counted by mutation testing as no test failing (stop 34).
  let script = '';
  beforeAll(() => {
    script = render(fixture, 'selftest');
  });

  it('says what its clean-up cannot unload, where it said it left the machine as it was', () => {
    // Upstream's force finding: the forced p2's module is never removed (hostile-user nit, stop 36).
    const forced = render(readCounterexample('counterexamples/upstream/conformance-545eea7ed9c3.json'), 'selftest');
    expect(forced).toContain('# $MOD_P2 stays loaded (the kernel refuses its removal), so reboot before');
    expect(forced).not.toContain('leave the machine as it was');
    expect(script).toContain('# Clean up (not part of the counterexample): leave the machine as it was.');
  });

  it('bash accepts it', () => {
    expect(bashSyntaxError(script)).toBe('');
  });

  it('uses functions.sh as the upstream tests do, with modules named after the patches', () => {
    expect(script).toContain('. $(dirname $0)/functions.sh\n');
    expect(script).toContain('MOD_P1=test_klp_p1\n');
    expect(script).toMatch(/^load_lp \$MOD_P1$/m);
    expect(script).toMatch(/^load_failing_mod \$MOD_P2$/m);
    expect(script).toMatch(/^load_lp_nowait \$MOD_P3$/m);
    expect(script).toMatch(/^check_result "% insmod test_modules\/\$MOD_P1\.ko\n/m);
    expect(script).toContain('insmod: ERROR: could not insert module test_modules/$MOD_P2.ko: Invalid parameters\n');
    expect(script).toMatch(/do not exist: write them/);
  });

  it('marks what a selftest cannot do as a klpcheck comment, not a command', () => {
    expect(script).toContain('# klpcheck: task0 sleeps in vmlinux:f1 -- needs a test module that blocks there');
    expect(script).toContain('# klpcheck: one retry of the transition work');
    expect(script).not.toMatch(/^(block_task|transition_step|unblock_task)/m);
  });

  it('says which kernel settings it cannot make, and that its log holds only on such a kernel', () => {
    expect(script).not.toContain('CAUTION');
    const of = (kernel: Record<string, boolean>) => render({ ...fixture, universe: { ...fixture.universe, kernel } }, 'selftest');
    const unreliable = of({ reliable_stacktrace: false });
    expect(unreliable).toContain(
      "# CAUTION: the counterexample's kernel has no reliable stack traces\n# (kernel.reliable_stacktrace false: no HAVE_RELIABLE_STACKTRACE), which\n",
    );
    expect(unreliable).toContain('# another, the log differs for that reason, not because of the proposal.\n');
    const all = of({ reliable_stacktrace: false, livepatch_initialized: false, ftrace_enabled: false }).replace(/\n# /g, ' ');
    expect(all).toContain(
      'kernel has no reliable stack traces (kernel.reliable_stacktrace false: no HAVE_RELIABLE_STACKTRACE), and livepatch uninitialized (kernel.livepatch_initialized false: enabling returns -ENODEV), which this script cannot set; and the kernel.ftrace_enabled sysctl at 0 from boot, which this script does not set (sysctl kernel.ftrace_enabled=0 before running it).',
    );
    // ftrace_enabled alone: the script could set it, and says how (hostile-user finding: "cannot set" was wrong).
    const ftrace = of({ ftrace_enabled: false }).replace(/\n# /g, ' ');
    expect(ftrace).toContain(
      "CAUTION: the counterexample's kernel has the kernel.ftrace_enabled sysctl at 0 from boot, which this script does not set",
    );
    expect(ftrace).not.toContain('cannot set');
    // The defaults, written out, are no caution.
    expect(of({ reliable_stacktrace: true, livepatch_initialized: true, ftrace_enabled: true })).not.toContain('CAUTION');
  });

  it('expects the kernel log of the reference implementation, clean-up included', () => {
    const expected = script.slice(script.indexOf('check_result "') + 14, script.lastIndexOf('"'));
    expect(expected).toContain("livepatch: '$MOD_P3': completing patching transition\n$MOD_P3: post_patch_callback: vmlinux");
    expect(expected).not.toMatch(/taint/);
    expect(expected.trimEnd().split('\n').at(-1)).toBe('% rmmod $MOD_P1');
  });

  it('refuses module names a selftest cannot build or tell apart, at their place: over 55 characters as test_klp_<name>, or one name with - and _', () => {
    // The kernel keeps a module name in MODULE_NAME_LEN (56) bytes with its NUL; kbuild spells '-' as '_' (KBUILD_MODNAME).
    const withModules = (...names: string[]) => ({
      ...fixture,
      universe: { ...fixture.universe, modules: names.map((name) => ({ name })) },
    });
    expect(() => render(withModules('m'.repeat(46)), 'selftest')).not.toThrow();
    expect(() => render(withModules('m'.repeat(47)), 'selftest')).toThrow(
      expect.objectContaining({
        code: 'E_INEXPRESSIBLE',
        where: '/universe/modules/0/name',
        message: expect.stringMatching(/56 characters: the kernel takes at most 55 \(MODULE_NAME_LEN 56\), so a name of at most 46 here$/),
      }),
    );
    expect(() => render(withModules('p-9', 'p_9'), 'selftest')).toThrow(
      expect.objectContaining({
        code: 'E_INEXPRESSIBLE',
        where: '/universe/modules/1/name',
        message:
          "a selftest loads 'p_9' as module 'test_klp_p_9', as it loads /universe/modules/0/name ('p-9'): the kernel spells '-' in a module name '_', so the two are one module",
      }),
    );
    expect(() => render(withModules('test_klp_p1'), 'selftest')).toThrow(expect.objectContaining({ where: '/universe/modules/0/name' }));
    // An object name already too long is what the counterexample shows the kernel refusing: kept, renamed or not.
    const objectNamed = (name: string) => ({
      ...fixture,
      universe: {
        ...fixture.universe,
        patches: fixture.universe.patches.map((p, i) => (i ? p : { ...p, objects: [...(p.objects ?? []), { name, funcs: [] }] })),
      },
    });
    expect(() => render(objectNamed('o'.repeat(50)), 'selftest')).toThrow(
      expect.objectContaining({ where: '/universe/patches/0/objects/1/name' }),
    );
    expect(() => render(objectNamed('o'.repeat(56)), 'selftest')).not.toThrow();
    // Both ends (mutation testing, stop 34): 55 characters become 64; 46 become 55, which the kernel takes.
    expect(() => render(objectNamed('o'.repeat(55)), 'selftest')).toThrow(expect.objectContaining({ code: 'E_INEXPRESSIBLE' }));
    expect(() => render(objectNamed('o'.repeat(46)), 'selftest')).not.toThrow();
    const patchNamed = (name: string) => ({
      ...fixture,
      universe: { ...fixture.universe, patches: fixture.universe.patches.map((p, i) => (i ? p : { ...p, name })) },
    });
    expect(() => render(patchNamed('p'.repeat(47)), 'selftest')).toThrow(
      expect.objectContaining({ code: 'E_INEXPRESSIBLE', where: '/universe/patches/0/name' }),
    );
    expect(() => render(patchNamed('test_klp_p2'), 'selftest')).toThrow(
      expect.objectContaining({
        code: 'E_INEXPRESSIBLE',
        where: '/universe/patches/1/name',
        message: expect.stringContaining(
          "as it loads /universe/patches/0/name ('test_klp_p2'): a name that starts test_klp_ is kept as it is, so the two are one module",
        ),
      }),
    );
  });

  it('runs nothing a file’s values say: parameters, sysfs values and names stay words and comments (run with stubbed helpers)', () => {
    // A module parameter `1 $(touch ...)` was pasted raw into load_lp's line (hostile-user finding, 2026-12-03).
    const dir = tmp.path;
    const marks = ['param', 'attr', 'comment'].map((m) => join(dir, `ran-${m}`));
    const slots = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'slots', 'conformance-c2aaede076a4.json'));
    const params = {
      ...slots,
      steps: slots.steps.map((s, i) => (i ? s : { ...s, op: { ...s.op, params: { add_merge_slots: `1 $(touch ${marks[0]}); echo 'x` } } })),
    };
    // f1 renamed `f1<newline>touch ...`, in the universe and in the ops (JSON text, so the newline as \n).
    const f1 = JSON.stringify(`f1\ntouch ${marks[2]}`).slice(1, -1);
    const rename = (text: string) => text.replaceAll('vmlinux:f1', `vmlinux:${f1}`).replaceAll('"f1"', `"${f1}"`);
    const named = JSON.parse(rename(JSON.stringify(fixture))) as Counterexample;
    const attr = {
      ...fixture,
      steps: [
        ...fixture.steps,
        { ...fixture.steps.at(-1)!, op: { op: 'set_attr', patch: 'p1', attr: 'replaceable', value: `"$(touch ${marks[1]})` } },
      ],
    } as Counterexample;
    const stub = [
      'load_lp',
      'load_lp_nowait',
      'load_mod',
      'load_failing_mod',
      'disable_lp',
      'unload_lp',
      'unload_mod',
      'check_result',
      'start_test',
      'setup_config',
      'log',
      'die',
      'loop_until',
    ]
      .map((f) => `${f}() { :; }`)
      .join('\n');
    writeFileSync(join(dir, 'functions.sh'), `${stub}\n`);
    for (const [name, c] of [
      ['params', params],
      ['attr', attr],
      ['named', named],
    ] as const) {
      const script = render(c, 'selftest');
      expect(bashSyntaxError(script), name).toBe('');
      const file = join(dir, `${name}.sh`);
      writeFileSync(file, script);
      spawnSync('bash', [file], { encoding: 'utf8' });
    }
    for (const m of marks) expect(existsSync(m), m).toBe(false);
    // The list parameter refuses the value (an array of uints since stop 72): the load is one that fails, quoted alike.
    expect(render(params, 'selftest')).toContain(`load_failing_mod $MOD_P1 'add_merge_slots=1 $(touch ${marks[0]}); echo '\\''x'`);
    // The log shows the words as insmod got them, quoted for check_result's double quotes.
    expect(render(params, 'selftest')).toContain(`% insmod test_modules/$MOD_P1.ko add_merge_slots=1 \\$(touch ${marks[0]}); echo 'x`);
    expect(render(named, 'selftest')).toContain(`# klpcheck: task0 sleeps in vmlinux:f1\\ntouch ${marks[2]} -- needs a test module`);
    const attrScript = render(attr, 'selftest');
    expect(attrScript).toContain(`log "% echo \\"\\$(touch ${marks[1]}) > /sys/kernel/livepatch/$MOD_P1/replaceable"`);
    expect(attrScript).toMatch(new RegExp(`echo '"\\$\\(touch ${marks[1]}\\)' > /sys/kernel/livepatch/"\\$MOD_P1"/replaceable`));
    // A word bash reads as it is stays unquoted; a value echo would take as its option is written by printf.
    expect(render(slots, 'selftest')).toMatch(/^load_lp \$MOD_P1 add_merge_slots=1$/m);
    const dashed = {
      ...attr,
      steps: [...fixture.steps, { ...attr.steps.at(-1)!, op: { op: 'set_attr', patch: 'p1', attr: 'replaceable', value: '-n' } }],
    } as Counterexample;
    expect(render(dashed, 'selftest')).toContain(`printf '%s\\n' -n > /sys/kernel/livepatch/"$MOD_P1"/replaceable`);
  });

  it('a counterexample of an unknown semantics cannot become a selftest', () => {
    const c = { ...fixture, semantics: 'no-such-semantics' };
    expect(() => render(c, 'selftest')).toThrow(/unknown semantics 'no-such-semantics'/);
  });
});

describe('every format', () => {
  it.each(FORMATS)('%s: the same bytes twice', (format) => {
    expect(render(fixture, format)).toBe(render(readCounterexample(FIXTURE), format));
  });

  it.each(CORPUS.map((f) => [f.slice(f.indexOf('counterexamples/')), f] as const))('renders %s', (_, file) => {
    const c = readCounterexample(file);
    for (const format of FORMATS) expect(render(c, format).length).toBeGreaterThan(0);
    expect(urlsIn(render(c, 'html'))).toEqual([]);
    expect(beyondTextPromise(render(c, 'text'))).toEqual([]);
    expect(bashSyntaxError(render(c, 'selftest'))).toBe('');
  });

  it("names conformance once in its header, where each invariant is named with its title (it read 'conformance: conformance')", () => {
    const c = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'upstream', 'conformance-545eea7ed9c3.json'));
    expect(render(c, 'text')).toContain('\nInvariant: conformance\n');
    expect(render(c, 'markdown')).toContain('- **Invariant:** `conformance`\n');
    expect(render(c, 'selftest')).toContain('# Invariant: conformance, violated after step 6:');
    expect(render(fixture, 'text')).toContain('Invariant: no-function-shared-across-slots: no function shared across');
  });

  it('keeps a function of a long name within 72 columns: the name heads its own line, its code below in the column', () => {
    // f2 as a 56-character kernel symbol (KSYM_NAME_LEN is 512): the line ran to 73 columns, and the code after it
    // wrapped into a column 8 wide (hostile-user finding, stop 44).
    const long = 'f'.repeat(56);
    const c = JSON.parse(readFileSync(FIXTURE, 'utf8').replaceAll('"f2"', `"${long}"`).replaceAll(':f2,', `:${long},`)) as Counterexample;
    const text = render(c, 'text');
    expect(beyondTextPromise(text)).toEqual([]);
    // Beside the short name the code stays where it was; the long name's code is one line below it.
    expect(text).toContain(`       vmlinux:f1  p1\n       vmlinux:${long}\n                   original\n`);
    // The names' column leaves 24 of the 72 columns for the code: a name of 39 characters (indented 7, then 2
    // spaces) stays beside its code, one of 40 heads its own line.
    const named = (n: number) => {
      const f = 'g'.repeat(n - 'vmlinux:'.length);
      return render(
        JSON.parse(readFileSync(FIXTURE, 'utf8').replaceAll('"f2"', `"${f}"`).replaceAll(':f2,', `:${f},`)) as Counterexample,
        'text',
      );
    };
    expect(named(39)).toMatch(/^ {7}vmlinux:g{31} {2}original$/m);
    expect(named(40)).toMatch(/^ {7}vmlinux:g{32}\n {19}original$/m);
  });

  it('renders any generated trace of every semantics, within the text and selftest promises', () => {
    for (const sem of SEMANTICS) {
      const prop = fc.property(universeArb(sem, DEFAULT_SCOPE), commandsArb(sem, DEFAULT_SCOPE, 12), (u, cmds) => {
        const lock = new Lockstep(u, sem, { invariants: [], conformance: false });
        fc.modelRun(() => ({ model: lock, real: lock }), cmds);
        if (lock.steps.length === 0) return;
        const c = asCounterexample(sem.name, lock);
        const text = render(c, 'text');
        expect(beyondTextPromise(text)).toEqual([]);
        for (const format of ['markdown', 'html', 'svg'] as const) render(c, format);
        expect(bashSyntaxError(render(c, 'selftest'))).toBe('');
      });
      fc.assert(prop, { seed: 7, numRuns: 25 });
    }
  });
});

/** A run as a counterexample record whose last step is the "violation". */
function asCounterexample(semantics: string, lock: Lockstep): Counterexample {
  return {
    format: 1,
    semantics,
    invariant: 'no-function-shared-across-slots',
    universe: lock.universe,
    initial: lock.initial,
    steps: lock.steps.map((s) => ({ op: s.op, outcome: s.outcome, state: s.state })),
    violation: { step: lock.steps.length - 1, reason: 'generated trace' },
    provenance: { source: 'random', seed: 7, fast_check: 'test', klpcheck: 'test' },
  };
}

/** A run and a compare of one upstream cell that these seeds find violated, so that they save a counterexample. */
const RUN_VIOLATED = ['run', '--semantics', 'upstream', '--invariant', 'no-function-shared-across-slots', '--runs', '50', '--seed', '3'];
const COMPARE_VIOLATED = [
  'compare',
  '--semantics',
  'upstream',
  '--invariants',
  'no-function-shared-across-slots',
  '--runs',
  '50',
  '--seed',
  '3',
];

describe('klpcheck render', () => {
  const tmp = new TempDir();
  afterAll(() => rmSync(tmp.path, { recursive: true, force: true }));

  it('prints the text rendering by default and the chosen format with --format', async () => {
    const r = await run(['render', FIXTURE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(render(fixture, 'text'));
    expect((await run(['render', '--format', 'selftest', FIXTURE])).stdout).toBe(render(fixture, 'selftest'));
  });

  it('notes on stderr a record today’s model no longer gives, and an outcome no kernel returns is refused', async () => {
    // An edited copy under a name without its hash rendered as proof of a violation (hostile-user test, 2026-12-03).
    const lie = { ...fixture, invariant: 'conformance', violation: { ...fixture.violation, reason: 'made up' } };
    const r = await run(['render', tmp.write('lie.json', lie)]);
    expect(r.code).toBe(0);
    // The rendering itself says so at its top, in every format but the picture alone: the stderr note alone let a
    // reply quote the made-up trace with no caveat (hostile-user finding, stop 36).
    const stale = `no longer reproduces (replayed, every step holds) under ${lie.semantics}`;
    expect(r.stdout).toBe(RENDERERS.text(lie, { ...contextFor(lie), stale }));
    expect(r.stdout).toMatch(/^klpcheck counterexample\n\nCAUTION: {3}this record no longer reproduces \(replayed, every step holds\)/);
    for (const format of ['markdown', 'html', 'selftest'] as const) {
      const rendered = await run(['render', '--format', format, tmp.path + '/lie.json']);
      const out = rendered.stdout;
      expect(out, format).toContain('CAUTION');
      // stderr's note says what the rendering shows: a selftest's note had said the record as saved (helper-103).
      expect(rendered.stderr, format).toContain(
        format === 'selftest'
          ? "; this selftest is today's steps, clean-up and log, not the record's\n"
          : '; this renders the record as saved\n',
      );
      // A selftest is today's run throughout, and says so; the others show the record as saved (helper-76, stop 47).
      if (format === 'selftest') {
        expect(out.replace(/\n# /g, ' ')).toContain(
          "The steps below, their comments, the clean-up and the expected log are what klpcheck's reference implementation does today, not the record's.",
        );
        // Today's steps may hold where the record says the property broke: the record's claim, not the script's (helper-125).
        expect(out.replace(/\n# /g, ' ')).toContain(
          `Invariant: conformance, recorded as violated after step ${lie.violation.step + 1}: made up.`,
        );
        expect(out).toContain('[conformance recorded as violated here]');
        expect(render(lie, format)).toContain('[conformance violated here]');
        expect(render(lie, format)).not.toContain('recorded as violated');
      } else expect(out, format).toContain('it is shown as saved, not as klpcheck runs it today');
      expect(render(lie, format), format).not.toContain('CAUTION');
    }
    expect(r.stderr).toMatch(
      /^klpcheck render: note: .*lie\.json no longer reproduces \(replayed, every step holds\) under \S+; this renders the record as saved\n$/,
    );
    // A record none of whose steps can run today is not checked, and still cautioned (hostile-user finding, stop 37).
    const asleep = { ...fixture.steps[0]!, op: { op: 'unblock_task', task: 'task0' } };
    const none = { ...fixture, steps: [asleep], violation: { step: 0, reason: 'x' } };
    expect((await run(['render', tmp.write('none.json', none)])).stdout).toMatch(
      /\nCAUTION: {3}this record was not replayed \(its one step cannot run today:\n/,
    );
    // Steps counted from 1 in the note, as "after step N" counts them (the file's violation.step counts from 0): recorded
    // one step later, after a copy of the violating step, than today's violation (steps after it are refused).
    const v = fixture.violation.step;
    const moved = { ...fixture, steps: [...fixture.steps, fixture.steps[v]!], violation: { ...fixture.violation, step: v + 1 } };
    expect((await run(['render', tmp.write('moved.json', moved)])).stderr).toMatch(
      new RegExp(`note: .*moved\\.json is still violated, after step ${v + 1}, but not as recorded \\(recorded at step ${v + 2}\\) under `),
    );
    // A reason the model no longer gives is not the record: it is what a reply would quote.
    const reworded = { ...fixture, violation: { ...fixture.violation, reason: 'NOTHING IS WRONG HERE' } };
    expect((await run(['render', tmp.write('reworded.json', reworded)])).stderr).toMatch(
      /note: .*reworded\.json is still violated, after step \d+, but not as recorded \(recorded with another reason: "NOTHING IS WRONG HERE"\) under /,
    );
    // One that differs by a character that shows as a space or as nothing says which (helper-125: the two read alike).
    const lookalike = { ...fixture, violation: { ...fixture.violation, reason: fixture.violation.reason.replace(' ', '\u00a0') } };
    expect(lookalike.violation.reason).not.toBe(fixture.violation.reason);
    expect((await run(['render', tmp.write('lookalike.json', lookalike)])).stderr).toContain(
      // The fixture's reason has nothing JSON escapes: the quoted text is the reason, its no-break space as \u00a0.
      `(recorded with another reason: "${fixture.violation.reason.replace(' ', '\\u00a0')}")`,
    );
    // The same step and reason, but states along the way that the model does not give: the first state, or a later one.
    for (const [name, edited] of [
      ['initial', { ...fixture, initial: { ...fixture.initial, shadows: ['edited'] } }],
      [
        'step',
        {
          ...fixture,
          steps: [{ ...fixture.steps[0]!, state: { ...fixture.steps[0]!.state, shadows: ['edited'] } }, ...fixture.steps.slice(1)],
        },
      ],
    ] as const)
      expect((await run(['render', tmp.write(`${name}.json`, edited)])).stderr, name).toMatch(
        new RegExp(
          `note: .*${name}\\.json is still violated, after step \\d+, but not as recorded \\(the state ${name === 'initial' ? 'before the first step' : 'after step 1'} differs from the record\\) under `,
        ),
      );
    // A name the universe does not declare is an edit, refused at its place (it was replayed as "not as recorded").
    const p9 = { ...fixture, initial: { ...fixture.initial, patches: [{ ...fixture.steps[0]!.state.patches[0]!, name: 'p9' }] } };
    expect((await run(['render', tmp.write('p9.json', p9)])).stderr).toMatch(
      /^klpcheck: .*p9\.json:\/initial\/patches\/0\/name: a recorded state: patch 'p9' is not in the universe \[E_REFERENCE\]\n$/,
    );
    const task9 = {
      ...fixture,
      steps: [
        { ...fixture.steps[0]!, state: { ...fixture.steps[0]!.state, tasks: [{ name: 'task9', state: 'idle', blocked: null }] } },
        ...fixture.steps.slice(1),
      ],
    };
    expect((await run(['render', tmp.write('task9.json', task9)])).stderr).toMatch(
      /^klpcheck: .*task9\.json:\/steps\/0\/state\/tasks\/0\/name: a recorded state: task 'task9' is not in the universe \[E_REFERENCE\]\n$/,
    );
    // A task named before the step that forks it is told as such (helper-111).
    const early = {
      ...fixture,
      initial: { ...fixture.initial, tasks: [...fixture.initial.tasks, { name: 'c0', state: 'idle', blocked: null }] },
      steps: [{ ...fixture.steps[0]!, op: { op: 'fork', task: fixture.initial.tasks[0]!.name, child: 'c0' } }, ...fixture.steps.slice(1)],
    };
    expect((await run(['render', tmp.write('early.json', early)])).stderr).toMatch(
      new RegExp(
        `early\\.json:/initial/tasks/${fixture.initial.tasks.length}/name: a recorded state: task 'c0' before step 0 forks it \\[E_REFERENCE\\]\\n$`,
      ),
    );
    const module9 = { ...fixture, initial: { ...fixture.initial, modules: ['m9'] } };
    expect((await run(['render', tmp.write('m9.json', module9)])).stderr).toMatch(
      /m9\.json:\/initial\/modules\/0: a recorded state: module 'm9' is not in the universe \[E_REFERENCE\]\n$/,
    );
    // A number past a double's range is said as such, not as the null JSON.stringify makes of its Infinity (helper-110).
    const huge = `${JSON.stringify(fixture, null, 2)}\n`.replace('"format": 1,', '"format": 1e400,');
    expect(huge).toContain('1e400');
    expect((await run(['render', tmp.write('huge.json', huge)])).stderr).toMatch(
      /^klpcheck: .*huge\.json:\/format: must be 1, not a number too large for a double \[E_SCHEMA\]\n$/,
    );
    // One replay could not check says so too, never nothing.
    // A release cycle's record is one protocols writes (any other is refused: helper-131, helper-132, stop 72).
    const provenance = { source: 'exhaustive', depth: 2, scope: 'protocol=static-sets,releases<=3', fast_check: '4.10.2', klpcheck: '0.1.0' };
    const cycle = { ...fixture, invariant: 'fixes', provenance };
    const cycleRendered = await run(['render', tmp.write('cycle.json', cycle)]);
    expect(cycleRendered.stderr).toMatch(
      /note: .*cycle\.json was not replayed \(fixes is a release cycle's property \(protocol=static-sets,releases<=3\): klpcheck protocols checks it\) under /,
    );
    // A release cycle's record is protocols' to check: not stale. One whose property does not apply to its own
    // semantics claims what cannot be: it opens with a CAUTION, in every format but svg (helper-125).
    expect(cycleRendered.stdout).not.toMatch(/CAUTION/);
    const shadow = readCounterexample(join(import.meta.dirname, '..', 'counterexamples', 'per-state', 'shadow-lifetime-df68b04cdb6b.json'));
    const na = tmp.write('na.json', { ...shadow, semantics: 'upstream' });
    for (const format of ['text', 'markdown', 'html', 'selftest'])
      expect((await run(['render', '--format', format, na])).stdout, format).toMatch(/CAUTION:?\**:? .*was not replayed \(n\/a: /);
    const ewhat = { ...fixture, steps: [{ ...fixture.steps[0]!, outcome: 'EWHAT' }, ...fixture.steps.slice(1)] };
    expect((await run(['render', tmp.write('ewhat.json', ewhat)])).stderr).toMatch(
      /^klpcheck: .*ewhat\.json:\/steps\/0\/outcome: must be one of \["ok","ENOENT",.*\] \[E_SCHEMA\]\n$/,
    );
  });

  it('names the file it wrote on one line, whatever the name holds', async () => {
    // A newline in --out split the status line; error lines already escaped it (hostile-user finding, 2026-12-03).
    const out = join(tmp.path, 'a\nb.txt');
    const r = await run(['render', FIXTURE, '--out', out]);
    expect([r.code, r.stderr]).toEqual([0, `klpcheck render: wrote ${out.replace('\n', '\\n')}\n`]);
  });

  it('names the file of a universe a selftest cannot express', async () => {
    const long = { ...fixture, universe: { ...fixture.universe, modules: [{ name: 'm'.repeat(47) }] } };
    const r = await run(['render', '--format', 'selftest', tmp.write('long.json', long)]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(
      /^klpcheck: .*long\.json:\/universe\/modules\/0\/name: a selftest loads '(m+)' as module 'test_klp_\1', 56 characters: .* \[E_INEXPRESSIBLE\]\n$/,
    );
  });

  it('gives one line and exit 2 on bad input', async () => {
    const missing = await run(['render', join(tmp.path, 'nope.json')]);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/^klpcheck: .*nope\.json: no such file \[E_NO_FILE\]\n$/);
    const broken = await run(['render', tmp.write('broken.json', '{"format": 1,')]);
    expect([broken.code, broken.stderr]).toEqual([2, expect.stringMatching(/^klpcheck: .*broken\.json:.*\[E_JSON\]\n$/)]);
    const invalid = await run(['render', tmp.write('invalid.json', { ...fixture, steps: 'none' })]);
    expect([invalid.code, invalid.stderr]).toEqual([2, expect.stringMatching(/^klpcheck: .*invalid\.json:\/steps: .*\[E_SCHEMA\]\n$/)]);
  });

  it('an unknown format or a missing FILE is a usage error', async () => {
    const r = await run(['render', '--format', 'pdf', FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "klpcheck: unknown format 'pdf' (formats: text, markdown, html, svg, selftest); see 'klpcheck render --help' [E_USAGE]\n",
    );
    expect((await run(['render'])).stderr).toMatch(/\[E_USAGE\]\n$/);
  });

  it('--out writes a selftest executable, as the kernel’s selftest runner runs it; other formats and a file kept keep their modes', async () => {
    const umask = (await import('node:process')).umask();
    const out = join(tmp.path, 'cx.sh');
    expect((await run(['render', '-f', 'selftest', '--out', out, FIXTURE])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o755 & ~umask);
    const html = join(tmp.path, 'mode.html');
    expect((await run(['render', '-f', 'html', '--out', html, FIXTURE])).code).toBe(0);
    expect(statSync(html).mode & 0o777).toBe(0o666 & ~umask);
    // --force over a script the user made read-only keeps it so, as cp over a file does.
    chmodSync(out, 0o500);
    expect((await run(['render', '-f', 'text', '--out', out, '--force', FIXTURE])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o500);
  });

  it('--out writes the file, leaves the same content alone, and refuses other content without --force', async () => {
    const out = join(tmp.path, 'cx.html');
    const first = await run(['render', '-f', 'html', '--out', out, FIXTURE]);
    expect([first.code, first.stdout, first.stderr]).toEqual([0, '', `klpcheck render: wrote ${out}\n`]);
    expect(readFileSync(out, 'utf8')).toBe(render(fixture, 'html'));
    expect((await run(['render', '-f', 'html', '--out', out, FIXTURE])).stderr).toBe(`klpcheck render: unchanged ${out}\n`);
    writeFileSync(out, 'edited by hand\n');
    const refused = await run(['render', '-f', 'html', '--out', out, FIXTURE]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`klpcheck: ${out}: exists with other content; not overwritten (use --force) [E_CONFLICT]\n`);
    expect(readFileSync(out, 'utf8')).toBe('edited by hand\n');
    expect((await run(['render', '-f', 'html', '--out', out, '--force', FIXTURE])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(render(fixture, 'html'));
    expect(readdirSync(tmp.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out in the saved counterexamples is refused, even with --force: it replaced another saved one (hostile-user nit, stop 35)', async () => {
    const store = join(import.meta.dirname, '..', 'counterexamples');
    const victim = join(store, 'upstream', readdirSync(join(store, 'upstream')).sort()[0]!);
    const before = readFileSync(victim, 'utf8');
    for (const out of [victim, join(store, 'new.html')]) {
      const r = await run(['render', '--out', out, '--force', FIXTURE]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `klpcheck: ${out}: --out is in the saved counterexamples (counterexamples/), where run and compare read every file as one: write it elsewhere [E_USAGE]\n`,
      );
    }
    expect(readFileSync(victim, 'utf8')).toBe(before);
    expect(existsSync(join(store, 'new.html'))).toBe(false);
  });

  it('every file option refuses the store: explore --out, promela --out, relate --html, compare --html (hostile-user finding, stop 37)', async () => {
    const store = join(import.meta.dirname, '..', 'counterexamples');
    for (const [args, flag] of [
      [['explore', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=1', '--no-save', '--out'], '--out'],
      [['promela', '--out'], '--out'],
      [['relate', '--html'], '--html'],
      [['compare', '--runs', '1', '--html'], '--html'],
    ] as const) {
      const out = join(store, 'upstream', 'result.json');
      const r = await run([...args, out]);
      expect([r.code, r.stdout], args[0]).toEqual([2, '']);
      expect(r.stderr, args[0]).toBe(
        `klpcheck: ${out}: ${flag} is in the saved counterexamples (counterexamples/), where run and compare read every file as one: write it elsewhere [E_USAGE]\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('no file option replaces the recorded verdict matrix, even with --force; compare --record alone writes it (helper-76, stop 47)', async () => {
    const expected = join(import.meta.dirname, '..', 'verdicts', 'expected.json');
    const before = readFileSync(expected, 'utf8');
    for (const [args, flag] of [
      [['compare', '--semantics', 'upstream', '--invariants', 'module-safety', '--runs', '1', '--no-save', '--force', '--html'], '--html'],
      [['render', '--force', FIXTURE, '--out'], '--out'],
      [['promela', '--force', '--out'], '--out'],
    ] as const) {
      const r = await run([...args, expected]);
      expect([r.code, r.stdout], args[0]).toEqual([2, '']);
      expect(r.stderr, args[0]).toBe(
        `klpcheck: ${expected}: ${flag} is the recorded verdict matrix (verdicts/expected.json), which compare --record alone writes: write it elsewhere [E_USAGE]\n`,
      );
    }
    expect(readFileSync(expected, 'utf8')).toBe(before);
  });

  it('no file option replaces a saved counterexample outside the store either, even with --force (stop 37)', async () => {
    // One in run's or compare's --out folder is as much a store: compare --html over it made every later run fail.
    const saved = tmp.write('mine/upstream/x.json', fixture);
    const before = readFileSync(saved, 'utf8');
    for (const args of [
      ['compare', '--semantics', 'upstream', '--invariants', 'module-safety', '--runs', '1', '--no-save', '--force', '--html', saved],
      ['render', FIXTURE, '--force', '--out', saved],
      ['explore', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=1', '--no-save', '--force', '--out', saved],
    ]) {
      const r = await run(args);
      expect([r.code, r.stdout], args[0]).toEqual([2, '']);
      expect(r.stderr, args[0]).toMatch(/ is a saved counterexample; not replaced, even with --force: write it elsewhere \[E_USAGE\]\n$/);
    }
    expect(readFileSync(saved, 'utf8')).toBe(before);
  });

  it('nor one that begins with a byte order mark, or that spaces make over 4 MiB, which replay reads (helper-106)', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const bom = tmp.write('bom/upstream/x.json', `\uFEFF${text}`);
    const big = tmp.write('big/upstream/x.json', `${text}${' '.repeat(5_000_000)}`);
    for (const saved of [bom, big]) {
      const before = readFileSync(saved, 'utf8');
      expect((await run(['replay', saved])).code, saved).toBe(1);
      for (const args of [
        ['render', FIXTURE, '--force', '--out', saved],
        ['explore', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=1', '--no-save', '--force', '--out', saved],
        ['promela', '--force', '--out', saved],
      ]) {
        const r = await run(args);
        expect([r.code, r.stdout], `${args[0]} ${saved}`).toEqual([2, '']);
        expect(r.stderr).toBe(
          `klpcheck: ${saved}: --out is a saved counterexample; not replaced, even with --force: write it elsewhere [E_USAGE]\n`,
        );
      }
      expect(readFileSync(saved, 'utf8')).toBe(before);
    }
  });

  it('a large file is scanned a piece at a time, a word across two pieces found (helper-109)', () => {
    const at = (offset: number) => tmp.write(`scan-${offset}.txt`, `${' '.repeat(offset)}steps${' '.repeat(100)}`);
    // "st" ends the first 4 MiB piece and "eps" begins the next, and the other places around it.
    for (const offset of [0, (4 << 20) - 5, (4 << 20) - 2, (4 << 20) + 3, (8 << 20) - 1])
      expect(fileMentions(at(offset), ['steps', '\\u']), String(offset)).toBe(true);
    expect(fileMentions(tmp.write('scan-none.txt', ' '.repeat((8 << 20) + 7)), ['steps', '\\u'])).toBe(false);
    expect(fileMentions(tmp.write('scan-escape.txt', `${' '.repeat(4 << 20)}"st\\u0065ps"`), ['steps', '\\u'])).toBe(true);
  });

  it('compare --html is refused a JSON file in its own --out folder, where it replaced the counterexample it saved (helper-106)', async () => {
    const store = join(tmp.path, 'store');
    const args = COMPARE_VIOLATED;
    const first = await run([...args, '--out', store]);
    expect(first.code).toBe(1);
    const [name] = readdirSync(join(store, 'upstream'));
    const saved = join(store, 'upstream', name!);
    const before = readFileSync(saved, 'utf8');
    // Over the file it saves or replays, over a new JSON file the store would read (one at its top refuses it), and
    // where the store keeps a semantics' files (helper-107: a file there failed every later run).
    const refused = (html: string, out = store) =>
      `klpcheck: ${html}: --html is a JSON file in the counterexample folder --out (${out}), or a semantics' folder of it, which run and compare read: write it elsewhere [E_USAGE]\n`;
    for (const html of [saved, join(store, 'upstream', 'page.json'), join(store, 'page.json'), join(store, 'stacking')]) {
      const r = await run([...args, '--out', store, '--force', '--html', html]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(refused(html));
    }
    expect(readFileSync(saved, 'utf8')).toBe(before);
    expect(readdirSync(store).sort()).toEqual(['upstream']);
    // Through a semantics folder that is a link, to a folder elsewhere or to a dot-folder of the store (helper-107).
    const linked = join(tmp.path, 'linked');
    mkdirSync(linked);
    for (const target of [join(tmp.path, 'elsewhere'), join(linked, '.keep')]) {
      mkdirSync(target, { recursive: true });
      rmSync(join(linked, 'upstream'), { force: true });
      symlinkSync(target, join(linked, 'upstream'));
      const html = join(linked, 'upstream', name!);
      const r = await run([...args, '--out', linked, '--force', '--html', html]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(refused(html, linked));
      expect(readdirSync(target)).toEqual([]);
    }
    // A page the store does not read may go there: an HTML file, or one in a folder whose name starts with '.'.
    for (const html of [join(store, 'page.html'), join(store, 'upstream', 'page.html')]) {
      const r = await run([...args, '--out', store, '--html', html]);
      expect(r.code, r.stderr).toBe(1);
      expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    }
    expect(
      (await run(['run', '--semantics', 'upstream', '--invariant', 'no-function-shared-across-slots', '--runs', '1', '--out', store])).code,
    ).toBe(1);
  });

  it('a link and .. in an output path are resolved as the write resolves them: no way into the store (helper-106)', async () => {
    const store = join(import.meta.dirname, '..', 'counterexamples');
    const link = join(tmp.path, 'into-upstream');
    symlinkSync(join(store, 'upstream'), link);
    for (const [args, flag] of [
      [['render', FIXTURE, '--out'], '--out'],
      [['explore', '--scope', 'patches=1,functions=1,states=0,tasks=1,depth=1', '--no-save', '--out'], '--out'],
      [['promela', '--out'], '--out'],
      [['relate', '--html'], '--html'],
    ] as const) {
      const r = await run([...args, `${link}/../evil.json`]);
      // A file made there would refuse the store to every other test: removed before anything is asserted.
      const made = existsSync(join(store, 'evil.json'));
      rmSync(join(store, 'evil.json'), { force: true });
      expect(made, args[0]).toBe(false);
      expect([r.code, r.stdout], args[0]).toEqual([2, '']);
      expect(r.stderr, args[0]).toBe(
        `klpcheck: ${link}/../evil.json: ${flag} is in the saved counterexamples (counterexamples/), where run and compare read every file as one: write it elsewhere [E_USAGE]\n`,
      );
    }
    // A folder option's saves join paths, which drops `link/..` as text, where the system goes up from the link's
    // target: one folder checked and the other written (helper-107). Refused, as a file option's path through a link
    // and `..` to a folder other than its text names (helper-107: the folder was said not to exist).
    const deep = join(tmp.path, 'deep');
    mkdirSync(join(tmp.path, 'd', 'e'), { recursive: true });
    mkdirSync(join(tmp.path, 'd', 'sub'));
    symlinkSync(join(tmp.path, 'd', 'e'), deep);
    for (const [args, path, system] of [
      [['run', '--semantics', 'upstream', '--runs', '1', '--out'], `${link}/../archive`, store],
      [['protocols', '--semantics', 'upstream', '--releases', '2', '--out'], `${link}/../archive`, store],
      [['render', FIXTURE, '--out'], `${deep}/../sub/x.txt`, join(tmp.path, 'd')],
    ] as const) {
      const r = await run([...args, path]);
      expect([r.code, r.stdout], args[0]).toEqual([2, '']);
      expect(r.stderr, args[0]).toBe(
        `klpcheck: ${path}: --out: goes through a link and then '..', which names ${system} to the system and ${tmp.path} as written: name the folder without '..' after a link [E_USAGE]\n`,
      );
    }
    expect(existsSync(join(tmp.path, 'd', 'sub', 'x.txt'))).toBe(false);
    const archived = existsSync(join(store, 'archive'));
    rmSync(join(store, 'archive'), { recursive: true, force: true });
    expect(archived).toBe(false);
  });

  it('a store read through links at any depth, dangling ones too, but not through a dot-named one (helper-108)', async () => {
    const store = join(tmp.path, 'deep-store');
    const args = ['compare', '--semantics', 'upstream', '--invariants', 'module-safety', '--runs', '1', '--out', store];
    mkdirSync(join(store, 'upstream'), { recursive: true });
    const deep = join(tmp.path, 'deep-target');
    mkdirSync(deep);
    symlinkSync(deep, join(store, 'upstream', 'sub'));
    symlinkSync(join(tmp.path, 'not-yet'), join(store, 'later'));
    const backup = join(tmp.path, 'backup-target');
    mkdirSync(backup);
    symlinkSync(backup, join(store, '.backup'));
    for (const html of [join(store, 'upstream', 'sub', 'r.json'), join(deep, 'r.json'), join(tmp.path, 'not-yet', 'r.json')]) {
      const r = await run([...args, '--html', html]);
      expect([r.code, r.stdout], html).toEqual([2, '']);
      expect(r.stderr, html).toMatch(/--html is a JSON file in the counterexample folder --out .* \[E_USAGE\]\n$/);
    }
    expect(readdirSync(deep)).toEqual([]);
    // The store's reader skips a name that begins with '.': what it links to is no part of the store.
    const kept = await run([...args, '--html', join(backup, 'r.json')]);
    expect(kept.code, kept.stderr).toBe(0);
  });

  it("an --out folder's semantics folder that is a dangling link is refused before the work, not after it (helper-108)", async () => {
    const out = join(tmp.path, 'dangling-store');
    mkdirSync(out);
    symlinkSync(join(tmp.path, 'nowhere'), join(out, 'upstream'));
    const r = await run([...RUN_VIOLATED, '--out', out]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`klpcheck: ${out}/upstream: --out: a dangling symbolic link (to ${join(tmp.path, 'nowhere')}) [E_IO]\n`);
  });

  it("vm --out may not be counterexamples/ nor in it, where a real kernel's finding would refuse the store (helper-108)", async () => {
    const store = join(import.meta.dirname, '..', 'counterexamples');
    for (const out of [store, join(store, 'archive')]) {
      const r = await run(['vm', '--generate', '1', '--out', out]);
      expect([r.code, r.stdout], out).toEqual([2, '']);
      expect(r.stderr, out).toBe(
        `klpcheck: ${out}: --out: is counterexamples/ or in it, which holds what run and compare replay, and they never replay a real kernel's finding: give a folder outside it [E_USAGE]\n`,
      );
    }
  });

  it('a file option is asked again at the write: a path that came to lead into the store during the work is not written (helper-108)', () => {
    const store = join(import.meta.dirname, '..', 'counterexamples');
    const [name] = readdirSync(join(store, 'upstream')).sort();
    const before = readFileSync(join(store, 'upstream', name!), 'utf8');
    // A new file in the store (not one of its counterexamples: a regression here would replace it under every test).
    const page = join(store, 'upstream', 'page.html');
    let error: unknown;
    try {
      writeAtomically(page, '<!DOCTYPE html>\n', true, '--html');
    } catch (e) {
      error = e;
    }
    const made = existsSync(page);
    rmSync(page, { force: true });
    expect(made).toBe(false);
    expect(error).toEqual(expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/its path changed during the work/) }));
    // A counterexample outside the store, as one in run's or compare's --out folder.
    const elsewhere = join(tmp.path, 'saved-copy.json');
    writeFileSync(elsewhere, before);
    expect(() => writeAtomically(elsewhere, 'x\n', true, '--out')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(readFileSync(elsewhere, 'utf8')).toBe(before);
  });

  it('an --out folder whose semantics folder links into counterexamples/ is refused before the work (helper-107)', async () => {
    const store = join(import.meta.dirname, '..', 'counterexamples');
    const out = join(tmp.path, 'linking-store');
    mkdirSync(out);
    symlinkSync(join(store, 'stacking'), join(out, 'upstream'));
    const before = readdirSync(join(store, 'stacking')).sort();
    for (const args of [RUN_VIOLATED, COMPARE_VIOLATED, ['protocols', '--semantics', 'upstream', '--releases', '2']]) {
      const r = await run([...args, '--out', out]);
      const after = readdirSync(join(store, 'stacking')).sort();
      for (const f of after) if (!before.includes(f)) rmSync(join(store, 'stacking', f));
      expect(after, args[0]).toEqual(before);
      expect([r.code, r.stdout], args[0]).toEqual([2, '']);
      expect(r.stderr, args[0]).toBe(
        `klpcheck: ${out}: --out: upstream/ is a link into counterexamples/, where a counterexample is saved only by its own semantics' run: give a folder whose semantics' folders are its own [E_USAGE]\n`,
      );
    }
  });

  it("--out - is refused (it made a file named '-'); a path such as ./- names that file, and no --out prints", async () => {
    const dash = await run(['render', '--out', '-', FIXTURE]);
    expect([dash.code, dash.stdout]).toEqual([2, '']);
    expect(dash.stderr).toBe(
      "klpcheck: --out -: '-' is not taken for standard output (for a file named '-', write ./-); without --out the text goes to standard output [E_USAGE]\n",
    );
    expect(existsSync('-')).toBe(false);
    const named = join(tmp.path, '-');
    expect((await run(['render', '--out', named, FIXTURE])).code).toBe(0);
    expect(readFileSync(named, 'utf8')).toBe(render(fixture, 'text'));
  });
});
