/** `klpcheck promela`: a semantics' spec model in Promela, for Spin (promela/model.ts, promela/rules.ts). */
import { KlpcheckError } from '../../harness/errors.ts';
import { semanticsNamed } from '../selection.ts';
import { wrap } from '../../report/wrap.ts';
import { depthBoundIn, formatScope, parseScope, scopeRanges } from '../../harness/explore/scope.ts';
import { BANNER, promelaModel } from '../../promela/model.ts';
import { NEVER_BREAKS, PROMELA_RULES, promelaRule } from '../../promela/rules.ts';
import { SEMANTICS } from '../../model/semantics/registry.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { checkOutputFile, writeAtomically } from '../output-files.ts';
import { shownPath } from '../late-errors.ts';

/** The semantics written in Promela, as the help and the refusal list them. */
const IN_PROMELA = [...PROMELA_RULES.keys()].join(', ');

/** The semantics not written in Promela, as the summary names them (none since stop 65). */
const NOT_IN_PROMELA = SEMANTICS.filter((s) => !PROMELA_RULES.has(s.name)).map((s) => s.name);
const WHICH = NOT_IN_PROMELA.length
  ? `${PROMELA_RULES.size} of the ${SEMANTICS.length} semantics: not ${NOT_IN_PROMELA.join(', ')}`
  : `each of the ${SEMANTICS.length} semantics`;

/** Those whose lockstep breaks conformance nowhere looked (rules.ts conforms): there explore's count is Spin's less one. */
const CONFORMING = [...PROMELA_RULES.values()].filter((r) => r.conforms === NEVER_BREAKS).map((r) => r.semantics.name);

export const promela: Command = {
  name: 'promela',
  summary: `a spec model in Promela (${WHICH}), to run with Spin`,
  description: [
    'Writes a semantics at the spec level as a Promela model for Spin, an independent',
    "model checker, written again in Promela from the semantics' rule:",
    ...wrap(`${IN_PROMELA}.`, '', '', 80),
    ...wrap(
      `Where the semantics never breaks conformance (upstream with one patch; ${CONFORMING.join(', ')} at every scope ` +
        "tried), Spin's count of stored states equals the spec-level count of " +
        "'klpcheck explore --semantics NAME --scope S,depth=any --max-states any' plus one " +
        '(the state before the model fills its tables); past a break explore counts fewer.',
      '',
      '',
      80,
    ),
    ...wrap(
      "Use it to take Spin's own search further: with --multicore the model is written for Spin's multi-core " +
        'mode (cc -DNCORE=N), which takes no hidden variable, and Spin counts the same states, each longer by about ' +
        "half at the scopes tried (its header says by how many bytes: give pan room with -DMEMLIM); without, for one core (Spin's " +
        'swarm runs are runs of one core; its breadth-first modes take only the multi-core model).',
      '',
      '',
      80,
    ),
    'Spin explores the whole space: a depth bound in the scope is refused (depth=any is allowed).',
    `Scope keys and values (K=N): ${scopeRanges(['patches', 'functions', 'states', 'tasks'])}.`,
  ],
  options: {
    semantics: { type: 'string', arg: 'NAME', help: `the semantics: ${IN_PROMELA} (default upstream)` },
    scope: { type: 'string', arg: 'K=V,...', help: 'patches, functions, states, tasks (default as klpcheck explore)' },
    out: {
      type: 'string',
      short: 'o',
      arg: 'FILE',
      help: 'write to FILE instead of stdout (an existing FILE with other content is kept unless --force)',
    },
    force: { type: 'boolean', help: 'with --out, replace an existing FILE', requires: ['out'] },
    multicore: { type: 'boolean', help: "write it for Spin's multi-core mode (cc -DNCORE=N): the same states" },
  },
  operands: '',
  examples: [
    'npx klpcheck promela --scope patches=2,functions=2,states=1,tasks=2 --out upstream.pml',
    'npx klpcheck promela --semantics stacking --scope patches=3,functions=1,states=0,tasks=1 --out stacking.pml',
    'spin -a upstream.pml && cc -O2 -DNOREDUCE -o pan pan.c && ./pan -m10000000',
    'npx klpcheck promela --multicore --scope patches=2,functions=2,states=1,tasks=2 --out upstream-mc.pml',
    'spin -a upstream-mc.pml && cc -O2 -DNOREDUCE -DNCORE=2 -DMEMLIM=4000 -o pan pan.c && ./pan -m10000000 -w24',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length) throw new KlpcheckError('E_USAGE', `promela takes no files: '${positionals[0]}'`);
    // An unknown name is E_SEMANTICS, trimmed, as every command reads --semantics (helper-113); a known one without a
    // Promela model is E_USAGE.
    const name = values.semantics === undefined ? 'upstream' : semanticsNamed(values.semantics as string).name;
    const rule = promelaRule(name);
    // depth is taken as depth=any alone (below); taskModel not at all: the Promela model has no task-model ops
    // (run_task, fork ...), and its count would not be explore's.
    // The model has no depth bound; a scope that names one would look honoured and not be. Asked before the scope is
    // read: depth=0 was refused with the range 1 to 30, where every bound is refused too (hostile user, stop 40).
    const depth = depthBoundIn(values.scope as string | undefined);
    if (depth !== undefined)
      throw new KlpcheckError(
        'E_USAGE',
        `promela writes the whole space, with no depth bound: not '${depth}' (leave it out, or depth=any)`,
      );
    const scope = parseScope(values.scope as string | undefined, undefined, ['patches', 'functions', 'states', 'tasks', 'depth']);
    if (typeof values.out === 'string')
      checkOutputFile(values.out, '--out', { force: values.force === true, existing: 'compare', printsWithout: true, startsWith: BANNER });
    const text = promelaModel(rule, scope, { multicore: values.multicore === true });
    if (typeof values.out === 'string') {
      const status = writeAtomically(values.out, text, values.force === true, '--out');
      // As render says it: the same text is not written again, and an arrow read as written (helper-85, stop 52).
      const done = status === 'written' ? '->' : 'unchanged:';
      io.stderr(`klpcheck promela: ${name} at ${formatScope(scope, false)} ${done} ${shownPath(values.out)}\n`);
    } else io.stdout(text);
    return EXIT.ok;
  },
};
