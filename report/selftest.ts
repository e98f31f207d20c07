/**
 * The counterexample as a draft kernel selftest in the style of
 * tools/testing/selftests/livepatch/test-*.sh (facts E.0): functions.sh's
 * load_lp / load_lp_nowait / load_mod / load_failing_mod / disable_lp /
 * unload_lp / unload_mod, and one check_result with the log klpcheck's
 * reference implementation prints, filtered as check_result filters it.
 *
 * What functions.sh has no helper for is written as the helper would be
 * (`log "% ..."` and the write). What a selftest cannot do directly (a
 * task asleep in a function, one retry of the transition work, patched
 * code using shadow variables) is a `# klpcheck:` comment saying what the
 * test module must provide, never a pretend command.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { escapeControls, KlpcheckError } from '../harness/errors.ts';
import { shellWord } from '../harness/shell.ts';
import { describeOp, paramsText, type Op } from '../harness/ops.ts';
import { selftestFilter } from '../harness/scenario/filter.ts';
import { INSMOD_STRERROR, type Errno } from '../model/kernel/errno.ts';
import { titleAfterId, type RenderContext } from './context.ts';
import { funcLabel, namedByOps, objectsOf, ownershipOf, statesOf, stepsOf, type StepFacts } from './derive.ts';
import { patchLabel, provenanceLine, semanticsLabel, stepLine, stepPhrase } from './phrases.ts';
import { moduleName, selftestRun, type RunStep, type SelftestRun } from './selftest-run.ts';
import { ascii, wrap } from './wrap.ts';

const KLP = '/sys/kernel/livepatch';

/** Shell variables for the modules the test loads: MOD_P1=test_klp_p1, MOD_TARGET=test_klp_mod. */
function variables(c: Counterexample, loaded: ReadonlySet<string>): Map<string, string> {
  const vars = new Map<string, string>();
  const taken = new Set<string>();
  const add = (module: string, base: string) => {
    let v = base;
    for (let i = 2; taken.has(v); i++) v = `${base}_${i}`;
    taken.add(v);
    vars.set(module, v);
  };
  const upper = (n: string) =>
    n
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^test_klp_/, '')
      .toUpperCase();
  for (const p of c.universe.patches) if (loaded.has(moduleName(p.name))) add(moduleName(p.name), `MOD_${upper(p.name)}`);
  const targets = c.universe.modules.filter((m) => loaded.has(moduleName(m.name)));
  for (const m of targets) add(moduleName(m.name), targets.length === 1 ? 'MOD_TARGET' : `MOD_TARGET_${upper(m.name)}`);
  return vars;
}

/** Text inside a double-quoted bash string. */
const dq = (s: string) => s.replace(/[\\"$`]/g, (ch) => `\\${ch}`);

/** Module names in already-quoted text replaced by their variables ($MOD_P1, or ${MOD_P1}_init). */
function withVariables(text: string, vars: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [module, v] of [...vars].sort(([a], [b]) => b.length - a.length)) {
    out = out.replace(new RegExp(`${module}(?=_)`, 'g'), `\${${v}}`).replace(new RegExp(`${module}(?![A-Za-z0-9_])`, 'g'), `$${v}`);
  }
  return out;
}

/**
 * "violated", or for a stale record (its CAUTION) "recorded as violated": the
 * steps are today's, and today's may hold there (helper-125).
 */
const violatedWord = (ctx: RenderContext): string => (ctx.stale ? 'recorded as violated' : 'violated');

/**
 * The kernel a draft runs on: today's for upstream, the one kernel klpcheck's
 * semantics describe as it is (vm/inputs.ts); stacking's, one from before
 * atomic replace removed stacking (seed 002, Petr Mladek, 2019-01-09); a
 * proposal's, one with the proposal applied, which the draft said of
 * upstream's too (helper-125) and stacking's (helper-126).
 */
const kernelToRunOn = (semantics: string): string =>
  semantics === 'upstream'
    ? "on today's kernel, which implements upstream's atomic replace"
    : semantics === 'stacking'
      ? 'this draft needs a kernel from before atomic replace, whose livepatch core still enforced stacking (only the topmost patch could be disabled); on one'
      : `this draft needs a kernel with the ${semantics} proposal applied (today's implements upstream only); on one`;

/** A `# klpcheck:` comment, one line whatever the file's names hold (a newline would end the comment). */
const comment = (text: string) => `# klpcheck: ${escapeControls(text)}`;

/** What a transition_step is, said at the first; each later one says less (five retries repeated it five times, stop 40). */
const RETRY = 'one retry of the transition work (klp_try_complete_transition); the kernel retries on its own';
const RETRY_AGAIN = 'another retry of the transition work';

/**
 * The waits for transitions the model completed within a step: the kernel
 * completes them in its own time, so the script waits as load_lp and
 * disable_lp do, except for the one that helper already waits for.
 */
function waits(f: StepFacts, lines: readonly string[], v: (m: string) => string): string[] {
  return f.completed.flatMap((t) => {
    const helper = t.direction === 'patching' ? `load_lp $${v(t.patch)}` : `disable_lp $${v(t.patch)}`;
    if (lines.some((l) => l === helper || l.startsWith(`${helper} `))) return [];
    return t.direction === 'patching'
      ? [`loop_until 'grep -q "^0$" ${KLP}/$${v(t.patch)}/transition' || die "failed to complete transition"`]
      : [`loop_until '[[ ! -e ${KLP}/$${v(t.patch)} ]]' || die "failed to disable livepatch $${v(t.patch)}"`];
  });
}

interface Emitted {
  /** Script lines for the step. */
  readonly lines: readonly string[];
  /** The `%` line functions.sh (or the written-out helper) logs before the operation, if any. */
  readonly command: string | null;
  /** A line functions.sh logs after the operation (load_failing_mod logs insmod's error). */
  readonly after: string | null;
}

/** `log "% cmd"` and the command itself, for sysfs writes functions.sh has no helper for. */
function written(cmd: string, run: string, refusal: string | null, what: string): string[] {
  const lines = [`log "${cmd}"`];
  // Braces, so that a failing redirection's own message is silenced too.
  if (refusal) lines.push(`{ ${run}; } 2>/dev/null && die "${what} succeeded; klpcheck expects ${refusal}"`);
  else lines.push(run);
  return lines;
}

function emit(step: RunStep, f: StepFacts, isPatch: (m: string) => boolean, v: (m: string) => string): Emitted {
  const op: Op = step.op;
  const ok = step.outcome === 'ok';
  const refusal = ok ? null : `-${step.outcome}`;
  const none = (lines: string[]): Emitted => ({ lines, command: null, after: null });
  switch (op.op) {
    case 'insmod': {
      // The log shows the words as insmod got them; the script passes each as one word.
      const command = `% insmod test_modules/${op.module}.ko${paramsText(op.params)}`;
      const call = (fn: string) => [`${fn} $${v(op.module)}${paramsText(op.params, shellWord)}`];
      if (!ok) {
        const why = INSMOD_STRERROR[step.outcome as Errno] ?? step.outcome;
        return {
          lines: call('load_failing_mod'),
          command,
          after: `insmod: ERROR: could not insert module test_modules/${op.module}.ko: ${why}`,
        };
      }
      if (!isPatch(op.module)) return { lines: call('load_mod'), command, after: null };
      // load_lp waits for the transition to finish; a transition that stalls needs the _nowait form.
      return { lines: call(f.pending?.patch === op.module ? 'load_lp_nowait' : 'load_lp'), command, after: null };
    }
    case 'rmmod': {
      const command = `% rmmod ${op.module}`;
      if (ok) return { lines: [`${isPatch(op.module) ? 'unload_lp' : 'unload_mod'} $${v(op.module)}`], command, after: null };
      const lines = written(`% rmmod $${v(op.module)}`, `rmmod "$${v(op.module)}"`, refusal, `rmmod $${v(op.module)}`);
      return { lines, command, after: null };
    }
    case 'disable':
    case 'enable':
    case 'force':
    case 'set_attr': {
      const [value, file] =
        op.op === 'set_attr' ? [op.value, op.attr] : op.op === 'force' ? ['1', 'force'] : [op.op === 'enable' ? '1' : '0', 'enabled'];
      const command = `% echo ${value} > ${KLP}/${op.patch}/${file}`;
      // disable_lp waits until the patch is gone; only a disable that finishes at once may use it.
      if (op.op === 'disable' && ok && f.completed.some((t) => t.patch === op.patch && t.direction === 'unpatching')) {
        return { lines: [`disable_lp $${v(op.patch)}`], command, after: null };
      }
      const path = `${KLP}/$${v(op.patch)}/${file}`;
      const shown = `echo ${dq(value)} > ${path}`;
      return {
        // echo takes a leading '-' value (-n, -e) as its option: printf writes it as it is.
        lines: written(
          `% ${shown}`,
          `${value.startsWith('-') ? "printf '%s\\n'" : 'echo'} ${shellWord(value)} > ${KLP}/"$${v(op.patch)}"/${file}`,
          refusal,
          shown,
        ),
        command,
        after: null,
      };
    }
    case 'transition_step':
      return none([comment(RETRY)]);
    case 'block_task':
      return none([
        comment(`${op.task} sleeps in ${funcLabel(op.func)} -- needs a test module that blocks there; see test_klp_callbacks_busy`),
      ]);
    case 'unblock_task':
      return none([
        comment(`${op.task} wakes up -- the blocking test module must let it go (test_klp_callbacks_busy: clear block_transition)`),
      ]);
    case 'task_return':
      return none([comment(`${op.task} returns to user space -- no selftest equivalent; the kernel switches such tasks on its own`)]);
    case 'run_task':
    case 'sleep_task':
    case 'cond_resched':
    case 'fork':
      return none([comment(`${describeOp(op)} -- no selftest equivalent; needs a test module with a thread that does it`)]);
    case 'shadow_alloc':
    case 'shadow_free': {
      const call = op.op === 'shadow_alloc' ? 'klp_shadow_get_or_alloc' : 'klp_shadow_free';
      return none([
        comment(
          `code of ${op.patch} calls ${call}(obj=${op.obj}, id=${op.id}) -- needs a livepatch whose new function does; see test_klp_shadow_vars`,
        ),
      ]);
    }
  }
}

/**
 * The universe's kernel settings other than the defaults (universe.schema.json
 * KernelConfig), in words: those a selftest cannot choose (`cannot`: a
 * kernel built without reliable stack traces, livepatch uninitialized), and
 * the one it could set but does not (`unset`: functions.sh's
 * set_ftrace_enabled, as test-ftrace.sh uses it, logs a line of its own). A
 * script made from a counterexample of a kernel without reliable stack traces
 * expects the consistency-model warnings and transitions that never finish by
 * a stack check, and so fails on x86_64 (hostile-user findings, 2026-12-04).
 */
function assumedKernel(c: Counterexample): { readonly cannot: string[]; readonly unset: string[] } {
  const k = c.universe.kernel ?? {};
  return {
    cannot: [
      ...(k.reliable_stacktrace === false
        ? ['no reliable stack traces (kernel.reliable_stacktrace false: no HAVE_RELIABLE_STACKTRACE)']
        : []),
      ...(k.livepatch_initialized === false
        ? ['livepatch uninitialized (kernel.livepatch_initialized false: enabling returns -ENODEV)']
        : []),
    ],
    unset: k.ftrace_enabled === false ? ['the kernel.ftrace_enabled sysctl at 0 from boot'] : [],
  };
}

function header(c: Counterexample, ctx: RenderContext, run: SelftestRun, loaded: ReadonlySet<string>): string[] {
  const para = (text: string) => wrap(text, '# ', '# ', 76);
  const out = ['#!/bin/bash', '# SPDX-License-Identifier: GPL-2.0', '#'];
  out.push(...para(`Draft selftest made by klpcheck from a counterexample. Semantics: ${semanticsLabel(c, ctx)}.`));
  // A script runs what klpcheck's model does today, comments, clean-up and expected log alike: "shown as saved" was
  // not so of it (helper-76, stop 47).
  if (ctx.stale)
    out.push(
      ...para(
        `CAUTION: this record ${ctx.stale}. The steps below, their comments, the clean-up and the expected log are what klpcheck's reference implementation does today, not the record's.`,
      ),
    );
  out.push(
    ...para(
      `Invariant: ${ctx.invariant.id}${titleAfterId(ctx.invariant, ' (', ')')}, ${violatedWord(ctx)} after step ${c.violation.step + 1}: ${c.violation.reason}.`,
    ),
  );
  out.push(...para(`Found by: ${provenanceLine(c)}.`));
  out.push('#');
  out.push(
    ...para(
      `The test modules below do not exist: write them in test_modules/ before running this script. The function names are klpcheck's placeholders; use real ones. The expected log is what klpcheck's reference implementation prints; ${kernelToRunOn(c.semantics)}, a difference means the kernel and the model disagree.`,
    ),
  );
  const { cannot, unset } = assumedKernel(c);
  const said = [
    ...(cannot.length ? [`${cannot.join(', and ')}, which this script cannot set`] : []),
    ...(unset.length ? [`${unset.join(', and ')}, which this script does not set (sysctl kernel.ftrace_enabled=0 before running it)`] : []),
  ];
  if (said.length)
    out.push(
      '#',
      ...para(
        `CAUTION: the counterexample's kernel has ${said.join('; and ')}. Its expected log holds only on such a kernel: on another, the log differs for that reason, not because of the proposal.`,
      ),
    );
  for (const def of c.universe.patches.filter((p) => loaded.has(moduleName(p.name)))) {
    out.push('#', ...para(`${moduleName(def.name)}: livepatch, ${patchLabel(c, def.name, ctx)}`));
    const ownership = ownershipOf(def, ctx);
    if (ownership) out.push(...wrap(ownership, '#   ', '#     ', 76));
    for (const o of objectsOf(def)) {
      const what = o.funcs.length ? o.funcs.join(', ') : 'no functions';
      out.push(
        ...wrap(
          `${o.name === 'vmlinux' ? o.name : moduleName(o.name)}: ${what}${o.callbacks ? ' (+callbacks that log as test_klp_callbacks_demo)' : ''}`,
          '#   ',
          '#     ',
          76,
        ),
      );
    }
    const states = statesOf(def);
    if (states.length) out.push(...wrap(`states: ${states.join(', ')}`, '#   ', '#     ', 76));
  }
  for (const m of c.universe.modules.filter((x) => loaded.has(moduleName(x.name)))) out.push('#', `# ${moduleName(m.name)}: target module`);
  const divergences = run.divergences;
  if (divergences.length) {
    out.push(
      '#',
      ...para('WARNING: the reference implementation no longer gives the recorded results; the expected log below is what it gives now:'),
    );
    for (const d of divergences) out.push(`#   step ${d.step}: recorded ${d.recorded}, now ${d.now}`);
  }
  return out;
}

export function renderSelftest(c: Counterexample, ctx: RenderContext): string {
  if (!ctx.semantics)
    throw new KlpcheckError('E_SEMANTICS', `unknown semantics '${c.semantics}': the expected log needs its reference implementation`);
  const run = selftestRun(c, ctx.semantics);
  const loaded = namedByOps(run.steps.map((s) => s.op));
  const vars = variables(c, loaded);
  const v = (module: string) => vars.get(module) ?? module;
  const patches = new Set(run.universe.patches.map((p) => p.name));
  // The re-run's own record, so that clean-up steps get the same derived facts, and the steps' comments name the
  // modules as the script's commands do (they said "echo 0 > /sys/kernel/livepatch/p1/enabled" over a command that
  // writes $MOD_P1's, test_klp_p1's, until stop 47).
  const renamed = { ...c, universe: run.universe, initial: run.steps[0]!.before, steps: run.steps };
  const facts = stepsOf(renamed);
  const phrases = facts.map((f) => stepLine(stepPhrase(renamed, f, ctx)));
  const body: string[] = [];
  const log: string[] = [];
  // What the clean-up cannot unload (a forced patch's module is never removed): the comment says so, where it said
  // "leave the machine as it was" of a script that leaves it loaded (hostile-user nit, stop 36).
  const left = run.steps.at(-1)?.state.patches.map((p) => (vars.has(p.name) ? `$${vars.get(p.name)}` : p.name)) ?? [];
  const cleanUp = left.length
    ? `Clean up (not part of the counterexample): unload what the kernel lets go; ${left.join(', ')} ${left.length === 1 ? 'stays' : 'stay'} loaded (the kernel refuses its removal), so reboot before another test.`
    : 'Clean up (not part of the counterexample): leave the machine as it was.';
  let retried = false;
  run.steps.forEach((step, i) => {
    if (i === c.steps.length) body.push('', ...wrap(cleanUp, '# ', '# ', 76));
    let e = emit(step, facts[i]!, (m) => patches.has(m), v);
    if (step.op.op === 'transition_step' && retried) e = { ...e, lines: [comment(RETRY_AGAIN)] };
    retried ||= step.op.op === 'transition_step';
    if (step.counterexample) {
      const mark = i === c.violation.step ? ` [${ctx.invariant.id} ${violatedWord(ctx)} here]` : '';
      const lead = `# ${i + 1}. `;
      body.push(...wrap(`${phrases[i]}${mark}`, lead, `#${' '.repeat(lead.length - 1)}`, 76));
    }
    body.push(...e.lines, ...waits(facts[i]!, e.lines, v));
    // A loop, not a spread into push: a module's init_log of 130,000 lines overflowed the stack (helper-72, stop 45).
    for (const line of selftestFilter([...(e.command ? [e.command] : []), ...step.log, ...(e.after ? [e.after] : [])])) log.push(line);
  });
  const expected = withVariables(dq(log.join('\n')), vars);
  const lines = [
    ...header(c, ctx, run, loaded),
    '',
    '. $(dirname $0)/functions.sh',
    '',
    ...[...vars].map(([module, name]) => `${name}=${module}`),
    '',
    'setup_config',
    '',
    '',
    `start_test "${dq(`klpcheck: ${ctx.invariant.id} under ${c.semantics}`)}"`,
    '',
    ...body,
    '',
    `check_result "${expected}"`,
    '',
    'exit 0',
  ];
  return `${lines.map((l) => ascii(l)).join('\n')}\n`;
}
